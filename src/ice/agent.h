// An ICE agent (RFC 8445, trickle per RFC 8838, consent per RFC 7675) for one
// component (WebRTC always uses rtcp-mux and BUNDLE), sans-IO.
//
// The embedder owns sockets and streams and names them with integer ids:
//  - a UDP socket bound to a local address: add_host_socket(); datagrams from
//    it go into handle_datagram(), Transmit{socket, destination} goes out of it;
//  - a byte stream to a TURN server (TCP, or the WebSocket through
//    wasmrtc-gateway): add_turn_server() with TurnTransport::Stream; bytes go
//    into handle_stream_data(), StreamTransmit{stream} goes out.
// Time is an input: handle_timeout(now) no later than poll_timeout().
// Outputs are drained with poll_output() after every input.
//
// Contract for the embedder and the WASM bindings; implementation in agent.cc
// and friends (checklist, pair, gathering, consent, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"
#include "base/result.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "ice/candidate.h"

namespace wasmrtc::ice {

using SocketId = uint32_t;
using StreamId = uint32_t;

enum class Role : uint8_t { Controlling, Controlled };

struct Credentials {
  std::string ufrag;  // RFC 8445 section 5.3: at least 24 bits of randomness
  std::string pwd;    // at least 128 bits
  bool operator==(const Credentials&) const = default;
};
// Fresh random credentials (ufrag 4+ chars, pwd 22+ chars of ice-char).
Credentials random_credentials(base::Random& random);

// The W3C RTCIceTransportState / RTCIceConnectionState values.
enum class State : uint8_t { New, Checking, Connected, Completed, Failed, Disconnected, Closed };
const char* to_string(State s);  // "new", "checking", ...

// W3C RTCIceGatheringState.
enum class GatheringState : uint8_t { New, Gathering, Complete };
const char* to_string(GatheringState s);

struct Config {
  Role role = Role::Controlling;
  Credentials local;
  bool lite = false;                                  // we are ice-lite (never used by us; tests)
  base::Duration pacing = base::Duration::millis(50); // Ta (RFC 8445 section 14.2)
  base::Duration stun_rto = base::Duration::millis(500);
  base::Duration consent_interval = base::Duration::seconds(5);    // RFC 7675: 4-6 s randomised
  base::Duration disconnected_timeout = base::Duration::seconds(5); // no response -> disconnected
  base::Duration failed_timeout = base::Duration::seconds(30);      // consent lost -> failed (RFC 7675 5.1)
  base::Duration checking_timeout = base::Duration::seconds(30);    // no pair ever succeeded -> failed
  // Regular nomination (RFC 8445 section 8.1.1): after the first pair
  // succeeds the controlling agent waits up to this long for higher-priority
  // pairs still being checked, then nominates the best valid pair.
  base::Duration nomination_settle = base::Duration::millis(250);
  // W3C iceTransportPolicy "relay" (JSEP section 4.1.1): only relayed
  // candidates are announced and checked; host sockets still carry the
  // TURN traffic, and checks arriving on them directly are ignored, so the
  // host address is never revealed to the peer.
  bool relay_only = false;
  // What a remote peer can make the agent hold, per generation: signalled
  // remote candidates (past it add_remote_candidate fails with
  // TooManyCandidates) and peer-reflexive ones learnt from its checks (past
  // it a check from a new address is answered but makes no candidate).
  // Both drops are counted (Agent::dropped_remote_candidates()).
  size_t max_remote_candidates = 256;
  size_t max_peer_reflexive = 64;
  // Keep loopback host candidates (the embedder decides which sockets to add;
  // this only governs filtering of remote loopback candidates: never filtered).
};

enum class TurnTransport : uint8_t { Udp, Stream };
struct TurnServer {
  base::SocketAddress address;       // the TURN server (for Stream: what the stream reaches)
  TurnTransport transport = TurnTransport::Udp;
  StreamId stream = 0;               // for Stream: the embedder's open stream
  std::string username;
  std::string password;
  std::string url;                   // as configured ("turn:host:port?transport=tcp"), for errors
};

// ---- outputs
struct Transmit {        // a datagram out of host socket `socket`
  SocketId socket;
  base::SocketAddress destination;
  base::Bytes data;
};
struct StreamTransmit {  // bytes onto stream `stream`
  StreamId stream;
  base::Bytes data;
};
struct LocalCandidate { Candidate candidate; };            // trickle it (RFC 8838)
struct GatheringStateChanged { GatheringState state; };    // Complete = end-of-candidates
struct CandidateError {                                     // W3C icecandidateerror
  std::string url;
  int code;              // STUN error code, or 701 for unreachable (W3C)
  std::string text;
  std::optional<base::SocketAddress> local;
};
struct StateChanged { State state; };
struct SelectedPairChanged { Candidate local; Candidate remote; };
struct Data { base::Bytes data; };                          // non-STUN bytes on a valid pair
struct RoleChanged { Role role; };                          // after a 487 conflict
using Output = std::variant<Transmit, StreamTransmit, LocalCandidate, GatheringStateChanged,
                            CandidateError, StateChanged, SelectedPairChanged, Data, RoleChanged>;

enum class Error : uint8_t {
  NotConnected,        // send() with no selected pair
  Closed,
  BadCandidate,        // add_remote_candidate with an unusable candidate
  TooManyCandidates,   // add_remote_candidate past Config::max_remote_candidates
  UnknownSocket,
  UnknownStream,
};
const char* to_string(Error e);

// For getStats (RTCIceCandidatePairStats).
struct PairStats {
  Candidate local;
  Candidate remote;
  std::string state;  // "frozen", "waiting", "in-progress", "succeeded", "failed"
  bool nominated = false;
  bool selected = false;
  uint64_t bytes_sent = 0, bytes_received = 0, packets_sent = 0, packets_received = 0;
  uint64_t requests_sent = 0, requests_received = 0, responses_sent = 0, responses_received = 0;
  uint64_t consent_requests_sent = 0;
  std::optional<base::Duration> current_rtt;
  base::Duration total_rtt;
  std::optional<base::Timestamp> last_packet_sent, last_packet_received;
};

class Agent {
 public:
  Agent(Config config, base::Random& random);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // ---- local side (RFC 8445 section 5.1.1 gathering)
  void add_host_socket(SocketId socket, const base::SocketAddress& local);
  void add_stun_server(const base::SocketAddress& server, std::string url = "");
  void add_turn_server(const TurnServer& server);
  // Starts gathering what was added; later add_* calls gather immediately.
  // GatheringState Complete once every server answered or failed.
  void gather(base::Timestamp now);

