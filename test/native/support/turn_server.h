// A minimal TURN server (RFC 8656) for tests: sans-IO and in memory, like
// the client. It speaks just enough of the protocol to exercise the client:
// long-term authentication with a 401 challenge (RFC 8489 section 9.2),
// Allocate, Refresh, CreatePermission, ChannelBind, Send and Data
// indications and ChannelData, relaying to "peers" the test plays itself.
// Faults are injected on demand: stale nonces (438), Try Alternate (300),
// arbitrary error codes, broken MESSAGE-INTEGRITY.
//
// Timers are lazy: allocations, permissions and channels carry expiry times
// checked against the `now` of each call, so a test can ask at any moment
// whether something would still be alive on a real server.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/ip_address.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "stun/message.h"
#include "turn/client.h"
#include "turn/stream_framer.h"

namespace wasmrtc::turn::test {

struct ServerOptions {
  base::SocketAddress address;  // where clients reach this server
  Transport transport = Transport::Datagram;
  std::string realm = "wasmrtc.test";
  std::string username = "alice";
  std::string password = "secret";
  bool require_auth = true;
  base::Duration default_lifetime = base::Duration::seconds(600);
  base::Duration max_lifetime = base::Duration::seconds(3600);
  base::IpAddress relay_ip = base::IpAddress::v4({203, 0, 113, 1});
  uint16_t first_relay_port = 49152;
};

// A request the server saw (after framing), for assertions.
struct ReceivedRequest {
  base::Timestamp at;
  base::SocketAddress client;
  uint16_t method = 0;
  bool authenticated = false;              // carried MESSAGE-INTEGRITY
  std::optional<base::Duration> lifetime;  // LIFETIME, if present
  std::optional<uint16_t> channel;         // CHANNEL-NUMBER, if present
  bool retransmission = false;             // same transaction id as an earlier one
};

struct ToClient {
  base::SocketAddress client;
  base::Bytes data;
};

struct ToPeer {
  base::SocketAddress relayed;  // the source: the allocation's relayed address
  base::SocketAddress peer;
  base::Bytes data;
};

class TestServer {
 public:
  explicit TestServer(ServerOptions options);

  // --- Faults. Each applies to the next matching request(s).
  // The next `count` authenticated requests get 438 with a fresh nonce.
  void stale_nonce(int count = 1) { stale_nonces_ += count; }
  // The next `count` Allocate requests get 300 with ALTERNATE-SERVER.
  void redirect(const base::SocketAddress& alternate, int count = 1);
  // The next `count` requests of `method` (after authentication) get `code`.
  void fail_next(uint16_t method, uint16_t code, int count = 1);
  // The next `count` signed responses carry a corrupted MESSAGE-INTEGRITY.
  void corrupt_integrity(int count = 1) { corrupt_integrity_ += count; }
  // Stop answering requests at all (indications and data still flow).
  void set_silent(bool silent) { silent_ = silent; }
  // Forget the allocation of `client`, as if it had expired (437 follows).
  void drop_allocation(const base::SocketAddress& client);

  // --- Inputs.
  // Bytes from `client`: a datagram, or any chunk of the client's stream.
  void handle_from_client(base::Timestamp now, const base::SocketAddress& client,
                          base::ByteView bytes);
  // A UDP datagram from `peer` to the relayed address `relayed`.
  void handle_from_peer(base::Timestamp now, const base::SocketAddress& peer,
                        const base::SocketAddress& relayed, base::ByteView data);

  // --- Outputs.
  std::optional<ToClient> poll_to_client();
  std::optional<ToPeer> poll_to_peer();

  // --- Inspection.
  const ServerOptions& options() const { return options_; }
  const std::vector<ReceivedRequest>& requests() const { return requests_; }
  int count(uint16_t method) const;
  int send_indications() const { return send_indications_; }
  int channel_data_messages() const { return channel_data_messages_; }
  int dropped() const { return dropped_; }
  std::optional<base::SocketAddress> relayed_address(const base::SocketAddress& client) const;
  bool allocation_alive(const base::SocketAddress& client, base::Timestamp now) const;
  bool permission_alive(const base::SocketAddress& client, const base::IpAddress& peer,
                        base::Timestamp now) const;
  std::optional<uint16_t> channel_alive(const base::SocketAddress& client,
                                        const base::SocketAddress& peer, base::Timestamp now) const;
  const std::string& nonce() const { return nonce_; }

 private:
  struct Binding {
    uint16_t number = 0;
    base::SocketAddress peer;
    base::Timestamp expires;
  };
  struct Permit {
    base::IpAddress ip;
    base::Timestamp expires;
  };
  struct Allocation {
    base::SocketAddress relayed;
    base::Timestamp expires;
    std::vector<Permit> permissions;
    std::vector<Binding> channels;
  };
  struct ClientState {
    std::optional<Allocation> allocation;
    std::map<stun::TransactionId, base::Bytes> answered;  // RFC 8489 section 6.3.1 idempotency
    StreamFramer framer;
  };
  struct Fault {
    uint16_t method = 0;
    uint16_t code = 0;
    int count = 0;
  };

  ClientState& state_of(const base::SocketAddress& client);
  const Allocation* live_allocation(const base::SocketAddress& client, base::Timestamp now) const;
  Allocation* live_allocation(const base::SocketAddress& client, base::Timestamp now);
  void on_message(base::Timestamp now, const base::SocketAddress& client, base::ByteView bytes);
  void on_request(base::Timestamp now, const base::SocketAddress& client, base::ByteView raw,
                  const stun::Message& m);
  void on_send_indication(base::Timestamp now, const base::SocketAddress& client,
                          const stun::Message& m);
  void on_channel_data(base::Timestamp now, const base::SocketAddress& client,
                       base::ByteView bytes);
  // The response to an authenticated (or unauthenticated, when allowed)
  // request.
  stun::Message handle(base::Timestamp now, const base::SocketAddress& client,
                       const stun::Message& m);
  base::Bytes finish(stun::Message& response, bool sign);
  void new_nonce();
  void send(const base::SocketAddress& client, base::Bytes bytes);

  ServerOptions options_;
  base::Bytes key_;
  std::string nonce_;
  int nonce_counter_ = 0;
  uint16_t next_port_;
  std::map<std::string, ClientState> clients_;  // by client address text
  std::vector<ReceivedRequest> requests_;
  std::deque<ToClient> to_client_;
  std::deque<ToPeer> to_peer_;
  int stale_nonces_ = 0;
  int corrupt_integrity_ = 0;
  std::optional<base::SocketAddress> alternate_;
  int redirects_ = 0;
  std::vector<Fault> faults_;
  bool silent_ = false;
  int send_indications_ = 0;
  int channel_data_messages_ = 0;
  int dropped_ = 0;
};

}  // namespace wasmrtc::turn::test
