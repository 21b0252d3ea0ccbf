// Test harness for ICE scenarios on the virtual network: an ice::Agent as
// a vnet endpoint with its sockets, signalling and a record of its outputs;
// a STUN server stub; the TURN test server as an endpoint, reachable over
// UDP or over an in-memory stream (what TCP or the WebSocket gateway give).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "ice/agent.h"
#include "support/turn_server.h"
#include "support/vnet.h"

// Readable values in test failure messages.
namespace wasmrtc::base {
inline void PrintTo(const Duration& d, std::ostream* os) { *os << d.us() / 1000.0 << " ms"; }
inline void PrintTo(const Timestamp& t, std::ostream* os) { *os << "t=" << t.us() / 1000.0 << " ms"; }
}  // namespace wasmrtc::base

namespace wasmrtc::ice::test {

using base::Duration;
using base::SocketAddress;
using base::Timestamp;

SocketAddress addr(const char* text);  // "10.0.0.1:5000"
bool trace();  // WASMRTC_ICE_TRACE set: events on stderr

class AgentPeer : public vnet::Endpoint {
 public:
  AgentPeer(vnet::Network& net, std::string name, Config config, uint64_t seed);
  ~AgentPeer() override;

  Agent& agent() { return *agent_; }
  vnet::Network& net() { return net_; }
  const std::string& name() const { return name_; }

  // A UDP socket bound at `local`, given to the agent.
  SocketId add_socket(const SocketAddress& local);
  // The socket disappears (interface down): unbound, datagrams to it lost.
  void drop_socket(SocketId id);
  const std::map<SocketId, SocketAddress>& sockets() const { return sockets_; }

  // Signalling towards `other`: credentials now, candidates and
  // end-of-candidates as they appear (after `delay`), unless filtered.
  void signal_to(AgentPeer& other, Duration delay = Duration::zero());
  std::function<bool(const Candidate&)> candidate_filter;  // false: withheld
  bool signal_end_of_candidates = true;
  // Sends our current credentials to the signalled peer (after restart()).
  void send_credentials(bool lite = false);

  // Records.
  std::vector<std::pair<Timestamp, State>> states;
  std::vector<SelectedPairChanged> selections;
  std::vector<base::Bytes> received;
  std::vector<Candidate> candidates;
  std::vector<CandidateError> errors;
  std::vector<Role> role_changes;
  std::vector<GatheringState> gathering;
  std::vector<Transmit> transmits_after_close;
  size_t datagrams_sent = 0;
  bool closed_seen = false;

  State state() const { return agent_->state(); }
  bool connected() const {
    return state() == State::Connected || state() == State::Completed;
  }
  std::optional<Timestamp> first_time_in(State s) const;
  std::optional<Timestamp> last_time_in(State s) const;

  // Streams to a TURN server (see TurnServerEndpoint::connect_stream).
  struct StreamSink {
    std::function<void(Timestamp, base::Bytes)> write;
  };
  void attach_stream(StreamId id, StreamSink sink) { streams_[id] = std::move(sink); }

  // vnet::Endpoint
  void receive(Timestamp now, const SocketAddress& local, const SocketAddress& from,
               base::ByteView data) override;
  void timeout(Timestamp now) override;
  base::Deadline deadline() const override;
  bool flush(Timestamp now, vnet::Network& net) override;

 private:
  struct Signal {
    Timestamp at;
    std::optional<Candidate> candidate;  // none: end-of-candidates
  };
  void deliver_signals(Timestamp now);

  vnet::Network& net_;
  std::string name_;
  base::SeededRandom random_;
  std::unique_ptr<Agent> agent_;
  std::map<SocketId, SocketAddress> sockets_;
  SocketId next_socket_ = 1;
  AgentPeer* peer_ = nullptr;
  Duration signal_delay_;
  std::deque<Signal> signals_;
  std::map<StreamId, StreamSink> streams_;
};

// Answers Binding requests with XOR-MAPPED-ADDRESS (RFC 8489 section 7.3).
class StunServerStub : public vnet::Endpoint {
 public:
  StunServerStub(vnet::Network& net, const SocketAddress& address);
  bool silent = false;
  int requests = 0;

  void receive(Timestamp now, const SocketAddress& local, const SocketAddress& from,
               base::ByteView data) override;
  void timeout(Timestamp) override {}
  base::Deadline deadline() const override { return {}; }
  bool flush(Timestamp now, vnet::Network& net) override;

 private:
  SocketAddress address_;
  std::deque<std::pair<SocketAddress, base::Bytes>> out_;
};

// The TURN test server on the network: its listening address and a range
// of relayed addresses are bound to it.
class TurnServerEndpoint : public vnet::Endpoint {
 public:
  TurnServerEndpoint(vnet::Network& net, turn::test::ServerOptions options, int relay_ports = 16);
  turn::test::TestServer& server() { return server_; }

  // An in-memory stream between `peer`'s stream `id` and this server, as
  // client address `client` (one-way delay `delay`, in order, lossless).
  void connect_stream(AgentPeer& peer, StreamId id, const SocketAddress& client,
                      Duration delay = Duration::millis(10));

  void receive(Timestamp now, const SocketAddress& local, const SocketAddress& from,
               base::ByteView data) override;
  void timeout(Timestamp now) override;
  base::Deadline deadline() const override;
  bool flush(Timestamp now, vnet::Network& net) override;

 private:
  struct Chunk {
    Timestamp at;
    bool to_server;
    SocketAddress client;
    base::Bytes data;
  };
  struct StreamClient {
    AgentPeer* peer;
    StreamId id;
    Duration delay;
  };

  turn::test::TestServer server_;
  std::map<std::string, StreamClient> stream_clients_;  // by client address text
  std::deque<Chunk> chunks_;
};

// ---- scenario helpers

Config controlling_config();
Config controlled_config();
// Signalling both ways (after `delay`) and gathering on both.
void start(AgentPeer& a, AgentPeer& b, Duration delay = Duration::zero());
bool both_connected(const AgentPeer& a, const AgentPeer& b);
// The selected pairs mirror each other: a's local is b's remote and back.
bool selections_agree(AgentPeer& a, AgentPeer& b);
// A non-STUN payload (first byte 23, as DTLS application data).
base::Bytes payload(const std::string& text);
// Sends `data` from `from` every 20 ms until `to` has received it.
bool deliver(vnet::Network& net, AgentPeer& from, AgentPeer& to, const base::Bytes& data,
             Duration max = Duration::seconds(5));

}  // namespace wasmrtc::ice::test
