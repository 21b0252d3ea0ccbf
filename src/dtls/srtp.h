// DTLS-SRTP (RFC 5764): the use_srtp extension picks an SRTP protection
// profile during the handshake, and the SRTP master keys are exported from
// the DTLS master secret (RFC 5764 section 4.2, through RFC 5705).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/bytes.h"

namespace wasmrtc::dtls {

// IANA "DTLS-SRTP Protection Profiles" values.
enum class SrtpProfile : uint16_t {
  Aes128CmHmacSha1_80 = 0x0001,  // RFC 5764 section 4.1.2
  Aes128CmHmacSha1_32 = 0x0002,  // RFC 5764 section 4.1.2
  AeadAes128Gcm = 0x0007,        // RFC 7714 section 14.2
  AeadAes256Gcm = 0x0008,        // RFC 7714 section 14.2
};

// "SRTP_AES128_CM_HMAC_SHA1_80", ... (the names RTCTransportStats.srtpCipher uses).
std::string_view to_string(SrtpProfile profile);

// The profiles the linked Mbed TLS can negotiate, in our order of preference:
// AeadAes128Gcm, AeadAes256Gcm, Aes128CmHmacSha1_80, Aes128CmHmacSha1_32,
// minus those it refuses. Probed once at first use (each candidate is offered
// to mbedtls_ssl_conf_dtls_srtp_protection_profiles on a scratch config) and
// cached, because the answer depends on the build:
//  - Mbed TLS 2.28 as released (Debian's libmbedtls, the native build):
//    its use_srtp check (mbedtls_ssl_check_srtp_profile_value) knows only the
//    AES-CM and NULL profiles, so {Aes128CmHmacSha1_80, Aes128CmHmacSha1_32};
//  - our WASM build (deps/recipes/mbedtls.sh extends that check): all four.
// NULL profiles are never offered. dtls::Config offers this list by default.
// Mbed TLS as DTLS server picks the first profile of the *client's* list that
// it also has, so between two of our transports the first common one here wins.
std::span<const SrtpProfile> supported_srtp_profiles();
bool is_supported(SrtpProfile profile);

// Master key and salt lengths in bytes: 16/14 for the AES-CM profiles
// (RFC 5764 section 4.1.2), 16/12 and 32/12 for GCM (RFC 7714 section 12).
size_t srtp_key_length(SrtpProfile profile);
size_t srtp_salt_length(SrtpProfile profile);

// The exported keying material split as RFC 5764 section 4.2 lays it out:
// client_write_SRTP_master_key | server_write_SRTP_master_key |
// client_write_SRTP_master_salt | server_write_SRTP_master_salt.
// The client protects what it sends with the client key and salt.
struct SrtpKeys {
  base::Bytes client_key;
  base::Bytes client_salt;
  base::Bytes server_key;
  base::Bytes server_salt;

  bool operator==(const SrtpKeys&) const = default;
};

// Splits 2 * (key + salt) bytes of keying material; nullopt on a length
// that does not fit `profile`.
std::optional<SrtpKeys> split_srtp_keying_material(SrtpProfile profile, base::ByteView material);

// The RFC 5764 section 4.2 exporter label.
inline constexpr std::string_view kSrtpExporterLabel = "EXTRACTOR-dtls_srtp";

}  // namespace wasmrtc::dtls
