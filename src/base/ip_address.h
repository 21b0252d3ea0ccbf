// An IPv4 or IPv6 address, kept as 16 bytes (IPv4 in the first 4), with
// text forms from RFC 791 dotted quads and RFC 4291 section 2.2 / RFC 5952.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace wasmrtc::base {

enum class AddressFamily : uint8_t { V4, V6 };

class IpAddress {
 public:
  // 0.0.0.0
  IpAddress() = default;

  static IpAddress v4(const std::array<uint8_t, 4>& bytes);
  static IpAddress v4(uint32_t host_order);
  static IpAddress v6(const std::array<uint8_t, 16>& bytes);
  // 4 or 16 bytes; nullopt for any other length.
  static std::optional<IpAddress> from_bytes(ByteView bytes);

  // "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1". No zone ids, no
  // brackets, no leading zeros in IPv4 octets (they are ambiguous).
  static std::optional<IpAddress> parse(std::string_view text);

  AddressFamily family() const { return family_; }
  bool is_v4() const { return family_ == AddressFamily::V4; }
  bool is_v6() const { return family_ == AddressFamily::V6; }
  // 4 bytes for IPv4, 16 for IPv6, network order.
  ByteView bytes() const { return ByteView(bytes_.data(), is_v4() ? 4 : 16); }

  // Dotted quad, or the RFC 5952 canonical IPv6 form.
  std::string to_string() const;

  bool operator==(const IpAddress&) const = default;

 private:
  AddressFamily family_ = AddressFamily::V4;
  std::array<uint8_t, 16> bytes_{};  // unused tail is zero for IPv4
};

}  // namespace wasmrtc::base
