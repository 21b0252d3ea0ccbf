#include "dtls/keying_material.h"

#include <cstring>
#include <string>

#include <mbedtls/platform_util.h>

namespace wasmrtc::dtls::detail {

int MasterSecret::capture(void* p_expkey, const unsigned char* ms, const unsigned char* /*kb*/,
                          size_t /*maclen*/, size_t /*keylen*/, size_t /*ivlen*/,
                          const unsigned char client_random[32],
                          const unsigned char server_random[32],
                          mbedtls_tls_prf_types tls_prf_type) {
  auto* self = static_cast<MasterSecret*>(p_expkey);
  std::memcpy(self->master_secret_.data(), ms, self->master_secret_.size());
  std::memcpy(self->randoms_.data(), client_random, 32);
  std::memcpy(self->randoms_.data() + 32, server_random, 32);
  self->prf_ = tls_prf_type;
  self->valid_ = true;
  return 0;
}

std::optional<base::Bytes> MasterSecret::export_keying_material(std::string_view label,
                                                                size_t length) const {
  if (!valid_) return std::nullopt;
  const std::string label_z(label);  // mbedtls_ssl_tls_prf takes a C string
  base::Bytes out(length);
  if (mbedtls_ssl_tls_prf(prf_, master_secret_.data(), master_secret_.size(), label_z.c_str(),
                          randoms_.data(), randoms_.size(), out.data(), out.size()) != 0) {
    return std::nullopt;
  }
  return out;
}

void MasterSecret::wipe() {
  mbedtls_platform_zeroize(master_secret_.data(), master_secret_.size());
  valid_ = false;
}

}  // namespace wasmrtc::dtls::detail
