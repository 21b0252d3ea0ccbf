// Byte buffers: a non-owning view and an owning vector, plus hex helpers
// for tests and log lines.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmrtc::base {

// Non-owning, read-only bytes. Valid only while the owner lives.
using ByteView = std::span<const uint8_t>;

// Owning bytes.
using Bytes = std::vector<uint8_t>;

// The bytes of a string (no terminator), e.g. a password used as a key.
inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// A copy of `s` as Bytes.
Bytes to_bytes(std::string_view s);

// The bytes as text: lowercase hex, no separators ("2112a442").
std::string to_hex(ByteView bytes);

// Parses hex digits (either case). Whitespace between bytes is skipped, so
// dumps like "21 12 a4 42" work. Returns nullopt on an odd digit count or
// any other character.
std::optional<Bytes> from_hex(std::string_view hex);

// Standard base64 with padding (RFC 4648 section 4), e.g. for
// RTCCertificateStats.base64Certificate.
std::string to_base64(ByteView bytes);

}  // namespace wasmrtc::base
