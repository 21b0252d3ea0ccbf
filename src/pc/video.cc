// The video half of the media path: VP8 (RFC 7741), H.264 (RFC 6184) or
// generic-format frames packetized and
// sent, keyframes on PLI/FIR (RFC 4585 6.3.1, RFC 5104 4.3.1), NACKs
// answered from a short history as RTX (RFC 4588); on the receive side,
// frames assembled, decoded in order, gaps NACKed and keyframes asked for.
#include <algorithm>

#include "base/log.h"
#include "codec/h264_syntax.h"
#include "rtp/generic_payload.h"
#include "rtp/h264_payload.h"
#include "pc/media_session.h"

namespace wasmrtc::pc {
namespace {

// What a video payload leaves in a datagram: the SRTP tag (16 for GCM)
// and the RTP header with the mid extension.
constexpr size_t kVideoPacketOverhead = 16 + 12 + 12;
constexpr uint8_t kPsfbPli = 1;  // RFC 4585 section 6.3.1
constexpr uint8_t kPsfbFir = 4;  // RFC 5104 section 4.3.1
constexpr uint8_t kRtpfbNack = 1;  // RFC 4585 section 6.2.1
// Until a round trip is measured, NACKed packets are resent at most this often.
constexpr base::Duration kDefaultNackRtt = base::Duration::millis(100);

}  // namespace

// ---- video (VP8, H.264 or generic over RTP; keyframes on PLI/FIR, NACK and RTX)

void MediaSession::send_video(base::Timestamp now, sdp::TransceiverHandle handle, uint32_t width, uint32_t height,
                                base::ByteView i420) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Video) return;
  RtpSender& s = m->sender;
  if (i420.size() != codec::i420_size(width, height) || width == 0 || height == 0) return;
  // webrtc-stats RTCVideoSourceStats: every frame the track gave.
  s.source.width = width;
  s.source.height = height;
  s.source.frame_times.push_back(now);
  while (now - s.source.frame_times.front() > base::Duration::seconds(1)) s.source.frame_times.pop_front();
  ++s.source.frames;
  if (!s.active || !s.negotiated_send) return;
  if (!s.codec || !s.codec->factories.video_encoder) return;  // the embedder encodes (send_encoded_video), or nobody
  ++s.frames_in;
  if (!s.video_encoder) {
    codec::VideoEncoderConfig c;
    c.width = width;
    c.height = height;
    c.framerate = 30;
    // The share of the bandwidth estimate (pc/congestion.cc), within
    // encodings' maxBitrate and what suits the size.
    c.bitrate_bps = s.target_bitrate != 0 ? s.target_bitrate : std::min(bwe_.target_bps(), video_rate_cap(s));
    s.video_encoder = s.codec->factories.video_encoder(c);
    if (!s.video_encoder) {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "video encoder of " << s.codec_name << ": none made ("
                                               << c.width << "x" << c.height << ")";
      return;
    }
    s.packetizer.emplace(static_cast<uint16_t>(random_.next_u32() & 0x7fff));
    allocate_bitrate();  // the cap depends on the size
  } else if (s.video_encoder->config().width != width || s.video_encoder->config().height != height) {
    if (auto r = s.video_encoder->set_resolution(width, height); !r) return;
    allocate_bitrate();
  }
  // The pacer is seconds behind the estimate (it fell): a frame encoded
  // now would only arrive late, and the encoder's rate control will
  // account for the gap.
  if (pacer_congested() && !s.keyframe_requested) return;
  codec::VideoFrame frame{width, height, std::vector<uint8_t>(i420.begin(), i420.end())};
  auto encoded = s.video_encoder->encode(frame, s.keyframe_requested);
  if (!encoded) {
    WASMRTC_LOG(base::LogLevel::Warn, "pc") << "video encode: " << codec::to_string(encoded.error());
    return;
  }
  if (!*encoded) return;  // dropped by rate control
  send_video_frame(now, s, **encoded, FrameOrigin::Encoder);
}

