// The media session's core: sections from the negotiation, SRTP keyed
// from DTLS (RFC 5764 section 4.2), RTP/RTCP in and out on the BUNDLE
// transport (RFC 8843 section 9.2), Opus through the codec layer and the
// jitter buffer, and RTCP reports (RFC 3550 section 6.4). Video, DTMF,
// congestion control and the stats are in their own files.
#include <algorithm>
#include <cmath>

#include "base/log.h"
#include "codec/opus_fmtp.h"
#include "pc/media_session.h"
#include "rtp/header_extensions.h"
#include "sdp/text.h"

namespace wasmrtc::pc {
namespace {

constexpr base::Duration kPlayoutInterval = base::Duration::millis(10);
constexpr base::Duration kRtcpInterval = base::Duration::seconds(1);

bool is_rtx(const sdp::RtpCodec& c) { return c.name == "rtx" || c.name == "RTX"; }
bool is_telephone_event(const sdp::RtpCodec& c) { return sdp::text::iequals(c.name, "telephone-event"); }
// A format that carries the media itself: not a repair or an event stream
// (RFC 4588 rtx, RFC 4733 telephone-event, RFC 3389 CN, RFC 2198 red).
bool is_media_codec(const sdp::RtpCodec& c) {
  return !is_rtx(c) && !is_telephone_event(c) && !sdp::text::iequals(c.name, "CN") &&
         !sdp::text::iequals(c.name, "red");
}

bool sends(sdp::Direction d) { return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly; }
bool receives(sdp::Direction d) { return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly; }

std::optional<uint8_t> extension_id(const std::vector<sdp::ExtensionMapEntry>& map, std::string_view uri) {
  for (const auto& e : map)
    if (e.uri == uri && e.id <= 14) return static_cast<uint8_t>(e.id);
  return std::nullopt;
}

// The RMS level of a 10 ms frame, linear: 1.0 is 0 dBov (webrtc-stats
// audioLevel of a media-source).
double rms_level(std::span<const int16_t> pcm) {
  if (pcm.empty()) return 0;
  double sum = 0;
  for (int16_t s : pcm) sum += static_cast<double>(s) * s;
  return std::min(1.0, std::sqrt(sum / pcm.size()) / 32768.0);
}

// RFC 6464: that level in -dBov, 0 (loudest) to 127.
uint8_t audio_level(double rms) {
  if (rms <= 0) return 127;
  const double db = -20.0 * std::log10(rms);
  return static_cast<uint8_t>(std::clamp(db, 0.0, 127.0));
}

}  // namespace

MediaSession::MediaSession(Config config, base::Random& random, Link& link)
    : config_(std::move(config)), random_(random), link_(link) {}

// ---- the page's changes

void MediaSession::set_encoding(sdp::TransceiverHandle handle, std::optional<bool> active,
                                std::optional<uint32_t> max_bitrate) {
  if (!active && !max_bitrate) return;
  auto* m = media_section(handle);
  if (!m) return;
  if (active) m->sender.active = *active;
  if (max_bitrate) m->sender.max_bitrate = *max_bitrate == 0 ? std::nullopt : max_bitrate;
  if (m->sender.encoder && m->sender.max_bitrate) (void)m->sender.encoder->set_bitrate(*m->sender.max_bitrate);
  // encodings[0].maxBitrate caps the video encoder at once (webrtc-pc
  // 5.2 setParameters), through the share of the estimate.
  allocate_bitrate();
}

MediaSection* MediaSession::media_section(sdp::TransceiverHandle handle) {
  auto it = media_.find(handle);
  return it == media_.end() ? nullptr : &it->second;
}

// ---- what the negotiation settled

void MediaSession::apply(base::Timestamp now, const sdp::Negotiated& n,
                         const std::vector<sdp::Transceiver>& transceivers) {
  std::set<sdp::TransceiverHandle> live;
  for (const auto& nm : n.media) {
    const sdp::Transceiver* t = nullptr;
    for (const auto& c : transceivers)
      if (c.mid && *c.mid == nm.mid && !c.stopped) t = &c;
    if (!t) continue;
    live.insert(t->handle);
    MediaSection& m = media_[t->handle];
    m.handle = t->handle;
    m.kind = nm.kind;
    // RFC 3264 section 6.1: send the first format of the answer.
    auto codec = std::find_if(nm.codecs.begin(), nm.codecs.end(), [](const auto& c) { return is_media_codec(c); });
    if (codec == nm.codecs.end()) continue;
    std::string remote_fmtp;
    for (const auto& rc : nm.remote_codecs)
      if (rc.payload_type == codec->payload_type) remote_fmtp = rc.fmtp;

    RtpSender& s = m.sender;
    const bool codec_changed = s.payload_type != codec->payload_type || s.fmtp != remote_fmtp;
    s.handle = t->handle;
    s.mid = nm.mid;
    s.ssrc = t->ssrc;
    s.payload_type = codec->payload_type;
    s.codec_name = codec->name;
    s.clock_rate = codec->clock_rate;
    s.channels = codec->channels;
    s.fmtp = remote_fmtp;
    s.mid_extension = extension_id(nm.extensions, sdp::kExtensionMid);
    s.level_extension = extension_id(nm.extensions, sdp::kExtensionAudioLevel);
    // draft-holmer-rmcat-transport-wide-cc-extensions-01 section 4: both
    // the extension and the rtcp-fb "transport-cc" of the codec.
    s.transport_cc_extension.reset();
    if (std::find(codec->feedback.begin(), codec->feedback.end(), "transport-cc") != codec->feedback.end())
      s.transport_cc_extension = extension_id(nm.extensions, sdp::kExtensionTransportWideCc);
    if (!s.stats) {
      s.sequence_number = static_cast<uint16_t>(random_.next_u32());
      s.timestamp = random_.next_u32();
      s.stats.emplace(s.ssrc, s.clock_rate);
    }
    if (codec_changed) {
      s.encoder.reset();
      s.video_encoder.reset();
    }
    s.codec = codecs().find(nm.kind, *codec);
    // RFC 4588 section 8: the rtx format whose apt names the codec.
    s.rtx_payload_type.reset();
    for (const auto& c : nm.codecs)
      if (is_rtx(c) && c.fmtp_parameter("apt") == std::to_string(codec->payload_type)) s.rtx_payload_type = c.payload_type;
    s.rtx_ssrc = t->rtx_ssrc;
    // RFC 4733 section 2.1: events on the audio stream's clock.
    s.telephone_event_payload_type.reset();
    for (const auto& c : nm.codecs)
      if (is_telephone_event(c) && c.clock_rate == codec->clock_rate && !s.telephone_event_payload_type)
        s.telephone_event_payload_type = c.payload_type;
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
    if (r.payload_type != codec->payload_type) {
      r.video_buffer.reset();
      r.video_decoder.reset();
    }
    r.codec = s.codec;
    r.payload_type = codec->payload_type;
    // The peer may send any audio format of the answer (RFC 3264 section
    // 6.1), and switch between them.
    r.audio_formats.clear();
    for (const auto& c : nm.codecs)
      if (m.kind == sdp::MediaKind::Audio && is_media_codec(c)) r.audio_formats[c.payload_type] = c;
    r.rtx_payload_type = s.rtx_payload_type;
    r.telephone_event_payload_types.clear();
    for (const auto& c : nm.codecs)
      if (is_telephone_event(c)) r.telephone_event_payload_types[c.payload_type] = c.clock_rate;
    r.nack = std::find(codec->feedback.begin(), codec->feedback.end(), "nack") != codec->feedback.end();
    r.codec_name = codec->name;
    r.clock_rate = codec->clock_rate;
    r.channels = codec->channels;
    r.fmtp = codec->fmtp;
    r.receiving = receives(nm.direction);
    if (!r.receiving) {
      r.jitter_buffer.reset();
      r.next_playout.reset();
    }
  }
  std::erase_if(media_, [&](const auto& kv) { return !live.count(kv.first); });
  allocate_bitrate();
  if (!media_.empty() && !next_rtcp_) next_rtcp_ = now + kRtcpInterval;
}

void MediaSession::start_srtp(srtp::Profile profile, const srtp::Keys& local, const srtp::Keys& remote) {
  if (srtp_) return;
  auto s = srtp::Session::create(profile, local, remote);
  if (!s) {
    WASMRTC_LOG(base::LogLevel::Error, "pc") << "SRTP session: " << srtp::to_string(s.error());
    return;
  }
  srtp_.emplace(std::move(*s));
}

// ---- sending

void MediaSession::send_audio(base::Timestamp now, sdp::TransceiverHandle handle, std::span<const int16_t> pcm,
                                uint32_t sample_rate, uint8_t channels) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m) return;
  RtpSender& s = m->sender;
  const double level = rms_level(pcm);
  if (sample_rate > 0 && channels > 0 && !pcm.empty()) {
    // webrtc-stats RTCAudioSourceStats.
    const double duration = static_cast<double>(pcm.size()) / channels / sample_rate;
    s.source.audio_level = level;
    s.source.total_audio_energy += level * level * duration;
    s.source.total_samples_duration += duration;
  }
  if (!s.active || !s.negotiated_send) return;
  ++s.frames_in;
  if (!s.encoder || s.encoder_rate != sample_rate || s.encoder_channels != channels) {
    // RFC 7587 section 6.1: the peer's fmtp says what its decoder wants
    // (FEC, DTX, CBR, bitrate cap, playback rate); its a=ptime the packet
    // time. Channels are what the track gives.
    codec::AudioEncoderConfig c;
    c.sample_rate = sample_rate;
    c.channels = channels;
    c.ptime_ms = s.ptime_ms.value_or(20);
    if (!sdp::text::iequals(s.codec_name, "opus")) {
      // G.711: one rate, nothing in fmtp.
    } else if (auto remote = codec::parse_opus_fmtp(s.fmtp)) {
      c = codec::encoder_config_for(*remote, c);
    } else {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "ignoring the peer's opus fmtp: " << s.fmtp;
    }
    c.sample_rate = sample_rate;
    c.channels = channels;
    if (s.max_bitrate && (c.bitrate_bps == 0 || *s.max_bitrate < c.bitrate_bps)) c.bitrate_bps = *s.max_bitrate;
    if (c.bitrate_bps != 0) c.bitrate_bps = std::clamp<uint32_t>(c.bitrate_bps, 6000, 510000);
    if (c.fec && c.expected_loss_percent == 0) c.expected_loss_percent = 10;
    if (!s.codec || !s.codec->factories.audio_encoder) return;  // not ours to encode (the embedder's, or unknown)
    s.encoder = s.codec->factories.audio_encoder(c);
    if (!s.encoder) {
      WASMRTC_LOG(base::LogLevel::Warn, "pc") << "audio encoder of " << s.codec_name << ": none made (rate "
                                               << c.sample_rate << ", " << int(c.channels) << " channels)";
      return;
    }
    s.encoder_rate = sample_rate;
    s.encoder_channels = channels;
  }
  auto encoded = s.encoder->encode(pcm);
  if (!encoded) {
    WASMRTC_LOG(base::LogLevel::Warn, "pc") << "audio encode: " << codec::to_string(encoded.error());
    return;
  }
  s.last_level = audio_level(level);
  if (!*encoded) return;
  if (s.dtmf.active()) {
    // RFC 4733 2.5.1.2: the event stands in for the audio while it plays;
    // the media clock moves on.
    s.timestamp += (*encoded)->samples;
    return;
  }
  send_audio_payload(now, s, std::move((*encoded)->payload), (*encoded)->samples, (*encoded)->dtx, FrameOrigin::Encoder);
}

