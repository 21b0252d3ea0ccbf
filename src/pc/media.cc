// The media half of PeerConnection: transceivers asked for by the page,
// SRTP keyed from DTLS (RFC 5764 section 4.2), RTP/RTCP in and out on the
// BUNDLE transport (RFC 8843 section 9.2), Opus through the codec layer and
// the jitter buffer, and RTCP reports (RFC 3550 section 6.4).
#include <algorithm>
#include <cmath>

#include "base/log.h"
#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "codec/opus_fmtp.h"
#include "codec/vp8_decoder.h"
#include "codec/vp8_encoder.h"
#include "pc/peer_connection.h"
#include "rtp/header_extensions.h"
#include "srtp/demux.h"

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


constexpr base::Duration kPlayoutInterval = base::Duration::millis(10);
constexpr base::Duration kRtcpInterval = base::Duration::seconds(1);
constexpr size_t kRtpHeaderBytes = 12;

bool is_rtx(const sdp::RtpCodec& c) { return c.name == "rtx" || c.name == "RTX"; }

bool sends(sdp::Direction d) { return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly; }
bool receives(sdp::Direction d) { return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly; }

std::optional<uint8_t> extension_id(const std::vector<sdp::ExtensionMapEntry>& map, std::string_view uri) {
  for (const auto& e : map)
    if (e.uri == uri && e.id <= 14) return static_cast<uint8_t>(e.id);
  return std::nullopt;
}

// RFC 6464: the level of a 10 ms frame in -dBov, 0 (loudest) to 127.
uint8_t audio_level(std::span<const int16_t> pcm) {
  if (pcm.empty()) return 127;
  double sum = 0;
  for (int16_t s : pcm) sum += static_cast<double>(s) * s;
  const double rms = std::sqrt(sum / pcm.size()) / 32768.0;
  if (rms <= 0) return 127;
  const double db = -20.0 * std::log10(rms);
  return static_cast<uint8_t>(std::clamp(db, 0.0, 127.0));
}

srtp::Profile srtp_profile(dtls::SrtpProfile p) { return static_cast<srtp::Profile>(static_cast<uint16_t>(p)); }

}  // namespace

// ---- the page's transceivers

void PeerConnection::add_transceiver(const TransceiverRequest& r) {
  sdp::Transceiver t;
  t.handle = r.handle;
  t.kind = r.kind;
  t.direction = r.direction;
  t.sender_track_id = r.track_id;
  t.stream_ids = r.stream_ids;
  t.added_by_add_track = r.added_by_add_track;
  jsep_.add_transceiver(std::move(t));
}

