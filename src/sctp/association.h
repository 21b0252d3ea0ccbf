// An SCTP association over DTLS (RFC 8261) carrying WebRTC data channels
// (RFC 8831) opened with DCEP (RFC 8832), sans-IO, on top of usrsctp.
//
// The embedder owns the DTLS connection and the clock:
//   start(now)                      once DTLS is connected (both sides call it:
//                                   SCTP handles the simultaneous INITs)
//   handle_input(now, packet)       each decrypted DTLS record (= one SCTP packet)
//   handle_timeout(now)             no later than poll_timeout()
//   poll_transmit()                 SCTP packets to encrypt and send, until empty
//   poll_event()                    events, until empty
// After every call into the association, drain poll_transmit() and
// poll_event(), then sleep until poll_timeout().
//
// Channel calls (open_channel, send, close_channel) take effect at once and
// may produce packets; they use the time of the last handle_* call, so an
// embedder that obeys poll_timeout() keeps usrsctp's clock within one tick.
//
// Threading and re-entrancy: none. All associations of a process share
// usrsctp's global state and must be used from one thread with one clock.
// No callback ever calls into the embedder: everything comes out through
// the poll_* functions, so every call is safe from any point of the
// embedder's code (including while handling an event of this association).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "base/time.h"
#include "sctp/dcep.h"
#include "sctp/error.h"

namespace wasmrtc::sctp {

using base::Deadline;
using base::Duration;
using base::Timestamp;

struct Config {
  // RFC 8832 section 6: the DTLS client opens channels on even stream ids,
  // the server on odd ones.
  bool dtls_client = true;
  // a=sctp-port (RFC 8841 section 5); 5000 unless the SDP says otherwise.
  uint16_t local_port = 5000;
  uint16_t remote_port = 5000;
  // The peer's a=max-message-size (RFC 8841 section 6): send() rejects
  // anything larger. 65536 when the SDP has none; 0 means "no limit".
  size_t max_message_size = 65536;
  // What we advertise in our a=max-message-size: incoming messages up to
  // this size are delivered, larger ones are dropped (and logged).
  size_t local_max_message_size = 262144;
  // Bytes of incomplete incoming messages held across every channel:
  // messages longer than one read, usrsctp's partial deliveries, and the
  // pieces of deprecated PPID 52/54 messages. The message that would pass
  // it is dropped and its channel closed with an error (ChannelClosed with
  // a failure), so a peer cannot grow the heap by opening channels and
  // never finishing a message. At least local_max_message_size.
  size_t max_held_bytes = 4 * 1024 * 1024;
  // Streams offered each way in INIT (SCTP_INITMSG). The channel limit is
  // the smaller of this and what the peer offers (Chromium: 65535). Each
  // stream costs usrsctp about 100 bytes per direction.
  uint16_t streams = 65535;
  // Bytes usrsctp may hold for sending (unsent + unacknowledged) and for
  // receiving (its a_rwnd). send() never fails for lack of room: beyond
  // the send buffer, messages wait in this layer (see buffered_amount()).
  size_t send_buffer_size = 1024 * 1024;
  size_t receive_buffer_size = 1024 * 1024;
  // Largest SCTP packet, common header included; path MTU discovery is
  // off. Over DTLS this must leave room for the record overhead: the
  // PeerConnection uses its datagram size minus dtls::kMaxRecordOverhead.
  uint32_t mtu = 1200;
  // Offer I-DATA (RFC 8260, user message interleaving). When both ends
  // support it a large message no longer holds up the other streams.
  // Chromium's dcSCTP does not offer it; plain DATA is used then.
  bool interleaving = true;
  // Retransmission timeout bounds (RFC 4960 section 6.3.1; RTO.Initial as
  // there, a lower RTO.Min and RTO.Max for interactive use).
  Duration rto_initial = Duration::millis(1000);
  Duration rto_min = Duration::millis(400);
  Duration rto_max = Duration::seconds(10);
};

// What createDataChannel() hands down (W3C RTCDataChannelInit).
struct ChannelInit {
  std::string label;     // UTF-8, at most 65535 bytes
  std::string protocol;  // UTF-8, at most 65535 bytes
  bool ordered = true;
  // At most one of these (W3C: TypeError otherwise). Neither: reliable.
  std::optional<uint16_t> max_retransmits;
  std::optional<uint16_t> max_packet_life_time_ms;
  // Set: a negotiated channel (W3C negotiated = true) on this stream id, of
  // any parity; no DCEP is sent and it opens when the association does.
  // Unset: an in-band channel on a free id of our parity (DCEP OPEN/ACK).
  std::optional<uint16_t> id;
  uint16_t priority = priority::kNormal;
};

// What a remote DATA_CHANNEL_OPEN asked for.
struct ChannelParameters {
  std::string label;
  std::string protocol;
  bool ordered = true;
  std::optional<uint32_t> max_retransmits;
  std::optional<uint32_t> max_packet_life_time_ms;
  uint16_t priority = priority::kNormal;
  bool operator==(const ChannelParameters&) const = default;
};

enum class State : uint8_t { New, Connecting, Connected, Closed, Failed };
const char* to_string(State s);

namespace event {
// The association is up (SCTP COMM_UP). Comes before any channel event.
struct Connected {
  bool operator==(const Connected&) const = default;
};
// A channel we opened can be used: DCEP ACK received (or, per RFC 8832
// section 6, a first message from the peer on it), or a negotiated channel
// once the association is up.
struct ChannelOpened {
  uint16_t id;
  bool operator==(const ChannelOpened&) const = default;
};
// The peer opened a channel with DATA_CHANNEL_OPEN; the ACK is already
// queued and the channel is open for sending.
struct RemoteChannelOpened {
  uint16_t id;
  ChannelParameters parameters;
  bool operator==(const RemoteChannelOpened&) const = default;
};
// One whole user message.
struct Message {
  uint16_t id;
  bool binary;
  base::Bytes data;
  bool operator==(const Message&) const = default;
};
// buffered_amount(id) fell from above the threshold to at or below it.
struct BufferedAmountLow {
  uint16_t id;
  bool operator==(const BufferedAmountLow&) const = default;
};
// The peer reset its outgoing stream (it closed the channel); ours is
// being reset in turn. W3C: readyState "closing".
struct ChannelClosing {
  uint16_t id;
  bool operator==(const ChannelClosing&) const = default;
};
// The association was lost: the peer aborted, retransmissions ran out, or
// it never came up. Every channel got ChannelClosed first.
struct Failed {
  std::string reason;
  // The first error cause of the peer's ABORT (RFC 4960 section 3.3.10;
  // 12 is User-Initiated Abort), when the peer aborted and gave one.
  std::optional<uint16_t> cause;
  bool operator==(const Failed&) const = default;
};
// Both directions of the stream are reset (RFC 8831 section 6.7), or the
// association went away, or the channel could not be opened. The id is
// free again.
struct ChannelClosed {
  uint16_t id;
  // Set when the association was lost under the channel: the Failed that
  // follows (W3C: the data transport "closed with an error").
  std::optional<Failed> failure;
  bool operator==(const ChannelClosed&) const = default;
};
// The association ended cleanly (SHUTDOWN completed, or close()/abort()
// called here). Every channel got ChannelClosed first.
struct Closed {
  bool operator==(const Closed&) const = default;
};
}  // namespace event

using Event = std::variant<event::Connected, event::ChannelOpened, event::RemoteChannelOpened,
                           event::Message, event::BufferedAmountLow, event::ChannelClosing,
                           event::ChannelClosed, event::Closed, event::Failed>;

class Association {
 public:
  explicit Association(Config config);
  // Tears the socket down at once (an ABORT is produced but dropped: call
  // close() or abort() first to have the peer told).
  ~Association();
  Association(Association&&) noexcept;
  Association& operator=(Association&&) noexcept;
  Association(const Association&) = delete;
  Association& operator=(const Association&) = delete;