void MediaSession::send_encoded_video(base::Timestamp now, sdp::TransceiverHandle handle,
                                      const codec::EncodedVideo& frame, FrameOrigin origin,
                                      std::optional<uint32_t> rtp_timestamp) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Video || frame.data.empty()) return;
  RtpSender& s = m->sender;
  if (!s.active || !s.negotiated_send) return;
  const bool embedder_encodes = s.codec && !s.codec->factories.video_encoder;
  if (origin == FrameOrigin::Encoder ? !embedder_encodes : !transformed(handle, true)) return;
  if (origin == FrameOrigin::Encoder) {
    ++s.frames_in;
    s.keyframes_in += frame.keyframe;
  }
  if (!s.packetizer) s.packetizer.emplace(static_cast<uint16_t>(random_.next_u32() & 0x7fff));
  send_video_frame(now, s, frame, origin, rtp_timestamp);
}

// One encoded frame into RTP: through the sender's encoded transform first
// (webrtc-encoded-transform), then the codec's payload format (VP8, RFC
// 7741; H.264, RFC 6184) or the generic one (rtp/generic_payload.h),
// through the pacer.
void MediaSession::send_video_frame(base::Timestamp now, RtpSender& s, const codec::EncodedVideo& encoded,
                                    FrameOrigin origin, std::optional<uint32_t> rtp_timestamp) {
  const codec::EncodedVideo* frame = &encoded;
  // RFC 7741 section 4.1 / RFC 3550 5.1: one 90 kHz timestamp per frame,
  // from the capture time (a transformed frame keeps the one it left with).
  const uint32_t timestamp = rtp_timestamp.value_or(s.timestamp + static_cast<uint32_t>(now.us() * 9 / 100));
  if (origin != FrameOrigin::Transform && transformed(s.handle, true)) {
    Record e;
    e.set("type", "encodedframe")
        .set("kind", "video")
        .set("direction", "send")
        .set("transceiver", static_cast<int64_t>(s.handle))
        .set("keyFrame", frame->keyframe)
        .set("rtpTimestamp", timestamp)
        .set("payloadType", static_cast<uint32_t>(s.payload_type))
        .set("mimeType", "video/" + s.codec_name)
        .set("ssrc", s.ssrc)
        .set("width", frame->width)
        .set("height", frame->height)
        .set("data", base::Bytes(frame->data));
    link_.emit(std::move(e));
    return;
  }
  if (frame->keyframe && s.keyframe_requested) {
    // The receiver asked to start over (PLI/FIR): repairs of what came
    // before are useless to it now, and queued they would delay this
    // keyframe (after an outage, by up to the 1 s of history).
    pacer_.remove_if(cc::PacketPriority::Retransmission, [&](const PacedPacket& q) { return q.handle == s.handle; });
    s.history.clear();
  }
  if (frame->keyframe) s.keyframe_requested = false;
  s.frame_times.push_back(now);
  while (now - s.frame_times.front() > base::Duration::seconds(1)) s.frame_times.pop_front();
  s.frame_width = frame->width;
  s.frame_height = frame->height;
  const size_t max_payload = config_.datagram_mtu - kVideoPacketOverhead;
  rtp::Result<std::vector<base::Bytes>> payloads = rtp::Unexpected(rtp::Error::BadValue);
  const PayloadFormat format = s.codec ? s.codec->payload_format : PayloadFormat::Generic;
  if (format == PayloadFormat::Vp8) {
    rtp::Vp8FrameInfo info;
    info.non_reference = frame->non_reference;
    payloads = s.packetizer->packetize(frame->data, max_payload, info);
  } else if (format == PayloadFormat::H264) {
    payloads = rtp::packetize_h264(frame->data, max_payload);
  } else {
    payloads = rtp::packetize_generic(frame->data, frame->keyframe, max_payload);
  }
  if (!payloads) return;
  ++s.frames_sent;
  for (size_t i = 0; i < payloads->size(); ++i) {
    rtp::RtpPacket p;
    p.payload_type = s.payload_type;
    p.sequence_number = s.sequence_number++;
    p.timestamp = timestamp;
    p.ssrc = s.ssrc;
    p.marker = i + 1 == payloads->size();  // RFC 7741 section 4.1: last packet of the frame
    add_mid_extension(s, p);
    p.payload = std::move((*payloads)[i]);
    send_rtp(now, s, p);
    s.history.put(now, std::move(p));
  }
}