  // ---- remote side
  void set_remote_credentials(const Credentials& remote, bool remote_lite = false);
  base::Result<void, Error> add_remote_candidate(base::Timestamp now, const Candidate& c);
  void end_of_remote_candidates();  // RFC 8838 section 8.2

  // ---- input
  void handle_datagram(base::Timestamp now, SocketId socket, const base::SocketAddress& from,
                       base::ByteView data);
  void handle_stream_data(base::Timestamp now, StreamId stream, base::ByteView data);
  void handle_stream_closed(base::Timestamp now, StreamId stream);
  void handle_timeout(base::Timestamp now);

  // ---- output
  std::optional<Output> poll_output();
  base::Deadline poll_timeout() const;

  // ---- data on the selected pair (relayed through TURN when the local candidate is relay)
  base::Result<void, Error> send(base::Timestamp now, base::ByteView data);

  // ICE restart (RFC 8445 section 9): new local credentials, checks start
  // again with the remote's new credentials; the old selected pair keeps
  // carrying data until a new one is selected.
  // `reannounce` false: the candidates were already announced for
  // new_local by regather() (a local restart offer), and are not again.
  void restart(base::Timestamp now, const Credentials& new_local, bool reannounce = true);
  // A new gathering phase for a local ICE restart offer (webrtc-pc 4.4.1.5;
  // as Chromium, at setLocalDescription of the offer): the gathering state
  // goes "gathering" then "complete" and the local candidates are announced
  // again, while checks keep the current credentials until the answer.
  void regather(base::Timestamp now);
  // Config::relay_only changed by the page (setConfiguration's
  // iceTransportPolicy): the caller applies it just before a restart, as
  // webrtc-pc 4.4.1.6 defers it to the next gathering phase; changing it
  // under a running generation would cut the pair in use.
  void set_relay_only(bool relay_only);
  // Sends nothing more, deallocates TURN allocations, state Closed.
  void close(base::Timestamp now);

  State state() const;
  GatheringState gathering_state() const;
  Role role() const;
  const Credentials& local_credentials() const;
  std::vector<Candidate> local_candidates() const;
  std::vector<Candidate> remote_candidates() const;
  // Remote candidates refused or not made (Config::max_remote_candidates,
  // max_peer_reflexive), over the agent's life.
  uint64_t dropped_remote_candidates() const;
  std::optional<std::pair<Candidate, Candidate>> selected_pair() const;
  std::vector<PairStats> pair_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::ice
