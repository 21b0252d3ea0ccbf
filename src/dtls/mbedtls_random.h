// Internal: Mbed TLS takes randomness as an f_rng callback plus a context
// pointer. This one draws from a base::Random (crypto::SystemRandom in real
// use, which under Emscripten is fed by crypto.getRandomValues), so key
// generation, ECDHE, ClientHello/ServerHello randoms and ECDSA blinding
// all use the randomness the embedder injected.
#pragma once

#include <cstddef>

#include "base/random.h"

namespace wasmrtc::dtls::detail {

// p_rng must be a base::Random*. Never fails.
inline int mbedtls_random(void* p_rng, unsigned char* out, size_t length) {
  static_cast<base::Random*>(p_rng)->fill(std::span<uint8_t>(out, length));
  return 0;
}

}  // namespace wasmrtc::dtls::detail
