// Internal to stun/: walks the TLVs of an encoded message without copying,
// shared by parse() and the integrity checks, which must work on the bytes
// exactly as received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "stun/error.h"

namespace wasmrtc::stun::wire {

struct RawAttribute {
  uint16_t type = 0;
  size_t offset = 0;  // of the 4-byte attribute header, from the message start
  base::ByteView value;
  base::ByteView padding;
};

inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t load_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline void store_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// Checks the header (RFC 8489 section 5) and that `message` is exactly one
// message, then splits the attributes (section 14). Does not look inside
// attribute values, nor check FINGERPRINT.
Result<std::vector<RawAttribute>> split(base::ByteView message);

}  // namespace wasmrtc::stun::wire
