'use strict';
// Loads the Embind module (dist/wasmrtc-core.{js,wasm}) once per JS realm.
//
// The module is built with WASM_ASYNC_COMPILATION=0, so given its bytes it
// instantiates synchronously: `wasmrtc.versions()` can answer at once. We
// always pass the bytes as `wasmBinary` because Emscripten 3.1.6's glue would
// otherwise call Node 20's global fetch() with a file path and fail.
const fs = require('fs');
const path = require('path');

const DIST = path.join(__dirname, '..', '..', 'dist');
let core = null;

function load() {
  if (core) return core;
  const glue = path.join(DIST, 'wasmrtc-core.js');
  const wasm = path.join(DIST, 'wasmrtc-core.wasm');
  if (!fs.existsSync(glue) || !fs.existsSync(wasm)) {
    throw new Error(`wasmrtc: the WASM module is not built (${DIST}); run scripts/build.sh`);
  }
  const factory = require(glue);
  const mod = { wasmBinary: fs.readFileSync(wasm) };
  factory(mod);
  if (typeof mod.versions !== 'function') {
    throw new Error('wasmrtc: the WASM module did not initialise');
  }
  core = mod;
  return core;
}

module.exports = { load };