// RFC 4585 section 6.2.1: resend what the peer lost, as RTX (RFC 4588
// section 4: the original sequence number first, on the RTX SSRC) when
// negotiated, else as it was.
void MediaSession::on_nack(base::Timestamp now, RtpSender& s, const rtp::Feedback& fb) {
  auto lost = rtp::nack_sequence_numbers(fb);
  if (!lost) return;
  ++s.nacks_received;
  // Issue 14: a NACK is the peer's to write. Each packet goes again at most
  // once per round trip, and the resent bytes stay within what congestion
  // control lets this sender send.
  const base::Duration rtt = rtt_.value_or(kDefaultNackRtt);
  const uint32_t max_bps = s.target_bitrate != 0 ? s.target_bitrate : video_rate_cap(s);
  for (rtp::RtpPacket& p : s.history.resend(now, *lost, rtt, max_bps)) {
    const uint16_t seq = p.sequence_number;
    if (s.rtx_payload_type && s.rtx_ssrc != 0) {
      base::Bytes payload{static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)};
      payload.insert(payload.end(), p.payload.begin(), p.payload.end());
      p.payload = std::move(payload);
      p.payload_type = *s.rtx_payload_type;
      p.ssrc = s.rtx_ssrc;
      p.sequence_number = s.rtx_sequence_number++;
    }
    send_rtp(now, s, p, /*retransmission=*/true);
  }
}

// RFC 4588 section 4: an RTX packet carries the original sequence number
// and payload; put it back together and treat it as the original.
void MediaSession::on_rtx(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& rtx) {
  RtpReceiver& r = m.receiver;
  if (rtx.payload.size() < 2 || !r.ssrc) return;
  rtp::RtpPacket p = rtx;
  p.sequence_number = static_cast<uint16_t>(rtx.payload[0] << 8 | rtx.payload[1]);
  p.payload.assign(rtx.payload.begin() + 2, rtx.payload.end());
  p.payload_type = r.payload_type;
  p.ssrc = *r.ssrc;
  ++r.retransmissions_received;
  on_video_rtp(now, m, p, /*retransmission=*/true);
}

// The jitter buffer (media::VideoJitterBuffer) decides: wait for a
// missing packet, NACK it (RFC 4585 6.2.1), or give the frame up and ask
// for a keyframe (PLI), from the RTT.
void MediaSession::on_video_rtp(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& p, bool retransmission) {
  RtpReceiver& r = m.receiver;
  if (!r.video_buffer) {
    media::VideoJitterBufferConfig c;
    c.nack = r.nack;
    const PayloadFormat format = r.codec ? r.codec->payload_format : PayloadFormat::Generic;
    c.format = format == PayloadFormat::Vp8    ? media::VideoPayloadFormat::Vp8
               : format == PayloadFormat::H264 ? media::VideoPayloadFormat::H264
                                               : media::VideoPayloadFormat::Generic;
    r.video_buffer = std::make_unique<media::VideoJitterBuffer>(c);
    if (rtt_) r.video_buffer->set_rtt(*rtt_);
  }
  r.video_buffer->insert(now, p.sequence_number, p.timestamp, p.marker, p.payload, retransmission);
  video_timeout(now, m);
}

// Decodes the frames the buffer gives out, in order; a frame the decoder
// refuses (a reference is missing) makes the buffer want a keyframe.
void MediaSession::decode_video(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  while (m.receiver.video_buffer) {
    auto frame = r.video_buffer->pop(now);
    if (!frame) break;
    r.video_jitter_buffer_delay += static_cast<double>((now - frame->first_packet).us()) / 1e6;
    ++r.video_jitter_buffer_emitted;
    deliver_video_frame(now, m, std::move(frame->data), frame->keyframe, frame->rtp_timestamp, FrameOrigin::Network);
  }
}

