// libFuzzer target for the peer connection's media receive path:
// pc::MediaSession with an audio (Opus + telephone-event), a video (VP8 +
// RTX, NACK, PLI, transport-cc) and a registered-codec video section
// (generic payload format, run by the embedder) negotiated by two real
// sdp::JsepSessions. The input is a script of what the remote peer sends,
// built as RTP and RTCP then protected with the peer's mirrored SRTP keys
// (RFC 3711), so every packet passes authentication and reaches what lies
// behind it: routing by mid, SSRC and payload type (RFC 8843 section 9.2),
// RTX (RFC 4588), DTMF (RFC 4733), the jitter buffers and the decoders,
// and RTCP (RFC 3550, RFC 4585 NACK and PLI, REMB, transport-wide
// feedback) against what our side sent. Our side sends audio, small video
// frames and DTMF between, and time advances. Raw bytes, protected or not,
// are mixed in.
//
// Properties that abort when violated: whatever arrives, the session's
// retransmission history and pacer stay within their limits (what goes out
// per packet that came in is bounded), and every emitted event is one of
// the kinds the session documents.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "codec/video_frame.h"
#include "input.h"
#include "pc/codec_registry.h"
#include "pc/media_session.h"
#include "require.h"
#include "rtp/header_extensions.h"
#include "rtp/packet.h"
#include "rtp/rtcp.h"
#include "sdp/jsep_session.h"
#include "srtp/session.h"

namespace {

using namespace wasmrtc;
using base::Duration;
using base::Timestamp;
using fuzz::require;
using pc::CodecRegistration;
using pc::CodecRegistry;

const srtp::Keys kOurs{base::Bytes(16, 0xa1), base::Bytes(14, 0xa2)};
const srtp::Keys kPeers{base::Bytes(16, 0xb1), base::Bytes(14, 0xb2)};
constexpr srtp::Profile kProfile = srtp::Profile::Aes128CmHmacSha1_80;

// What negotiation settled, made once: our side's sections and
// transceivers, and what the peer's packets may carry.
struct Setup {
  CodecRegistry codecs;
  sdp::Negotiated negotiated;
  std::vector<sdp::Transceiver> transceivers;
  std::vector<uint8_t> payload_types;  // every negotiated format, both sections
  std::vector<uint32_t> peer_ssrcs;    // the peer's a=ssrc lines
  std::vector<std::string> mids;
  uint8_t mid_extension = 0;
  uint8_t transport_cc_extension = 0;
};

sdp::JsepConfig jsep_config() {
  sdp::JsepConfig c;
  c.fingerprints.push_back(*sdp::Fingerprint::parse(
      "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"));
  return c;
}

const Setup& setup() {
  static const Setup s = [] {
    Setup out;
    base::SeededRandom ra(1), rb(2);
    // A registered codec the embedder runs (no factories), in a third
    // section: the generic payload format and "encodedframe" events.
    CodecRegistration outside;
    outside.kind = sdp::MediaKind::Video;
    outside.name = "x-fuzz";
    require(out.codecs.add(outside).ok());
    auto config = jsep_config();
    config.audio_codecs = out.codecs.codecs(sdp::MediaKind::Audio);
    config.video_codecs = out.codecs.codecs(sdp::MediaKind::Video);
    sdp::JsepSession ours(config, ra), peer(config, rb);
    for (auto* j : {&ours, &peer}) {
      for (sdp::TransceiverHandle h : {1, 2, 3}) {
        sdp::Transceiver t;
        t.handle = h;
        t.kind = h == 1 ? sdp::MediaKind::Audio : sdp::MediaKind::Video;
        t.sender_track_id = "track" + std::to_string(t.handle);
        t.stream_ids = {"stream"};
        j->add_transceiver(t);
      }
    }
    peer.set_codec_preferences(3, {sdp::RtpCodec{0, "x-fuzz", 90000, 1, "", {}}, sdp::RtpCodec{0, "rtx", 90000, 1, "apt=98", {}}});
    auto offer = peer.create_offer();
    require(offer.ok());
    require(peer.set_local_description(sdp::SdpType::Offer, *offer).ok());
    require(ours.set_remote_description(sdp::SdpType::Offer, *offer).ok());
    auto answer = ours.create_answer();
    require(answer.ok());
    require(ours.set_local_description(sdp::SdpType::Answer, *answer).ok());
    out.negotiated = ours.negotiated();
    out.transceivers = ours.transceivers();
    for (const auto& m : out.negotiated.media) {
      out.mids.push_back(m.mid);
      for (const auto& c : m.codecs) out.payload_types.push_back(c.payload_type);
      for (auto ssrc : m.remote_ssrcs) out.peer_ssrcs.push_back(ssrc);
      for (const auto& e : m.extensions) {
        if (e.uri == rtp::ext_uri::kMid) out.mid_extension = static_cast<uint8_t>(e.id);
        if (e.uri.find("transport-wide-cc") != std::string::npos) out.transport_cc_extension = static_cast<uint8_t>(e.id);
      }
    }
    require(out.negotiated.media.size() == 3 && !out.payload_types.empty() && out.mid_extension != 0);
    return out;
  }();
  return s;
}

// Our side: what it sends is kept (unprotected with the peer's keys) so
// that the script's RTCP can name our SSRCs and sequence numbers.
struct Ours : pc::MediaSession::Link {
  void send(Timestamp, base::ByteView packet) override {
    ++sent;
    if (packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223) return;  // RTCP (RFC 5761 4)
    if (!peer_view) return;
    auto plain = peer_view->unprotect_rtp(packet);
    if (!plain.ok()) return;
    if (auto p = rtp::parse_rtp(*plain); p.ok()) {
      our_ssrcs.push_back(p->ssrc);
      our_sequences.push_back(p->sequence_number);
      if (our_ssrcs.size() > 64) {
        our_ssrcs.erase(our_ssrcs.begin());
        our_sequences.erase(our_sequences.begin());
      }
    }
  }
  void flush(Timestamp) override {}
  void emit(pc::Record event) override {
    const std::string type = event.get_string("type").value_or("");
    require(type == "audioframe" || type == "videoframe" || type == "dtmf" || type == "encodedframe" ||
            type == "keyframerequest");
    ++events;
  }
  std::optional<Duration> transport_rtt() const override { return Duration::millis(20); }

