#!/usr/bin/env bash
# The published package works with no build step: npm pack, install the
# tarball into an empty directory, load it with require and with import.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(npm pack --silent --pack-destination "$tmp" | tail -n 1)
echo "pack: $tarball ($(wc -c < "$tmp/$tarball") bytes)"
cd "$tmp"
echo '{"name":"consumer","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error "./$tarball"
cp "$OLDPWD/test/pack/consumer.cjs" ./consumer.cjs
node ./consumer.cjs
cp "$OLDPWD/test/pack/consumer.mjs" ./consumer.mjs
node ./consumer.mjs
