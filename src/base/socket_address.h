// An IP address and a UDP/TCP port: what STUN's address attributes carry
// (RFC 8489 sections 14.1, 14.2) and what ICE candidates are made of.
// Lives in base because ICE, TURN, SDP and the shim all use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/ip_address.h"

namespace wasmrtc::base {

struct SocketAddress {
  IpAddress ip;
  uint16_t port = 0;

  AddressFamily family() const { return ip.family(); }

  // "192.0.2.1:3478" or "[2001:db8::1]:3478" (RFC 3986 section 3.2.2 brackets).
  std::string to_string() const;
  // The forms to_string produces; the port is required.
  static std::optional<SocketAddress> parse(std::string_view text);

  bool operator==(const SocketAddress&) const = default;
};

}  // namespace wasmrtc::base
