// The video half of the media path: VP8 (RFC 7741) frames packetized and
// sent, keyframes on PLI/FIR (RFC 4585 6.3.1, RFC 5104 4.3.1), NACKs
// answered from a short history as RTX (RFC 4588); on the receive side,
// frames assembled, decoded in order, gaps NACKed and keyframes asked for.
#include <algorithm>

#include "base/log.h"
#include "codec/vp8_decoder.h"
#include "codec/vp8_encoder.h"
#include "pc/peer_connection.h"

namespace wasmrtc::pc {
namespace {

// SRTP tag (16 for GCM) + RTP header with the mid extension, under the MTU.
constexpr size_t kMaxVideoPayload = kDatagramMtu - 16 - 12 - 12;
constexpr base::Duration kPliInterval = base::Duration::millis(250);
constexpr size_t kMaxPendingVideoFrames = 30;
constexpr uint8_t kPsfbPli = 1;  // RFC 4585 section 6.3.1
constexpr uint8_t kPsfbFir = 4;  // RFC 5104 section 4.3.1
constexpr uint8_t kRtpfbNack = 1;  // RFC 4585 section 6.2.1
constexpr base::Duration kHistory = base::Duration::seconds(1);
constexpr size_t kMaxHistory = 1000;
// How long a frame may wait for its retransmitted packets before it is
// given up (and a keyframe asked for), and how NACKs are repeated.
constexpr base::Duration kMaxFrameWait = base::Duration::millis(400);
constexpr base::Duration kNackInterval = base::Duration::millis(60);
constexpr int kMaxNackRetries = 6;
constexpr size_t kMaxMissing = 500;


}  // namespace

// ---- video (RFC 7741 VP8 over RTP; keyframes on PLI/FIR, NACK and RTX)

void PeerConnection::send_video(base::Timestamp now, sdp::TransceiverHandle handle, uint32_t width, uint32_t height,
                                base::ByteView i420) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Video || !m->sender.active || !m->sender.negotiated_send) return;
  RtpSender& s = m->sender;
  if (i420.size() != codec::i420_size(width, height) || width == 0 || height == 0) return;
  ++s.frames_in;
  if (!s.video_encoder) {
    codec::VideoEncoderConfig c;
    c.width = width;
    c.height = height;
    c.framerate = 30;
    // The share of the bandwidth estimate (pc/congestion.cc), within
    // encodings' maxBitrate and what suits the size.
    c.bitrate_bps = s.target_bitrate != 0 ? s.target_bitrate : std::min(bwe_.target_bps(), video_rate_cap(s));
    auto e = codec::Vp8Encoder::create(c);
    if (!e) {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "video encoder: " << codec::to_string(e.error());
      return;
    }
    s.video_encoder = std::move(*e);
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
  if ((*encoded)->keyframe) s.keyframe_requested = false;
  s.frame_times.push_back(now);
  while (now - s.frame_times.front() > base::Duration::seconds(1)) s.frame_times.pop_front();
  s.frame_width = (*encoded)->width;
  s.frame_height = (*encoded)->height;
  rtp::Vp8FrameInfo info;
  info.non_reference = (*encoded)->non_reference;
  auto payloads = s.packetizer->packetize((*encoded)->data, kMaxVideoPayload, info);
  if (!payloads) return;
  // RFC 7741 section 4.1 / RFC 3550 5.1: one 90 kHz timestamp per frame,
  // from the capture time.
  const uint32_t timestamp = s.timestamp + static_cast<uint32_t>(now.us() * 9 / 100);
  for (size_t i = 0; i < payloads->size(); ++i) {
    rtp::RtpPacket p;
    p.payload_type = s.payload_type;
    p.sequence_number = s.sequence_number++;
    p.timestamp = timestamp;
    p.ssrc = s.ssrc;
    p.marker = i + 1 == payloads->size();  // RFC 7741 section 4.1: last packet of the frame
    if (s.mid_extension) p.extensions.push_back(rtp::Extension{*s.mid_extension, base::Bytes(s.mid.begin(), s.mid.end())});
    p.payload = std::move((*payloads)[i]);
    send_rtp(now, s, p);
    s.history.emplace_back(now, std::move(p));
  }
  while (!s.history.empty() && (s.history.size() > kMaxHistory || now - s.history.front().first > kHistory))
    s.history.pop_front();
}

