// getStats for RTP (webrtc-stats): codec, outbound-rtp, remote-inbound-rtp,
// inbound-rtp and remote-outbound-rtp for every audio and video section,
// and media-source for the tracks that gave a sender media.
#include "pc/media_session.h"

namespace wasmrtc::pc {
namespace {

// One codec object per payload type and format parameters: the sender
// uses the peer's a=fmtp, the receiver ours, and when they differ each
// stream names its own (webrtc-stats sdpFmtpLine).
std::string codec_id(uint8_t pt, const std::string& fmtp) {
  return "CT01_" + std::to_string(pt) + (fmtp.empty() ? "" : "_" + fmtp);
}

Record codec_stats(const std::string& kind, uint8_t pt, const std::string& name, uint32_t clock_rate,
                   uint16_t channels, const std::string& fmtp) {
  Record r;
  r.set("id", codec_id(pt, fmtp))
      .set("type", "codec")
      .set("transportId", "T01")
      .set("payloadType", static_cast<uint32_t>(pt))
      .set("mimeType", kind + "/" + name)
      .set("clockRate", clock_rate);
  if (kind == "audio") r.set("channels", static_cast<uint32_t>(channels));
  if (!fmtp.empty()) r.set("sdpFmtpLine", fmtp);
  return r;
}

// webrtc-stats RTCInboundRtpStreamStats, audio-only members (and
// packetsDiscarded: packets too late or too early to play, or dropped to
// catch up).
void add_jitter_buffer_stats(const media::AudioJitterBuffer& jb, Record& r) {
  const auto& s = jb.stats();
  r.set("totalSamplesReceived", s.total_samples_received)
      .set("concealedSamples", s.concealed_samples)
      .set("silentConcealedSamples", s.silent_concealed_samples)
      .set("concealmentEvents", s.concealment_events)
      .set("insertedSamplesForDeceleration", s.inserted_samples_for_deceleration)
      .set("removedSamplesForAcceleration", s.removed_samples_for_acceleration)
      .set("jitterBufferDelay", s.jitter_buffer_delay)
      .set("jitterBufferTargetDelay", s.jitter_buffer_target_delay)
      .set("jitterBufferEmittedCount", s.jitter_buffer_emitted_count)
      .set("packetsDiscarded", s.packets_discarded)
      .set("fecPacketsReceived", s.fec_packets_received)
      .set("fecPacketsDiscarded", s.fec_packets_discarded)
      .set("audioLevel", s.audio_level)
      .set("totalAudioEnergy", s.total_audio_energy)
      .set("totalSamplesDuration", s.total_samples_duration);
}

// webrtc-stats framesPerSecond: frames in the last second.
double frames_per_second(const std::deque<base::Timestamp>& times, base::Timestamp now) {
  size_t n = 0;
  for (auto t : times) n += now - t < base::Duration::seconds(1);
  return static_cast<double>(n);
}

}  // namespace

void MediaSession::stats(base::Timestamp now, RecordList& out,
                         const std::vector<sdp::Transceiver>& transceivers) const {
  std::set<std::string> codecs;  // ids of the codec stats already listed
  for (const auto& entry : media_) {
    const sdp::TransceiverHandle handle = entry.first;
    const MediaSection& m = entry.second;
    const std::string kind(sdp::to_string(m.kind));
    const sdp::Transceiver* t = nullptr;
    for (const auto& c : transceivers)
      if (c.handle == handle) t = &c;
    const std::string track_id = t ? t->receiver_track_id : std::string();
    const RtpSender& s = m.sender;
    // webrtc-stats RTCMediaSourceStats: the track on the sender, once it gave media.
    const std::optional<std::string> source_track = t ? t->sender_track_id : std::nullopt;
    const bool has_source = source_track && (s.source.total_samples_duration > 0 || s.source.frames > 0);
    const std::string source_id = "S" + std::string(m.kind == sdp::MediaKind::Audio ? "A" : "V") + std::to_string(handle);
    if (has_source) {
      Record r;
      r.set("id", source_id).set("type", "media-source").set("trackIdentifier", *source_track).set("kind", kind);
      if (m.kind == sdp::MediaKind::Audio) {
        r.set("audioLevel", s.source.audio_level)
            .set("totalAudioEnergy", s.source.total_audio_energy)
            .set("totalSamplesDuration", s.source.total_samples_duration);
      } else {
        r.set("width", s.source.width)
            .set("height", s.source.height)
            .set("frames", s.source.frames)
            .set("framesPerSecond", frames_per_second(s.source.frame_times, now));
      }
      out.push_back(std::move(r));
    }
    if (s.stats && s.stats->packets_sent() > 0) {
      const std::string codec = codec_id(s.payload_type, s.fmtp);
      if (codecs.insert(codec).second)
        out.push_back(codec_stats(kind, s.payload_type, s.codec_name, s.clock_rate, s.channels, s.fmtp));
      const std::string id = "OT01A" + std::to_string(s.ssrc);
      Record r;
      r.set("id", id)
          .set("type", "outbound-rtp")
          .set("ssrc", s.ssrc)
          .set("kind", kind)
          .set("transportId", "T01")
          .set("codecId", codec)
          .set("mid", s.mid)
          .set("packetsSent", s.stats->packets_sent())
          .set("bytesSent", s.stats->bytes_sent())
          .set("headerBytesSent", s.stats->header_bytes_sent())
          .set("retransmittedPacketsSent", s.stats->retransmitted_packets_sent())
          .set("retransmittedBytesSent", s.stats->retransmitted_bytes_sent())
          // NACK packets about this stream (RFC 4585 6.2.1), for audio too:
          // a peer may send them though we keep no audio to resend.
          .set("nackCount", s.nacks_received)
          .set("active", s.active && s.negotiated_send);
      if (has_source) r.set("mediaSourceId", source_id);
      // webrtc-stats targetBitrate: what the encoder is told to produce
      // (for video the share of the bandwidth estimate).
      if (s.video_encoder && s.video_encoder->config().bitrate_bps) {
        r.set("targetBitrate", s.video_encoder->config().bitrate_bps);
      } else if (s.max_bitrate) {
        r.set("targetBitrate", *s.max_bitrate);
      }
      if (s.video_encoder || (s.codec && m.kind == sdp::MediaKind::Video)) {
        // Our encoder's counters, or (a codec the embedder encodes) the
        // frames it handed in.
        const auto* v = s.video_encoder ? &s.video_encoder->stats() : nullptr;
        r.set("framesEncoded", v ? v->frames_encoded : s.frames_in)
            .set("framesSent", s.frames_sent)
            // Held below what suits the size by the bandwidth estimate.
            .set("qualityLimitationReason",
                 v && s.video_encoder->config().bitrate_bps + 1000 < video_rate_cap(s) ? "bandwidth" : "none")
            .set("keyFramesEncoded", v ? v->keyframes : s.keyframes_in)
            .set("frameWidth", s.frame_width)
            .set("frameHeight", s.frame_height)
            .set("pliCount", s.plis_received)
            .set("firCount", s.firs_received)
            .set("framesPerSecond", frames_per_second(s.frame_times, now));
        if (v && v->qp_frames > 0) r.set("qpSum", v->qp_sum);
      }
      const auto& ri = s.stats->remote_inbound();
      if (ri.reports_received > 0) {
        const std::string rid = "RIA" + std::to_string(s.ssrc);
        r.set("remoteId", rid);
        Record q;
        q.set("id", rid)
            .set("type", "remote-inbound-rtp")
            .set("ssrc", s.ssrc)
            .set("kind", kind)
            .set("transportId", "T01")
            .set("codecId", codec)
            .set("localId", id)
            .set("packetsReceived", ri.packets_received)
            .set("packetsLost", static_cast<double>(ri.packets_lost))
            .set("fractionLost", ri.fraction_lost)
            .set("jitter", ri.jitter)
            .set("totalRoundTripTime", ri.total_round_trip_time)
            .set("roundTripTimeMeasurements", ri.round_trip_time_measurements);
        if (ri.round_trip_time) q.set("roundTripTime", *ri.round_trip_time);
        out.push_back(std::move(q));
      }
      out.push_back(std::move(r));
    }
    const RtpReceiver& a = m.receiver;
    if (a.stats) {
      const std::string codec = codec_id(a.payload_type, a.fmtp);
      if (codecs.insert(codec).second)
        out.push_back(codec_stats(kind, a.payload_type, a.codec_name, a.clock_rate, a.channels, a.fmtp));
      const uint32_t ssrc = a.stats->ssrc();
      const std::string id = "IT01A" + std::to_string(ssrc);
      Record r;
      r.set("id", id)
          .set("type", "inbound-rtp")
          .set("ssrc", ssrc)
          .set("kind", kind)
          .set("trackIdentifier", track_id)
          .set("transportId", "T01")
          .set("codecId", codec)
          .set("mid", a.mid)
          .set("packetsReceived", a.stats->packets_received())
          .set("packetsLost", static_cast<double>(a.stats->valid() ? a.stats->cumulative_lost() : 0))
          .set("jitter", a.stats->jitter_seconds())
          .set("bytesReceived", a.stats->bytes_received())
          .set("headerBytesReceived", a.stats->header_bytes_received())
          // RFC 4585 NACK packets we sent; we ask again only for video.
          .set("nackCount", a.nacks_sent);
      if (a.last_packet)
        r.set("lastPacketReceivedTimestamp",
              static_cast<double>(a.last_packet->us() + config_.wall_clock_offset_us) / 1000.0);
      if (a.jitter_buffer) add_jitter_buffer_stats(*a.jitter_buffer, r);
      if (m.kind == sdp::MediaKind::Video) {
        r.set("framesDecoded", a.video_decoder ? a.video_decoder->stats().frames_decoded : 0)
            .set("keyFramesDecoded", a.video_decoder ? a.video_decoder->stats().keyframes_decoded : 0)
            .set("framesReceived", a.video_buffer ? a.video_buffer->stats().frames_assembled : 0)
            .set("framesDropped", a.video_buffer ? a.video_buffer->stats().frames_dropped : 0)
            .set("pliCount", a.plis_sent)
            .set("firCount", 0)
            .set("retransmittedPacketsReceived", a.retransmissions_received)
            .set("jitterBufferDelay", a.video_jitter_buffer_delay)
            .set("jitterBufferEmittedCount", a.video_jitter_buffer_emitted)
            .set("framesPerSecond", frames_per_second(a.frame_times, now));
        // webrtc-stats packetsDiscarded: what the buffer got too late (its
        // frame was given out or dropped already; a retransmission that
        // lost the race too) or could not keep (over its bounds).
        if (a.video_buffer) {
          const auto& v = a.video_buffer->stats();
          r.set("packetsDiscarded", v.packets_too_late + v.packets_discarded);
        } else {
          r.set("packetsDiscarded", 0);
        }
        if (a.frame_width) r.set("frameWidth", a.frame_width).set("frameHeight", a.frame_height);
      }
      if (const auto& sr = a.stats->last_sender_report()) {
        const std::string rid = "ROA" + std::to_string(ssrc);
        r.set("remoteId", rid);
        Record q;
        q.set("id", rid)
            .set("type", "remote-outbound-rtp")
            .set("ssrc", ssrc)
            .set("kind", kind)
            .set("transportId", "T01")
            .set("codecId", codec)
            .set("localId", id)
            .set("packetsSent", sr->packet_count)
            .set("bytesSent", sr->octet_count)
            .set("remoteTimestamp", static_cast<double>(sr->ntp.to_unix_micros()) / 1000.0)
            .set("reportsSent", a.stats->sender_reports_received());
        out.push_back(std::move(q));
      }
      out.push_back(std::move(r));
    }
  }
}

}  // namespace wasmrtc::pc
