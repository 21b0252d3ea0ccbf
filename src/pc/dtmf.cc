// webrtc-pc section 7, peer-to-peer DTMF: the tones an RTCDTMFSender plays
// go out on its audio sender's RTP stream as RFC 4733 telephone-events. The
// page runs the spec's playout task (tone timing, ',' pauses, tonechange);
// the engine turns each tone into its packets.
#include "pc/media_session.h"

namespace wasmrtc::pc {

void MediaSession::insert_dtmf(base::Timestamp now, sdp::TransceiverHandle handle, char tone,
                                 base::Duration duration) {
  MediaSection* m = media_section(handle);
  if (closed_ || !m || m->kind != sdp::MediaKind::Audio) return;
  RtpSender& s = m->sender;
  const auto code = rtp::dtmf_event_code(tone);
  // "determine if DTMF can be sent": negotiated, sending, active.
  if (!code || !s.telephone_event_payload_type || !s.negotiated_send || !s.active || !s.stats) return;
  if (duration <= base::Duration::zero()) return;
  // The event starts at the media clock's now: where the audio has got to.
  const uint32_t start = s.timestamp;
  s.dtmf.start(now, *code, duration, start, s.clock_rate);
  s.dtmf_end = start + static_cast<uint32_t>(duration.us() * s.clock_rate / 1'000'000);
  send_dtmf(now, s);
}

void MediaSession::send_dtmf(base::Timestamp now, RtpSender& s) {
  for (const auto& e : s.dtmf.poll(now)) {
    rtp::RtpPacket p;
    p.payload_type = *s.telephone_event_payload_type;
    p.marker = e.marker;  // RFC 4733 2.5.1.1: the first packet of an event
    p.sequence_number = s.sequence_number++;
    p.timestamp = e.timestamp;
    p.ssrc = s.ssrc;
    add_mid_extension(s, p);
    p.payload = rtp::serialize_telephone_event(e.event);
    send_rtp(now, s, p);
  }
  if (!s.dtmf.active() && s.dtmf_end) {
    // Without audio frames meanwhile the clock stood still: the next event
    // (or audio) must not reuse this one's timestamps.
    if (static_cast<int32_t>(s.timestamp - *s.dtmf_end) < 0) s.timestamp = *s.dtmf_end;
    s.dtmf_end.reset();
  }
}

// A received event is reported once, at its end (RFC 4733 2.5.2.2: the
// duration is final then), as {type: "dtmf", transceiver, tone, duration}
// in ms. No W3C API receives DTMF; the page offers it as a nonstandard sink.
void MediaSession::on_telephone_event(MediaSection& m, const rtp::RtpPacket& p) {
  RtpReceiver& r = m.receiver;
  auto e = rtp::parse_telephone_event(p.payload);
  if (!e || e->event > 15) return;  // only the 16 DTMF events (RFC 4733 3.2)
  if (e->end && r.last_dtmf_end == p.timestamp) return;  // the end's second and third copies
  // A new event starts with the marker (or with whatever of it arrives
  // first); a long one goes on in segments with later timestamps and no
  // marker (2.5.1.3), its length counted from the first segment.
  if (p.marker || !r.dtmf_event_start) r.dtmf_event_start = p.timestamp;
  if (!e->end) return;
  const uint32_t start = *r.dtmf_event_start;
  r.dtmf_event_start.reset();
  r.last_dtmf_end = p.timestamp;
  static constexpr char kTones[] = "0123456789*#ABCD";
  const uint32_t rate = r.telephone_event_payload_types.at(p.payload_type);
  const double samples = static_cast<double>(p.timestamp - start) + e->duration;
  Record ev;
  ev.set("type", "dtmf")
      .set("transceiver", static_cast<int64_t>(m.handle))
      .set("tone", std::string(1, kTones[e->event]))
      .set("duration", samples * 1000.0 / rate);
  link_.emit(std::move(ev));
}

}  // namespace wasmrtc::pc
