// Association on top of usrsctp. How the pieces fit:
//
//  - One usrsctp one-to-one socket (SOCK_STREAM) per association, AF_CONN,
//    bound and connected to its own AF_CONN address (see usrsctp_global.h);
//    non-blocking, no receive callback: after every call into usrsctp we
//    poll it with usrsctp_recvv() until it has nothing more, so nothing
//    ever happens re-entrantly.
//  - Outgoing user messages wait in a per-channel queue here and are handed
//    to usrsctp in pieces of at most kSendPiece bytes with explicit EOR
//    (SCTP_EXPLICIT_EOR: SCTP_EOR marks the last piece), round-robin over
//    channels. With I-DATA (RFC 8260) pieces of different channels
//    interleave freely, so a 256 KiB message does not hold up the others.
//    Without it usrsctp refuses (EINVAL) a piece for another stream while
//    a message is incomplete, so the scheduler stays on that channel until
//    the message's last piece; on the wire plain DATA chunks of one message
//    must be consecutive anyway (RFC 4960 section 6.9).
//  - When usrsctp's send buffer is full (EWOULDBLOCK) we stop; every later
//    call (each SACK arrives through handle_input) tries again.
#include "sctp/association.h"

#include <arpa/inet.h>
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <vector>

#include "base/log.h"
#include "sctp/usrsctp_global.h"

// In usrsctp's netinet/sctp.h but missing from the public usrsctp.h of
// 0.9.5.0; the library implements it (RFC 8260 user message interleaving).
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

namespace wasmrtc::sctp {
namespace {

using base::Bytes;
using base::ByteView;
using base::LogLevel;

constexpr const char* kTag = "sctp";

// Largest piece of a message handed to usrsctp at once: the grain at which
// channels take turns.
constexpr size_t kSendPiece = 16 * 1024;
// usrsctp_recvv buffer; longer messages arrive in several reads.
constexpr size_t kReceiveChunk = 64 * 1024;
// Timer ticks (see poll_timeout in association.h).
constexpr Duration kBusyTick = Duration::millis(10);
constexpr Duration kIdleTick = Duration::millis(250);
// How long after the last packet or API call the association counts as busy.
constexpr Duration kBusyWindow = Duration::seconds(1);
constexpr uint32_t kCommonHeaderSize = 12;
// W3C: id 65535 is never valid (it is the "no id" value of RTCDataChannel).
constexpr uint32_t kMaxStreamId = 65534;

// The 0 byte of an empty message (RFC 8831 section 6.6).
constexpr uint8_t kEmptyPayload = 0;

struct Outgoing {
  Bytes data;             // payload as sent (one 0 byte for an empty message)
  uint32_t ppid = 0;
  size_t offset = 0;      // bytes usrsctp has taken
  bool counted = false;   // counts towards buffered_amount (non-empty user data)
  bool control = false;   // DCEP: always ordered and reliable (RFC 8832 section 6)
  uint16_t flags = 0;     // SCTP_UNORDERED as decided when the first piece went out
};

enum class ChannelState : uint8_t {
  Connecting,  // ours, in-band, no ACK yet (sending allowed, ordered)
  Open,
  Closing,     // our outgoing stream reset wanted, requested or done
};

struct Channel {
  uint16_t id = 0;
  ChannelState state = ChannelState::Connecting;
  bool local = false;       // opened here
  bool negotiated = false;
  bool acked = false;       // the peer knows the channel (ACK, its OPEN, or negotiated)
  bool hidden = false;      // a rejected remote OPEN: reset silently, never reported
  bool ordered = true;
  uint16_t pr_policy = SCTP_PR_SCTP_NONE;
  uint32_t pr_value = 0;

  std::deque<Outgoing> queue;
  bool in_ready = false;    // listed in Impl::ready_
  size_t buffered = 0;
  size_t low_threshold = 0;
  bool above_threshold = false;  // buffered seen above low_threshold at the end of a call

  bool overflowed = false;       // closed by Partials' cap: incoming data dropped
  bool reset_wanted = false;     // reset the outgoing stream once `queue` is empty
  bool reset_requested = false;  // SCTP_RESET_STREAMS issued
  bool out_reset = false;        // our outgoing stream is reset
  bool in_reset = false;         // the peer reset its outgoing stream
};

// Incomplete incoming messages, by stream: usrsctp's partial deliveries
// (a message longer than one read, or handed over early by its partial
// delivery API; ordered and unordered apart, as with I-DATA both can be in
// progress) and the pieces of deprecated PPID 52/54 messages (RFC 8831
// section 8) until their final 51/53 piece. One total over all streams is
// capped (Config::max_held_bytes): however many channels a peer opens and
// leaves half-sent, one association holds no more than that.
class Partials {
 public:
  enum class Kind : uint8_t { Ordered, Unordered, Legacy };
  struct Message {
    Bytes data;
    bool discarding = false;  // dropped at its end (too large, or over the cap)
  };
  enum class Append : uint8_t { Held, TooLarge, OverCap };

  explicit Partials(size_t cap) : cap_(cap) {}

  Message* find(uint16_t sid, Kind kind) {
    auto it = messages_.find(key(sid, kind));
    return it == messages_.end() ? nullptr : &it->second;
  }
  Message& get(uint16_t sid, Kind kind) { return messages_[key(sid, kind)]; }

  // Appends a piece to m unless the message would pass `message_limit`
  // or the total would pass the cap; then m is emptied and discarding.
  Append append(Message& m, ByteView piece, size_t message_limit) {
    if (m.discarding) return Append::Held;
    Append verdict = Append::Held;
    if (m.data.size() + piece.size() > message_limit) verdict = Append::TooLarge;
    else if (held_ + piece.size() > cap_) verdict = Append::OverCap;
    if (verdict != Append::Held) {
      release(m);
      m.discarding = true;
      return verdict;
    }
    m.data.insert(m.data.end(), piece.begin(), piece.end());
    held_ += piece.size();
    return verdict;
  }

  // Removes the message and hands it over (its bytes no longer count).
  std::optional<Message> take(uint16_t sid, Kind kind) {
    auto it = messages_.find(key(sid, kind));
    if (it == messages_.end()) return std::nullopt;
    Message m = std::move(it->second);
    held_ -= m.data.size();
    messages_.erase(it);
    return m;
  }
  void erase(uint16_t sid, Kind kind) { (void)take(sid, kind); }
  void erase_stream(uint16_t sid) {
    for (Kind k : {Kind::Ordered, Kind::Unordered, Kind::Legacy}) erase(sid, k);
  }
  void clear() {
    messages_.clear();
    held_ = 0;
  }
  size_t held() const { return held_; }

