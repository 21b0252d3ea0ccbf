// Cryptographically strong randomness for real embedders: Mbed TLS's
// CTR_DRBG seeded from the platform entropy source (getrandom on Linux;
// crypto.getRandomValues under Emscripten). Seeding reads the platform
// source once, at construction; that is the only input the core takes from
// outside without being handed it, and tests use base::SeededRandom instead.
#pragma once

#include <memory>

#include "base/random.h"

namespace wasmrtc::crypto {

class SystemRandom final : public base::Random {
 public:
  SystemRandom();
  ~SystemRandom() override;
  SystemRandom(const SystemRandom&) = delete;
  SystemRandom& operator=(const SystemRandom&) = delete;

  void fill(std::span<uint8_t> out) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::crypto
