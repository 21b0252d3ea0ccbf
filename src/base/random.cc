#include "base/random.h"

namespace wasmrtc::base {

uint32_t Random::next_u32() {
  uint8_t b[4];
  fill(b);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

uint64_t Random::next_u64() { return (uint64_t{next_u32()} << 32) | next_u32(); }

uint32_t Random::uniform(uint32_t bound) {
  // Rejection sampling keeps the result unbiased.
  const uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
  for (;;) {
    const uint32_t r = next_u32();
    if (r < limit) return r % bound;
  }
}

void SeededRandom::fill(std::span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int k = 0; k < 8 && i < out.size(); ++k, ++i) out[i] = static_cast<uint8_t>(z >> (8 * k));
  }
}

}  // namespace wasmrtc::base