std::optional<MediaSession::SendCodec> MediaSession::send_codec(sdp::TransceiverHandle handle) const {
  auto it = media_.find(handle);
  if (it == media_.end() || it->second.sender.codec_name.empty()) return std::nullopt;
  const RtpSender& s = it->second.sender;
  return SendCodec{s.codec_name, s.clock_rate, s.channels, s.payload_type, s.fmtp,
                  s.codec && !s.codec->builtin ? s.codec : nullptr};
}

void MediaSession::send_encoded_audio(base::Timestamp now, sdp::TransceiverHandle handle, base::ByteView payload,
                                      uint32_t samples, FrameOrigin origin, std::optional<uint32_t> rtp_timestamp) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Audio || payload.empty()) return;
  RtpSender& s = m->sender;
  if (!s.active || !s.negotiated_send) return;
  const bool embedder_encodes = s.codec && !s.codec->factories.audio_encoder;
  if (origin == FrameOrigin::Encoder ? !embedder_encodes : !transformed(handle, true)) return;
  if (origin == FrameOrigin::Encoder && s.dtmf.active()) {
    s.timestamp += samples;  // RFC 4733 2.5.1.2, as send_audio
    return;
  }
  send_audio_payload(now, s, base::Bytes(payload.begin(), payload.end()), samples, false, origin, rtp_timestamp);
}

