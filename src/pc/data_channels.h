// The data channels of one RTCPeerConnection: the RTCSctpTransport's SCTP
// association (RFC 8261 SCTP over DTLS, RFC 8831), the table of channels
// (the page's handles <-> SCTP stream ids, opened with DCEP, RFC 8832
// section 6) and the bytes each channel's sender has actually sent, so the
// page can lower bufferedAmount (webrtc-pc 6.2).
//
// W3C: webrtc-pc section 6.1 (RTCSctpTransport: state, maxMessageSize,
// maxChannels; 6.1.1 "update the data max message size") and section 6.2
// (RTCDataChannel: announce, open, message, closing, close with an error).
//
// Sans-IO and self-contained: it knows nothing of DTLS or ICE. The
// embedder (PeerConnection) makes the association once the DTLS role is
// known, starts it once DTLS is connected, hands it each decrypted DTLS
// record and sends what poll_transmit() gives through DTLS. What the page
// must hear comes out of poll_event() as records (pc/record.h), in order.
// After every call, drain poll_transmit() and poll_event().
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>

#include "base/bytes.h"
#include "base/time.h"
#include "pc/record.h"
#include "sctp/association.h"

namespace wasmrtc::pc {

// Page-created channels have positive handles, remote-created negative ones.
using ChannelHandle = int32_t;

// createDataChannel (webrtc-pc 6.1, RTCDataChannelInit).
struct ChannelRequest {
  ChannelHandle handle = 0;
  sctp::ChannelInit init;
  bool negotiated = false;
};

class DataChannels {
 public:
  DataChannels();
  ~DataChannels();
  DataChannels(const DataChannels&) = delete;
  DataChannels& operator=(const DataChannels&) = delete;

  // ---- the association (the RTCSctpTransport)
  // The peer's a=max-message-size (RFC 8841 section 6; 65536 without one,
  // 0 for no limit), from every applied description.
  void set_remote_max_message_size(uint64_t size) { remote_max_message_size_ = size; }
  // webrtc-pc 6.1.1 "update the data max message size": the RTCSctpTransport's
  // maxMessageSize, +Infinity for a remote 0.
  double max_message_size() const;
  bool has_association() const { return sctp_ != nullptr; }
  sctp::State state() const { return state_; }
  // Makes the association once the data section is negotiated (RFC 8832
  // section 6: the DTLS client takes even stream ids); `mtu` is the largest
  // SCTP packet (one DTLS record in one datagram, RFC 8261 section 5).
  // Started at once when `dtls_connected`. Then opens the channels the page
  // asked for before.
  void create_association(base::Timestamp now, bool dtls_client, uint32_t mtu, bool dtls_connected);
  // DTLS is connected: SCTP INIT (both sides, RFC 8261 section 4).
  void start(base::Timestamp now);
  // One decrypted DTLS application-data record: exactly one SCTP packet.
  void handle_packet(base::Timestamp now, base::ByteView packet);
  // The DTLS transport failed or closed under the association.
  void abort(base::Timestamp now);
  // The RTCPeerConnection closes (webrtc-pc 4.4.1.5 "close the connection"):
  // an ABORT for the peer (from poll_transmit()), then nothing more is sent.
  void close(base::Timestamp now);
  void handle_timeout(base::Timestamp now);
  base::Deadline poll_timeout() const;
  // SCTP packets for DTLS, in order.
  std::optional<base::Bytes> poll_transmit();
  // Page events: sctpstatechange, datachannel, channelid, channelopen,
  // message, channelclosing, channelclose, sent.
  std::optional<Record> poll_event();

  // ---- channels (RTCDataChannel)
  void create_channel(const ChannelRequest& request);
  // Counts `data` as accepted for the channel's sent accounting, and gives
  // it to SCTP when the channel has a stream: true then (drain the
  // outputs); otherwise it is dropped and counted as sent at once.
  bool send(ChannelHandle channel, bool binary, base::ByteView data);
  // webrtc-pc 6.2 close(): false when the channel had no stream on the
  // association, so it closed at once (channelclose already queued).
  bool close_channel(ChannelHandle channel);
  // A "sent" event for every channel whose bytes left SCTP's buffer since
  // the last report (the page lowers bufferedAmount by them).
  void report_sent();

  // ---- webrtc-stats: RTCPeerConnectionStats' counters and one
  // RTCDataChannelStats per channel.
  uint32_t channels_opened() const { return channels_opened_; }
  uint32_t channels_closed() const { return channels_closed_; }
  void stats(RecordList& out) const;

 private:
  struct Channel {
    ChannelHandle handle = 0;
    std::optional<uint16_t> id;
    sctp::ChannelInit init;
    bool negotiated = false;
    bool requested = false;  // open_channel called on the association
    bool open = false;
    bool closing = false;
    uint64_t accepted = 0;   // bytes given to send()
    uint64_t reported = 0;   // bytes reported to the page as sent
    uint64_t messages_sent = 0, bytes_sent = 0, messages_received = 0, bytes_received = 0;
  };

  void open_pending_channels();
  void on_sctp_event(sctp::Event& event);
  Channel* channel_by_id(uint16_t id);
  Channel* channel_by_handle(ChannelHandle handle);
  void emit_channel(const char* type, const Channel& channel);
  void emit(Record event) { events_.push_back(std::move(event)); }

  std::unique_ptr<sctp::Association> sctp_;
  sctp::State state_ = sctp::State::New;
  bool closed_ = false;
  uint64_t remote_max_message_size_ = 65536;
  std::map<ChannelHandle, Channel> channels_;
  std::map<uint16_t, ChannelHandle> by_id_;
  ChannelHandle next_remote_handle_ = -1;
  uint32_t channels_opened_ = 0, channels_closed_ = 0;
  std::deque<Record> events_;
};

}  // namespace wasmrtc::pc
