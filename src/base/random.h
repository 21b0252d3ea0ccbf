// Randomness is an input too. Protocol objects take a Random& so that native
// tests run deterministically (SeededRandom) while real embedders use a
// cryptographic source (crypto::SystemRandom). STUN transaction ids, ICE
// tie-breakers and credentials must be unguessable (RFC 8489 section 6,
// RFC 8445 section 5.3), so production code never uses SeededRandom.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wasmrtc::base {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<uint8_t> out) = 0;

  uint32_t next_u32();
  uint64_t next_u64();
  // Uniform in [0, bound); bound > 0.
  uint32_t uniform(uint32_t bound);
};

// splitmix64: fast, reproducible from a seed. For tests and simulations only.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void fill(std::span<uint8_t> out) override;

 private:
  uint64_t state_;
};

}  // namespace wasmrtc::base
