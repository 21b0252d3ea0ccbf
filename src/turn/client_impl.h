// Internal to turn/: the state behind turn::Client. client.cc runs the
// allocation (Allocate, its 401/438/300 retries, Refresh, deallocation) and
// the transactions; relay.cc runs permissions, channels and data.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/ip_address.h"
#include "base/random.h"
#include "base/result.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "stun/message.h"
#include "turn/client.h"
#include "turn/messages.h"
#include "turn/request_timer.h"
#include "turn/stream_framer.h"

namespace wasmrtc::turn {

// At most this many 300 Try Alternate redirects are followed on a datagram
// path (RFC 8489 section 10 leaves the limit to the client).
inline constexpr int kMaxRedirects = 3;
// 438 Stale Nonce answers retried in a row for one request before giving up
// on it (a server that keeps rejecting every fresh nonce is broken).
inline constexpr int kMaxStaleNonceRetries = 3;
// Refresh "roughly 1 minute before it expires" (RFC 8656 section 8); short
// lifetimes are refreshed at half-life instead.
inline constexpr base::Duration kRefreshMargin = base::Duration::seconds(60);
inline constexpr base::Duration kMinRefreshDelay = base::Duration::seconds(1);
// Permissions last 300 s (RFC 8656 section 9): refresh after 4 minutes.
inline constexpr base::Duration kPermissionRefresh = base::Duration::seconds(240);
// Channels last 10 minutes (section 12): re-bind after 9.
inline constexpr base::Duration kChannelRefresh = base::Duration::seconds(540);
// Permissions kept (installed, pending or failed): past it the oldest one
// no channel uses is forgotten (no longer refreshed, so the server lets it
// expire). Each remote candidate's address asks for one; a peer changing
// addresses over ICE restarts would otherwise grow the list and its
// refresh traffic for ever.
inline constexpr size_t kMaxPermissions = 64;
// Data waiting for a permission, per peer IP (oldest dropped beyond).
inline constexpr size_t kMaxQueuedPackets = 64;
inline constexpr size_t kMaxQueuedBytes = 256 * 1024;
// The largest payload that fits a Send indication (a 16-bit STUN length
// that is a multiple of 4, minus XOR-PEER-ADDRESS for IPv6 and the DATA
// header); ChannelData could carry a little more, but a payload must fit
// either way.
inline constexpr size_t kMaxPayload = 0xFFFC - 24 - 4;

enum class Purpose : uint8_t { Allocate, Refresh, Deallocate, CreatePermission, ChannelBind };

// One outstanding request (RFC 8489 section 6.2).
struct Request {
  stun::TransactionId id{};
  Purpose purpose = Purpose::Allocate;
  base::Bytes wire;  // as sent, for retransmission
  base::Bytes key;   // key it was protected with; empty if unauthenticated
  RequestTimer timer{false, base::Timestamp()};
  base::Timestamp first_sent;
  int stale_nonce_retries = 0;
  base::IpAddress peer_ip;   // CreatePermission
  base::SocketAddress peer;  // ChannelBind
  uint16_t channel = 0;      // ChannelBind
};

struct QueuedData {
  base::SocketAddress peer;
  base::Bytes data;
};

// RFC 8656 section 9: a permission per peer IP address.
struct Permission {
  enum class Status : uint8_t { Unsent, Pending, Installed, Failed };
  base::IpAddress ip;
  Status status = Status::Unsent;
  bool in_flight = false;
  base::Deadline refresh;  // next CreatePermission
  std::deque<QueuedData> queue;
  size_t queued_bytes = 0;
};

// RFC 8656 section 12: a channel per peer transport address.
struct Channel {
  enum class Status : uint8_t { Binding, Bound, Failed };
  uint16_t number = 0;
  base::SocketAddress peer;
  Status status = Status::Binding;
  bool in_flight = false;
  base::Deadline refresh;  // next ChannelBind
};

// How a request ended, when it did not succeed.
struct Failure {
  int code = 0;  // STUN error code; 0 for a timeout or a broken response
  std::string reason;
};

struct Client::Impl {
  Impl(Config c, base::Random& r);

  Config config;
  base::Random& random;
  State state = State::New;
  base::SocketAddress server;  // the server in use (changes after a 300 on datagrams)
  int redirects = 0;
  Auth auth;
  std::optional<base::SocketAddress> relayed;
  std::optional<base::SocketAddress> mapped;
  base::Duration lifetime;
  base::Deadline refresh_at;  // next Refresh
  base::Deadline expires_at;  // the allocation's end unless refreshed
  bool refresh_in_flight = false;

  std::vector<Request> requests;
  std::vector<Permission> permissions;
  std::vector<Channel> channels;
  uint16_t next_channel = 0x4000;

  std::deque<Transmit> transmits;
  std::deque<Event> events;
  StreamFramer framer;
  Stats stats;

  bool stream() const { return config.transport == Transport::Stream; }
  stun::TransactionId new_transaction_id();
  void transmit(base::Bytes bytes);

  // --- client.cc: transactions and the allocation.
  void start_allocate(base::Timestamp now);
  // Builds, authenticates and sends a request; `proto` carries the purpose
  // and its peer/channel fields.
  void send_request(base::Timestamp now, Request proto);
  void on_input(base::Timestamp now, base::ByteView bytes);
  void on_stun(base::Timestamp now, base::ByteView raw);
  void on_response(base::Timestamp now, Request req, const stun::Message& m);
  void on_success(base::Timestamp now, const Request& req, const stun::Message& m);
  void on_failure(base::Timestamp now, const Request& req, const Failure& f,
                  const stun::Message* response);
  void on_allocate_success(base::Timestamp now, const Request& req, const stun::Message& m);
  void on_refresh_result(base::Timestamp now, const Request& req, const stun::Message* ok,
                         const Failure* f);
  void schedule_refresh(base::Timestamp sent, base::Duration granted);
  void on_timeout(base::Timestamp now);
  base::Deadline next_deadline() const;
  void fail(int code, std::string reason);
  void finish_closed();
  void drop_relay_state();

  // --- relay.cc: permissions, channels, data.
  void create_permission(base::Timestamp now, const base::IpAddress& ip);
  base::Result<void, Error> send_to(base::Timestamp now, const base::SocketAddress& peer,
                                    base::ByteView data);
  Permission* find_permission(const base::IpAddress& ip);
  // A new Unsent permission for ip, making room under kMaxPermissions;
  // nullptr when every kept one is in use by a channel.
  Permission* add_permission(const base::IpAddress& ip);
  Channel* find_channel(const base::SocketAddress& peer);
  Channel* find_channel(uint16_t number);
  void request_permission(base::Timestamp now, Permission& p);
  void send_pending_permissions(base::Timestamp now);
  void enqueue(Permission& p, const base::SocketAddress& peer, base::ByteView data);
  void relay(base::Timestamp now, const base::SocketAddress& peer, base::ByteView data);
  void bind_channel(base::Timestamp now, Channel& c);
  void on_permission_result(base::Timestamp now, const Request& req, const Failure* f);
  void on_channel_result(base::Timestamp now, const Request& req, const Failure* f);
  void on_relay_timers(base::Timestamp now);
  base::Deadline relay_deadline() const;
  void on_data_indication(const stun::Message& m);
  void on_channel_data(base::ByteView bytes);
};

}  // namespace wasmrtc::turn