void PeerConnection::update_transceiver(const TransceiverUpdate& u) {
  if (u.direction) jsep_.set_direction(u.handle, *u.direction);
  if (u.sender) jsep_.set_sender(u.handle, u.sender->first, u.sender->second);
  if (u.codec_preferences) jsep_.set_codec_preferences(u.handle, *u.codec_preferences);
  if (u.stop) jsep_.stop_transceiver(u.handle);
  if (u.active || u.max_bitrate) {
    if (auto* m = media_section(u.handle)) {
      if (u.active) m->sender.active = *u.active;
      if (u.max_bitrate) m->sender.max_bitrate = *u.max_bitrate == 0 ? std::nullopt : u.max_bitrate;
      if (m->sender.encoder && m->sender.max_bitrate) (void)m->sender.encoder->set_bitrate(*m->sender.max_bitrate);
      // encodings[0].maxBitrate caps the video encoder at once (webrtc-pc
      // 5.2 setParameters); the frame rate stays what the source gives.
      if (m->sender.video_encoder && m->sender.max_bitrate) {
        auto& e = *m->sender.video_encoder;
        (void)e.set_rates(std::max<uint32_t>(*m->sender.max_bitrate, 30'000), e.config().framerate);
      }
    }
  }
  if (u.stop) {
    // RFC 8829 section 4.2.1 / webrtc-pc stop(): nothing more goes out or
    // comes in on it, before any renegotiation.
    media_.erase(u.handle);
  }
}

MediaSection* PeerConnection::media_section(sdp::TransceiverHandle handle) {
  auto it = media_.find(handle);
  return it == media_.end() ? nullptr : &it->second;
}

// ---- what the negotiation settled

void PeerConnection::apply_media(base::Timestamp now, const sdp::Negotiated& n) {
  std::set<sdp::TransceiverHandle> live;
  for (const auto& nm : n.media) {
    const sdp::Transceiver* t = nullptr;
    for (const auto& c : jsep_.transceivers())
      if (c.mid && *c.mid == nm.mid && !c.stopped) t = &c;
    if (!t) continue;
    live.insert(t->handle);
    MediaSection& m = media_[t->handle];
    m.handle = t->handle;
    m.kind = nm.kind;
    // RFC 3264 section 6.1: send the first format of the answer.
    auto codec = std::find_if(nm.codecs.begin(), nm.codecs.end(), [](const auto& c) { return !is_rtx(c); });
    if (codec == nm.codecs.end()) continue;
    std::string remote_fmtp;
    for (const auto& rc : nm.remote_codecs)
      if (rc.payload_type == codec->payload_type) remote_fmtp = rc.fmtp;

    RtpSender& s = m.sender;
    const bool codec_changed = s.payload_type != codec->payload_type || s.fmtp != remote_fmtp;
    s.mid = nm.mid;
    s.ssrc = t->ssrc;
    s.payload_type = codec->payload_type;
    s.codec_name = codec->name;
    s.clock_rate = codec->clock_rate;
    s.channels = codec->channels;
    s.fmtp = remote_fmtp;
    s.mid_extension = extension_id(nm.extensions, sdp::kExtensionMid);
    s.level_extension = extension_id(nm.extensions, sdp::kExtensionAudioLevel);
    if (!s.stats) {
      s.sequence_number = static_cast<uint16_t>(random_.next_u32());
      s.timestamp = random_.next_u32();
      s.stats.emplace(s.ssrc, s.clock_rate);
    }
    if (codec_changed) s.encoder.reset();
    // RFC 4588 section 8: the rtx format whose apt names the codec.
    s.rtx_payload_type.reset();
    for (const auto& c : nm.codecs)
      if (is_rtx(c) && c.fmtp_parameter("apt") == std::to_string(codec->payload_type)) s.rtx_payload_type = c.payload_type;
    s.rtx_ssrc = t->rtx_ssrc;
    s.negotiated_send = sends(nm.direction);
    s.ptime_ms = nm.remote_ptime_ms;

    RtpReceiver& r = m.receiver;
    r.mid = nm.mid;
    r.payload_types.clear();
    for (const auto& c : nm.codecs) r.payload_types.insert(c.payload_type);
    r.signalled_ssrcs = std::set<uint32_t>(nm.remote_ssrcs.begin(), nm.remote_ssrcs.end());
    if (r.ssrc && !r.signalled_ssrcs.empty() && !r.signalled_ssrcs.count(*r.ssrc)) {
      // The peer announced a new source (a replaced track): start afresh.
      r.ssrc.reset();
      r.stats.reset();
      r.jitter_buffer.reset();
    }
    r.payload_type = codec->payload_type;
    r.rtx_payload_type = s.rtx_payload_type;
    r.codec_name = codec->name;
    r.clock_rate = codec->clock_rate;
    r.fmtp = codec->fmtp;
    r.receiving = receives(nm.direction);
    if (!r.receiving) {
      r.jitter_buffer.reset();
      r.next_playout.reset();
    }
  }
  std::erase_if(media_, [&](const auto& kv) { return !live.count(kv.first); });
  if (!media_.empty() && !next_rtcp_) next_rtcp_ = now + kRtcpInterval;
}

void PeerConnection::start_srtp() {
  if (srtp_ || !dtls_connected_ || !dtls_connected_->srtp_profile || !dtls_connected_->srtp_keys) return;
  const auto& k = *dtls_connected_->srtp_keys;
  const bool client = dtls_ && dtls_->role() == dtls::Role::Client;
  srtp::Keys local{client ? k.client_key : k.server_key, client ? k.client_salt : k.server_salt};
  srtp::Keys remote{client ? k.server_key : k.client_key, client ? k.server_salt : k.client_salt};
  auto s = srtp::Session::create(srtp_profile(*dtls_connected_->srtp_profile), local, remote);
  if (!s) {
    WASMRTC_LOG(base::LogLevel::Error, "pc") << "SRTP session: " << srtp::to_string(s.error());
    return;
  }
  srtp_.emplace(std::move(*s));
}

// ---- sending

void PeerConnection::send_audio(base::Timestamp now, sdp::TransceiverHandle handle, std::span<const int16_t> pcm,
                                uint32_t sample_rate, uint8_t channels) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || !m->sender.active || !m->sender.negotiated_send) return;
  RtpSender& s = m->sender;
  ++s.frames_in;
  if (!s.encoder || s.encoder_rate != sample_rate || s.encoder_channels != channels) {
    // RFC 7587 section 6.1: the peer's fmtp says what its decoder wants
    // (FEC, DTX, CBR, bitrate cap, playback rate); its a=ptime the packet
    // time. Channels are what the track gives.
    codec::AudioEncoderConfig c;
    c.sample_rate = sample_rate;
    c.channels = channels;
    c.ptime_ms = s.ptime_ms.value_or(20);
    if (auto remote = codec::parse_opus_fmtp(s.fmtp)) {
      c = codec::encoder_config_for(*remote, c);
    } else {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "ignoring the peer's opus fmtp: " << s.fmtp;
    }
    c.sample_rate = sample_rate;
    c.channels = channels;
    if (s.max_bitrate && (c.bitrate_bps == 0 || *s.max_bitrate < c.bitrate_bps)) c.bitrate_bps = *s.max_bitrate;
    if (c.bitrate_bps != 0) c.bitrate_bps = std::clamp<uint32_t>(c.bitrate_bps, 6000, 510000);
    if (c.fec && c.expected_loss_percent == 0) c.expected_loss_percent = 10;
    auto e = codec::OpusEncoder::create(c);
    if (!e) {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "audio encoder: " << codec::to_string(e.error());
      return;
    }
    s.encoder = std::move(*e);
    s.encoder_rate = sample_rate;
    s.encoder_channels = channels;
  }
  auto encoded = s.encoder->encode(pcm);
  if (!encoded) {
    WASMRTC_LOG(base::LogLevel::Warn, "pc") << "audio encode: " << codec::to_string(encoded.error());
    return;
  }
  s.last_level = audio_level(pcm);
  if (!*encoded) return;
  rtp::RtpPacket p;
  p.payload_type = s.payload_type;
  p.sequence_number = s.sequence_number++;
  p.timestamp = s.timestamp;
  p.ssrc = s.ssrc;
  s.timestamp += (*encoded)->samples;
  // RFC 8843 section 15: the mid in every packet, so the peer can route
  // before it has seen our SSRC in a description.
  if (s.mid_extension) p.extensions.push_back(rtp::Extension{*s.mid_extension, base::Bytes(s.mid.begin(), s.mid.end())});
  if (s.level_extension) {
    // RFC 6464 section 3: V bit (voice activity) and the level.
    const uint8_t v = (*encoded)->dtx ? 0 : 0x80;
    p.extensions.push_back(rtp::Extension{*s.level_extension, base::Bytes{static_cast<uint8_t>(v | s.last_level)}});
  }
  p.payload = std::move((*encoded)->payload);
  send_rtp(now, s, p);
}

