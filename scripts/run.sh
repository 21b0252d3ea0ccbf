#!/usr/bin/env bash
# The main job: set up, build everything, then run the demo.
# Today the demo prints the linked library versions and a STUN round trip
# through the WASM module; later it starts the data-channel demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-browser
scripts/build.sh
node demo/stun-roundtrip.cjs
