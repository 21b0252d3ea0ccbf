#include "crypto/hash.h"

#include <cstdlib>

#include <mbedtls/md.h>

namespace wasmrtc::crypto {
namespace {

const mbedtls_md_info_t* info_for(mbedtls_md_type_t type) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(type);
  // Absent only if mbedtls was configured without the algorithm.
  if (info == nullptr) std::abort();
  return info;
}

template <size_t N>
std::array<uint8_t, N> digest(mbedtls_md_type_t type, ByteView data) {
  const mbedtls_md_info_t* info = info_for(type);
  std::array<uint8_t, N> out{};
  if (mbedtls_md_get_size(info) != N) std::abort();
  if (mbedtls_md(info, data.data(), data.size(), out.data()) != 0) std::abort();
  return out;
}

template <size_t N>
std::array<uint8_t, N> hmac(mbedtls_md_type_t type, ByteView key,
                            std::initializer_list<ByteView> parts) {
  const mbedtls_md_info_t* info = info_for(type);
  if (mbedtls_md_get_size(info) != N) std::abort();
  std::array<uint8_t, N> out{};
  mbedtls_md_context_t ctx;
  mbedtls_md_init(&ctx);
  int rc = mbedtls_md_setup(&ctx, info, /*hmac=*/1);
  if (rc == 0) rc = mbedtls_md_hmac_starts(&ctx, key.data(), key.size());
  for (ByteView part : parts) {
    if (rc == 0) rc = mbedtls_md_hmac_update(&ctx, part.data(), part.size());
  }
  if (rc == 0) rc = mbedtls_md_hmac_finish(&ctx, out.data());
  mbedtls_md_free(&ctx);
  if (rc != 0) std::abort();
  return out;
}

}  // namespace

Md5Digest md5(ByteView data) { return digest<16>(MBEDTLS_MD_MD5, data); }
Sha1Digest sha1(ByteView data) { return digest<20>(MBEDTLS_MD_SHA1, data); }
Sha256Digest sha256(ByteView data) { return digest<32>(MBEDTLS_MD_SHA256, data); }

Sha1Digest hmac_sha1(ByteView key, ByteView data) {
  return hmac<20>(MBEDTLS_MD_SHA1, key, {data});
}

Sha1Digest hmac_sha1(ByteView key, std::initializer_list<ByteView> parts) {
  return hmac<20>(MBEDTLS_MD_SHA1, key, parts);
}

Sha256Digest hmac_sha256(ByteView key, ByteView data) {
  return hmac<32>(MBEDTLS_MD_SHA256, key, {data});
}

Sha256Digest hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) {
  return hmac<32>(MBEDTLS_MD_SHA256, key, parts);
}

}  // namespace wasmrtc::crypto
