# Recipe: Opus (Debian source package `opus`), static wasm32 libopus.a.
#
# Autoconf (the CMake files in this tarball are incomplete), run through
# emconfigure. No --host: the tarball's old config.sub rejects wasm32, so
# configure believes it targets the build machine; --disable-intrinsics and
# --disable-rtcd keep it from picking x86 SIMD code, --disable-asm from ARM asm.
# configure's test programs run in Node (hence NODE_OPTIONS from the driver).
cd "$BUILD"
emconfigure "$SRC/configure" \
  --prefix="$DEST" \
  --disable-shared --enable-static \
  --disable-intrinsics --disable-rtcd --disable-asm --disable-stack-protector \
  --disable-extra-programs --disable-doc \
  CFLAGS="$OPT_CFLAGS -DNDEBUG"
emmake make -j "$JOBS"
emmake make install
emranlib "$DEST/lib/libopus.a"
rm -f "$DEST"/lib/*.la
