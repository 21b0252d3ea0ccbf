#!/bin/sh
# Prints the raw and gzip size of each file given.
for f in "$@"; do
  raw=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  printf 'size: %s %d bytes raw, %d bytes gzip\n' "$(basename "$f")" "$raw" "$gz"
done