void PeerConnection::send_rtp(base::Timestamp now, RtpSender& s, const rtp::RtpPacket& p, bool retransmission) {
  if (!srtp_ || !agent_) return;
  auto bytes = rtp::serialize(p);
  if (!bytes) return;
  auto protected_bytes = srtp_->protect_rtp(*bytes);
  if (!protected_bytes) {
    WASMRTC_LOG(base::LogLevel::Warn, "pc") << "SRTP protect: " << srtp::to_string(protected_bytes.error());
    return;
  }
  if (s.stats) s.stats->on_rtp_sent(now, rtp::SentPacket::of(p, bytes->size(), now, retransmission));
  (void)agent_->send(now, *protected_bytes);
  pump(now);
}

// ---- receiving

void PeerConnection::on_srtp_input(base::Timestamp now, base::ByteView data) {
  if (!srtp_) {
    ++srtp_dropped_;  // before the keys: nothing to do with it
    return;
  }
  if (srtp::classify(data) == srtp::PacketKind::Rtcp) {
    auto plain = srtp_->unprotect_rtcp(data);
    if (!plain) {
      ++srtp_dropped_;
      return;
    }
    on_rtcp(now, *plain);
    return;
  }
  auto plain = srtp_->unprotect_rtp(data);
  if (!plain) {
    // Replayed, tampered or unknown: RFC 3711 section 3.3 says drop.
    ++srtp_dropped_;
    return;
  }
  auto p = rtp::parse_rtp(*plain);
  if (!p) {
    ++rtp_malformed_;
    return;
  }
  MediaSection* m = route_rtp(*p);
  if (!m) {
    ++rtp_unrouted_;
    return;
  }
  RtpReceiver& r = m->receiver;
  if (!r.receiving) return;
  if (m->kind == sdp::MediaKind::Video && r.rtx_payload_type && p->payload_type == *r.rtx_payload_type) {
    on_rtx(now, *m, *p);
    return;
  }
  if (!r.ssrc) r.ssrc = p->ssrc;
  if (!r.stats || r.stats->ssrc() != p->ssrc) r.stats.emplace(p->ssrc, r.clock_rate);
  r.stats->on_rtp(now, rtp::ReceivedPacket::of(*p, plain->size()));
  r.last_packet = now;
  r.last_rtp_timestamp = p->timestamp;
  if (p->payload_type != r.payload_type) return;  // CN, telephone-event, RTX: not ours
  if (m->kind == sdp::MediaKind::Video) {
    on_video_rtp(now, *m, *p);
    return;
  }
  if (!r.jitter_buffer) {
    auto d = codec::OpusDecoder::create(48000, 2);
    if (!d) return;
    r.jitter_buffer = std::make_unique<media::AudioJitterBuffer>(std::move(*d));
  }
  r.jitter_buffer->insert(now, p->sequence_number, p->timestamp, p->payload);
  if (!r.next_playout) r.next_playout = now + kPlayoutInterval;
}