// One whole received frame, on its way to the decoder: through the
// receiver's encoded transform first (webrtc-encoded-transform), then the
// embedder's decoder (a codec without a decoder factory) or ours.
void MediaSession::deliver_video_frame(base::Timestamp now, MediaSection& m, base::Bytes data, bool keyframe,
                                       uint32_t rtp_timestamp, FrameOrigin origin) {
  RtpReceiver& r = m.receiver;
  const bool to_transform = origin == FrameOrigin::Network && transformed(m.handle, false);
  if (!r.codec) return;  // not one we run
  if (to_transform || !r.codec->factories.video_decoder) {
    if (!to_transform) {
      // The embedder decodes (and calls on_decode_failure when it cannot).
      ++r.frames_out;
      r.frame_times.push_back(now);
      while (now - r.frame_times.front() > base::Duration::seconds(1)) r.frame_times.pop_front();
    }
    if (r.codec->payload_format == PayloadFormat::Vp8 && keyframe) {
      // RFC 6386 section 9.1: a VP8 keyframe's size (the transform's metadata).
      if (data.size() >= 10 && data[3] == 0x9d && data[4] == 0x01 && data[5] == 0x2a) {
        r.frame_width = (data[6] | data[7] << 8) & 0x3fff;
        r.frame_height = (data[8] | data[9] << 8) & 0x3fff;
      }
    } else if (r.codec->payload_format == PayloadFormat::H264 && keyframe) {
      // H.264 7.4.2.1.1: the size the keyframe's SPS gives.
      if (auto size = codec::h264_picture_size(data)) {
        r.frame_width = size->width;
        r.frame_height = size->height;
      }
    }
    Record e;
    e.set("type", "encodedframe")
        .set("kind", "video")
        .set("direction", to_transform ? "receive" : "decode")
        .set("transceiver", static_cast<int64_t>(m.handle))
        .set("keyFrame", keyframe)
        .set("rtpTimestamp", rtp_timestamp)
        .set("payloadType", static_cast<uint32_t>(r.payload_type))
        .set("mimeType", "video/" + r.codec_name)
        // Known from a keyframe's header only; 0 on delta frames, as Chromium's.
        .set("width", keyframe ? r.frame_width : 0u)
        .set("height", keyframe ? r.frame_height : 0u)
        .set("data", std::move(data));
    if (r.ssrc) e.set("ssrc", *r.ssrc);
    link_.emit(std::move(e));
    return;
  }
  if (!r.video_decoder) {
    r.video_decoder = r.codec->factories.video_decoder();
    if (!r.video_decoder) return;
  }
  auto decoded = r.video_decoder->decode(data);
  if (!decoded) {
    // A frame decoded but not for display (a VP8 altref, H.264 parameter
    // sets alone) is no failure; anything else needs a keyframe.
    if (decoded.error() != codec::Error::NotShown && r.video_buffer) r.video_buffer->on_decode_failure(now);
    return;
  }
  r.frame_width = decoded->width;
  r.frame_height = decoded->height;
  ++r.frames_out;
  r.frame_times.push_back(now);
  while (now - r.frame_times.front() > base::Duration::seconds(1)) r.frame_times.pop_front();
  Record e;
  e.set("type", "videoframe")
      .set("transceiver", static_cast<int64_t>(m.handle))
      .set("width", decoded->width)
      .set("height", decoded->height)
      .set("rtpTimestamp", rtp_timestamp)
      .set("data", base::Bytes(std::move(decoded->i420)));
  if (r.ssrc) e.set("ssrc", *r.ssrc);
  link_.emit(std::move(e));
}

void MediaSession::receive_encoded_video(base::Timestamp now, sdp::TransceiverHandle handle, base::ByteView data,
                                         bool keyframe, uint32_t rtp_timestamp) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Video || data.empty() || !transformed(handle, false)) return;
  deliver_video_frame(now, *m, base::Bytes(data.begin(), data.end()), keyframe, rtp_timestamp, FrameOrigin::Transform);
}

void MediaSession::video_timeout(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  if (!r.video_buffer) return;
  decode_video(now, m);
  send_nacks(now, m);
  if (r.video_buffer->take_keyframe_request(now)) send_pli(now, m);
}

