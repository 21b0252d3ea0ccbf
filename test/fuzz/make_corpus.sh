#!/bin/sh
# Regenerates the seed corpus corpus/stun/*.bin from the annotated hex dumps
# in test/data/stun/ (RFC 5769 / RFC 8489 vectors and hand-made fixtures).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../data/stun"
out="$here/corpus/stun"
mkdir -p "$out"
for f in "$data"/*.hex; do
  name=$(basename "$f" .hex)
  sed 's/#.*//' "$f" | xxd -r -p > "$out/$name.bin"
done
ls -l "$out"
