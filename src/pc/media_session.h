// The media session of one RTCPeerConnection: every audio and video m=
// section on the BUNDLE transport's SRTP session.
//
// - SRTP/SRTCP keyed from DTLS-SRTP (RFC 3711, RFC 5764 section 4.2,
//   RFC 7714), with dropped input counted by reason (RFC 3711 section 3.3).
// - Media sections from what negotiation settled (RFC 8829 sections 5.10,
//   5.11; RFC 3264 section 6.1: the answer's first format is sent).
// - RTP routing by the mid header extension, a known SSRC, then a payload
//   type only one section uses (RFC 8843 section 9.2).
// - RTCP: SR/RR with report blocks and SDES CNAME every second, BYE on
//   close (RFC 3550 sections 6.4, 6.5, 6.6; RFC 5506).
// - Video: VP8 (RFC 7741) and H.264 (RFC 6184), NACK answered as RTX from a 1 s history
//   (RFC 4585 6.2.1, RFC 4588; rtp::PacketHistory: each packet once per
//   round trip, within the congestion-control target), keyframes on
//   PLI/FIR (RFC 4585 6.3.1, RFC 5104 4.3.1), the receive side's NACK/PLI
//   decisions.
// - DTMF: RFC 4733 telephone-events for webrtc-pc section 7 (RTCDTMFSender).
// - Congestion control: the pacer, transport-wide sequence numbers and
//   feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01), the
//   delay- and loss-based estimate with REMB, shared out to the encoders
//   (webrtc-stats availableOutgoingBitrate).
// - Codecs: built-in Opus, G.711, VP8 and H.264, and those of a CodecRegistry
//   (pc/codec_registry.h) in the generic payload format, encoded and
//   decoded by the registry's factories or by the embedder
//   (send_encoded_video/audio; "encodedframe" and "keyframerequest" events).
// - webrtc-stats: codec, outbound-rtp, remote-inbound-rtp, inbound-rtp,
//   remote-outbound-rtp, media-source.
//
// Sans-IO: time and packets come in through the public calls. It knows
// nothing of ICE, DTLS or SDP text: the embedder (PeerConnection) gives it
// the DTLS-SRTP keys, the negotiated sections and the SRTP packets the
// transport's RFC 7983 demultiplexer picked out. What it sends and the
// page events go out through a Link, the layer below, which it takes at
// construction (as aiortc's transports take theirs): the media path sends
// from deep inside (the pacer releasing packets, NACKs answered while
// RTCP is read), and handing each packet down at once keeps it in the
// order it was made. Link calls happen only synchronously, inside a public
// call of this session; Link::flush may call back into the session (the
// embedder's transports may deliver more SRTP), every other Link call
// must not.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/time.h"
#include "cc/bandwidth_estimator.h"
#include "cc/pacer.h"
#include "pc/media.h"
#include "pc/record.h"
#include "rtp/ntp.h"
#include "rtp/rtcp.h"
#include "rtp/transport_feedback.h"
#include "sdp/negotiated.h"
#include "sdp/transceiver.h"
#include "srtp/session.h"

namespace wasmrtc::pc {

class MediaSession {
 public:
  // The layer below and the page, as the media session uses them.
  class Link {
   public:
    virtual ~Link() = default;
    // One protected RTP or RTCP packet for the transport.
    virtual void send(base::Timestamp now, base::ByteView packet) = 0;
    // The pacer let packets go: the embedder moves what the transport
    // queued out now. May call back into the session.
    virtual void flush(base::Timestamp now) = 0;
    // A page event: audioframe, videoframe, dtmf.
    virtual void emit(Record event) = 0;
    // The selected ICE pair's round trip (RFC 7675 consent checks), which
    // stands in for RTCP's on a receive-only endpoint.
    virtual std::optional<base::Duration> transport_rtt() const = 0;
  };

