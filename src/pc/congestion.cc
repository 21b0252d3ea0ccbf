// Congestion control on the BUNDLE transport: every RTP packet leaves
// through the pacer and, when the peer negotiated transport-cc
// (draft-holmer-rmcat-transport-wide-cc-extensions-01), carries a
// transport-wide sequence number whose feedback drives the bandwidth
// estimator (src/cc); the estimate is shared out to the video encoders
// within encodings' maxBitrate. The other way round we record what
// arrives and send the peer its feedback every kFeedbackInterval.
#include <algorithm>

#include "base/log.h"
#include "pc/media_session.h"
#include "rtp/header_extensions.h"

namespace wasmrtc::pc {
namespace {

// libwebrtc's default (its RemoteEstimatorProxy sends every 100 ms at
// moderate rates, between 50 and 250 ms).
constexpr base::Duration kFeedbackInterval = base::Duration::millis(100);
// What an audio sender is assumed to use when sharing the estimate out
// (Opus at its default rate plus headers).
constexpr uint32_t kAudioAllowanceBps = 48'000;
constexpr uint32_t kMinVideoBps = 30'000;
// A new rate is applied to an encoder when it differs this much from the
// last one applied: libvpx re-plans on every change.
constexpr double kRateChangeFraction = 0.05;
// More than this queued in the pacer and the next video frame is not
// encoded at all: sending it late helps nobody.
constexpr base::Duration kMaxPacerQueueForVideo = base::Duration::millis(500);

// What a packet costs beyond its payload, for pacing: RTP header, a few
// extensions, the SRTP tag.
constexpr size_t kRtpOverheadBytes = 12 + 16 + 16;
constexpr uint8_t kPsfbApplicationLayer = 15;  // RFC 4585 6.4: REMB lives here

// draft-alvestrand-rmcat-remb-03 section 2.2: "REMB", a count of SSRCs,
// 6 bits of exponent and 18 of mantissa.
std::optional<uint32_t> parse_remb(const rtp::Feedback& fb) {
  if (fb.type != rtp::rtcp_type::kPayloadFeedback || fb.format != kPsfbApplicationLayer || fb.fci.size() < 8) return std::nullopt;
  if (fb.fci[0] != 'R' || fb.fci[1] != 'E' || fb.fci[2] != 'M' || fb.fci[3] != 'B') return std::nullopt;
  const uint8_t exponent = fb.fci[5] >> 2;
  const uint64_t mantissa = (static_cast<uint64_t>(fb.fci[5] & 0x03) << 16) | (static_cast<uint64_t>(fb.fci[6]) << 8) | fb.fci[7];
  const uint64_t bps = exponent >= 46 ? UINT64_MAX : mantissa << exponent;
  return static_cast<uint32_t>(std::min<uint64_t>(bps, UINT32_MAX));
}

}  // namespace

// The highest rate that suits a frame size (libwebrtc's defaults for VP8),
// when encodings' maxBitrate does not say.
uint32_t MediaSession::video_rate_cap(const RtpSender& s) {
  uint32_t pixels = 640 * 480;
  if (s.video_encoder) pixels = s.video_encoder->config().width * s.video_encoder->config().height;
  const uint32_t for_size = pixels >= 1280 * 720 ? 2'500'000 : pixels >= 640 * 480 ? 1'200'000 : pixels >= 320 * 240 ? 600'000 : 300'000;
  return s.max_bitrate ? std::min(*s.max_bitrate, for_size * 2) : for_size;
}

// ---- sending through the pacer

void MediaSession::send_rtp(base::Timestamp now, RtpSender& s, const rtp::RtpPacket& p, bool retransmission) {
  if (!srtp_) return;
  // Audio (and DTMF, which may go before any audio frame) first.
  const cc::PacketPriority priority = !s.video_encoder ? cc::PacketPriority::Audio
                                      : retransmission ? cc::PacketPriority::Retransmission
                                                       : cc::PacketPriority::Video;
  // Full (Pacer::kMaxQueuedBytes): dropped and counted by the pacer.
  (void)pacer_.enqueue(now, priority, p.payload.size() + kRtpOverheadBytes, PacedPacket{s.handle, p, retransmission});
  drain_pacer(now);
}

void MediaSession::drain_pacer(base::Timestamp now) {
  bool sent = false;
  while (auto item = pacer_.pop(now)) {
    MediaSection* m = media_section(item->handle);
    if (!m || closed_) continue;  // stopped while queued
    transmit_rtp(now, m->sender, item->packet, item->retransmission);
    sent = true;
  }
  if (sent) link_.flush(now);
}

void MediaSession::transmit_rtp(base::Timestamp now, RtpSender& s, rtp::RtpPacket& p, bool retransmission) {
  if (!srtp_) return;
  std::optional<uint16_t> transport_sequence;
  if (s.transport_cc_extension) {
    transport_sequence = transport_sequence_++;
    p.extensions.push_back(rtp::Extension{*s.transport_cc_extension, rtp::encode_transport_sequence_number(*transport_sequence)});
  }
  auto bytes = rtp::serialize(p);
  if (!bytes) return;
  auto protected_bytes = srtp_->protect_rtp(*bytes);
  if (!protected_bytes) {
    WASMRTC_LOG(base::LogLevel::Warn, "pc") << "SRTP protect: " << srtp::to_string(protected_bytes.error());
    return;
  }
  if (s.stats) s.stats->on_rtp_sent(now, rtp::SentPacket::of(p, bytes->size(), now, retransmission));
  if (transport_sequence) bwe_.on_packet_sent(now, *transport_sequence, protected_bytes->size());
  link_.send(now, *protected_bytes);
}

bool MediaSession::pacer_congested() const { return pacer_.queue_time() > kMaxPacerQueueForVideo; }

// ---- feedback from the peer

void MediaSession::on_congestion_feedback(base::Timestamp now, const rtp::Feedback& fb) {
  if (fb.type == rtp::rtcp_type::kTransportFeedback && fb.format == rtp::kTransportFeedbackFormat) {
    auto t = rtp::parse_transport_feedback(fb);
    if (!t) {
      ++rtp_malformed_;
      return;
    }
    bwe_.on_transport_feedback(now, *t);
  } else if (auto remb = parse_remb(fb)) {
    bwe_.on_remb(*remb);
  } else {
    return;
  }
  allocate_bitrate();
}

void MediaSession::on_congestion_report(base::Timestamp now, RtpSender& s, const rtp::ReportBlock& b) {
  if (auto rtt = s.stats->remote_inbound().round_trip_time) {
    rtcp_rtt_known_ = true;
    set_rtt(base::Duration::micros(static_cast<int64_t>(*rtt * 1e6)));
  }
  // Packets the block covers: how far its highest sequence number moved.
  const uint32_t packets = s.last_report_highest ? b.extended_highest_sequence - *s.last_report_highest : 0;
  s.last_report_highest = b.extended_highest_sequence;
  if (packets > 0 && packets < 100'000) bwe_.on_report_block(now, b.fraction_lost, packets);
  allocate_bitrate();
}

std::optional<double> MediaSession::available_outgoing_bitrate() const {
  if (!sending_media()) return std::nullopt;
  return static_cast<double>(bwe_.target_bps());
}

bool MediaSession::sending_media() const {
  for (const auto& [h, m] : media_) {
    (void)h;
    if (m.sender.active && m.sender.negotiated_send) return true;
  }
  return false;
}

void MediaSession::set_rtt(base::Duration rtt) {
  rtt_ = rtt;
  bwe_.on_rtt(rtt);
  // The receive side's waits and NACK repeats follow it too.
  for (auto& [h, m] : media_) {
    (void)h;
    if (m.receiver.video_buffer) m.receiver.video_buffer->set_rtt(rtt);
  }
}

// A receive-only endpoint gets no RTT from RTCP (RFC 3550 measures it at
// the sender, and we do not send XR, RFC 3611 4.4): the ICE consent checks'
// round trip on the selected pair (RFC 7675) stands in, which is the same
// path.
void MediaSession::update_rtt_from_ice() {
  if (rtcp_rtt_known_) return;
  if (auto rtt = link_.transport_rtt()) set_rtt(*rtt);
}

// The estimate shared out: audio gets its allowance, the video senders
// share the rest equally, each within its cap; the estimator is told the
// most they can use so it does not grow past what is ever sent.
void MediaSession::allocate_bitrate() {
  uint32_t audio = 0, caps = 0;
  std::vector<RtpSender*> video;
  for (auto& [h, m] : media_) {
    (void)h;
    RtpSender& s = m.sender;
    if (!s.active || !s.negotiated_send) continue;
    if (m.kind == sdp::MediaKind::Audio) {
      audio += kAudioAllowanceBps;
    } else {
      video.push_back(&s);
      caps += video_rate_cap(s);
    }
  }
  // With nothing sending there is nothing to bound (and no reason to
  // forget what the estimator knows).
  if (audio + caps > 0) bwe_.set_max(audio + caps);
  const uint32_t target = bwe_.target_bps();
  pacer_.set_target(target);
  if (video.empty()) return;
  const uint32_t share = (target > audio ? target - audio : 0) / static_cast<uint32_t>(video.size());
  for (RtpSender* s : video) {
    const uint32_t rate = std::clamp(share, kMinVideoBps, std::max(video_rate_cap(*s), kMinVideoBps));
    s->target_bitrate = rate;
    if (!s->video_encoder) continue;
    const uint32_t applied = s->video_encoder->config().bitrate_bps;
    if (applied != 0 && std::abs(static_cast<double>(rate) - applied) < kRateChangeFraction * applied) continue;
    (void)s->video_encoder->set_rates(rate, s->video_encoder->config().framerate);
  }
}

// ---- feedback to the peer

void MediaSession::on_transport_sequence(base::Timestamp now, const MediaSection& m, const rtp::RtpPacket& p) {
  if (!m.sender.transport_cc_extension) return;
  const auto* e = p.extension(*m.sender.transport_cc_extension);
  if (!e) return;
  auto seq = rtp::decode_transport_sequence_number(e->data);
  if (!seq) return;
  feedback_.on_packet(now, *seq);
  if (!next_feedback_) next_feedback_ = now + kFeedbackInterval;
}

void MediaSession::send_transport_feedback(base::Timestamp now) {
  next_feedback_.reset();
  if (!feedback_.has_pending()) return;
  uint32_t sender_ssrc = 0, media_ssrc = 0;
  for (const auto& [h, m] : media_) {
    (void)h;
    if (!sender_ssrc) sender_ssrc = m.sender.ssrc;
    if (!media_ssrc && m.receiver.ssrc) media_ssrc = *m.receiver.ssrc;
  }
  for (const auto& t : feedback_.build(sender_ssrc, media_ssrc)) {
    auto fb = rtp::make_transport_feedback(t);
    if (!fb) continue;
    // RFC 3550 6.1: a compound packet starts with a report.
    send_rtcp(now, {rtp::ReceiverReport{sender_ssrc, {}}, std::move(*fb)});
  }
  next_feedback_ = now + kFeedbackInterval;
}

void MediaSession::send_rtcp(base::Timestamp now, const std::vector<rtp::RtcpPacket>& compound) {
  if (!srtp_) return;
  auto bytes = rtp::serialize_rtcp(compound);
  if (!bytes) return;
  if (auto p = srtp_->protect_rtcp(*bytes)) link_.send(now, *p);
}

void MediaSession::congestion_timeout(base::Timestamp now) {
  drain_pacer(now);
  if (next_feedback_ && *next_feedback_ <= now) send_transport_feedback(now);
}

base::Deadline MediaSession::congestion_deadline() const {
  base::Deadline d;
  if (auto p = pacer_.deadline()) d.merge(base::Deadline(*p));
  if (next_feedback_) d.merge(base::Deadline(*next_feedback_));
  return d;
}

}  // namespace wasmrtc::pc
