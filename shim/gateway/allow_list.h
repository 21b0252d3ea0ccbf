// Addresses the gateway deals in, and the two allow-lists that make it safe
// to expose: the TURN servers a client may reach (--turn) and the page
// origins it accepts (--origin).
//
// A client names its target in the URL (?target=HOST:PORT), but the gateway
// only ever connects to the allow-list entry that target matches, after both
// are normalised. It is never an open proxy: an unlisted host, port or
// spelling it cannot normalise is refused before any connection is made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmrtc::gateway {

enum class HostKind { Ipv4, Ipv6, Name };

// A normalised HOST:PORT. IP literals are kept in canonical text form (IPv6
// as RFC 5952 prints it, an IPv4-mapped IPv6 address as plain IPv4); DNS
// names in lower case without the trailing dot.
struct HostPort {
  HostKind kind = HostKind::Name;
  std::string host;  // without brackets
  uint16_t port = 0;

  // "192.0.2.1:3478", "[2001:db8::1]:3478", "turn.example.com:3478".
  std::string to_string() const;
  bool operator==(const HostPort&) const = default;
};

enum class AddressError {
  Empty,
  BadCharacter,  // anything but visible ASCII
  MissingPort,   // no ":PORT"
  BadPort,       // not a decimal number in 1..65535 (0 only where allowed)
  BadIpv6,       // "[...]" that is not an IPv6 literal (zone ids are refused)
  UnbracketedIpv6,
  BadHostName,   // neither an IPv4 literal nor a valid DNS name
};
const char* to_string(AddressError error);

enum class PortZero { Refuse, Allow };

// Parses "HOST:PORT": HOST is an IPv4 literal (dotted quad only: "127.1" and
// octal forms are refused, as inet_pton does), a bracketed IPv6 literal or a
// DNS name. Returns nullopt and sets *error on failure.
std::optional<HostPort> parse_host_port(std::string_view text, AddressError* error,
                                        PortZero zero = PortZero::Refuse);

// The TURN servers clients may reach.
class AllowList {
 public:
  void add(HostPort entry);
  // The entry equal to `target`, or nullptr. Exact match: same host spelling
  // after normalisation and same port.
  const HostPort* find(const HostPort& target) const;
  const std::vector<HostPort>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<HostPort> entries_;
};

// Allowed page origins (RFC 6454 serialisations, "https://app.example.com").
// An empty list allows any Origin, or none.
class OriginList {
 public:
  // Normalises (lower case, no trailing '/') and adds; false if `origin` is
  // not "scheme://host[:port]" or "null".
  bool add(std::string_view origin);
  // `header` is the Origin header's value, absent when nullopt.
  bool allows(std::optional<std::string_view> header) const;
  bool empty() const { return origins_.empty(); }
  const std::vector<std::string>& entries() const { return origins_; }

  // OriginPolicy::SameHost: the host of the Origin header's value (lower
  // case, without port or brackets) equals that of the Host header.
  static bool same_host(std::string_view origin, std::string_view host_header);

 private:
  std::vector<std::string> origins_;
};

}  // namespace wasmrtc::gateway