// RFC 8843 section 9.2: by the mid extension, then by a known SSRC, then by
// payload type when only one section uses it.
MediaSection* PeerConnection::route_rtp(const rtp::RtpPacket& p) {
  std::optional<std::string> mid;
  for (auto& [h, m] : media_) {
    (void)h;
    if (m.sender.mid_extension) {
      if (const auto* e = p.extension(*m.sender.mid_extension)) mid = std::string(e->data.begin(), e->data.end());
      break;
    }
  }
  for (auto& [h, m] : media_) {
    (void)h;
    if (mid && m.receiver.mid == *mid) {
      const bool rtx = m.receiver.rtx_payload_type && p.payload_type == *m.receiver.rtx_payload_type;
      if (!rtx && m.receiver.ssrc && *m.receiver.ssrc != p.ssrc) m.receiver.ssrc = p.ssrc;
      return &m;
    }
  }
  for (auto& [h, m] : media_) {
    (void)h;
    if ((m.receiver.ssrc && *m.receiver.ssrc == p.ssrc) || m.receiver.signalled_ssrcs.count(p.ssrc)) return &m;
  }
  MediaSection* only = nullptr;
  for (auto& [h, m] : media_) {
    (void)h;
    if (!m.receiver.payload_types.count(p.payload_type) || m.receiver.ssrc) continue;
    if (only) return nullptr;  // ambiguous
    only = &m;
  }
  return only;
}

