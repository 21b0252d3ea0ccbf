// The RFC 5705 exporter built from the captured master secret, checked
// against an independent TLS 1.2 PRF (RFC 5246 section 5) written here with
// HMAC-SHA256, and the RFC 5764 section 4.2 key layout.
#include "dtls/keying_material.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "dtls/srtp.h"

namespace wasmrtc::dtls {
namespace {

using base::Bytes;
using base::ByteView;

// P_SHA256(secret, seed): A(0) = seed, A(i) = HMAC(secret, A(i-1)),
// output HMAC(secret, A(i) + seed) for i = 1, 2, ...
Bytes p_sha256(ByteView secret, ByteView seed, size_t length) {
  Bytes out;
  Bytes a(seed.begin(), seed.end());
  while (out.size() < length) {
    auto next = crypto::hmac_sha256(secret, a);
    a.assign(next.begin(), next.end());
    auto block = crypto::hmac_sha256(secret, {ByteView(a), seed});
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(length);
  return out;
}

TEST(KeyingMaterial, MatchesRfc5246PrfWithTheSrtpLabel) {
  std::array<unsigned char, 48> ms;
  std::array<unsigned char, 32> client_random, server_random;
  for (size_t i = 0; i < ms.size(); ++i) ms[i] = static_cast<unsigned char>(0x10 + i);
  for (size_t i = 0; i < 32; ++i) {
    client_random[i] = static_cast<unsigned char>(0xC0 ^ i);
    server_random[i] = static_cast<unsigned char>(0x50 + 3 * i);
  }
  detail::MasterSecret secret;
  EXPECT_FALSE(secret.valid());
  EXPECT_FALSE(secret.export_keying_material(kSrtpExporterLabel, 60).has_value());
  ASSERT_EQ(detail::MasterSecret::capture(&secret, ms.data(), nullptr, 0, 0, 0,
                                          client_random.data(), server_random.data(),
                                          MBEDTLS_SSL_TLS_PRF_SHA256),
            0);
  auto got = secret.export_keying_material(kSrtpExporterLabel, 60);
  ASSERT_TRUE(got.has_value());

  // RFC 5705 section 4 without context: PRF(ms, label, client_random + server_random).
  Bytes seed(kSrtpExporterLabel.begin(), kSrtpExporterLabel.end());
  seed.insert(seed.end(), client_random.begin(), client_random.end());
  seed.insert(seed.end(), server_random.begin(), server_random.end());
  EXPECT_EQ(*got, p_sha256(ms, seed, 60));

  auto keys = split_srtp_keying_material(SrtpProfile::Aes128CmHmacSha1_80, *got).value();
  EXPECT_EQ(keys.client_key, Bytes(got->begin(), got->begin() + 16));
  EXPECT_EQ(keys.server_key, Bytes(got->begin() + 16, got->begin() + 32));
  EXPECT_EQ(keys.client_salt, Bytes(got->begin() + 32, got->begin() + 46));
  EXPECT_EQ(keys.server_salt, Bytes(got->begin() + 46, got->end()));
  EXPECT_FALSE(split_srtp_keying_material(SrtpProfile::Aes128CmHmacSha1_80,
                                          ByteView(*got).first(59)).has_value());

  secret.wipe();
  EXPECT_FALSE(secret.export_keying_material(kSrtpExporterLabel, 60).has_value());
}

TEST(Srtp, ProfilesAndLengths) {
  EXPECT_EQ(to_string(SrtpProfile::Aes128CmHmacSha1_80), "SRTP_AES128_CM_HMAC_SHA1_80");
  EXPECT_EQ(to_string(SrtpProfile::AeadAes128Gcm), "SRTP_AEAD_AES_128_GCM");
  EXPECT_EQ(to_string(SrtpProfile::AeadAes256Gcm), "SRTP_AEAD_AES_256_GCM");
  EXPECT_TRUE(is_supported(SrtpProfile::Aes128CmHmacSha1_80));
  EXPECT_TRUE(is_supported(SrtpProfile::Aes128CmHmacSha1_32));
  // The GCM profiles depend on the linked Mbed TLS (a probe; see srtp.h and
  // transport_test.cc's SrtpProbeIsConsistent).
  EXPECT_EQ(srtp_key_length(SrtpProfile::AeadAes256Gcm) + srtp_salt_length(SrtpProfile::AeadAes256Gcm),
            44u);
  EXPECT_EQ(srtp_key_length(SrtpProfile::AeadAes128Gcm) + srtp_salt_length(SrtpProfile::AeadAes128Gcm),
            28u);
}

}  // namespace
}  // namespace wasmrtc::dtls
