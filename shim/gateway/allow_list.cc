#include "allow_list.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace wasmrtc::gateway {
namespace {

namespace ip = boost::asio::ip;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<uint16_t> parse_port(std::string_view s, PortZero zero) {
  // Digits only: from_chars would accept nothing else either, but say so.
  if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  unsigned value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  if (value > 65535 || (value == 0 && zero == PortZero::Refuse)) return std::nullopt;
  return static_cast<uint16_t>(value);
}

// RFC 1123 host names, lenient on '_' (seen in service names). A final label
// of digits only would make "127.1" a name, which resolvers read as an IPv4
// address: refused, so every IP spelling goes through the IP parser.
bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  bool last_numeric = false;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!(is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
    }
    last_numeric = std::all_of(label.begin(), label.end(), is_digit);
    start = end + 1;
  }
  return !last_numeric;
}

}  // namespace

std::string HostPort::to_string() const {
  const std::string p = std::to_string(port);
  return kind == HostKind::Ipv6 ? "[" + host + "]:" + p : host + ":" + p;
}

const char* to_string(AddressError error) {
  switch (error) {
    case AddressError::Empty: return "empty address";
    case AddressError::BadCharacter: return "characters other than visible ASCII";
    case AddressError::MissingPort: return "missing :PORT";
    case AddressError::BadPort: return "bad port";
    case AddressError::BadIpv6: return "bad IPv6 literal";
    case AddressError::UnbracketedIpv6: return "IPv6 address must be in brackets, as [::1]:3478";
    case AddressError::BadHostName: return "bad host (neither an IP address nor a DNS name)";
  }
  return "bad address";
}

std::optional<HostPort> parse_host_port(std::string_view text, AddressError* error, PortZero zero) {
  auto fail = [error](AddressError e) -> std::optional<HostPort> {
    if (error) *error = e;
    return std::nullopt;
  };
  if (text.empty()) return fail(AddressError::Empty);
  // Visible ASCII only: a NUL would end the string early for inet_pton, so
  // "127.0.0.1\0junk" must not reach it.
  for (char c : text) {
    if (c <= 0x20 || c >= 0x7f) return fail(AddressError::BadCharacter);
  }

  HostPort out;
  std::string_view host;
  std::string_view port;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail(AddressError::BadIpv6);
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return fail(AddressError::MissingPort);
    port = rest.substr(1);
    // Zone ids ("fe80::1%eth0") name an interface of this machine: no.
    if (host.find('%') != std::string_view::npos) return fail(AddressError::BadIpv6);
    boost::system::error_code ec;
    const auto v6 = ip::make_address_v6(std::string(host), ec);
    if (ec) return fail(AddressError::BadIpv6);
    if (v6.is_v4_mapped()) {
      out.kind = HostKind::Ipv4;
      out.host = ip::make_address_v4(ip::v4_mapped, v6).to_string();
    } else {
      out.kind = HostKind::Ipv6;
      out.host = v6.to_string();
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail(AddressError::MissingPort);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return fail(AddressError::UnbracketedIpv6);
    if (host.empty()) return fail(AddressError::BadHostName);
    boost::system::error_code ec;
    const auto v4 = ip::make_address_v4(std::string(host), ec);
    if (!ec) {
      out.kind = HostKind::Ipv4;
      out.host = v4.to_string();
    } else {
      std::string name = to_lower(host);
      if (name.back() == '.') name.pop_back();  // "example.com." is "example.com"
      if (!valid_host_name(name)) return fail(AddressError::BadHostName);
      out.kind = HostKind::Name;
      out.host = std::move(name);
    }
  }
  const auto p = parse_port(port, zero);
  if (!p) return fail(AddressError::BadPort);
  out.port = *p;
  return out;
}

void AllowList::add(HostPort entry) {
  if (!find(entry)) entries_.push_back(std::move(entry));
}

const HostPort* AllowList::find(const HostPort& target) const {
  for (const auto& e : entries_) {
    if (e == target) return &e;
  }
  return nullptr;
}

bool OriginList::add(std::string_view origin) {
  std::string o = to_lower(origin);
  if (!o.empty() && o.back() == '/') o.pop_back();
  if (o != "null") {
    // scheme "://" host [":" port], nothing after: an origin has no path.
    const auto sep = o.find("://");
    if (sep == std::string::npos || sep == 0) return false;
    const std::string_view rest = std::string_view(o).substr(sep + 3);
    if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return false;
  }
  if (std::find(origins_.begin(), origins_.end(), o) == origins_.end()) origins_.push_back(std::move(o));
  return true;
}

namespace {

// "host[:port]" or "[v6][:port]" -> host, lower case, without brackets.
std::string host_part(std::string_view authority) {
  std::string_view h = authority;
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    h = close == std::string_view::npos ? std::string_view() : h.substr(1, close - 1);
  } else if (const auto colon = h.rfind(':'); colon != std::string_view::npos) {
    h = h.substr(0, colon);
  }
  return to_lower(h);
}

}  // namespace

bool OriginList::same_host(std::string_view origin, std::string_view host_header) {
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return false;  // "null" and anything else
  const std::string_view authority = origin.substr(sep + 3);
  if (authority.find_first_of("/?#@ ") != std::string_view::npos) return false;
  const std::string a = host_part(authority);
  return !a.empty() && a == host_part(host_header);
}

bool OriginList::allows(std::optional<std::string_view> header) const {
  if (origins_.empty()) return true;
  if (!header) return false;
  std::string o = to_lower(*header);
  if (!o.empty() && o.back() == '/') o.pop_back();
  return std::find(origins_.begin(), origins_.end(), o) != origins_.end();
}

}  // namespace wasmrtc::gateway