// One audio payload into RTP, through the sender's encoded transform first
// (webrtc-encoded-transform): the media clock moves on when the payload
// leaves for it; it comes back with its timestamp.
void MediaSession::send_audio_payload(base::Timestamp now, RtpSender& s, base::Bytes payload, uint32_t samples,
                                      bool dtx, FrameOrigin origin, std::optional<uint32_t> rtp_timestamp) {
  uint32_t timestamp = s.timestamp;
  if (rtp_timestamp) {
    timestamp = *rtp_timestamp;
  } else {
    s.timestamp += samples;
  }
  if (origin != FrameOrigin::Transform && transformed(s.handle, true)) {
    Record e;
    e.set("type", "encodedframe")
        .set("kind", "audio")
        .set("direction", "send")
        .set("transceiver", static_cast<int64_t>(s.handle))
        .set("rtpTimestamp", timestamp)
        .set("samples", samples)
        .set("payloadType", static_cast<uint32_t>(s.payload_type))
        .set("mimeType", "audio/" + s.codec_name)
        .set("ssrc", s.ssrc)
        .set("data", std::move(payload));
    link_.emit(std::move(e));
    return;
  }
  rtp::RtpPacket p;
  p.payload_type = s.payload_type;
  p.sequence_number = s.sequence_number++;
  p.timestamp = timestamp;
  p.ssrc = s.ssrc;
  add_mid_extension(s, p);
  if (s.level_extension) {
    // RFC 6464 section 3: V bit (voice activity) and the level.
    const uint8_t v = dtx ? 0 : 0x80;
    p.extensions.push_back(rtp::Extension{*s.level_extension, base::Bytes{static_cast<uint8_t>(v | s.last_level)}});
  }
  p.payload = std::move(payload);
  send_rtp(now, s, p);
}

