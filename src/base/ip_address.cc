#include "base/ip_address.h"

#include <cstring>
#include <vector>

namespace wasmrtc::base {
namespace {

std::optional<std::array<uint8_t, 4>> parse_v4(std::string_view s) {
  std::array<uint8_t, 4> out{};
  size_t part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    unsigned value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
    }
    size_t digits = i - start;
    if (digits == 0 || value > 255 || (digits > 1 && s[start] == '0')) return std::nullopt;
    out[part++] = static_cast<uint8_t>(value);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses colon-separated groups (no "::"), appending 16-bit values. A final
// dotted quad counts as two groups when `allow_v4_tail`.
bool parse_groups(std::string_view s, bool allow_v4_tail, std::vector<uint16_t>& out) {
  if (s.empty()) return true;
  size_t i = 0;
  while (true) {
    size_t end = s.find(':', i);
    std::string_view group = s.substr(i, end == std::string_view::npos ? s.size() - i : end - i);
    if (end == std::string_view::npos && allow_v4_tail && group.find('.') != std::string_view::npos) {
      auto v4 = parse_v4(group);
      if (!v4) return false;
      out.push_back(static_cast<uint16_t>(((*v4)[0] << 8) | (*v4)[1]));
      out.push_back(static_cast<uint16_t>(((*v4)[2] << 8) | (*v4)[3]));
      return true;
    }
    if (group.empty() || group.size() > 4) return false;
    unsigned value = 0;
    for (char c : group) {
      int d = hex_digit(c);
      if (d < 0) return false;
      value = (value << 4) | static_cast<unsigned>(d);
    }
    out.push_back(static_cast<uint16_t>(value));
    if (out.size() > 8) return false;
    if (end == std::string_view::npos) return true;
    i = end + 1;
  }
}

// RFC 4291 section 2.2 text forms.
std::optional<std::array<uint8_t, 16>> parse_v6(std::string_view s) {
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  size_t gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(s, true, head) || head.size() != 8) return std::nullopt;
  } else {
    std::string_view left = s.substr(0, gap);
    std::string_view right = s.substr(gap + 2);
    if (right.find("::") != std::string_view::npos) return std::nullopt;
    if (!parse_groups(left, false, head) || !parse_groups(right, true, tail)) return std::nullopt;
    // "::" stands for at least one zero group.
    if (head.size() + tail.size() > 7) return std::nullopt;
  }
  std::array<uint8_t, 16> out{};
  size_t g = 0;
  for (uint16_t v : head) {
    out[2 * g] = static_cast<uint8_t>(v >> 8);
    out[2 * g + 1] = static_cast<uint8_t>(v);
    ++g;
  }
  g = 8 - tail.size();
  for (uint16_t v : tail) {
    out[2 * g] = static_cast<uint8_t>(v >> 8);
    out[2 * g + 1] = static_cast<uint8_t>(v);
    ++g;
  }
  return out;
}

std::string format_v4(const uint8_t* b) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    out += std::to_string(b[i]);
  }
  return out;
}

// RFC 5952 section 4: lowercase, no leading zeros, the longest run (first
// on a tie) of two or more zero groups becomes "::"; section 5: IPv4-mapped
// addresses end in a dotted quad.
std::string format_v6(const std::array<uint8_t, 16>& b) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  bool mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
  if (mapped) return "::ffff:" + format_v4(&b[12]);

  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) { ++i; continue; }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) { best_start = i; best_len = j - i; }
    i = j;
  }
  if (best_len < 2) best_start = -1;

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (g[i] >> shift) & 0xf;
      if (d || started || shift == 0) { out += kHex[d]; started = true; }
    }
  }
  return out;
}

}  // namespace

IpAddress IpAddress::v4(const std::array<uint8_t, 4>& bytes) {
  IpAddress a;
  a.family_ = AddressFamily::V4;
  std::memcpy(a.bytes_.data(), bytes.data(), 4);
  return a;
}

IpAddress IpAddress::v4(uint32_t host_order) {
  return v4({static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
             static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)});
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = AddressFamily::V6;
  a.bytes_ = bytes;
  return a;
}

std::optional<IpAddress> IpAddress::from_bytes(ByteView bytes) {
  if (bytes.size() == 4) return v4({bytes[0], bytes[1], bytes[2], bytes[3]});
  if (bytes.size() == 16) {
    std::array<uint8_t, 16> b{};
    std::memcpy(b.data(), bytes.data(), 16);
    return v6(b);
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    auto b = parse_v6(text);
    if (!b) return std::nullopt;
    return v6(*b);
  }
  auto b = parse_v4(text);
  if (!b) return std::nullopt;
  return v4(*b);
}

std::string IpAddress::to_string() const {
  return is_v4() ? format_v4(bytes_.data()) : format_v6(bytes_);
}

}  // namespace wasmrtc::base