  struct Config {
    std::string cname;  // RTCP SDES CNAME (RFC 3550 section 6.5.1, RFC 7022)
    // Unix time in microseconds minus the engine's clock: NTP timestamps in
    // sender reports (RFC 3550 section 6.4.1) and the stats' timestamps.
    int64_t wall_clock_offset_us = 0;
    // Largest datagram on the transport: video payloads leave room in it
    // for the RTP header, the mid extension and the SRTP tag.
    size_t datagram_mtu = 1200;
    // The engine's codecs beyond the built-in ones (null: built-in only).
    const CodecRegistry* codecs = nullptr;
  };

  MediaSession(Config config, base::Random& random, Link& link);
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // ---- negotiation and the page's changes
  // The sections an applied answer settled, for the transceivers that have
  // them; sections that went away (or were stopped) are dropped.
  void apply(base::Timestamp now, const sdp::Negotiated& n, const std::vector<sdp::Transceiver>& transceivers);
  // RTCRtpSender.setParameters (webrtc-pc 5.2): encodings[0].active and
  // maxBitrate (0 clears it), effective at once.
  void set_encoding(sdp::TransceiverHandle handle, std::optional<bool> active, std::optional<uint32_t> max_bitrate);
  // RTCRtpTransceiver.stop() (RFC 8829 section 4.2.1): nothing more goes
  // out or comes in on it, before any renegotiation.
  void remove(sdp::TransceiverHandle handle) { media_.erase(handle); }

  // ---- SRTP (RFC 5764 section 4.2): once DTLS has exported the keys.
  void start_srtp(srtp::Profile profile, const srtp::Keys& local, const srtp::Keys& remote);
  bool has_srtp() const { return srtp_.has_value(); }
  // The transport went away (no m= section accepted): the next DTLS
  // transport gives new keys.
  void stop_srtp() { srtp_.reset(); }

  // ---- sending
  // 10 ms of interleaved PCM from the track of this transceiver's sender.
  void send_audio(base::Timestamp now, sdp::TransceiverHandle handle, std::span<const int16_t> pcm,
                  uint32_t sample_rate, uint8_t channels);
  // One I420 frame from the track of this transceiver's sender (video).
  void send_video(base::Timestamp now, sdp::TransceiverHandle handle, uint32_t width, uint32_t height,
                  base::ByteView i420);
  // Where an encoded frame handed in comes from: the embedder's encoder
  // (a registered codec without an encoder factory), or an encoded
  // transform giving back what it took (webrtc-encoded-transform).
  enum class FrameOrigin : uint8_t { Encoder, Transform, Network };
  // An encoded frame for a sender: from the embedder's encoder (`keyframe`
  // as it says; the 90 kHz timestamp comes from `now`; a transform on the
  // sender takes it next), or back from the sender's transform with the
  // timestamp it left with. Packetized (VP8, H.264 or generic) and sent as
  // send_video's frames are.
  void send_encoded_video(base::Timestamp now, sdp::TransceiverHandle handle, const codec::EncodedVideo& frame,
                          FrameOrigin origin = FrameOrigin::Encoder, std::optional<uint32_t> rtp_timestamp = {});
  // The same for audio: one payload covering `samples` at the codec's clock.
  void send_encoded_audio(base::Timestamp now, sdp::TransceiverHandle handle, base::ByteView payload, uint32_t samples,
                          FrameOrigin origin = FrameOrigin::Encoder, std::optional<uint32_t> rtp_timestamp = {});

