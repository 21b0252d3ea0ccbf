#include "base/socket_address.h"

namespace wasmrtc::base {
namespace {

std::optional<uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > 0xffff) return std::nullopt;
  return static_cast<uint16_t>(v);
}

}  // namespace

std::string SocketAddress::to_string() const {
  std::string port_text = std::to_string(port);
  if (ip.is_v6()) return "[" + ip.to_string() + "]:" + port_text;
  return ip.to_string() + ":" + port_text;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    auto ip = IpAddress::parse(host);
    auto p = parse_port(port);
    if (!ip || !ip->is_v6() || !p) return std::nullopt;
    return SocketAddress{*ip, *p};
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  host = text.substr(0, colon);
  port = text.substr(colon + 1);
  auto ip = IpAddress::parse(host);
  auto p = parse_port(port);
  // An unbracketed IPv6 address with a port is ambiguous ("::1:5").
  if (!ip || !ip->is_v4() || !p) return std::nullopt;
  return SocketAddress{*ip, *p};
}

}  // namespace wasmrtc::base