void PeerConnection::on_rtcp(base::Timestamp now, base::ByteView data) {
  auto packets = rtp::parse_rtcp(data);
  if (!packets) {
    ++rtp_malformed_;
    return;
  }
  const rtp::NtpTime ntp = ntp_now(now);
  auto blocks = [&](const std::vector<rtp::ReportBlock>& reports) {
    for (const auto& b : reports)
      for (auto& [h, m] : media_) {
        (void)h;
        if (m.sender.stats && m.sender.ssrc == b.ssrc) m.sender.stats->on_report_block(b, ntp, now);
      }
  };
  for (const auto& packet : *packets) {
    if (const auto* sr = std::get_if<rtp::SenderReport>(&packet)) {
      for (auto& [h, m] : media_) {
        (void)h;
        if (m.receiver.stats && m.receiver.stats->ssrc() == sr->ssrc) m.receiver.stats->on_sender_report(now, *sr);
      }
      blocks(sr->reports);
    } else if (const auto* rr = std::get_if<rtp::ReceiverReport>(&packet)) {
      blocks(rr->reports);
    } else if (const auto* fb = std::get_if<rtp::Feedback>(&packet)) {
      on_feedback(now, *fb);
    }
  }
}

rtp::NtpTime PeerConnection::ntp_now(base::Timestamp now) const {
  return rtp::NtpTime::from_unix_micros(now.us() + config_.wall_clock_offset_us);
}

// ---- timers: playout every 10 ms, RTCP every second

void PeerConnection::media_timeout(base::Timestamp now) {
  for (auto& [handle, m] : media_) {
    if (m.kind == sdp::MediaKind::Video && !m.receiver.video_frames.empty()) decode_video(now, m);
    if (m.kind == sdp::MediaKind::Video) send_nacks(now, m);
    RtpReceiver& r = m.receiver;
    while (r.jitter_buffer && r.next_playout && *r.next_playout <= now) {
      media::AudioFrame f = r.jitter_buffer->pull(*r.next_playout);
      *r.next_playout += kPlayoutInterval;
      ++r.frames_out;
      Record e;
      e.set("type", "audioframe")
          .set("transceiver", static_cast<int64_t>(handle))
          .set("kind", media::to_string(f.kind))
          .set("audioLevel", r.jitter_buffer->stats().audio_level)
          .set("sampleRate", f.sample_rate)
          .set("channelCount", static_cast<uint32_t>(f.channels))
          .set("samples", base::Bytes(reinterpret_cast<const uint8_t*>(f.samples.data()),
                                      reinterpret_cast<const uint8_t*>(f.samples.data() + f.samples.size())));
      // RTCRtpSynchronizationSource (webrtc-pc 5.3.1): who the audio came from.
      if (r.ssrc) e.set("ssrc", *r.ssrc);
      if (r.last_rtp_timestamp) e.set("rtpTimestamp", *r.last_rtp_timestamp);
      emit(std::move(e));
      // Falling far behind (a stalled event loop): skip rather than burst.
      if (now - *r.next_playout > base::Duration::millis(200)) r.next_playout = now;
    }
  }
  if (next_rtcp_ && *next_rtcp_ <= now) {
    send_rtcp_reports(now);
    next_rtcp_ = now + kRtcpInterval;
  }
}