// ---- receiving

void MediaSession::handle_srtp(base::Timestamp now, base::ByteView data, bool rtcp) {
  if (!srtp_) {
    ++srtp_dropped_;  // before the keys: nothing to do with it
    return;
  }
  if (rtcp) {
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
  on_transport_sequence(now, *m, *p);
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
  if (r.telephone_event_payload_types.count(p->payload_type)) {
    on_telephone_event(*m, *p);
    return;
  }
  if (m->kind == sdp::MediaKind::Video) {
    if (p->payload_type != r.payload_type) return;  // RED, FEC: not ours
    on_video_rtp(now, *m, *p);
    return;
  }
  deliver_audio_payload(now, *m, p->payload_type, p->sequence_number, p->timestamp, p->ssrc, p->payload,
                        FrameOrigin::Network);
}

// One received audio payload on its way to the jitter buffer: through the
// receiver's encoded transform first (webrtc-encoded-transform), then the
// embedder's decoder (a codec without a decoder factory) or ours.
void MediaSession::deliver_audio_payload(base::Timestamp now, MediaSection& m, uint8_t payload_type,
                                         uint16_t sequence_number, uint32_t rtp_timestamp, uint32_t ssrc,
                                         base::ByteView payload, FrameOrigin origin) {
  RtpReceiver& r = m.receiver;
  auto format = r.audio_formats.find(payload_type);
  if (format == r.audio_formats.end()) return;  // CN, RED: not decoded
  const CodecRegistration* codec = codecs().find(sdp::MediaKind::Audio, format->second);
  if (!codec) return;  // not one we run
  const bool to_transform = origin == FrameOrigin::Network && transformed(m.handle, false);
  if (to_transform || !codec->factories.audio_decoder) {
    // To the transform, or to the embedder's decoder: each payload as it comes.
    if (!to_transform) ++r.frames_out;
    Record e;
    e.set("type", "encodedframe")
        .set("kind", "audio")
        .set("direction", to_transform ? "receive" : "decode")
        .set("transceiver", static_cast<int64_t>(m.handle))
        .set("rtpTimestamp", rtp_timestamp)
        .set("sequenceNumber", static_cast<uint32_t>(sequence_number))
        .set("ssrc", ssrc)
        .set("payloadType", static_cast<uint32_t>(payload_type))
        .set("mimeType", "audio/" + format->second.name)
        .set("data", base::Bytes(payload.begin(), payload.end()));
    link_.emit(std::move(e));
    return;
  }
  if (!r.jitter_buffer || r.jitter_buffer_payload_type != payload_type) {
    // The first packet, or the peer switched formats: a decoder for this one.
    std::unique_ptr<codec::AudioDecoder> d = codec->factories.audio_decoder();
    if (!d) return;
    r.jitter_buffer = std::make_unique<media::AudioJitterBuffer>(std::move(d));
    r.jitter_buffer_payload_type = payload_type;
  }
  r.jitter_buffer->insert(now, sequence_number, rtp_timestamp, payload);
  if (!r.next_playout) r.next_playout = now + kPlayoutInterval;
}

void MediaSession::receive_encoded_audio(base::Timestamp now, sdp::TransceiverHandle handle, uint8_t payload_type,
                                         uint16_t sequence_number, uint32_t rtp_timestamp, base::ByteView payload) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Audio || payload.empty() || !transformed(handle, false)) return;
  if (!m->receiver.receiving) return;
  deliver_audio_payload(now, *m, payload_type, sequence_number, rtp_timestamp, m->receiver.ssrc.value_or(0), payload,
                        FrameOrigin::Transform);
}

