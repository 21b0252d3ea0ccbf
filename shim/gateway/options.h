// Command line of wasmrtc-gateway. `usage()` is the --help text, and the only
// reference for the flags besides README.md.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "allow_list.h"

namespace wasmrtc::gateway {

// Which page origins may open a WebSocket (RFC 6455 10.2).
enum class OriginPolicy {
  Any,       // any Origin, or none: --any-origin, or listening on loopback only
  SameHost,  // the Origin's host is the Host the request was sent to (the default beyond loopback)
  List,      // one of --origin
};

struct Options {
  HostPort listen;                     // IP literal; port 0 picks a free one
  AllowList turn;                      // at least one entry
  OriginList origins;                  // for OriginPolicy::List
  OriginPolicy origin_policy = OriginPolicy::Any;
  unsigned max_per_ip = 64;            // 0: unlimited
  unsigned max_connections = 1000;     // in all, handshakes included; 0: unlimited
  std::chrono::milliseconds idle_timeout{300'000};     // 0: never
  std::chrono::milliseconds handshake_timeout{10'000};
  std::string tls_cert;  // PEM certificate chain; with tls_key: serve wss://
  std::string tls_key;   // PEM private key
};

struct ParsedArgs {
  enum class Action { Run, Help, Error };
  Action action = Action::Error;
  Options options;
  std::string error;  // for Action::Error: what was wrong, one line
};

ParsedArgs parse_args(const std::vector<std::string>& args);  // without argv[0]
const char* usage();

}  // namespace wasmrtc::gateway