  // ---- W3C webrtc-encoded-transform: with a transform on a sender, its
  // encoded frames leave as "encodedframe" events (direction "send") and
  // come back through send_encoded_video/audio (FrameOrigin::Transform);
  // on a receiver, what arrives leaves before decoding (direction
  // "receive") and comes back through receive_encoded_video/audio. Set
  // before or after negotiation; it lasts for the transceiver.
  void set_transform(sdp::TransceiverHandle handle, bool sender_side, bool on);
  void receive_encoded_video(base::Timestamp now, sdp::TransceiverHandle handle, base::ByteView data, bool keyframe,
                             uint32_t rtp_timestamp);
  void receive_encoded_audio(base::Timestamp now, sdp::TransceiverHandle handle, uint8_t payload_type,
                             uint16_t sequence_number, uint32_t rtp_timestamp, base::ByteView payload);
  // RTCRtpScriptTransformer.generateKeyFrame(): the sender's next frame is a keyframe.
  void generate_keyframe(sdp::TransceiverHandle handle);
  // The format a sender sends (the answer's first), once negotiated;
  // `registered` when it is the embedder's codec, not a built-in one
  // (pc/codec_registry.h).
  struct SendCodec {
    std::string name;
    uint32_t clock_rate = 0;
    uint16_t channels = 1;
    uint8_t payload_type = 0;
    std::string fmtp;  // the peer's
    const CodecRegistration* registered = nullptr;
  };
  std::optional<SendCodec> send_codec(sdp::TransceiverHandle handle) const;
  // The embedder's decoder could not decode what an "encodedframe" event
  // gave it: ask the sender for a keyframe (RFC 4585 6.3.1 PLI).
  void on_decode_failure(base::Timestamp now, sdp::TransceiverHandle handle);

  // webrtc-pc 7.2 "start playout of tone": one DTMF tone for `duration` as
  // RFC 4733 events, if telephone-event was negotiated and the sender sends.
  void insert_dtmf(base::Timestamp now, sdp::TransceiverHandle handle, char tone, base::Duration duration);

  // ---- receiving: one SRTP (or, `rtcp`, SRTCP) packet from the transport.
  void handle_srtp(base::Timestamp now, base::ByteView packet, bool rtcp);

  // ---- time: audio playout every 10 ms, RTCP, feedback, the pacer, video.
  void handle_timeout(base::Timestamp now);
  base::Deadline poll_timeout() const;

  // webrtc-pc 4.4.1.5 "close the connection": RTCP BYE for every source
  // that sent (RFC 3550 section 6.6); nothing more afterwards.
  void close(base::Timestamp now);

  // ---- observation
  // webrtc-stats for the RTP streams; `transceivers` name the tracks.
  void stats(base::Timestamp now, RecordList& out, const std::vector<sdp::Transceiver>& transceivers) const;
  // webrtc-stats availableOutgoingBitrate: the estimate, while RTP is sent.
  std::optional<double> available_outgoing_bitrate() const;
  // SRTP/SRTCP input dropped, by reason: failed authentication, replay or
  // no keys yet (RFC 3711 section 3.3), unparsable RTP/RTCP, and RTP no
  // section claims (RFC 8843 section 9.2).
  struct DroppedInput {
    uint64_t srtp = 0, malformed = 0, unrouted = 0;
  };
  DroppedInput dropped_input() const { return {srtp_dropped_, rtp_malformed_, rtp_unrouted_}; }