 private:
  static uint32_t key(uint16_t sid, Kind kind) { return static_cast<uint32_t>(sid) << 2 | static_cast<uint32_t>(kind); }
  void release(Message& m) {
    held_ -= m.data.size();
    Bytes().swap(m.data);
  }

  std::map<uint32_t, Message> messages_;
  size_t held_ = 0;
  size_t cap_;
};

bool would_block(int err) { return err == EWOULDBLOCK || err == EAGAIN; }

// The first error cause code of an ABORT chunk (RFC 4960 sections 3.3.7 and
// 3.3.10: a 4-byte chunk header, then causes of code and length), if any.
std::optional<uint16_t> abort_cause(ByteView chunk) {
  constexpr uint8_t kAbortChunk = 6;
  if (chunk.size() < 8 || chunk[0] != kAbortChunk) return std::nullopt;
  const size_t length = static_cast<size_t>(chunk[2]) << 8 | chunk[3];
  if (length < 8 || length > chunk.size()) return std::nullopt;
  return static_cast<uint16_t>(chunk[4] << 8 | chunk[5]);
}

}  // namespace

const char* to_string(State s) {
  switch (s) {
    case State::New: return "new";
    case State::Connecting: return "connecting";
    case State::Connected: return "connected";
    case State::Closed: return "closed";
    case State::Failed: return "failed";
  }
  return "unknown";
}

class Association::Impl final : public detail::PacketSink {
 public:
  explicit Impl(Config config);
  ~Impl() override;

  void on_packet(ByteView packet) override { tx_.emplace_back(packet.begin(), packet.end()); }

  Result<void> start(Timestamp now);
  void handle_input(Timestamp now, ByteView packet);
  void handle_timeout(Timestamp now);
  std::optional<Bytes> poll_transmit();
  std::optional<Event> poll_event();
  Deadline poll_timeout() const;

  State state() const { return state_; }
  std::optional<uint16_t> max_channels() const { return max_channels_; }
  bool interleaving() const { return idata_; }
  size_t max_message_size() const { return config_.max_message_size; }

  Result<uint16_t> open_channel(const ChannelInit& init);
  Result<void> send(uint16_t id, bool binary, ByteView data);
  Result<void> close_channel(uint16_t id);
  size_t buffered_amount(uint16_t id) const;
  size_t held_bytes() const { return partials_.held(); }
  uint64_t messages_dropped() const { return messages_dropped_; }
  Result<void> set_buffered_amount_low_threshold(uint16_t id, size_t threshold);
  void close(Timestamp now);
  void abort(Timestamp now);

 private:
  bool setup_socket();
  template <typename T>
  bool set_option(int level, int name, const T& value, const char* what);
  void touch(Timestamp now);
  bool busy() const;

  // After every call that reached usrsctp.
  void process();
  void receive_all();
  void on_notification(ByteView bytes);
  void on_assoc_change(const sctp_assoc_change& change, ByteView info);
  void on_stream_reset(const sctp_stream_reset_event& event, size_t length);
  void on_data(const sctp_rcvinfo& info, ByteView piece, bool end_of_record);
  void deliver(uint16_t sid, uint32_t ppid, ByteView data);
  void overflow(uint16_t sid);
  void on_dcep(uint16_t sid, ByteView data);
  void flush_sends();
  void issue_resets();

  Channel* find(uint16_t id);
  const Channel* find(uint16_t id) const;
  Channel& add_channel(uint16_t id);
  void enqueue(Channel& ch, Outgoing message);
  void take_from_buffered(Channel& ch, size_t n);
  void begin_close(Channel& ch);
  void maybe_request_reset(Channel& ch);
  void maybe_finish_close(uint16_t id);
  void erase_channel(uint16_t id);
  void emit(Event e) { events_.push_back(std::move(e)); }

  // The association is over: report every channel closed, then `last`.
  void end(Event last);
  void close_socket(bool abortive);

  Config config_;
  detail::UsrsctpLibrary library_;  // first in, last out
  uintptr_t address_ = 0;
  struct socket* sock_ = nullptr;
  State state_ = State::New;
  bool setup_ok_ = false;
  bool shutting_down_ = false;  // close() called: no new channels or messages
  bool read_eof_ = false;       // usrsctp_recvv returned 0

  std::optional<Timestamp> last_now_;
  std::optional<Timestamp> last_activity_;

  std::deque<Bytes> tx_;
  std::deque<Event> events_;

  std::map<uint16_t, Channel> channels_;
  std::deque<uint16_t> ready_;           // channels with queued messages, in turn order
  std::vector<uint16_t> pending_resets_;
  Partials partials_;
  uint64_t messages_dropped_ = 0;

  std::optional<uint16_t> max_channels_;
  bool idata_ = false;

