// How a frame is cut into RTP payloads (libwebrtc balances them so): as few
// pieces of at most `capacity` bytes as hold `total`, their sizes differing
// by at most one byte (the first ones take the extra byte). Shared by the
// VP8 (RFC 7741) and generic payload formats.
#pragma once

#include <cstddef>
#include <vector>

namespace wasmrtc::rtp {

// `total` > 0 and `capacity` > 0.
inline std::vector<size_t> balanced_split(size_t total, size_t capacity) {
  const size_t pieces = (total + capacity - 1) / capacity;
  const size_t base = total / pieces;
  const size_t larger = total % pieces;
  std::vector<size_t> sizes(pieces, base);
  for (size_t i = 0; i < larger; ++i) ++sizes[i];
  return sizes;
}

}  // namespace wasmrtc::rtp
