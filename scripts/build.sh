#!/usr/bin/env bash
# Builds everything from scratch or incrementally:
#   1. the six C libraries for WASM from Debian's sources (cached, deps/build-wasm.sh)
#   2. the native build (src/, unit tests, gateway, fuzz targets) with Debian's -dev packages
#   3. the WASM build (the same src/ + wasm/) into dist/
#   4. the browser bundles (scripts/bundle.cjs) into dist/
# Usage: scripts/build.sh [--native-only|--wasm-only]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${WASMRTC_JOBS:-$(nproc)}
export NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch

what=${1:-all}
if [[ $what != --wasm-only ]]; then
  # One native tree for the unit tests, the gateway and the fuzz targets:
  # clang with ASan/UBSan and libFuzzer's coverage everywhere, at -O1 -g1
  # (line tables for sanitizer reports). Half the compile time of g++ -O2 -g,
  # and no second tree for fuzzing.
  echo "build: native + fuzz targets (build/native, clang, ASan/UBSan)"
  opt="-O1 -g1 -DNDEBUG"
  CC=clang CXX=clang++ cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="$opt" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt" \
    -DWASMRTC_SANITIZE=ON -DWASMRTC_FUZZ=ON >/dev/null
  cmake --build build/native -j "$jobs"
fi
if [[ $what != --native-only ]]; then
  echo "build: third-party libraries for WASM (build/wasm-deps)"
  deps/build-wasm.sh "$root/build/wasm-deps"
  echo "build: WASM module (build/wasm -> dist/)"
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DWASMRTC_WASM_DEPS="$root/build/wasm-deps" >/dev/null
  cmake --build build/wasm -j "$jobs"
fi
if [[ $what != --native-only ]]; then
  echo "build: browser bundles (dist/wasmrtc-polyfill.{js,mjs}, dist/wasmrtc-worker.js, dist/wasmrtc-transform.js)"
  node scripts/bundle.cjs js/browser/polyfill.cjs dist/wasmrtc-polyfill.js \
    --replace js/webrtc/engine-spawn.cjs=js/browser/engine-spawn.cjs
  node scripts/bundle.cjs js/browser/polyfill.cjs dist/wasmrtc-polyfill.mjs --esm \
    --replace js/webrtc/engine-spawn.cjs=js/browser/engine-spawn.cjs
  node scripts/bundle.cjs wasm/worker/browser-worker.cjs dist/wasmrtc-worker.js
  node scripts/bundle.cjs js/browser/transform-worker.cjs dist/wasmrtc-transform.js
fi