base::Deadline MediaSession::video_deadline(const MediaSection& m) const {
  return m.receiver.video_buffer ? m.receiver.video_buffer->deadline() : base::Deadline();
}

// RFC 4585 section 6.2.1: what the buffer wants asked for now, first
// requests and repeats, in one NACK.
void MediaSession::send_nacks(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  auto due = r.video_buffer->take_nacks(now);
  if (due.empty() || !r.ssrc) return;
  ++r.nacks_sent;
  send_rtcp(now, {rtp::ReceiverReport{m.sender.ssrc, {}}, rtp::make_nack(m.sender.ssrc, *r.ssrc, due)});
}

// RFC 4585 section 6.3.1, in a compound packet (RFC 3550 6.1: RR first).
void MediaSession::send_pli(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  if (!r.ssrc) return;
  ++r.plis_sent;
  send_rtcp(now, {rtp::ReceiverReport{m.sender.ssrc, {}}, rtp::make_pli(m.sender.ssrc, *r.ssrc)});
}

void MediaSession::on_feedback(base::Timestamp now, const rtp::Feedback& fb) {
  on_congestion_feedback(now, fb);
  if (fb.type == rtp::rtcp_type::kTransportFeedback && fb.format == kRtpfbNack) {
    for (auto& [h, m] : media_) {
      (void)h;
      if (m.sender.ssrc == fb.media_ssrc) on_nack(now, m.sender, fb);
    }
    return;
  }
  if (fb.type != rtp::rtcp_type::kPayloadFeedback) return;
  for (auto& [h, m] : media_) {
    (void)h;
    RtpSender& s = m.sender;
    if (fb.format == kPsfbPli && fb.media_ssrc == s.ssrc) {
      ++s.plis_received;
      request_keyframe(s);
    } else if (fb.format == kPsfbFir) {
      // RFC 5104 section 4.3.1.1: the FCI entries name the SSRC.
      for (size_t i = 0; i + 8 <= fb.fci.size(); i += 8) {
        const uint32_t ssrc = static_cast<uint32_t>(fb.fci[i]) << 24 | static_cast<uint32_t>(fb.fci[i + 1]) << 16 |
                              static_cast<uint32_t>(fb.fci[i + 2]) << 8 | fb.fci[i + 3];
        if (ssrc == s.ssrc) {
          ++s.firs_received;
          request_keyframe(s);
        }
      }
    }
  }
}

// A PLI or FIR for this sender: the next frame is a keyframe. An encoder
// the embedder runs hears of it as a "keyframerequest" event (once per
// request until a keyframe goes out).
void MediaSession::request_keyframe(RtpSender& s) {
  const bool fresh = !s.keyframe_requested;
  s.keyframe_requested = true;
  if (fresh && s.codec && !s.codec->factories.video_encoder) {
    Record e;
    e.set("type", "keyframerequest").set("transceiver", static_cast<int64_t>(s.handle));
    link_.emit(std::move(e));
  }
}

void MediaSession::set_transform(sdp::TransceiverHandle handle, bool sender_side, bool on) {
  auto& t = transforms_[handle];
  (sender_side ? t.first : t.second) = on;
  if (!t.first && !t.second) transforms_.erase(handle);
}

bool MediaSession::transformed(sdp::TransceiverHandle handle, bool sender_side) const {
  auto it = transforms_.find(handle);
  return it != transforms_.end() && (sender_side ? it->second.first : it->second.second);
}

// webrtc-encoded-transform generateKeyFrame(): the sender's next frame is a keyframe.
void MediaSession::generate_keyframe(sdp::TransceiverHandle handle) {
  if (MediaSection* m = media_section(handle); m && m->kind == sdp::MediaKind::Video) request_keyframe(m->sender);
}

void MediaSession::on_decode_failure(base::Timestamp now, sdp::TransceiverHandle handle) {
  MediaSection* m = media_section(handle);
  if (!m || !m->receiver.video_buffer) return;
  m->receiver.video_buffer->on_decode_failure(now);
  video_timeout(now, *m);
}

}  // namespace wasmrtc::pc
