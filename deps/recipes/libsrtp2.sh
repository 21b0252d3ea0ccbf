# Recipe: libsrtp2 (Debian source package `libsrtp2`), static wasm32 libsrtp2.a
# with Mbed TLS as its crypto engine (AES-ICM and AES-GCM from Mbed TLS; the
# built-in engine has no GCM). Run by deps/build-wasm.sh; DEP_mbedtls is the
# Mbed TLS install tree built by recipes/mbedtls.sh.
#
# Its FindMbedTLS.cmake uses find_path/find_library, which do not search
# outside the Emscripten sysroot (CMAKE_PREFIX_PATH does not help), so the
# paths are given as cache variables, which those calls then keep.
emcmake cmake -S "$SRC" -B "$BUILD" \
  -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="$OPT_CFLAGS -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX="$DEST" \
  -DBUILD_SHARED_LIBS=OFF \
  -DENABLE_MBEDTLS=ON -DENABLE_OPENSSL=OFF -DENABLE_NSS=OFF \
  -DMBEDTLS_INCLUDE_DIRS="$DEP_mbedtls/include" \
  -DMBEDTLS_LIBRARY="$DEP_mbedtls/lib/libmbedtls.a" \
  -DMBEDX509_LIBRARY="$DEP_mbedtls/lib/libmbedx509.a" \
  -DMBEDCRYPTO_LIBRARY="$DEP_mbedtls/lib/libmbedcrypto.a" \
  -DTEST_APPS=OFF -DBUILD_WITH_WARNINGS=OFF -DBUILD_WITH_SANITIZERS=OFF
# Make sure the mbedtls engine was really selected.
grep -q '^#define MBEDTLS 1' "$BUILD/config.h"
grep -q '^#define GCM 1' "$BUILD/config.h"
cmake --build "$BUILD" -j "$JOBS"
cmake --install "$BUILD"
# The exported CMake targets name the Mbed TLS archives by absolute path in the
# cache; wasmrtc uses versions.cmake instead, so do not ship them.
rm -rf "$DEST/lib/cmake"
emranlib "$DEST/lib/libsrtp2.a"