  // Sends INIT. Call once the DTLS handshake is done, on both sides.
  Result<void> start(Timestamp now);
  // One decrypted DTLS application-data record: exactly one SCTP packet.
  void handle_input(Timestamp now, base::ByteView packet);
  void handle_timeout(Timestamp now);

  std::optional<base::Bytes> poll_transmit();
  std::optional<Event> poll_event();
  // When handle_timeout() is next due: at once (the last `now` seen) while
  // packets or events wait or usrsctp has work; otherwise the next timer
  // tick (usrsctp 0.9.5 does not say when its next timer fires, so it is
  // ticked every 10 ms while busy and every 250 ms while idle).
  Deadline poll_timeout() const;

  State state() const;
  // Negotiated number of streams each way (W3C RTCSctpTransport.maxChannels);
  // nullopt until connected.
  std::optional<uint16_t> max_channels() const;
  // Whether I-DATA was negotiated (RFC 8260); false until connected.
  bool interleaving() const;
  // The limit send() applies (Config::max_message_size; 0 = none).
  size_t max_message_size() const;

  // Opens a channel (see ChannelInit::id). Allowed before start(): in-band
  // channels then send their OPEN once connected. Returns the stream id.
  Result<uint16_t> open_channel(const ChannelInit& init);
  // Queues one message (RFC 8831 section 6.6: an empty one goes out as a
  // single 0 byte with PPID 56/57). Allowed as soon as open_channel()
  // returned: sent once connected, and ordered until the DCEP ACK arrives
  // (RFC 8832 section 6). Fails on a closing or closed channel and on
  // messages over max_message_size().
  Result<void> send(uint16_t id, bool binary, base::ByteView data);
  // Starts closing: messages already queued are still sent, then the
  // outgoing stream is reset (RFC 8831 section 6.7); ChannelClosed follows
  // once the peer has reset its side too.
  Result<void> close_channel(uint16_t id);

  // Bytes of user messages accepted by send() and not yet taken by usrsctp's
  // send buffer (0 for an unknown id). An approximation of W3C
  // bufferedAmount: once in usrsctp's buffer a byte no longer counts,
  // although it may not be on the wire yet.
  size_t buffered_amount(uint16_t id) const;
  Result<void> set_buffered_amount_low_threshold(uint16_t id, size_t threshold);

  // Bytes of incomplete incoming messages held now (at most
  // Config::max_held_bytes), and incoming messages dropped so far (over
  // local_max_message_size, or over that cap).
  size_t held_bytes() const;
  uint64_t messages_dropped() const;

  // Graceful SHUTDOWN (RFC 4960 section 9.2): queued data is delivered
  // first, then Closed. Unsent data still queued here is dropped.
  void close(Timestamp now);
  // ABORT (RFC 4960 section 9.1): ChannelClosed for every channel and
  // Closed at once; the ABORT packet is left in poll_transmit().
  void abort(Timestamp now);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::sctp
