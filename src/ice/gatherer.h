// Internal to ice/: candidate gathering (RFC 8445 section 5.1.1) from what
// the embedder adds: a host candidate per socket (5.1.1.1), a server-
// reflexive candidate per STUN server and socket of its family (5.1.1.2,
// RFC 8489 Binding with retransmissions), and a relayed candidate per TURN
// server (RFC 8656 through turn::Client), with the allocation's mapped
// address as one more server-reflexive candidate. Owns the TURN clients,
// so relayed traffic and TURN server traffic pass through here.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/random.h"
#include "base/time.h"
#include "ice/agent.h"
#include "ice/local_candidates.h"
#include "ice/transaction.h"
#include "turn/client.h"

namespace wasmrtc::ice {

class Gatherer {
 public:
  struct NewCandidate { size_t index; };  // into LocalCandidates
  struct RelayData {                       // a datagram the TURN server relayed to us
    size_t relay;
    base::SocketAddress peer;
    base::Bytes data;
  };
  // An allocation is gone after it was made (its stream to the TURN
  // server closed): its relayed candidate can carry nothing any more.
  struct RelayLost {
    size_t relay;
  };
  using Output = std::variant<Transmit, StreamTransmit, NewCandidate, CandidateError,
                              GatheringStateChanged, RelayData, RelayLost>;

  Gatherer(LocalCandidates& locals, base::Random& random, base::Duration stun_rto);
  ~Gatherer();

  // Before start() these only record; afterwards they gather at once.
  void add_host_socket(base::Timestamp now, SocketId id, const base::SocketAddress& local);
  void add_stun_server(base::Timestamp now, const base::SocketAddress& server, std::string url);
  void add_turn_server(base::Timestamp now, const TurnServer& server);
  void start(base::Timestamp now);
  bool started() const { return started_; }
  // RFC 8445 section 9: after a restart the same candidates are announced
  // again for the new generation.
  void reannounce();

  bool has_socket(SocketId id) const;

  // Inputs; true when the bytes were the gatherer's (a STUN server's
  // response to a gathering request, or anything from a TURN server).
  bool handle_datagram(base::Timestamp now, SocketId socket, const base::SocketAddress& from,
                       base::ByteView data);
  bool handle_stream_data(base::Timestamp now, StreamId stream, base::ByteView data);
  bool handle_stream_closed(base::Timestamp now, StreamId stream);
  void handle_timeout(base::Timestamp now);
  base::Deadline poll_timeout() const;
  std::optional<Output> poll_output();

  // Sends through allocation `relay` to `peer` (RFC 8656 section 11/12).
  bool relay_send(base::Timestamp now, size_t relay, const base::SocketAddress& peer,
                  base::ByteView data);
  // RFC 8445 section 7.2.1: permissions for remote candidates on every
  // allocation, so that their checks reach our relayed candidates.
  void create_permissions(base::Timestamp now, const base::IpAddress& peer);
  // Deallocates (RFC 8656 section 7.3); afterwards only TURN bytes come out.
  void close(base::Timestamp now);

  GatheringState state() const { return state_; }

 private:
  struct HostSocket {
    SocketId id;
    base::SocketAddress address;
    uint16_t local_preference;
    bool gathered = false;
  };
  struct StunServer {
    base::SocketAddress address;
    std::string url;
  };
  struct Binding {  // one srflx request: server x socket
    size_t server;
    SocketId socket;
    StunTransaction transaction;
  };
  struct Relay {
    TurnServer server;
    uint16_t local_preference;
    std::optional<SocketId> socket;  // UDP: the host socket the client talks through
    std::unique_ptr<turn::Client> client;
    bool started = false;
    bool done = false;  // gathering finished for it (allocated or failed)
  };

  void gather_socket(base::Timestamp now, HostSocket& s);
  void send_binding(base::Timestamp now, size_t server, const HostSocket& s);
  void start_relay(base::Timestamp now, size_t index);
  void drain_relay(size_t index);
  void on_relay_event(size_t index, turn::Event& event);
  void on_binding_response(const Binding& b, const stun::Message& response);
  void fail_relay(size_t index, int code, std::string text);
  const HostSocket* socket(SocketId id) const;
  size_t pending() const;
  void update_state();
  void announce(const NewLocal& c);

  LocalCandidates& locals_;
  base::Random& random_;
  base::Duration stun_rto_;
  std::vector<HostSocket> sockets_;
  std::vector<StunServer> servers_;
  std::vector<std::unique_ptr<Relay>> relays_;
  std::map<stun::TransactionId, Binding> bindings_;
  std::deque<Output> out_;
  GatheringState state_ = GatheringState::New;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace wasmrtc::ice