  srtp::Session* peer_view = nullptr;  // a second peer session: unprotects what we send
  std::vector<uint32_t> our_ssrcs;
  std::vector<uint16_t> our_sequences;
  uint64_t sent = 0, events = 0;
};

uint32_t pick_ssrc(fuzz::Input& in, const Setup& s, const Ours& ours) {
  const uint8_t b = in.byte();
  if (b < 128 && !s.peer_ssrcs.empty()) return s.peer_ssrcs[b % s.peer_ssrcs.size()];
  if (b < 192 && !ours.our_ssrcs.empty()) return ours.our_ssrcs[b % ours.our_ssrcs.size()];
  return in.be(4);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Setup& s = setup();
  fuzz::Input in(data, size);
  base::SeededRandom random(in.be(4));
  Ours ours;
  auto peer = srtp::Session::create(kProfile, kPeers, kOurs);        // what the peer protects with
  auto peer_view = srtp::Session::create(kProfile, kPeers, kOurs);   // what the peer unprotects with
  require(peer.ok() && peer_view.ok());
  ours.peer_view = &*peer_view;
  pc::MediaSession session(pc::MediaSession::Config{"fuzzcname", 0, 1200, &s.codecs}, random, ours);
  Timestamp now = Timestamp::from_millis(1000);
  session.apply(now, s.negotiated, s.transceivers);
  session.start_srtp(kProfile, kOurs, kPeers);

  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint64_t audio_frames = 0;
  for (int step = 0; step < 400 && !in.empty(); ++step) {
    const uint64_t sent_before = ours.sent;
    bool input = false;
    switch (in.byte() % 9) {
      case 0:
      case 1: {  // RTP from the peer, structured so routing and the codecs see it
        rtp::RtpPacket p;
        const uint8_t flags = in.byte();
        p.marker = flags & 1;
        p.payload_type = (flags & 2) ? (in.byte() & 0x7f) : s.payload_types[in.byte() % s.payload_types.size()];
        p.sequence_number = (flags & 4) ? static_cast<uint16_t>(in.be(2)) : sequence++;
        timestamp += (flags & 8) ? in.be(4) : 960;
        p.timestamp = timestamp;
        p.ssrc = pick_ssrc(in, s, ours);
        if (flags & 16) {
          const std::string& mid = s.mids[in.byte() % s.mids.size()];
          p.extensions.push_back(rtp::Extension{s.mid_extension, base::Bytes(mid.begin(), mid.end())});
        }
        if ((flags & 32) && s.transport_cc_extension)
          p.extensions.push_back(rtp::Extension{s.transport_cc_extension, base::Bytes{in.byte(), in.byte()}});
        const auto payload = in.take(in.be(2) % 1300);
        p.payload.assign(payload.begin(), payload.end());
        auto wire = rtp::serialize(p);
        if (!wire.ok()) break;
        auto protected_ = peer->protect_rtp(*wire);
        if (protected_.ok()) session.handle_srtp(now, *protected_, false);
        input = true;
        break;
      }
      case 2: {  // RTCP about our streams: NACK, PLI, REMB, transport feedback, reports
        std::vector<rtp::RtcpPacket> compound;
        rtp::ReceiverReport rr;
        rr.ssrc = s.peer_ssrcs.empty() ? 1 : s.peer_ssrcs[0];
        compound.push_back(rr);
        const uint8_t kind = in.byte() % 5;
        const uint32_t media = pick_ssrc(in, s, ours);
        if (kind == 0) {
          std::vector<uint16_t> lost;
          const size_t n = in.byte() % 40;
          for (size_t i = 0; i < n; ++i) {
            const uint8_t b = in.byte();
            lost.push_back(b < 200 && !ours.our_sequences.empty()
                               ? ours.our_sequences[b % ours.our_sequences.size()]
                               : static_cast<uint16_t>(in.be(2)));
          }
          compound.push_back(rtp::make_nack(rr.ssrc, media, lost));
        } else if (kind == 1) {
          compound.push_back(rtp::make_pli(rr.ssrc, media));
        } else {
          rtp::Feedback fb;
          fb.type = kind == 2 ? rtp::rtcp_type::kPayloadFeedback : rtp::rtcp_type::kTransportFeedback;
          fb.format = kind == 2 ? 15 : (kind == 3 ? 15 : static_cast<uint8_t>(in.byte() & 31));
          fb.sender_ssrc = rr.ssrc;
          fb.media_ssrc = kind == 2 ? 0 : media;
          if (kind == 2) fb.fci = {'R', 'E', 'M', 'B', 1};
          const auto fci = in.take(in.byte() * 4u);
          fb.fci.insert(fb.fci.end(), fci.begin(), fci.end());
          compound.push_back(fb);
        }
        auto wire = rtp::serialize_rtcp(compound);
        if (!wire.ok()) break;
        auto protected_ = peer->protect_rtcp(*wire);
        if (protected_.ok()) session.handle_srtp(now, *protected_, true);
        input = true;
        break;
      }
      case 3: {  // any bytes, protected as RTP or RTCP when they parse as such
        const bool rtcp = in.byte() & 1;
        const auto raw = in.take(in.be(2) % 1500);
        auto protected_ = rtcp ? peer->protect_rtcp(raw) : peer->protect_rtp(raw);
        session.handle_srtp(now, protected_.ok() ? base::ByteView(*protected_) : raw, rtcp);
        input = true;
        break;
      }
      case 4:
        now = now + Duration::millis(1 + in.byte());
        break;
      case 5: {  // our track's audio
        std::vector<int16_t> pcm(480);
        for (size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<int16_t>((audio_frames * 480 + i) * 97);
        ++audio_frames;
        session.send_audio(now, 1, pcm, 48000, 1);
        break;
      }
      case 6: {  // our track's video: a small frame keeps the encoder cheap
        const uint32_t w = 16 + (in.byte() % 4) * 16, h = 16 + (in.byte() % 3) * 16;
        std::vector<uint8_t> frame(codec::i420_size(w, h), in.byte());
        session.send_video(now, 2, w, h, frame);
        break;
      }
      case 7:
        session.insert_dtmf(now, 1, "0123456789*#ABCD"[in.byte() % 16], Duration::millis(40 + in.byte()));
        break;
      case 8:
        if (in.byte() & 1) {
          session.set_encoding(2, in.byte() & 1, (in.byte() & 1) ? std::optional<uint32_t>(in.be(3)) : std::nullopt);
        } else {  // the embedder's encoder and decoder for section 3
          codec::EncodedVideo f;
          f.keyframe = in.byte() & 1;
          const auto bytes = in.take(in.be(2) % 5000);
          f.data.assign(bytes.begin(), bytes.end());
          session.send_encoded_video(now, 3, f);
          if (in.byte() & 1) session.on_decode_failure(now, 3);
        }
        break;
    }
    if (session.poll_timeout().is_due(now)) session.handle_timeout(now);
    // One packet from the peer makes a bounded number go out: a NACK of at
    // most 40 entries is answered once per round trip, and what the pacer
    // releases in one step is bounded by its cap (cc::Pacer::kMaxQueuedBytes,
    // about 900 full packets).
    if (input) require(ours.sent - sent_before <= 1200);
  }
  // Time runs on: playout, RTCP, feedback, retransmissions and the pacer
  // settle without the peer.
  for (int i = 0; i < 50; ++i) {
    now = now + Duration::millis(20);
    if (session.poll_timeout().is_due(now)) session.handle_timeout(now);
  }
  pc::RecordList stats;
  session.stats(now, stats, s.transceivers);
  session.close(now);
  return 0;
}
