#!/usr/bin/env bash
# The main job: set up, build everything, then run the demo.
# The demo (demo/server.cjs): coturn, wasmrtc-gateway, and a chat,
# file-transfer and video-call page; open the URL it prints in two tabs
# (two windows: a background tab's timers slow down). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
node demo/stun-roundtrip.cjs
exec node demo/server.cjs "$@"
