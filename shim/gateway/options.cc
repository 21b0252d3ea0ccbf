#include "options.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace wasmrtc::gateway {
namespace {

constexpr double kMaxTimeoutSeconds = 7 * 24 * 3600;

// Seconds as a decimal ("300", "0.5"); nullopt unless 0 <= s <= a week.
std::optional<std::chrono::milliseconds> parse_seconds(std::string_view s) {
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value) ||
      value < 0 || value > kMaxTimeoutSeconds) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(value * 1000)));
}

std::optional<unsigned> parse_count(std::string_view s) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value > 1'000'000) return std::nullopt;
  return value;
}

// 127.0.0.0/8 or ::1 (an IPv4-mapped loopback is kept as IPv4 by parse_host_port).
bool is_loopback(const HostPort& hp) {
  if (hp.kind == HostKind::Ipv4) return hp.host.rfind("127.", 0) == 0;
  return hp.kind == HostKind::Ipv6 && hp.host == "::1";
}

}  // namespace

const char* usage() {
  return R"(Usage: wasmrtc-gateway --listen HOST:PORT --turn HOST:PORT [--turn HOST:PORT ...]
                       [--origin ORIGIN ... | --any-origin] [--max-per-ip N]
                       [--max-connections N] [--idle-timeout SECONDS]
                       [--handshake-timeout SECONDS] [--cert FILE --key FILE]

Carries TURN over TCP (RFC 8656) between WebSocket clients, such as wasmrtc
in a browser, and TURN servers on an allow-list. A client connects to
  ws://HOST:PORT/?target=TURNHOST:TURNPORT
and every binary message it sends is written to that TURN server's TCP
connection as is; every read from the TURN server comes back as one binary
message. TURNHOST:TURNPORT must equal a --turn entry after normalisation
(IPv6 in brackets: ?target=[::1]:3478); anything else is refused with 403.

Options:
  --listen HOST:PORT          where to accept connections: an IP address
                              (IPv6 in brackets) and a port; port 0 picks a
                              free one. Prints "listening on HOST:PORT".
  --turn HOST:PORT            a TURN server clients may reach (IP address or
                              DNS name). Repeat for several; at least one.
  --origin ORIGIN             accept WebSocket requests only from this page
                              origin, e.g. https://app.example.com. Repeatable.
                              Without --origin: on a loopback --listen address
                              any Origin (or none) is accepted; beyond loopback
                              only pages whose host is the host the request
                              was sent to (its Host header), and none without
                              an Origin.
  --any-origin                accept any Origin, or none, wherever it listens.
  --max-per-ip N              concurrent connections per client address (IPv6:
                              per /64), counting handshakes; beyond it 429.
                              0 = unlimited. Default 64.
  --max-connections N         concurrent connections in all, counting
                              handshakes; beyond it 503. 0 = unlimited.
                              Default 1000.
  --idle-timeout SECONDS      close a connection with no traffic in either
                              direction for this long. 0 = never. Default 300.
  --handshake-timeout SECONDS time limit for the HTTP upgrade, the TCP connect
                              to the TURN server and the closing handshake.
                              Default 10.
  --cert FILE, --key FILE     serve wss:// with this PEM certificate chain and
                              private key (TLS 1.2 or later). Without them the
                              gateway speaks plain ws://: put it behind a TLS
                              proxy, since pages on https:// need wss://.
  -h, --help                  show this text.

Options also take the form --name=value. Logs go to stderr, one line per
connection opened, closed or refused. SIGTERM or SIGINT closes every
connection and exits with status 0; bad arguments exit with status 2, a
failure to listen with status 1.
)";
}

ParsedArgs parse_args(const std::vector<std::string>& args) {
  ParsedArgs out;
  bool have_listen = false;
  bool any_origin = false;
  auto error = [&out](std::string message) {
    out.action = ParsedArgs::Action::Error;
    out.error = std::move(message);
    return out;
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (name == "-h" || name == "--help") {
      out.action = ParsedArgs::Action::Help;
      return out;
    }
    if (name.rfind("--", 0) != 0) return error("unexpected argument '" + name + "'");
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "--any-origin") {
      if (value) return error("--any-origin takes no value");
      any_origin = true;
      continue;
    }
    const bool known = name == "--listen" || name == "--turn" || name == "--origin" ||
                       name == "--max-per-ip" || name == "--max-connections" || name == "--idle-timeout" ||
                       name == "--handshake-timeout" || name == "--cert" || name == "--key";
    if (!known) return error("unknown option '" + name + "'");
    if (!value) {
      if (i + 1 >= args.size()) return error(name + " needs a value");
      value = args[++i];
    }

    if (name == "--listen" || name == "--turn") {
      AddressError why{};
      const auto hp = parse_host_port(*value, &why, name == "--listen" ? PortZero::Allow : PortZero::Refuse);
      if (!hp) return error(name + " '" + *value + "': " + to_string(why));
      if (name == "--listen") {
        if (hp->kind == HostKind::Name) return error("--listen '" + *value + "': HOST must be an IP address");
        out.options.listen = *hp;
        have_listen = true;
      } else {
        out.options.turn.add(*hp);
      }
    } else if (name == "--origin") {
      if (!out.options.origins.add(*value)) {
        return error("--origin '" + *value + "': expected scheme://host[:port], e.g. https://app.example.com");
      }
    } else if (name == "--cert" || name == "--key") {
      if (value->empty()) return error(name + " needs a file name");
      (name == "--cert" ? out.options.tls_cert : out.options.tls_key) = *value;
    } else if (name == "--max-per-ip" || name == "--max-connections") {
      const auto n = parse_count(*value);
      if (!n) return error(name + " '" + *value + "': expected a whole number (0 = unlimited)");
      (name == "--max-per-ip" ? out.options.max_per_ip : out.options.max_connections) = *n;
    } else {
      const auto t = parse_seconds(*value);
      if (!t) return error(name + " '" + *value + "': expected seconds, e.g. 300 or 0.5");
      if (name == "--idle-timeout") {
        out.options.idle_timeout = *t;
      } else {
        if (t->count() == 0) return error("--handshake-timeout must be more than 0");
        out.options.handshake_timeout = *t;
      }
    }
  }
  if (!have_listen) return error("--listen HOST:PORT is required");
  if (out.options.turn.empty()) return error("at least one --turn HOST:PORT is required");
  if (out.options.tls_cert.empty() != out.options.tls_key.empty()) return error("--cert and --key go together");
  if (any_origin && !out.options.origins.empty()) return error("--any-origin and --origin exclude each other");
  if (!out.options.origins.empty()) {
    out.options.origin_policy = OriginPolicy::List;
  } else if (any_origin || is_loopback(out.options.listen)) {
    out.options.origin_policy = OriginPolicy::Any;
  } else {
    // Reachable from other hosts: pages of other sites must not use it.
    out.options.origin_policy = OriginPolicy::SameHost;
  }
  out.action = ParsedArgs::Action::Run;
  return out;
}

}  // namespace wasmrtc::gateway
