// Internal: small string helpers shared by the SDP parser, serializer and
// typed accessors. Not part of the public surface.
#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmrtc::sdp::text {

// Fields separated by runs of spaces; leading/trailing spaces ignored.
// RFC 8866 section 9 uses a single SP, but peers that double a space are
// common enough in hand-edited SDP that tolerance costs nothing.
std::vector<std::string_view> tokens(std::string_view s);

// RFC 8839 section 5.6 separates ice-options tags with SP; libdatachannel
// and libjuice write "ice2,trickle". Both are accepted.
std::vector<std::string> ice_option_tags(std::string_view value);

// Strips spaces and tabs at both ends.
std::string_view trim(std::string_view s);

bool iequals(std::string_view a, std::string_view b);

std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Decimal digits only (no sign, no spaces), at least one, fitting T.
template <typename T>
std::optional<T> parse_uint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (v > std::numeric_limits<T>::max()) return std::nullopt;
  return static_cast<T>(v);
}

}  // namespace wasmrtc::sdp::text
