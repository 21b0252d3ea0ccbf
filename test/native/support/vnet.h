// A virtual network for sans-IO endpoints: simulated time, in-memory UDP
// between addresses, per-link loss, delay, jitter (reordering) and
// duplication, optional NATs, all from one seed, so a scenario replays
// exactly and runs much faster than real time.
//
// Endpoints (ICE agents, STUN/TURN server stubs) implement Endpoint. The
// driver repeatedly takes the earliest event (a datagram due, or an
// endpoint's deadline), advances the clock to it, hands it over and then
// lets every endpoint flush what it wants to send.
//
//   vnet::Network net(seed);
//   net.set_default_link({.loss = 0.2, .delay = Duration::millis(20)});
//   ... attach endpoints, bind their addresses ...
//   net.run_until([&] { return done(); }, Duration::seconds(30));
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"
#include "base/socket_address.h"
#include "base/time.h"

namespace wasmrtc::vnet {

using base::Duration;
using base::Timestamp;

struct LinkProfile {
  double loss = 0.0;                        // probability a datagram is dropped
  Duration delay = Duration::millis(10);    // one way
  Duration jitter = Duration::zero();       // plus uniform [0, jitter): reorders
  double duplicate = 0.0;                   // probability a datagram arrives twice
  bool up = true;                           // false: everything is dropped
};

// RFC 4787 terms: mapping is endpoint-independent except for Symmetric;
// filtering is endpoint-independent (FullCone), address-dependent or
// address-and-port-dependent.
enum class NatType { FullCone, AddressRestricted, PortRestricted, Symmetric };

class Network;

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // A datagram for `local`, one of the addresses bound to this endpoint.
  virtual void receive(Timestamp now, const base::SocketAddress& local,
                       const base::SocketAddress& from, base::ByteView data) = 0;
  virtual void timeout(Timestamp now) = 0;
  virtual base::Deadline deadline() const = 0;
  // Hands everything the endpoint has to send to net.send(); true if it
  // did anything (the driver flushes again until nobody has anything left,
  // as flushing one endpoint may give another work, e.g. signalling).
  virtual bool flush(Timestamp now, Network& net) = 0;
};

class Network {
 public:
  struct Stats {
    uint64_t sent = 0, delivered = 0, lost = 0, duplicated = 0, unroutable = 0, filtered = 0;
  };

  explicit Network(uint64_t seed, Timestamp start = Timestamp::from_millis(1'000'000));

  Timestamp now() const { return now_; }
  base::Random& random() { return random_; }

  // Endpoints whose deadlines the driver honours.
  void attach(Endpoint& e);
  void detach(Endpoint& e);
  // Datagrams to `local` go to `e` (which need not be attached).
  void bind(const base::SocketAddress& local, Endpoint& e);
  void unbind(const base::SocketAddress& local);

  void set_default_link(const LinkProfile& p) { default_link_ = p; }
  // Between two IP addresses, both directions (addresses as sent to, so a
  // NATed host's link to the world is keyed by its private address and the
  // remote's address).
  void set_link(const base::IpAddress& a, const base::IpAddress& b, const LinkProfile& p);
  const LinkProfile& link(const base::IpAddress& a, const base::IpAddress& b) const;
  // A host off the network: everything from or to `ip` is dropped, also
  // datagrams already on their way.
  void set_host_up(const base::IpAddress& ip, bool up);

  // Hosts with the `internal` addresses sit behind a NAT whose public
  // address is `external`; traffic between them is not translated.
  void add_nat(std::vector<base::IpAddress> internal, const base::IpAddress& external,
               NatType type);

  // Sends a datagram now.
  void send(const base::SocketAddress& from, const base::SocketAddress& to, base::ByteView data);

  // Lets every endpoint hand over what it has (after a test called into one).
  void flush();
  // Handles the earliest event if it is due no later than `limit`.
  bool step(Timestamp limit);
  void run_until(Timestamp t);
  void run_for(Duration d) { run_until(now_ + d); }
  // Runs until `done()` holds (checked after every event) or `max` passes.
  bool run_until(const std::function<bool()>& done, Duration max);

  // An endpoint kept asking for a timeout at the current instant without
  // progress; the driver stopped.
  bool stalled() const { return stalled_; }
  const Stats& stats() const { return stats_; }

 private:
  struct Packet {
    Timestamp at;
    uint64_t seq;
    base::SocketAddress from;  // as the receiver sees it (after NAT)
    base::SocketAddress to;    // as sent (before the destination NAT)
    base::Bytes data;
    bool operator>(const Packet& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  struct Mapping {
    base::SocketAddress internal;
    std::optional<base::SocketAddress> remote;  // Symmetric: per destination
    uint16_t port = 0;
    std::set<std::string> permitted;            // "ip" or "ip:port" by filtering type
  };
  struct Nat {
    std::vector<base::IpAddress> internal;
    base::IpAddress external;
    NatType type;
    uint16_t next_port = 50000;
    std::vector<Mapping> mappings;
  };

  double uniform();
  bool host_up(const base::IpAddress& ip) const { return down_.count(ip.to_string()) == 0; }
  Nat* nat_of_internal(const base::IpAddress& ip);
  Nat* nat_of_external(const base::IpAddress& ip);
  void deliver(Packet& p);

  base::SeededRandom random_;
  Timestamp now_;
  uint64_t seq_ = 0;
  std::priority_queue<Packet, std::vector<Packet>, std::greater<Packet>> queue_;
  std::vector<Endpoint*> endpoints_;
  std::map<std::string, Endpoint*> bound_;  // by address text
  LinkProfile default_link_;
  std::map<std::pair<std::string, std::string>, LinkProfile> links_;
  std::set<std::string> down_;
  std::vector<Nat> nats_;
  Stats stats_;
  bool stalled_ = false;
  Timestamp stall_at_;
  uint64_t stall_count_ = 0;
};

}  // namespace wasmrtc::vnet
