# Recipe: usrsctp (Debian source package `libusrsctp`), static wasm32
# libusrsctp.a, AF_CONN only (no IPv4/IPv6 sockets: DTLS carries SCTP), no
# programs, no threads (callers use usrsctp_init_nothreads and drive
# usrsctp_handle_timers).
#
# Its CMake adds -D_GNU_SOURCE only when CMAKE_SYSTEM_NAME is Linux (it is
# "Emscripten" here), and some files use pthread types without including
# pthread.h, hence both flags. sctp_werror=0: clang under Emscripten warns.
#
# Known wasm issue, not patched here: usrsctp_register_address() reaches musl's
# if_indextoname(), whose ioctl Emscripten does not implement ("bad ioctl
# syscall 35088"). The final program overrides if_indextoname at link time
# (see deps/smoke/smoke.c); see deps/README.md.
emcmake cmake -S "$SRC" -B "$BUILD" \
  -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="$OPT_CFLAGS -DNDEBUG -D_GNU_SOURCE -include pthread.h" \
  -DCMAKE_INSTALL_PREFIX="$DEST" \
  -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_INCLUDEDIR=include \
  -Dsctp_inet=0 -Dsctp_inet6=0 -Dsctp_build_programs=0 -Dsctp_werror=0 \
  -Dsctp_build_shared_lib=0 -Dsctp_build_fuzzer=0
cmake --build "$BUILD" -j "$JOBS"
cmake --install "$BUILD"
emranlib "$DEST/lib/libusrsctp.a"
# Upstream's usrsctp.pc.in says includedir=.../include/usrsctp, but the header
# is installed as include/usrsctp.h (Debian's autotools build has it right).
sed -i -E 's|^includedir=.*|includedir=${prefix}/include|' "$DEST/lib/pkgconfig/usrsctp.pc"