  Bytes recv_buffer_;
  Bytes notification_;
};

// ---------------------------------------------------------------- set-up

Association::Impl::Impl(Config config) : config_(config), partials_(config.max_held_bytes) {
  recv_buffer_.resize(kReceiveChunk);
  address_ = detail::register_address(this);
  setup_ok_ = setup_socket();
  if (!setup_ok_) {
    WASMRTC_LOG(LogLevel::Error, kTag) << "could not set up the usrsctp socket";
  }
}

Association::Impl::~Impl() {
  close_socket(/*abortive=*/true);
  detail::deregister_address(address_);
}

template <typename T>
bool Association::Impl::set_option(int level, int name, const T& value, const char* what) {
  if (usrsctp_setsockopt(sock_, level, name, &value, static_cast<socklen_t>(sizeof(T))) == 0) {
    return true;
  }
  WASMRTC_LOG(LogLevel::Error, kTag) << "setsockopt " << what << " failed: errno " << errno;
  return false;
}

bool Association::Impl::setup_socket() {
  sock_ = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (sock_ == nullptr) return false;
  if (usrsctp_set_non_blocking(sock_, 1) != 0) return false;

  bool ok = true;
  const int sndbuf = static_cast<int>(config_.send_buffer_size);
  const int rcvbuf = static_cast<int>(config_.receive_buffer_size);
  ok &= set_option(SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
  ok &= set_option(SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
  const int on = 1;
  // Data channel messages are sent as soon as possible; no Nagle.
  ok &= set_option(IPPROTO_SCTP, SCTP_NODELAY, on, "SCTP_NODELAY");
  // Messages are handed over in pieces; SCTP_EOR marks the last one.
  ok &= set_option(IPPROTO_SCTP, SCTP_EXPLICIT_EOR, on, "SCTP_EXPLICIT_EOR");
  // Stream id and PPID with every read.
  ok &= set_option(IPPROTO_SCTP, SCTP_RECVRCVINFO, on, "SCTP_RECVRCVINFO");

  // Accept the peer's stream resets: that is how channels close (RFC 8831
  // section 6.7, RFC 6525).
  sctp_assoc_value reset{};
  reset.assoc_id = SCTP_FUTURE_ASSOC;
  reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
  ok &= set_option(IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, reset, "SCTP_ENABLE_STREAM_RESET");

  sctp_initmsg init{};
  init.sinit_num_ostreams = config_.streams;
  init.sinit_max_instreams = config_.streams;
  ok &= set_option(IPPROTO_SCTP, SCTP_INITMSG, init, "SCTP_INITMSG");

  sctp_rtoinfo rto{};
  rto.srto_assoc_id = SCTP_FUTURE_ASSOC;
  rto.srto_initial = static_cast<uint32_t>(config_.rto_initial.ms());
  rto.srto_min = static_cast<uint32_t>(config_.rto_min.ms());
  rto.srto_max = static_cast<uint32_t>(config_.rto_max.ms());
  ok &= set_option(IPPROTO_SCTP, SCTP_RTOINFO, rto, "SCTP_RTOINFO");

  // A fixed packet size; DTLS gives no way to probe the path MTU here.
  sctp_paddrparams paddr{};
  paddr.spp_assoc_id = SCTP_FUTURE_ASSOC;
  paddr.spp_flags = SPP_PMTUD_DISABLE;
  // usrsctp's path MTU leaves out the 12-byte common header (RFC 4960
  // section 3.1) for AF_CONN; Config::mtu counts the whole packet.
  paddr.spp_pathmtu = config_.mtu - kCommonHeaderSize;
  ok &= set_option(IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, paddr, "SCTP_PEER_ADDR_PARAMS");

  if (config_.interleaving) {
    // I-DATA needs fragment interleave level 2 (pieces of messages of
    // different streams may alternate in recvv) before it can be offered.
    const int level = 2;
    ok &= set_option(IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, level, "SCTP_FRAGMENT_INTERLEAVE");
    sctp_assoc_value idata{};
    idata.assoc_id = SCTP_FUTURE_ASSOC;
    idata.assoc_value = 1;
    ok &= set_option(IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, idata,
                     "SCTP_INTERLEAVING_SUPPORTED");
  }

  // No SCTP_SENDER_DRY_EVENT: queued messages are retried after every call
  // anyway (each SACK arrives through handle_input).
  for (uint16_t type : {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_PARTIAL_DELIVERY_EVENT,
                        SCTP_SHUTDOWN_EVENT}) {
    sctp_event ev{};
    ev.se_assoc_id = SCTP_FUTURE_ASSOC;
    ev.se_type = type;
    ev.se_on = 1;
    ok &= set_option(IPPROTO_SCTP, SCTP_EVENT, ev, "SCTP_EVENT");
  }
  if (!ok) return false;

  sockaddr_conn local{};
  local.sconn_family = AF_CONN;
  local.sconn_port = htons(config_.local_port);
  local.sconn_addr = reinterpret_cast<void*>(address_);
  if (usrsctp_bind(sock_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    WASMRTC_LOG(LogLevel::Error, kTag) << "usrsctp_bind failed: errno " << errno;
    return false;
  }
  return true;
}

void Association::Impl::touch(Timestamp now) {
  if (!last_now_ || now > *last_now_) last_now_ = now;
  detail::advance_clock(now);
}

Result<void> Association::Impl::start(Timestamp now) {
  if (state_ != State::New) return Unexpected(Error::AlreadyStarted);
  if (!setup_ok_) return Unexpected(Error::SocketError);
  touch(now);
  last_activity_ = now;
  state_ = State::Connecting;
  // Both peers connect: the INITs cross and SCTP's collision handling
  // (RFC 4960 section 5.2.4) yields one association.
  sockaddr_conn remote{};
  remote.sconn_family = AF_CONN;
  remote.sconn_port = htons(config_.remote_port);
  remote.sconn_addr = reinterpret_cast<void*>(address_);
  if (usrsctp_connect(sock_, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0 &&
      errno != EINPROGRESS) {
    WASMRTC_LOG(LogLevel::Error, kTag) << "usrsctp_connect failed: errno " << errno;
    end(event::Failed{"usrsctp_connect failed", std::nullopt});
    return Unexpected(Error::SocketError);
  }
  process();
  return {};
}

// ---------------------------------------------------------------- driving

void Association::Impl::handle_input(Timestamp now, ByteView packet) {
  // A peer that started first may be heard before our own start(): we are
  // about to connect anyway, and an unconnected socket would answer its
  // INIT with an ABORT.
  if (state_ == State::New && start(now).ok() == false) return;
  touch(now);
  if (sock_ == nullptr || packet.empty()) return;
  last_activity_ = now;
  usrsctp_conninput(reinterpret_cast<void*>(address_), packet.data(), packet.size(), 0);
  process();
}

void Association::Impl::handle_timeout(Timestamp now) {
  touch(now);
  if (sock_ != nullptr) process();
}

std::optional<Bytes> Association::Impl::poll_transmit() {
  if (tx_.empty()) return std::nullopt;
  Bytes b = std::move(tx_.front());
  tx_.pop_front();
  return b;
}

std::optional<Event> Association::Impl::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

bool Association::Impl::busy() const {
  if (state_ == State::Connecting) return true;
  if (!ready_.empty() || !pending_resets_.empty()) return true;
  if (last_activity_ && last_now_ && *last_now_ - *last_activity_ < kBusyWindow) return true;
  for (const auto& [id, ch] : channels_) {
    if (ch.reset_requested && !ch.out_reset) return true;
  }
  sctp_status status{};
  socklen_t len = sizeof(status);
  if (usrsctp_getsockopt(sock_, IPPROTO_SCTP, SCTP_STATUS, &status, &len) == 0) {
    if (status.sstat_unackdata > 0 || status.sstat_penddata > 0) return true;
    if (status.sstat_state != SCTP_ESTABLISHED) return true;  // handshake or shutdown
  }
  return false;
}

Deadline Association::Impl::poll_timeout() const {
  if (!last_now_) return Deadline::none();
  if (!tx_.empty() || !events_.empty()) return *last_now_;
  if (sock_ == nullptr) return Deadline::none();
  // Readable: a timer run for another association left us a notification.
  if (!read_eof_ && (usrsctp_get_events(sock_) & SCTP_EVENT_READ)) return *last_now_;
  return *last_now_ + (busy() ? kBusyTick : kIdleTick);
}

void Association::Impl::process() {
  receive_all();
  flush_sends();
  issue_resets();
}

// ---------------------------------------------------------------- receiving

void Association::Impl::receive_all() {
  while (sock_ != nullptr) {
    sctp_rcvinfo info{};
    socklen_t info_len = sizeof(info);
    unsigned int info_type = 0;
    int flags = 0;
    sockaddr_conn from{};
    socklen_t from_len = sizeof(from);
    const ssize_t n =
        usrsctp_recvv(sock_, recv_buffer_.data(), recv_buffer_.size(),
                      reinterpret_cast<sockaddr*>(&from), &from_len, &info, &info_len, &info_type,
                      &flags);
    if (n < 0) {
      if (!would_block(errno) && errno != ENOTCONN) {
        WASMRTC_LOG(LogLevel::Debug, kTag) << "usrsctp_recvv: errno " << errno;
      }
      return;
    }
    if (n == 0) {
      // End of stream: nothing more will be read (the socket stays
      // "readable" for ever, so poll_timeout must stop looking).
      read_eof_ = true;
      return;
    }
    const ByteView piece(recv_buffer_.data(), static_cast<size_t>(n));
    if (flags & MSG_NOTIFICATION) {
      notification_.insert(notification_.end(), piece.begin(), piece.end());
      if (flags & MSG_EOR) {
        Bytes whole = std::move(notification_);
        notification_.clear();
        on_notification(whole);
      }
      continue;
    }
    if (info_type != SCTP_RECVV_RCVINFO || info_len < sizeof(info)) {
      WASMRTC_LOG(LogLevel::Warn, kTag) << "data without stream information dropped";
      continue;
    }
    on_data(info, piece, (flags & MSG_EOR) != 0);
  }
}

void Association::Impl::on_notification(ByteView bytes) {
  // The bytes came from a malloc'd vector, suitably aligned for the
  // notification structs; each length is checked before it is read.
  if (bytes.size() < sizeof(sctp_notification::sctp_tlv)) return;
  const auto* n = reinterpret_cast<const sctp_notification*>(bytes.data());
  switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
      if (bytes.size() >= sizeof(sctp_assoc_change)) {
        const size_t length = std::clamp<size_t>(n->sn_assoc_change.sac_length, sizeof(sctp_assoc_change), bytes.size());
        on_assoc_change(n->sn_assoc_change, bytes.subspan(sizeof(sctp_assoc_change), length - sizeof(sctp_assoc_change)));
      }
      break;
    case SCTP_STREAM_RESET_EVENT:
      if (bytes.size() >= sizeof(sctp_stream_reset_event)) {
        on_stream_reset(n->sn_strreset_event, bytes.size());
      }
      break;
    case SCTP_PARTIAL_DELIVERY_EVENT:
      if (bytes.size() >= sizeof(sctp_pdapi_event) &&
          n->sn_pdapi_event.pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED) {
        // A partly delivered message was abandoned (PR-SCTP): drop its start.
        const auto sid = static_cast<uint16_t>(n->sn_pdapi_event.pdapi_stream);
        partials_.erase(sid, Partials::Kind::Ordered);
        partials_.erase(sid, Partials::Kind::Unordered);
      }
      break;
    case SCTP_SHUTDOWN_EVENT:
      WASMRTC_LOG(LogLevel::Debug, kTag) << "peer sent SHUTDOWN";
      break;
    default:
      break;
  }
}

void Association::Impl::on_assoc_change(const sctp_assoc_change& change, ByteView info) {
  switch (change.sac_state) {
    case SCTP_COMM_UP: {
      if (state_ != State::Connecting) return;
      state_ = State::Connected;
      max_channels_ = std::min(change.sac_outbound_streams, change.sac_inbound_streams);
      sctp_assoc_value idata{};
      socklen_t len = sizeof(idata);
      idata_ = config_.interleaving &&
               usrsctp_getsockopt(sock_, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &idata,
                                  &len) == 0 &&
               idata.assoc_value != 0;
      WASMRTC_LOG(LogLevel::Debug, kTag)
          << "connected: streams out " << change.sac_outbound_streams << " in "
          << change.sac_inbound_streams << (idata_ ? ", I-DATA" : ", DATA");
      emit(event::Connected{});
      // Channels opened before the association: negotiated ones open now;
      // ids the peer's stream count leaves out cannot be used.
      std::vector<uint16_t> too_high;
      for (auto& [id, ch] : channels_) {
        if (id >= *max_channels_) {
          too_high.push_back(id);
        } else if (ch.negotiated) {
          emit(event::ChannelOpened{id});
        }
      }
      for (uint16_t id : too_high) {
        WASMRTC_LOG(LogLevel::Warn, kTag) << "channel " << id << " beyond the negotiated streams";
        erase_channel(id);
        emit(event::ChannelClosed{id, std::nullopt});
      }
      return;
    }
    case SCTP_COMM_LOST: {
      // After the peer's ABORT, sac_info holds that chunk (RFC 6458 section
      // 6.1.1); retransmissions running out leave it empty.
      const auto cause = abort_cause(info);
      if (cause) {
        end(event::Failed{"the peer aborted the association (error cause " + std::to_string(*cause) + ")", cause});
      } else {
        end(event::Failed{"association lost (peer ABORT or too many retransmissions)", std::nullopt});
      }
      return;
    }
    case SCTP_CANT_STR_ASSOC:
      end(event::Failed{"association could not be established", std::nullopt});
      return;
    case SCTP_SHUTDOWN_COMP:
      end(event::Closed{});
      return;
    case SCTP_RESTART:
      WASMRTC_LOG(LogLevel::Warn, kTag) << "peer restarted the association";
      return;
    default:
      return;
  }
}

void Association::Impl::on_stream_reset(const sctp_stream_reset_event& event, size_t length) {
  const size_t header = sizeof(sctp_stream_reset_event);
  const size_t declared = std::min<size_t>(event.strreset_length, length);
  const size_t count = declared > header ? (declared - header) / sizeof(uint16_t) : 0;
  const uint16_t flags = event.strreset_flags;
  const bool failed = (flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) != 0;
  for (size_t i = 0; i < count; ++i) {
    uint16_t sid;
    std::memcpy(&sid, reinterpret_cast<const uint8_t*>(&event) + header + i * sizeof(uint16_t),
                sizeof(sid));
    Channel* ch = find(sid);
    if (flags & SCTP_STREAM_RESET_INCOMING_SSN) {
      // The peer reset its outgoing stream: it closed the channel (RFC 8831
      // section 6.7), or refused our OPEN (RFC 8832 section 6). Reset ours.
      partials_.erase_stream(sid);
      if (ch == nullptr) continue;
      if (!ch->in_reset) {
        ch->in_reset = true;
        if (!ch->hidden && ch->state != ChannelState::Closing) emit(event::ChannelClosing{sid});
        begin_close(*ch);
      }
    }
    if (flags & SCTP_STREAM_RESET_OUTGOING_SSN) {
      if (ch == nullptr) continue;
      if (failed) {
        // Not retried: the id stays unusable on the peer's side, but the
        // channel must not hang in "closing".
        WASMRTC_LOG(LogLevel::Warn, kTag) << "peer refused to reset stream " << sid;
      }
      ch->out_reset = true;
      // Nothing will come from the peer on a stream we refused.
      if (ch->hidden) ch->in_reset = true;
    }
    maybe_finish_close(sid);
  }
}

void Association::Impl::on_data(const sctp_rcvinfo& info, ByteView piece, bool end_of_record) {
  const uint16_t sid = info.rcv_sid;
  const uint32_t ppid = ntohl(info.rcv_ppid);
  const auto kind = (info.rcv_flags & SCTP_UNORDERED) ? Partials::Kind::Unordered : Partials::Kind::Ordered;
  const size_t limit = config_.local_max_message_size;
  const Channel* ch = find(sid);
  // Nothing is held for what could not be delivered: data on a stream
  // without a channel (only DCEP opens one), or on a channel closed by
  // overflow().
  if (ch == nullptr ? ppid != ppid::kDcep : ch->overflowed) {
    if (end_of_record) {
      WASMRTC_LOG(LogLevel::Debug, kTag) << "message on stream " << sid << " dropped";
    }
    return;
  }
  Partials::Message* m = partials_.find(sid, kind);
  if (m == nullptr && end_of_record) {
    if (piece.size() > limit) {
      ++messages_dropped_;
      WASMRTC_LOG(LogLevel::Warn, kTag) << "message of " << piece.size() << " bytes dropped";
      return;
    }
    deliver(sid, ppid, piece);
    return;
  }
  if (m == nullptr) m = &partials_.get(sid, kind);
  if (partials_.append(*m, piece, limit) == Partials::Append::OverCap) {
    overflow(sid);  // the message is gone with its channel
    return;
  }
  if (!end_of_record) return;
  Partials::Message done = *partials_.take(sid, kind);
  if (done.discarding) {
    ++messages_dropped_;
    WASMRTC_LOG(LogLevel::Warn, kTag) << "message over " << limit << " bytes dropped on stream " << sid;
    return;
  }
  deliver(sid, ppid, done.data);
}

void Association::Impl::overflow(uint16_t sid) {
  // The association holds Config::max_held_bytes of incomplete messages
  // already: the message that would pass it is dropped, and its channel
  // closes with an error (the peer sees its stream reset), so that one
  // peer's half-sent messages cannot grow the heap every connection shares.
  WASMRTC_LOG(LogLevel::Warn, kTag) << "incomplete messages over " << config_.max_held_bytes
                                    << " bytes: stream " << sid << " closed";
  ++messages_dropped_;
  partials_.erase_stream(sid);
  Channel* ch = find(sid);
  if (ch == nullptr || ch->overflowed) return;
  ch->overflowed = true;
  // Reported now, not when the peer resets its stream in turn (a peer
  // that sends this way may never do so); the stream stays in use, hidden,
  // until both directions are reset.
  if (!ch->hidden) {
    event::Failed failure;
    failure.reason = "incoming messages over " + std::to_string(config_.max_held_bytes) + " bytes held";
    emit(event::ChannelClosed{sid, std::move(failure)});
    ch->hidden = true;
  }
  begin_close(*ch);
}

void Association::Impl::deliver(uint16_t sid, uint32_t ppid, ByteView data) {
  if (ppid == ppid::kDcep) {
    on_dcep(sid, data);
    return;
  }
  Channel* ch = find(sid);
  if (ch == nullptr || ch->hidden) {
    WASMRTC_LOG(LogLevel::Debug, kTag) << "message on stream " << sid << " without a channel dropped";
    return;
  }
  bool binary = false;
  Bytes payload;
  switch (ppid) {
    case ppid::kString:
    case ppid::kBinary: {
      binary = ppid == ppid::kBinary;
      if (auto legacy = partials_.take(sid, Partials::Kind::Legacy)) {
        if (legacy->discarding || legacy->data.size() + data.size() > config_.local_max_message_size) {
          ++messages_dropped_;
          WASMRTC_LOG(LogLevel::Warn, kTag) << "partial-PPID message too large, dropped";
          return;
        }
        payload = std::move(legacy->data);
      }
      payload.insert(payload.end(), data.begin(), data.end());
      break;
    }
    case ppid::kStringEmpty:
    case ppid::kBinaryEmpty:
      binary = ppid == ppid::kBinaryEmpty;  // the one 0 byte is not data
      break;
    case ppid::kStringPartial:
    case ppid::kBinaryPartial: {
      // Deprecated (RFC 8831 section 8): a piece of a larger message, the
      // last piece coming with PPID 51/53.
      Partials::Message& legacy = partials_.get(sid, Partials::Kind::Legacy);
      if (partials_.append(legacy, data, config_.local_max_message_size) == Partials::Append::OverCap) overflow(sid);
      return;
    }
    default:
      WASMRTC_LOG(LogLevel::Debug, kTag) << "unknown PPID " << ppid << " on stream " << sid;
      return;
  }
  // RFC 8832 section 6: the peer may send as soon as it has sent its ACK,
  // and an unordered message can overtake the ACK. It implies the ACK.
  if (ch->local && !ch->acked) {
    ch->acked = true;
    if (ch->state == ChannelState::Connecting) {
      ch->state = ChannelState::Open;
      emit(event::ChannelOpened{sid});
    }
  }
  emit(event::Message{sid, binary, std::move(payload)});
}

void Association::Impl::on_dcep(uint16_t sid, ByteView data) {
  auto parsed = parse_dcep(data);
  if (!parsed) {
    WASMRTC_LOG(LogLevel::Warn, kTag)
        << "bad DCEP message on stream " << sid << ": " << to_string(parsed.error());
    // RFC 8832 section 6: an OPEN that is not well formed closes the
    // stream. Anything else (an unknown type) is ignored.
    if (!data.empty() && data[0] == static_cast<uint8_t>(DcepMessageType::Open) &&
        find(sid) == nullptr && max_channels_ && sid < *max_channels_) {
      Channel& ch = add_channel(sid);
      ch.hidden = true;
      ch.state = ChannelState::Open;
      begin_close(ch);
    }
    return;
  }
  if (std::holds_alternative<DataChannelAck>(*parsed)) {
    Channel* ch = find(sid);
    if (ch == nullptr || !ch->local || ch->negotiated || ch->acked) {
      WASMRTC_LOG(LogLevel::Debug, kTag) << "unexpected DATA_CHANNEL_ACK on stream " << sid;
      return;
    }
    ch->acked = true;
    if (ch->state == ChannelState::Connecting) {
      ch->state = ChannelState::Open;
      emit(event::ChannelOpened{sid});
    }
    return;
  }

  const DataChannelOpen& open = std::get<DataChannelOpen>(*parsed);
  // RFC 8832 section 6: the DTLS client opens even ids, the server odd
  // ones, so the peer's must have the other parity than ours.
  const bool peer_parity = (sid % 2 == 1) == config_.dtls_client;
  if (Channel* existing = find(sid)) {
    WASMRTC_LOG(LogLevel::Warn, kTag) << "DATA_CHANNEL_OPEN on stream " << sid << " in use";
    begin_close(*existing);
    return;
  }
  if (!peer_parity || !max_channels_ || sid >= *max_channels_) {
    WASMRTC_LOG(LogLevel::Warn, kTag) << "DATA_CHANNEL_OPEN on stream " << sid << " of our parity";
    if (max_channels_ && sid < *max_channels_) {
      Channel& ch = add_channel(sid);
      ch.hidden = true;
      ch.state = ChannelState::Open;
      begin_close(ch);
    }
    return;
  }
  Channel& ch = add_channel(sid);
  ch.state = ChannelState::Open;
  ch.acked = true;
  ch.ordered = open.ordered();
  if (auto r = open.max_retransmits()) {
    ch.pr_policy = SCTP_PR_SCTP_RTX;
    ch.pr_value = *r;
  } else if (auto t = open.max_packet_life_time_ms()) {
    ch.pr_policy = SCTP_PR_SCTP_TTL;
    ch.pr_value = *t;
  }
  Outgoing ack;
  ack.data = encode_ack();
  ack.ppid = ppid::kDcep;
  ack.control = true;
  enqueue(ch, std::move(ack));

  ChannelParameters p;
  p.label = open.label;
  p.protocol = open.protocol;
  p.ordered = open.ordered();
  p.max_retransmits = open.max_retransmits();
  p.max_packet_life_time_ms = open.max_packet_life_time_ms();
  p.priority = open.priority;
  emit(event::RemoteChannelOpened{sid, std::move(p)});
}

// ---------------------------------------------------------------- sending

void Association::Impl::enqueue(Channel& ch, Outgoing message) {
  ch.queue.push_back(std::move(message));
  if (!ch.in_ready) {
    ch.in_ready = true;
    ready_.push_back(ch.id);
  }
}

void Association::Impl::take_from_buffered(Channel& ch, size_t n) {
  ch.buffered -= std::min(n, ch.buffered);
  if (ch.above_threshold && ch.buffered <= ch.low_threshold) {
    ch.above_threshold = false;
    if (!ch.hidden) emit(event::BufferedAmountLow{ch.id});
  }
}

void Association::Impl::flush_sends() {
  if (state_ != State::Connected || sock_ == nullptr) return;
  while (!ready_.empty()) {
    const uint16_t sid = ready_.front();
    ready_.pop_front();
    Channel* ch = find(sid);
    if (ch == nullptr) continue;
    ch->in_ready = false;
    if (ch->queue.empty()) continue;
    Outgoing& m = ch->queue.front();

    if (m.offset == 0) {
      // RFC 8832 section 6: DCEP messages, and user messages until the ACK,
      // go ordered so that none overtakes the OPEN.
      const bool unordered = !m.control && !ch->ordered && ch->acked;
      m.flags = unordered ? SCTP_UNORDERED : 0;
    }
    const size_t remaining = m.data.size() - m.offset;
    const size_t piece = std::min(remaining, kSendPiece);
    const bool last = piece == remaining;

    sctp_sendv_spa spa{};
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
    spa.sendv_sndinfo.snd_sid = sid;
    spa.sendv_sndinfo.snd_flags = static_cast<uint16_t>(m.flags | (last ? SCTP_EOR : 0));
    spa.sendv_sndinfo.snd_ppid = htonl(m.ppid);
    spa.sendv_prinfo.pr_policy = m.control ? SCTP_PR_SCTP_NONE : ch->pr_policy;
    spa.sendv_prinfo.pr_value = m.control ? 0 : ch->pr_value;
    const ssize_t n = usrsctp_sendv(sock_, m.data.data() + m.offset, piece, nullptr, 0, &spa,
                                    sizeof(spa), SCTP_SENDV_SPA, 0);
    if (n < 0) {
      const int err = errno;
      if (would_block(err)) {
        // Full: put the channel back at the head and wait for SACKs.
        ch->in_ready = true;
        ready_.push_front(sid);
        break;
      }
      WASMRTC_LOG(LogLevel::Warn, kTag)
          << "usrsctp_sendv on stream " << sid << " failed: errno " << err << "; message dropped";
      if (m.counted) take_from_buffered(*ch, m.data.size() - m.offset);
      ch->queue.pop_front();
    } else {
      m.offset += static_cast<size_t>(n);
      if (m.counted) take_from_buffered(*ch, static_cast<size_t>(n));
      if (m.offset == m.data.size()) ch->queue.pop_front();
    }

    const bool incomplete = !ch->queue.empty() && ch->queue.front().offset > 0;
    if (!ch->queue.empty()) {
      ch->in_ready = true;
      // Without I-DATA usrsctp insists on finishing a message before any
      // other stream's: keep this channel first until its EOR.
      if (incomplete && !idata_) {
        ready_.push_front(sid);
      } else {
        ready_.push_back(sid);
      }
    } else {
      maybe_request_reset(*ch);
    }
    if (n >= 0 && static_cast<size_t>(n) < piece) break;  // the buffer filled up
  }
}

void Association::Impl::maybe_request_reset(Channel& ch) {
  if (!ch.reset_wanted || ch.reset_requested || !ch.queue.empty()) return;
  ch.reset_requested = true;
  pending_resets_.push_back(ch.id);
}

void Association::Impl::issue_resets() {
  if (pending_resets_.empty() || state_ != State::Connected || sock_ == nullptr) return;
  std::vector<uint16_t> ids = std::move(pending_resets_);
  pending_resets_.clear();
  // sctp_reset_streams ends in a flexible array of stream ids.
  std::vector<uint8_t> buf(sizeof(sctp_reset_streams) + ids.size() * sizeof(uint16_t));
  auto* req = reinterpret_cast<sctp_reset_streams*>(buf.data());
  req->srs_assoc_id = SCTP_ALL_ASSOC;
  req->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  req->srs_number_streams = static_cast<uint16_t>(ids.size());
  std::memcpy(buf.data() + sizeof(sctp_reset_streams), ids.data(), ids.size() * sizeof(uint16_t));
  // usrsctp sends the request once these streams' queues are empty and no
  // other request is outstanding (RFC 6525 section 5.1.2), by itself.
  if (usrsctp_setsockopt(sock_, IPPROTO_SCTP, SCTP_RESET_STREAMS, buf.data(),
                         static_cast<socklen_t>(buf.size())) == 0) {
    return;
  }
  // No RE-CONFIG support at the peer (or a stream out of range): the
  // channels cannot be closed on the wire; close them here.
  WASMRTC_LOG(LogLevel::Warn, kTag) << "SCTP_RESET_STREAMS failed: errno " << errno;
  for (uint16_t id : ids) {
    if (Channel* ch = find(id)) {
      ch->out_reset = true;
      ch->in_reset = true;
      maybe_finish_close(id);
    }
  }
}

// ---------------------------------------------------------------- channels

Channel* Association::Impl::find(uint16_t id) {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second;
}

const Channel* Association::Impl::find(uint16_t id) const {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second;
}

Channel& Association::Impl::add_channel(uint16_t id) {
  Channel& ch = channels_[id];
  ch.id = id;
  return ch;
}

void Association::Impl::begin_close(Channel& ch) {
  if (ch.state == ChannelState::Closing) return;
  ch.state = ChannelState::Closing;
  ch.reset_wanted = true;
  maybe_request_reset(ch);
}

void Association::Impl::maybe_finish_close(uint16_t id) {
  Channel* ch = find(id);
  if (ch == nullptr || !ch->out_reset || !ch->in_reset) return;
  const bool report = !ch->hidden;
  erase_channel(id);
  if (report) emit(event::ChannelClosed{id, std::nullopt});
}

void Association::Impl::erase_channel(uint16_t id) {
  auto it = channels_.find(id);
  if (it == channels_.end()) return;
  if (it->second.in_ready) std::erase(ready_, id);
  std::erase(pending_resets_, id);
  channels_.erase(it);
  partials_.erase_stream(id);
}

Result<uint16_t> Association::Impl::open_channel(const ChannelInit& init) {
  if (state_ == State::Closed || state_ == State::Failed || shutting_down_) {
    return Unexpected(Error::AssociationClosed);
  }
  if (init.max_retransmits && init.max_packet_life_time_ms) {
    return Unexpected(Error::InvalidReliability);
  }
  DataChannelOpen open = DataChannelOpen::make(init.ordered, init.max_retransmits,
                                               init.max_packet_life_time_ms);
  open.priority = init.priority;
  open.label = init.label;
  open.protocol = init.protocol;
  // Before the association is up the peer's stream count is unknown: our
  // own offer bounds the ids, and COMM_UP drops what does not fit.
  const uint32_t limit =
      std::min<uint32_t>(max_channels_ ? *max_channels_ : config_.streams, kMaxStreamId + 1);

  auto wire = encode_open(open);  // also checks the label and protocol lengths
  if (!wire) return Unexpected(wire.error());
  uint16_t id = 0;
  if (init.id) {
    if (*init.id >= limit) return Unexpected(Error::IdOutOfRange);
    if (find(*init.id) != nullptr) return Unexpected(Error::IdInUse);
    id = *init.id;
  } else {
    // RFC 8832 section 6: even ids for the DTLS client, odd for the server.
    uint32_t candidate = config_.dtls_client ? 0 : 1;
    while (candidate < limit && find(static_cast<uint16_t>(candidate)) != nullptr) candidate += 2;
    if (candidate >= limit) return Unexpected(Error::NoFreeId);
    id = static_cast<uint16_t>(candidate);
  }

  Channel& ch = add_channel(id);
  ch.local = true;
  ch.ordered = init.ordered;
  if (init.max_retransmits) {
    ch.pr_policy = SCTP_PR_SCTP_RTX;
    ch.pr_value = *init.max_retransmits;
  } else if (init.max_packet_life_time_ms) {
    ch.pr_policy = SCTP_PR_SCTP_TTL;
    ch.pr_value = *init.max_packet_life_time_ms;
  }
  if (init.id) {
    // Negotiated out of band: no DCEP, open as soon as the association is.
    ch.negotiated = true;
    ch.acked = true;
    ch.state = ChannelState::Open;
    if (state_ == State::Connected) emit(event::ChannelOpened{id});
  } else {
    ch.state = ChannelState::Connecting;
    Outgoing m;
    m.data = std::move(*wire);
    m.ppid = ppid::kDcep;
    m.control = true;
    enqueue(ch, std::move(m));
  }
  if (last_now_) last_activity_ = *last_now_;
  flush_sends();
  return id;
}

Result<void> Association::Impl::send(uint16_t id, bool binary, ByteView data) {
  Channel* ch = find(id);
  if (ch == nullptr || ch->hidden) return Unexpected(Error::UnknownChannel);
  if (state_ == State::Closed || state_ == State::Failed || shutting_down_) {
    return Unexpected(Error::AssociationClosed);
  }
  if (ch->state == ChannelState::Closing) return Unexpected(Error::ChannelNotOpen);
  if (config_.max_message_size != 0 && data.size() > config_.max_message_size) {
    return Unexpected(Error::MessageTooLarge);
  }
  Outgoing m;
  if (data.empty()) {
    m.data = Bytes{kEmptyPayload};
    m.ppid = binary ? ppid::kBinaryEmpty : ppid::kStringEmpty;
  } else {
    m.data.assign(data.begin(), data.end());
    m.ppid = binary ? ppid::kBinary : ppid::kString;
    m.counted = true;
    ch->buffered += data.size();
  }
  enqueue(*ch, std::move(m));
  if (last_now_) last_activity_ = *last_now_;
  flush_sends();
  // Only an amount the caller could have seen above the threshold makes a
  // later drop below it an event.
  if (Channel* again = find(id); again && again->buffered > again->low_threshold) {
    again->above_threshold = true;
  }
  return {};
}

Result<void> Association::Impl::close_channel(uint16_t id) {
  Channel* ch = find(id);
  if (ch == nullptr || ch->hidden) return Unexpected(Error::UnknownChannel);
  if (ch->state == ChannelState::Closing) return {};
  if (state_ != State::Connected) {
    // Nothing on the wire yet (or any more): closed at once.
    erase_channel(id);
    emit(event::ChannelClosed{id, std::nullopt});
    return {};
  }
  begin_close(*ch);
  if (last_now_) last_activity_ = *last_now_;
  flush_sends();
  issue_resets();
  return {};
}

size_t Association::Impl::buffered_amount(uint16_t id) const {
  const Channel* ch = find(id);
  return ch == nullptr ? 0 : ch->buffered;
}

Result<void> Association::Impl::set_buffered_amount_low_threshold(uint16_t id, size_t threshold) {
  Channel* ch = find(id);
  if (ch == nullptr || ch->hidden) return Unexpected(Error::UnknownChannel);
  ch->low_threshold = threshold;
  ch->above_threshold = ch->buffered > threshold;
  return {};
}

// ---------------------------------------------------------------- ending

void Association::Impl::close(Timestamp now) {
  touch(now);
  if (state_ == State::Closed || state_ == State::Failed) return;
  if (state_ != State::Connected) {
    abort(now);
    return;
  }
  // What usrsctp holds is delivered before SHUTDOWN; what waits here is not.
  for (auto& [id, ch] : channels_) {
    ch.queue.clear();
    ch.buffered = 0;
  }
  ready_.clear();
  shutting_down_ = true;
  last_activity_ = now;
  // SHUT_WR, not SHUT_RDWR: what the peer still sends, and the
  // SHUTDOWN_COMPLETE notification, must stay readable.
  usrsctp_shutdown(sock_, SHUT_WR);
  process();
}

void Association::Impl::abort(Timestamp now) {
  touch(now);
  if (state_ == State::Closed || state_ == State::Failed) return;
  end(event::Closed{});
}

void Association::Impl::close_socket(bool abortive) {
  if (sock_ == nullptr) return;
  if (abortive) {
    // SO_LINGER with a zero timeout: usrsctp_close sends ABORT and frees
    // the association at once instead of waiting on timers.
    linger l{};
    l.l_onoff = 1;
    l.l_linger = 0;
    usrsctp_setsockopt(sock_, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  }
  usrsctp_close(sock_);
  sock_ = nullptr;
}

void Association::Impl::end(Event last) {
  if (state_ == State::Closed || state_ == State::Failed) return;
  const auto* failed = std::get_if<event::Failed>(&last);
  state_ = failed ? State::Failed : State::Closed;
  for (auto& [id, ch] : channels_) {
    if (!ch.hidden) emit(event::ChannelClosed{id, failed ? std::optional(*failed) : std::nullopt});
  }
  channels_.clear();
  ready_.clear();
  pending_resets_.clear();
  partials_.clear();
  emit(std::move(last));
  // Also after SHUTDOWN_COMPLETE or COMM_LOST: the association is gone and
  // the socket has no further use; closing it stops the timer ticks.
  close_socket(/*abortive=*/true);
}

// ---------------------------------------------------------------- facade

Association::Association(Config config) : impl_(std::make_unique<Impl>(config)) {}
Association::~Association() = default;
Association::Association(Association&&) noexcept = default;
Association& Association::operator=(Association&&) noexcept = default;

Result<void> Association::start(Timestamp now) { return impl_->start(now); }
void Association::handle_input(Timestamp now, base::ByteView packet) {
  impl_->handle_input(now, packet);
}
void Association::handle_timeout(Timestamp now) { impl_->handle_timeout(now); }
std::optional<base::Bytes> Association::poll_transmit() { return impl_->poll_transmit(); }
std::optional<Event> Association::poll_event() { return impl_->poll_event(); }
Deadline Association::poll_timeout() const { return impl_->poll_timeout(); }
State Association::state() const { return impl_->state(); }
std::optional<uint16_t> Association::max_channels() const { return impl_->max_channels(); }
bool Association::interleaving() const { return impl_->interleaving(); }
size_t Association::max_message_size() const { return impl_->max_message_size(); }
Result<uint16_t> Association::open_channel(const ChannelInit& init) {
  return impl_->open_channel(init);
}
Result<void> Association::send(uint16_t id, bool binary, base::ByteView data) {
  return impl_->send(id, binary, data);
}
Result<void> Association::close_channel(uint16_t id) { return impl_->close_channel(id); }
size_t Association::buffered_amount(uint16_t id) const { return impl_->buffered_amount(id); }
size_t Association::held_bytes() const { return impl_->held_bytes(); }
uint64_t Association::messages_dropped() const { return impl_->messages_dropped(); }
Result<void> Association::set_buffered_amount_low_threshold(uint16_t id, size_t threshold) {
  return impl_->set_buffered_amount_low_threshold(id, threshold);
}
void Association::close(Timestamp now) { impl_->close(now); }
void Association::abort(Timestamp now) { impl_->abort(now); }

}  // namespace wasmrtc::sctp
