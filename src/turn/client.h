// A TURN client (RFC 8656) for one allocation on one TURN server, sans-IO.
//
// The embedder moves bytes: what the server sends goes into handle_input(),
// what poll_transmit() returns goes to the server, and handle_timeout() runs
// no later than poll_timeout(). Over a datagram path (UDP) each input and
// transmit is one STUN message or ChannelData message; over a stream path
// (TCP, or the WebSocket to wasmrtc-gateway) input may arrive split or merged
// in any way and the client reassembles it (RFC 8656 section 12.5: ChannelData
// is padded to 4 bytes on streams), and transmits are stream bytes.
//
// Contract for the ICE agent and the WASM bindings; the implementation lives
// in client.cc and friends.
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

namespace wasmrtc::turn {

enum class Transport : uint8_t { Datagram, Stream };

struct Config {
  base::SocketAddress server;
  Transport transport = Transport::Datagram;
  std::string username;
  std::string password;
  // RFC 8656 section 7.2: the client may ask; the server decides.
  base::Duration requested_lifetime = base::Duration::seconds(600);
  std::string software = "wasmrtc";
  // Requested relay family (RFC 8656 REQUESTED-ADDRESS-FAMILY); IPv4 default.
  base::AddressFamily family = base::AddressFamily::V4;
};

enum class State : uint8_t {
  New,          // allocate() not yet called
  Allocating,   // Allocate sent (perhaps retrying after 401/438/300)
  Allocated,    // relayed address known; Refresh keeps it alive
  Failed,       // gave up: see the Failed event
  Closing,      // Refresh with LIFETIME 0 sent
  Closed,
};
const char* to_string(State s);

enum class Error : uint8_t {
  NotAllocated,       // send_to before the allocation exists or after close
  PeerFamilyMismatch, // peer address family differs from the relayed address
  TooLarge,           // payload would not fit in a ChannelData/Send indication
};
const char* to_string(Error e);

// Events, in the order they happen.
struct Allocated {
  base::SocketAddress relayed;   // XOR-RELAYED-ADDRESS: the relay candidate
  base::SocketAddress mapped;    // XOR-MAPPED-ADDRESS: server-reflexive (0.0.0.0:0 if absent)
  base::Duration lifetime;
};
struct AllocationFailed {
  int code = 0;         // STUN error code (e.g. 401, 437, 486), or 0 without one (timeout,
                        // broken stream, unusable response)
  std::string reason;   // human readable, for icecandidateerror's errorText
};
// Over a stream the client cannot switch servers by itself: the embedder must
// open a new stream to `server` and create a new Client (RFC 8656 section 7.4,
// 300 Try Alternate). This client is then Failed; no AllocationFailed follows.
// (Over a datagram path the client follows the redirect itself.)
struct Redirected {
  base::SocketAddress server;
};
struct Data {
  base::SocketAddress peer;  // from a Data indication's XOR-PEER-ADDRESS or the bound channel
  base::Bytes data;
};
struct PermissionFailed {
  base::IpAddress peer;
  int code = 0;
};
struct Closed {};
using Event = std::variant<Allocated, AllocationFailed, Redirected, Data, PermissionFailed, Closed>;

// Counters for what the client dropped or repeated (getStats, debugging).
struct Stats {
  uint64_t retransmissions = 0;        // requests sent again (RFC 8489 section 6.2.1)
  uint64_t ignored_responses = 0;      // unknown transaction id, or bad MESSAGE-INTEGRITY
  uint64_t dropped_malformed = 0;      // input that is neither valid STUN nor ChannelData
  uint64_t dropped_unknown_peer = 0;   // Data indication / ChannelData from no known peer/channel
  uint64_t dropped_sends = 0;          // send_to data dropped: queue overflow or permission failure
  uint64_t forgotten_permissions = 0;  // kept no longer: over kMaxPermissions (client_impl.h)
};

// Bytes for the server. For a datagram path `destination` is the server the
// client currently talks to (it changes after a 300 Try Alternate).
struct Transmit {
  base::SocketAddress destination;
  base::Bytes data;
};

class Client {
 public:
  Client(Config config, base::Random& random);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends the first Allocate (RFC 8656 section 7.1); the 401 realm/nonce
  // challenge and 438 stale nonce retries are handled inside.
  void allocate(base::Timestamp now);

  // Bytes from the server: one datagram, or any chunk of the stream.
  void handle_input(base::Timestamp now, base::ByteView bytes);
  void handle_timeout(base::Timestamp now);

  // Installs (and keeps refreshing) a permission for `peer` (RFC 8656 section 9).
  void create_permission(base::Timestamp now, const base::IpAddress& peer);

  // Relays `data` to `peer`: ChannelData once a channel is bound (the client
  // binds one on first use, RFC 8656 section 12), a Send indication until
  // then. Creates the permission if needed; data sent before the permission
  // is confirmed is queued, not lost (bounded queue; oldest dropped, counted).
  base::Result<void, Error> send_to(base::Timestamp now, const base::SocketAddress& peer,
                                    base::ByteView data);

  // Deallocates: Refresh with LIFETIME 0 (RFC 8656 section 8.1), then Closed
  // once it is answered or times out. Without an allocation (New, Allocating,
  // Failed) the Closed event comes at once. Exactly one Closed per client.
  void close(base::Timestamp now);

  std::optional<Transmit> poll_transmit();
  std::optional<Event> poll_event();
  base::Deadline poll_timeout() const;

  State state() const;
  const Config& config() const;
  std::optional<base::SocketAddress> relayed_address() const;
  std::optional<base::SocketAddress> mapped_address() const;
  // Does `from` (on a datagram path) belong to this client's current server?
  bool is_server(const base::SocketAddress& from) const;
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::turn
