// Internal to ice/: how a packet leaves or arrived at the agent. A host
// socket of the embedder, or a TURN allocation (RFC 8656) through which the
// relayed candidate sends and receives.
#pragma once

#include <cstddef>

#include "ice/agent.h"

namespace wasmrtc::ice {

struct Route {
  enum class Kind : uint8_t { Socket, Relay };
  Kind kind = Kind::Socket;
  SocketId socket = 0;  // Kind::Socket: the embedder's socket id
  size_t relay = 0;     // Kind::Relay: the TURN allocation's index in the Gatherer

  static Route via_socket(SocketId s) { return Route{Kind::Socket, s, 0}; }
  static Route via_relay(size_t r) { return Route{Kind::Relay, 0, r}; }
  bool is_relay() const { return kind == Kind::Relay; }
  bool operator==(const Route& o) const {
    return kind == o.kind && (kind == Kind::Socket ? socket == o.socket : relay == o.relay);
  }
};

}  // namespace wasmrtc::ice
