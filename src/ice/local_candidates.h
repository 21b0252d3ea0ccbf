// Internal to ice/: the agent's own candidates (RFC 8445 section 5.1.1),
// with their bases, the route packets take from them, their foundations
// (5.1.1.3) and priorities (5.1.2), minus redundant ones (5.1.3).
// Indices are stable for the agent's lifetime; candidates are never removed.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/socket_address.h"
#include "ice/candidate.h"
#include "ice/route.h"

namespace wasmrtc::ice {

struct LocalEntry {
  Candidate candidate;
  base::SocketAddress base;  // 5.1.1: host address for host/srflx/prflx, itself for relay
  Route route;
  uint16_t local_preference = 0;
};

struct NewLocal {
  CandidateType type;
  base::SocketAddress address;
  base::SocketAddress base;
  Route route;
  uint16_t local_preference = 0;
  std::optional<base::IpAddress> server;  // STUN/TURN server, for the foundation
  std::optional<base::SocketAddress> related;
  std::optional<uint32_t> priority;  // 7.2.5.3.1: prflx takes the PRIORITY we sent
  std::string url;                   // the server's, for srflx and relay (W3C)
  std::string relay_protocol;        // relay: "udp", "tcp" or "tls" (W3C)
};

class LocalCandidates {
 public:
  // Adds a candidate; nullopt if it is redundant (5.1.3: same transport
  // address and base as one already known, which then has the higher
  // priority or came first, RFC 8838 section 9).
  std::optional<size_t> add(const NewLocal& c);

  const LocalEntry& at(size_t i) const { return entries_[i]; }
  size_t size() const { return entries_.size(); }

  // The candidate a packet arriving on `route` belongs to: the host
  // candidate of a socket, the relayed candidate of an allocation.
  std::optional<size_t> receiving(const Route& route) const;
  // A candidate sending over `route` whose transport address is `address`
  // (7.2.5.3.1 compares the mapped address with these).
  std::optional<size_t> find(const Route& route, const base::SocketAddress& address) const;

  // What is trickled to the peer: everything but peer-reflexive ones.
  std::vector<Candidate> signalled() const;
  std::vector<Candidate> all() const;

 private:
  // 5.1.1.3: same type, base IP, server IP and transport -> same foundation.
  std::string foundation(CandidateType type, const base::IpAddress& base,
                         const std::optional<base::IpAddress>& server);

  std::vector<LocalEntry> entries_;
  std::map<std::string, std::string> foundations_;
};

}  // namespace wasmrtc::ice