base::Deadline PeerConnection::media_deadline() const {
  base::Deadline d;
  for (const auto& [h, m] : media_) {
    (void)h;
    if (m.receiver.jitter_buffer && m.receiver.next_playout) d.merge(base::Deadline(*m.receiver.next_playout));
  }
  if (next_rtcp_ && srtp_) d.merge(base::Deadline(*next_rtcp_));
  for (const auto& [h, m] : media_) {
    (void)h;
    const RtpReceiver& r = m.receiver;
    // A waiting frame is given up, and NACKs repeated, on time.
    if (!r.video_frames.empty()) d.merge(base::Deadline(r.video_frames.begin()->second.first_seen + kMaxFrameWait));
    for (const auto& [seq, e] : r.missing) {
      (void)seq;
      d.merge(base::Deadline(e.asked ? *e.asked + kNackInterval : e.since));
    }
  }
  return d;
}

// RFC 3550 section 6.4 / RFC 5506: per sending SSRC an SR (or an RR when
// it sent nothing lately) with report blocks for what we receive, and
// SDES CNAME (section 6.5), as one compound packet.
void PeerConnection::send_rtcp_reports(base::Timestamp now) {
  if (!srtp_ || !agent_) return;
  const rtp::NtpTime ntp = ntp_now(now);
  std::vector<rtp::ReportBlock> reports;
  for (auto& [h, m] : media_) {
    (void)h;
    if (m.receiver.stats && m.receiver.stats->valid())
      if (auto b = m.receiver.stats->report_block(now)) reports.push_back(*b);
  }
  for (auto& [h, m] : media_) {
    (void)h;
    RtpSender& s = m.sender;
    if (s.ssrc == 0) continue;
    std::vector<rtp::RtcpPacket> compound;
    if (s.stats && s.stats->should_send_sender_report()) {
      rtp::SenderReport sr = s.stats->sender_report(now, ntp);
      sr.reports = reports;
      compound.push_back(std::move(sr));
      s.stats->on_report_sent();
    } else {
      compound.push_back(rtp::ReceiverReport{s.ssrc, reports});
    }
    reports.clear();  // one report block per source is enough
    rtp::SdesChunk chunk{s.ssrc, {{1 /* CNAME */, jsep_.cname()}}};
    compound.push_back(rtp::Sdes{{chunk}});
    auto bytes = rtp::serialize_rtcp(compound);
    if (!bytes) continue;
    auto p = srtp_->protect_rtcp(*bytes);
    if (p) (void)agent_->send(now, *p);
  }
}

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
    // Until bandwidth estimation (issue 7): encodings' maxBitrate, else a
    // rate that suits the size.
    const uint32_t pixels = width * height;
    c.bitrate_bps = s.max_bitrate.value_or(pixels >= 1280 * 720 ? 2'500'000 : pixels >= 640 * 480 ? 1'200'000 : 500'000);
    auto e = codec::Vp8Encoder::create(c);
    if (!e) {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "video encoder: " << codec::to_string(e.error());
      return;
    }
    s.video_encoder = std::move(*e);
    s.packetizer.emplace(static_cast<uint16_t>(random_.next_u32() & 0x7fff));
  } else if (s.video_encoder->config().width != width || s.video_encoder->config().height != height) {
    if (auto r = s.video_encoder->set_resolution(width, height); !r) return;
  }
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

// RFC 3550 section 6.6: leaving, each source we sent from says BYE (in a
// compound packet that starts with a report, section 6.1).
void PeerConnection::send_rtcp_bye(base::Timestamp now) {
  if (!srtp_ || !agent_) return;
  for (auto& [h, m] : media_) {
    (void)h;
    const RtpSender& s = m.sender;
    if (s.ssrc == 0 || !s.stats || s.stats->packets_sent() == 0) continue;
    std::vector<rtp::RtcpPacket> compound;
    compound.push_back(rtp::ReceiverReport{s.ssrc, {}});
    compound.push_back(rtp::Bye{{s.ssrc}, std::nullopt});
    auto bytes = rtp::serialize_rtcp(compound);
    if (!bytes) continue;
    if (auto p = srtp_->protect_rtcp(*bytes)) (void)agent_->send(now, *p);
  }
}

}  // namespace wasmrtc::pc
