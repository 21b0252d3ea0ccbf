# Recipe: libvpx (Debian source package `libvpx`), static wasm32 libvpx.a with
# the VP8 encoder and decoder only, plain C (generic-gnu), single-threaded,
# realtime-only encoder. Consumers link with -sALLOW_MEMORY_GROWTH=1.
cd "$BUILD"
# libvpx's configure takes CC/AR/... from the environment (emconfigure sets
# them) and runs no test programs for generic-gnu. Its command line is baked
# into the library (vpx_codec_build_config()), so nothing path-dependent goes
# there: CFLAGS comes from the environment, and the install dir is given to
# `make install` (DIST_DIR) rather than to configure (default prefix).
CFLAGS="$OPT_CFLAGS -DNDEBUG" emconfigure "$SRC/configure" \
  --target=generic-gnu \
  --enable-vp8 --enable-vp8-encoder --enable-vp8-decoder --disable-vp9 \
  --disable-examples --disable-tools --disable-docs \
  --disable-unit-tests --disable-decode-perf-tests --disable-encode-perf-tests \
  --disable-multithread --disable-runtime-cpu-detect --enable-realtime-only \
  --disable-shared --enable-static \
  --disable-debug --disable-install-bins --disable-install-srcs
emmake make -j "$JOBS"
emmake make install DIST_DIR="$DEST"
emranlib "$DEST/lib/libvpx.a"