 private:
  // pc/media_session.cc
  MediaSection* media_section(sdp::TransceiverHandle handle);
  void send_rtp(base::Timestamp now, RtpSender& sender, const rtp::RtpPacket& packet, bool retransmission = false);
  MediaSection* route_rtp(const rtp::RtpPacket& packet);
  void on_rtcp(base::Timestamp now, base::ByteView data);
  rtp::NtpTime ntp_now(base::Timestamp now) const;
  void send_rtcp_reports(base::Timestamp now);
  void send_rtcp_bye(base::Timestamp now);
  // pc/video.cc
  void on_feedback(base::Timestamp now, const rtp::Feedback& feedback);
  void on_nack(base::Timestamp now, RtpSender& sender, const rtp::Feedback& nack);
  void on_rtx(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& rtx);
  void send_nacks(base::Timestamp now, MediaSection& m);
  void on_video_rtp(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& packet, bool retransmission = false);
  void send_video_frame(base::Timestamp now, RtpSender& s, const codec::EncodedVideo& frame, FrameOrigin origin,
                        std::optional<uint32_t> rtp_timestamp = {});
  void deliver_video_frame(base::Timestamp now, MediaSection& m, base::Bytes data, bool keyframe,
                           uint32_t rtp_timestamp, FrameOrigin origin);
  void deliver_audio_payload(base::Timestamp now, MediaSection& m, uint8_t payload_type, uint16_t sequence_number,
                             uint32_t rtp_timestamp, uint32_t ssrc, base::ByteView payload, FrameOrigin origin);
  bool transformed(sdp::TransceiverHandle handle, bool sender_side) const;
  const CodecRegistry& codecs() const { return config_.codecs ? *config_.codecs : CodecRegistry::builtin(); }
  void request_keyframe(RtpSender& s);
  void send_audio_payload(base::Timestamp now, RtpSender& s, base::Bytes payload, uint32_t samples, bool dtx,
                          FrameOrigin origin, std::optional<uint32_t> rtp_timestamp = {});
  void decode_video(base::Timestamp now, MediaSection& m);
  void send_pli(base::Timestamp now, MediaSection& m);
  void video_timeout(base::Timestamp now, MediaSection& m);
  base::Deadline video_deadline(const MediaSection& m) const;
  // pc/dtmf.cc
  void send_dtmf(base::Timestamp now, RtpSender& sender);
  void on_telephone_event(MediaSection& m, const rtp::RtpPacket& packet);
  // pc/congestion.cc
  struct PacedPacket {
    sdp::TransceiverHandle handle = 0;
    rtp::RtpPacket packet;
    bool retransmission = false;
  };
  static uint32_t video_rate_cap(const RtpSender& sender);
  void drain_pacer(base::Timestamp now);
  void transmit_rtp(base::Timestamp now, RtpSender& sender, rtp::RtpPacket& packet, bool retransmission);
  bool pacer_congested() const;
  void on_congestion_feedback(base::Timestamp now, const rtp::Feedback& feedback);
  void on_congestion_report(base::Timestamp now, RtpSender& sender, const rtp::ReportBlock& block);
  void allocate_bitrate();
  void set_rtt(base::Duration rtt);
  bool sending_media() const;
  void update_rtt_from_ice();
  void on_transport_sequence(base::Timestamp now, const MediaSection& m, const rtp::RtpPacket& packet);
  void send_transport_feedback(base::Timestamp now);
  void send_rtcp(base::Timestamp now, const std::vector<rtp::RtcpPacket>& compound);
  void congestion_timeout(base::Timestamp now);
  base::Deadline congestion_deadline() const;

  Config config_;
  base::Random& random_;
  Link& link_;
  bool closed_ = false;

  std::optional<srtp::Session> srtp_;
  std::map<sdp::TransceiverHandle, MediaSection> media_;
  // Encoded transforms (sender side, receiver side) by transceiver.
  std::map<sdp::TransceiverHandle, std::pair<bool, bool>> transforms_;
  std::optional<base::Timestamp> next_rtcp_;
  // Congestion control (pc/congestion.cc), shared by every sender on the
  // BUNDLE transport.
  cc::BandwidthEstimator bwe_;
  cc::Pacer<PacedPacket> pacer_;
  uint16_t transport_sequence_ = 0;
  rtp::TransportFeedbackGenerator feedback_;
  std::optional<base::Timestamp> next_feedback_;
  std::optional<base::Duration> rtt_;  // the latest round trip, any stream (RTCP, else ICE)
  bool rtcp_rtt_known_ = false;
  // Dropped input, counted (never a crash, never silent).
  uint64_t srtp_dropped_ = 0, rtp_malformed_ = 0, rtp_unrouted_ = 0;
};

}  // namespace wasmrtc::pc
