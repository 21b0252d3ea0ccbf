# Recipe: Mbed TLS (Debian source package `mbedtls`), static wasm32 libraries
# libmbedcrypto.a, libmbedx509.a, libmbedtls.a. Run by deps/build-wasm.sh
# (see its header for SRC, BUILD, DEST, JOBS, OPT_CFLAGS).
#
# Configuration is changed with Mbed TLS's own scripts/config.py on the
# extracted (private) tree's include/mbedtls/config.h, so the installed
# config.h is exactly the one the library was compiled with.
cfg() { python3 "$SRC/scripts/config.py" -f "$SRC/include/mbedtls/config.h" "$@"; }

# DTLS-SRTP (use_srtp extension, RFC 5764) is off upstream.
cfg set MBEDTLS_SSL_DTLS_SRTP
# No threads in our wasm build (Debian's own build turns these on in
# debian/rules, which we do not run; upstream leaves them off). Be explicit.
cfg unset MBEDTLS_THREADING_C
cfg unset MBEDTLS_THREADING_PTHREAD
# Entropy: MBEDTLS_NO_PLATFORM_ENTROPY stays unset. Under Emscripten
# (__unix__, not __linux__) entropy_poll.c reads /dev/urandom with fopen, which
# Emscripten's FS provides, backed by crypto.getRandomValues (browser) or
# crypto.randomBytes (Node). So linking needs the FS (the default;
# -sFILESYSTEM=0 would break it). deps/smoke/smoke.c checks seeding works.

# What wasmrtc needs; fail the build if any of it is off.
required=(
  MBEDTLS_SSL_TLS_C MBEDTLS_SSL_CLI_C MBEDTLS_SSL_SRV_C MBEDTLS_SSL_PROTO_TLS1_2
  MBEDTLS_SSL_PROTO_DTLS MBEDTLS_SSL_DTLS_HELLO_VERIFY MBEDTLS_SSL_DTLS_ANTI_REPLAY
  MBEDTLS_SSL_COOKIE_C MBEDTLS_SSL_DTLS_SRTP MBEDTLS_SSL_EXPORT_KEYS
  MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
  MBEDTLS_ECDSA_C MBEDTLS_ECDH_C MBEDTLS_ECP_C MBEDTLS_BIGNUM_C
  MBEDTLS_ECP_DP_SECP256R1_ENABLED MBEDTLS_ECP_DP_CURVE25519_ENABLED
  MBEDTLS_AES_C MBEDTLS_GCM_C MBEDTLS_CHACHA20_C MBEDTLS_POLY1305_C MBEDTLS_CHACHAPOLY_C
  MBEDTLS_MD5_C MBEDTLS_SHA1_C MBEDTLS_SHA256_C MBEDTLS_SHA512_C MBEDTLS_MD_C
  MBEDTLS_HMAC_DRBG_C MBEDTLS_CTR_DRBG_C MBEDTLS_ENTROPY_C
  MBEDTLS_X509_CRT_PARSE_C MBEDTLS_X509_CRT_WRITE_C MBEDTLS_X509_CREATE_C
  MBEDTLS_PK_C MBEDTLS_PK_PARSE_C MBEDTLS_PK_WRITE_C
  MBEDTLS_PEM_PARSE_C MBEDTLS_PEM_WRITE_C MBEDTLS_BASE64_C MBEDTLS_ASN1_WRITE_C
)
for o in "${required[@]}"; do
  cfg get "$o" >/dev/null || { echo "mbedtls recipe: $o is not enabled" >&2; exit 1; }
done
for o in MBEDTLS_THREADING_C MBEDTLS_THREADING_PTHREAD MBEDTLS_NO_PLATFORM_ENTROPY; do
  if cfg get "$o" >/dev/null; then echo "mbedtls recipe: $o must be off" >&2; exit 1; fi
done

# CMAKE_BUILD_TYPE=None: Mbed TLS hard-codes -O2 for Release; we want OPT_CFLAGS.
emcmake cmake -S "$SRC" -B "$BUILD" \
  -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="$OPT_CFLAGS -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX="$DEST" \
  -DENABLE_PROGRAMS=OFF -DENABLE_TESTING=OFF \
  -DUSE_STATIC_MBEDTLS_LIBRARY=ON -DUSE_SHARED_MBEDTLS_LIBRARY=OFF \
  -DMBEDTLS_FATAL_WARNINGS=OFF \
  -DENABLE_ZLIB_SUPPORT=OFF -DLINK_WITH_PTHREAD=OFF
cmake --build "$BUILD" -j "$JOBS"
cmake --install "$BUILD"
for l in mbedcrypto mbedx509 mbedtls; do
  test -f "$DEST/lib/lib$l.a"
  emranlib "$DEST/lib/lib$l.a"
done
grep -q "define MBEDTLS_VERSION_STRING *\"$UPSTREAM_VERSION\"" "$DEST/include/mbedtls/version.h"
