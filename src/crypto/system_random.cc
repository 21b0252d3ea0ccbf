#include "crypto/system_random.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include <cstdlib>

namespace wasmrtc::crypto {

struct SystemRandom::Impl {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
};

SystemRandom::SystemRandom() : impl_(std::make_unique<Impl>()) {
  mbedtls_entropy_init(&impl_->entropy);
  mbedtls_ctr_drbg_init(&impl_->drbg);
  static const unsigned char kPersonalization[] = "wasmrtc";
  // Without entropy there is no safe way on: every credential and
  // transaction id would be guessable. This cannot fail on Linux or under
  // Emscripten, which both provide a platform source.
  if (mbedtls_ctr_drbg_seed(&impl_->drbg, mbedtls_entropy_func, &impl_->entropy,
                            kPersonalization, sizeof(kPersonalization) - 1) != 0) {
    std::abort();
  }
}

SystemRandom::~SystemRandom() {
  mbedtls_ctr_drbg_free(&impl_->drbg);
  mbedtls_entropy_free(&impl_->entropy);
}

void SystemRandom::fill(std::span<uint8_t> out) {
  // CTR_DRBG hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes per call
  // and reseeds itself on its interval.
  size_t done = 0;
  while (done < out.size()) {
    size_t n = out.size() - done;
    if (n > MBEDTLS_CTR_DRBG_MAX_REQUEST) n = MBEDTLS_CTR_DRBG_MAX_REQUEST;
    if (mbedtls_ctr_drbg_random(&impl_->drbg, out.data() + done, n) != 0) std::abort();
    done += n;
  }
}

}  // namespace wasmrtc::crypto
