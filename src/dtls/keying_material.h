// Internal: RFC 5705 keying material exporters on Mbed TLS 2.28, which has
// no export function. It does hand the master secret, both randoms and the
// PRF in use to mbedtls_ssl_conf_export_keys_ext_cb when it derives the
// session keys; we keep them and run the exporter ourselves:
//   PRF(master_secret, label, client_random + server_random)[length]
// (RFC 5705 section 4, no context), through mbedtls_ssl_tls_prf, which is
// the TLS 1.2 PRF of RFC 5246 section 5 with the suite's hash.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <mbedtls/ssl.h>

#include "base/bytes.h"

namespace wasmrtc::dtls::detail {

class MasterSecret {
 public:
  MasterSecret() = default;
  ~MasterSecret() { wipe(); }
  MasterSecret(const MasterSecret&) = delete;
  MasterSecret& operator=(const MasterSecret&) = delete;

  // The mbedtls_ssl_export_keys_ext_t callback; p_expkey is a MasterSecret*.
  static int capture(void* p_expkey, const unsigned char* ms, const unsigned char* kb,
                     size_t maclen, size_t keylen, size_t ivlen,
                     const unsigned char client_random[32], const unsigned char server_random[32],
                     mbedtls_tls_prf_types tls_prf_type);

  bool valid() const { return valid_; }
  // nullopt before capture() or if the PRF fails.
  std::optional<base::Bytes> export_keying_material(std::string_view label, size_t length) const;
  // Forgets the secret (zeroized).
  void wipe();

 private:
  std::array<unsigned char, 48> master_secret_{};
  std::array<unsigned char, 64> randoms_{};  // client_random | server_random
  mbedtls_tls_prf_types prf_ = MBEDTLS_SSL_TLS_PRF_NONE;
  bool valid_ = false;
};

}  // namespace wasmrtc::dtls::detail
