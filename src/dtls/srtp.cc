#include "dtls/srtp.h"

#include <algorithm>
#include <array>

namespace wasmrtc::dtls {

std::string_view to_string(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::Aes128CmHmacSha1_80: return "SRTP_AES128_CM_HMAC_SHA1_80";
    case SrtpProfile::Aes128CmHmacSha1_32: return "SRTP_AES128_CM_HMAC_SHA1_32";
    case SrtpProfile::AeadAes128Gcm: return "SRTP_AEAD_AES_128_GCM";
    case SrtpProfile::AeadAes256Gcm: return "SRTP_AEAD_AES_256_GCM";
  }
  return "unknown";
}

std::span<const SrtpProfile> supported_srtp_profiles() {
  static constexpr std::array<SrtpProfile, 2> kSupported = {SrtpProfile::Aes128CmHmacSha1_80,
                                                            SrtpProfile::Aes128CmHmacSha1_32};
  return kSupported;
}

bool is_supported(SrtpProfile profile) {
  auto s = supported_srtp_profiles();
  return std::find(s.begin(), s.end(), profile) != s.end();
}

size_t srtp_key_length(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes256Gcm ? 32 : 16;
}

size_t srtp_salt_length(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::Aes128CmHmacSha1_80:
    case SrtpProfile::Aes128CmHmacSha1_32: return 14;
    case SrtpProfile::AeadAes128Gcm:
    case SrtpProfile::AeadAes256Gcm: return 12;
  }
  return 0;
}

std::optional<SrtpKeys> split_srtp_keying_material(SrtpProfile profile, base::ByteView m) {
  const size_t k = srtp_key_length(profile);
  const size_t s = srtp_salt_length(profile);
  if (m.size() != 2 * (k + s)) return std::nullopt;
  SrtpKeys keys;
  keys.client_key.assign(m.begin(), m.begin() + k);
  keys.server_key.assign(m.begin() + k, m.begin() + 2 * k);
  keys.client_salt.assign(m.begin() + 2 * k, m.begin() + 2 * k + s);
  keys.server_salt.assign(m.begin() + 2 * k + s, m.end());
  return keys;
}

}  // namespace wasmrtc::dtls