// RFC 8843 section 9.2: by the mid extension, then by a known SSRC, then by
// payload type when only one section uses it.
MediaSection* MediaSession::route_rtp(const rtp::RtpPacket& p) {
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

void MediaSession::on_rtcp(base::Timestamp now, base::ByteView data) {
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
        if (m.sender.stats && m.sender.ssrc == b.ssrc && m.sender.stats->on_report_block(b, ntp, now))
          on_congestion_report(now, m.sender, b);
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

rtp::NtpTime MediaSession::ntp_now(base::Timestamp now) const {
  return rtp::NtpTime::from_unix_micros(now.us() + config_.wall_clock_offset_us);
}

// ---- timers: playout every 10 ms, RTCP every second

void MediaSession::handle_timeout(base::Timestamp now) {
  for (auto& [handle, m] : media_) {
    if (m.kind == sdp::MediaKind::Video) video_timeout(now, m);
    if (m.sender.dtmf.poll_timeout()) send_dtmf(now, m.sender);
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
      link_.emit(std::move(e));
      // Falling far behind (a stalled event loop): skip rather than burst.
      if (now - *r.next_playout > base::Duration::millis(200)) r.next_playout = now;
    }
  }
  congestion_timeout(now);
  if (next_rtcp_ && *next_rtcp_ <= now) {
    update_rtt_from_ice();
    send_rtcp_reports(now);
    next_rtcp_ = now + kRtcpInterval;
  }
}

base::Deadline MediaSession::poll_timeout() const {
  base::Deadline d;
  for (const auto& [h, m] : media_) {
    (void)h;
    if (m.receiver.jitter_buffer && m.receiver.next_playout) d.merge(base::Deadline(*m.receiver.next_playout));
    if (auto at = m.sender.dtmf.poll_timeout()) d.merge(base::Deadline(*at));
  }
  if (next_rtcp_ && srtp_) d.merge(base::Deadline(*next_rtcp_));
  if (srtp_) d.merge(congestion_deadline());
  for (const auto& [h, m] : media_) {
    (void)h;
    if (m.kind == sdp::MediaKind::Video) d.merge(video_deadline(m));
  }
  return d;
}

// RFC 3550 section 6.4 / RFC 5506: per sending SSRC an SR (or an RR when
// it sent nothing lately) with report blocks for what we receive, and
// SDES CNAME (section 6.5), as one compound packet.
void MediaSession::send_rtcp_reports(base::Timestamp now) {
  if (!srtp_) return;
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
    rtp::SdesChunk chunk{s.ssrc, {{1 /* CNAME */, config_.cname}}};
    compound.push_back(rtp::Sdes{{chunk}});
    send_rtcp(now, compound);
  }
}

// RFC 3550 section 6.6: leaving, each source we sent from says BYE (in a
// compound packet that starts with a report, section 6.1).
void MediaSession::send_rtcp_bye(base::Timestamp now) {
  if (!srtp_) return;
  for (auto& [h, m] : media_) {
    (void)h;
    const RtpSender& s = m.sender;
    if (s.ssrc == 0 || !s.stats || s.stats->packets_sent() == 0) continue;
    send_rtcp(now, {rtp::ReceiverReport{s.ssrc, {}}, rtp::Bye{{s.ssrc}, std::nullopt}});
  }
}

void MediaSession::close(base::Timestamp now) {
  if (closed_) return;
  send_rtcp_bye(now);
  closed_ = true;
}

}  // namespace wasmrtc::pc
