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

# DTLS-SRTP AES-GCM profiles (RFC 7714 section 14.2). Mbed TLS 2.28's
# use_srtp code validates every profile -- configured
# (mbedtls_ssl_conf_dtls_srtp_protection_profiles), offered in our
# ClientHello, read from a peer's ClientHello/ServerHello, and written in our
# ServerHello -- through one switch, mbedtls_ssl_check_srtp_profile_value()
# (static inline, include/mbedtls/ssl_internal.h), which knows only the AES-CM
# and NULL profiles. So AEAD_AES_128_GCM (0x0007) and AEAD_AES_256_GCM (0x0008)
# could be neither configured nor negotiated, although libsrtp2 (built on this
# Mbed TLS) implements both and Chromium offers both. Add them to that switch,
# give them names in ssl.h (MBEDTLS_TLS_SRTP_AEAD_AES_*_GCM, and in
# mbedtls_ssl_get_srtp_profile_as_string(), used only by debug messages).
# Nothing else in library/ enumerates profiles (checked: ssl_cli.c, ssl_srv.c,
# ssl_tls.c only call the switch). Each edit must apply exactly once, and the
# build stops here if the source is not what this recipe expects.
python3 - "$SRC" <<'PY'
import sys, pathlib
src = pathlib.Path(sys.argv[1])
def patch(rel, old, new):
    f = src / rel
    text = f.read_text()
    n = text.count(old)
    if n != 1:
        sys.exit(f"mbedtls recipe: GCM SRTP patch: expected 1 match in {rel}, found {n}:\n{old}")
    f.write_text(text.replace(old, new))
patch("include/mbedtls/ssl.h",
      "#define MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32          ((uint16_t) 0x0006)\n",
      "#define MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32          ((uint16_t) 0x0006)\n"
      "/* wasmrtc: RFC 7714 section 14.2 */\n"
      "#define MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM           ((uint16_t) 0x0007)\n"
      "#define MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM           ((uint16_t) 0x0008)\n")
patch("include/mbedtls/ssl.h",
      "            return \"MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32\";\n",
      "            return \"MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32\";\n"
      "        case MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM:\n"
      "            return \"MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM\";\n"
      "        case MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM:\n"
      "            return \"MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM\";\n")
patch("include/mbedtls/ssl_internal.h",
      "        case MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32:\n            return srtp_profile_value;\n",
      "        case MBEDTLS_TLS_SRTP_NULL_HMAC_SHA1_32:\n"
      "        case MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM: /* wasmrtc */\n"
      "        case MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM: /* wasmrtc */\n"
      "            return srtp_profile_value;\n")
PY
# Belt and braces: the patched switch is really there, and no other file in
# library/ names an SRTP profile constant itself (a new one in a future
# version would need the same treatment).
grep -q 'case MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM: /\* wasmrtc \*/' "$SRC/include/mbedtls/ssl_internal.h" ||
  { echo "mbedtls recipe: GCM SRTP patch missing from ssl_internal.h" >&2; exit 1; }
grep -q 'case MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM: /\* wasmrtc \*/' "$SRC/include/mbedtls/ssl_internal.h" ||
  { echo "mbedtls recipe: GCM SRTP patch missing from ssl_internal.h" >&2; exit 1; }
if grep -n 'MBEDTLS_TLS_SRTP_\(AES128\|NULL\)_' "$SRC"/library/*.c; then
  echo "mbedtls recipe: library/ enumerates SRTP profiles outside ssl_internal.h; extend the GCM patch" >&2
  exit 1
fi

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
# The installed headers are the patched ones (the GCM SRTP profiles above).
grep -q 'MBEDTLS_TLS_SRTP_AEAD_AES_128_GCM: /\* wasmrtc \*/' "$DEST/include/mbedtls/ssl_internal.h"
grep -q 'define MBEDTLS_TLS_SRTP_AEAD_AES_256_GCM' "$DEST/include/mbedtls/ssl.h"