// RFC 4585 section 6.2.1: resend what the peer lost, as RTX (RFC 4588
// section 4: the original sequence number first, on the RTX SSRC) when
// negotiated, else as it was.
void PeerConnection::on_nack(base::Timestamp now, RtpSender& s, const rtp::Feedback& fb) {
  auto lost = rtp::nack_sequence_numbers(fb);
  if (!lost) return;
  ++s.nacks_received;
  for (uint16_t seq : *lost) {
    auto it = std::find_if(s.history.begin(), s.history.end(),
                           [&](const auto& e) { return e.second.sequence_number == seq; });
    if (it == s.history.end()) continue;
    rtp::RtpPacket p = it->second;
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
void PeerConnection::on_rtx(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& rtx) {
  RtpReceiver& r = m.receiver;
  if (rtx.payload.size() < 2 || !r.ssrc) return;
  rtp::RtpPacket p = rtx;
  p.sequence_number = static_cast<uint16_t>(rtx.payload[0] << 8 | rtx.payload[1]);
  p.payload.assign(rtx.payload.begin() + 2, rtx.payload.end());
  p.payload_type = r.payload_type;
  p.ssrc = *r.ssrc;
  ++r.retransmissions_received;
  on_video_rtp(now, m, p);
}

// RFC 4585 section 6.2.1: ask again for what is still missing, every
// kNackInterval, a few times; a frame that waits too long is given up by
// decode_video (and a keyframe asked for).
void PeerConnection::send_nacks(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  if (!srtp_ || !agent_ || !r.ssrc || r.missing.empty()) return;
  std::vector<uint16_t> due;
  for (auto it = r.missing.begin(); it != r.missing.end();) {
    RtpReceiver::Missing& e = it->second;
    if (e.retries >= kMaxNackRetries || now - e.since > kMaxFrameWait) {
      it = r.missing.erase(it);
      continue;
    }
    if (!e.asked || now - *e.asked >= kNackInterval) {
      e.asked = now;
      ++e.retries;
      due.push_back(static_cast<uint16_t>(it->first));
    }
    ++it;
  }
  if (due.empty()) return;
  ++r.nacks_sent;
  std::vector<rtp::RtcpPacket> compound;
  compound.push_back(rtp::ReceiverReport{m.sender.ssrc, {}});
  compound.push_back(rtp::make_nack(m.sender.ssrc, *r.ssrc, due));
  auto bytes = rtp::serialize_rtcp(compound);
  if (!bytes) return;
  if (auto protected_bytes = srtp_->protect_rtcp(*bytes)) (void)agent_->send(now, *protected_bytes);
}

void PeerConnection::on_feedback(base::Timestamp now, const rtp::Feedback& fb) {
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
      s.keyframe_requested = true;
    } else if (fb.format == kPsfbFir) {
      // RFC 5104 section 4.3.1.1: the FCI entries name the SSRC.
      for (size_t i = 0; i + 8 <= fb.fci.size(); i += 8) {
        const uint32_t ssrc = static_cast<uint32_t>(fb.fci[i]) << 24 | static_cast<uint32_t>(fb.fci[i + 1]) << 16 |
                              static_cast<uint32_t>(fb.fci[i + 2]) << 8 | fb.fci[i + 3];
        if (ssrc == s.ssrc) {
          ++s.firs_received;
          s.keyframe_requested = true;
        }
      }
    }
  }
}

void PeerConnection::on_video_rtp(base::Timestamp now, MediaSection& m, const rtp::RtpPacket& p) {
  RtpReceiver& r = m.receiver;
  // Gaps in the sequence numbers are losses to NACK (RFC 4585 6.2.1).
  const int64_t seq = r.video_sequence.unwrap(p.sequence_number);
  if (!r.highest_sequence) {
    r.highest_sequence = seq;
  } else if (seq > *r.highest_sequence) {
    for (int64_t s = *r.highest_sequence + 1; s < seq && r.missing.size() < kMaxMissing; ++s)
      r.missing.emplace(s, RtpReceiver::Missing{now, std::nullopt, 0});
    r.highest_sequence = seq;
  } else {
    r.missing.erase(seq);
  }
  const int64_t ts = r.video_timestamps.unwrap(p.timestamp);
  if (r.last_decoded_timestamp && ts <= *r.last_decoded_timestamp) return;  // too late
  auto [frame, fresh] = r.video_frames.try_emplace(ts, RtpReceiver::PendingFrame{now, {}});
  (void)fresh;
  auto& packets = frame->second.packets;
  for (const auto& q : packets)
    if (q.sequence_number == p.sequence_number) return;  // duplicate
  packets.push_back(RtpReceiver::VideoPacket{p.sequence_number, p.marker, p.payload});
  decode_video(now, m);
  send_nacks(now, m);
}

