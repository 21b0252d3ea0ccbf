#include "dtls/srtp.h"

#include <algorithm>
#include <array>
#include <vector>

#include <mbedtls/ssl.h>

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

namespace {

// Our order of preference: AEAD first (RFC 7714: smaller packets than
// HMAC-SHA1-80 and one pass over the data), then what every peer has.
constexpr std::array<SrtpProfile, 4> kPreference = {
    SrtpProfile::AeadAes128Gcm,
    SrtpProfile::AeadAes256Gcm,
    SrtpProfile::Aes128CmHmacSha1_80,
    SrtpProfile::Aes128CmHmacSha1_32,
};

// Asks the linked Mbed TLS: mbedtls_ssl_conf_dtls_srtp_protection_profiles()
// refuses a profile that mbedtls_ssl_check_srtp_profile_value() (the one check
// behind configuring, offering, choosing and accepting a profile) does not
// know. A scratch config per profile; nothing is kept but the answer.
std::vector<SrtpProfile> probe_linked_mbedtls() {
  std::vector<SrtpProfile> out;
  for (SrtpProfile p : kPreference) {
    const std::array<mbedtls_ssl_srtp_profile, 2> list = {static_cast<mbedtls_ssl_srtp_profile>(p),
                                                          MBEDTLS_TLS_SRTP_UNSET};
    mbedtls_ssl_config conf;
    mbedtls_ssl_config_init(&conf);
    const bool ok = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                                MBEDTLS_SSL_PRESET_DEFAULT) == 0 &&
                    mbedtls_ssl_conf_dtls_srtp_protection_profiles(&conf, list.data()) == 0;
    mbedtls_ssl_config_free(&conf);
    if (ok) out.push_back(p);
  }
  return out;
}

}  // namespace

std::span<const SrtpProfile> supported_srtp_profiles() {
  // Thread-safe initialisation; the library cannot change while we run.
  static const std::vector<SrtpProfile> kSupported = probe_linked_mbedtls();
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