// Decodes frames in timestamp order as they complete. A frame that cannot
// complete (a later one did, or too many wait) is dropped and a keyframe
// asked for (RFC 4585 PLI), since VP8 delta frames need every reference.
void PeerConnection::decode_video(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  while (!r.video_frames.empty()) {
    auto it = r.video_frames.begin();
    auto& packets = it->second.packets;
    std::sort(packets.begin(), packets.end(), [](const auto& a, const auto& b) {
      return static_cast<int16_t>(a.sequence_number - b.sequence_number) < 0;
    });
    std::vector<rtp::Vp8RtpPayload> views;
    for (const auto& q : packets) views.push_back(rtp::Vp8RtpPayload{q.sequence_number, q.marker, q.payload});
    auto frame = rtp::assemble_vp8_frame(views);
    const bool complete = frame && frame->complete;
    if (!complete) {
      // Wait for the rest, unless a later frame is already whole or the
      // queue is too long: then this one is lost.
      // Wait while retransmissions may still come (NACK), unless the queue
      // is too long.
      if (now - it->second.first_seen < kMaxFrameWait && r.video_frames.size() < kMaxPendingVideoFrames) return;
      ++r.frames_dropped;
      r.video_frames.erase(it);
      request_keyframe(now, m);
      continue;
    }
    r.last_decoded_timestamp = it->first;
    r.video_frames.erase(it);
    if (!r.video_decoder) {
      auto d = codec::Vp8Decoder::create();
      if (!d) return;
      r.video_decoder = std::move(*d);
    }
    auto decoded = r.video_decoder->decode(frame->data);
    if (!decoded) {
      if (r.video_decoder->needs_keyframe()) request_keyframe(now, m);
      continue;
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
        .set("data", base::Bytes(std::move(decoded->i420)));
    if (r.ssrc) e.set("ssrc", *r.ssrc);
    emit(std::move(e));
  }
}

void PeerConnection::video_timeout(base::Timestamp now, MediaSection& m) {
  if (!m.receiver.video_frames.empty()) decode_video(now, m);
  send_nacks(now, m);
}

// A waiting frame is given up, and NACKs repeated, on time.
base::Deadline PeerConnection::video_deadline(const MediaSection& m) const {
  base::Deadline d;
  const RtpReceiver& r = m.receiver;
  if (!r.video_frames.empty()) d.merge(base::Deadline(r.video_frames.begin()->second.first_seen + kMaxFrameWait));
  for (const auto& [seq, e] : r.missing) {
    (void)seq;
    d.merge(base::Deadline(e.asked ? *e.asked + kNackInterval : e.since));
  }
  return d;
}

void PeerConnection::request_keyframe(base::Timestamp now, MediaSection& m) {
  RtpReceiver& r = m.receiver;
  if (!srtp_ || !agent_ || !r.ssrc) return;
  if (r.last_pli && now - *r.last_pli < kPliInterval) return;
  r.last_pli = now;
  ++r.plis_sent;
  // RFC 4585 section 6.3.1 in a compound packet (RFC 3550 6.1: RR first).
  std::vector<rtp::RtcpPacket> compound;
  compound.push_back(rtp::ReceiverReport{m.sender.ssrc, {}});
  compound.push_back(rtp::make_pli(m.sender.ssrc, *r.ssrc));
  auto bytes = rtp::serialize_rtcp(compound);
  if (!bytes) return;
  if (auto protected_bytes = srtp_->protect_rtcp(*bytes)) (void)agent_->send(now, *protected_bytes);
}

}  // namespace wasmrtc::pc
