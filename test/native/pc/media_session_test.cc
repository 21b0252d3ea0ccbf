// pc::MediaSession alone: two of them back to back through their Links,
// each one's SRTP packets handed to the other after 5 ms (no ICE, no DTLS:
// the test gives both the same DTLS-SRTP keys, mirrored, and demultiplexes
// RTP from RTCP as the transport would). The sections come from a real
// offer/answer between two sdp::JsepSessions. Opus, DTMF (RFC 4733), VP8
// with NACK/RTX (RFC 4585, RFC 4588), RTCP reports (RFC 3550), transport-wide
// congestion control, and what is dropped.
#include "pc/media_session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "codec/video_frame.h"
#include "pc/codec_registry.h"
#include "pc/transport_stack.h"
#include "rtp/rtcp.h"
#include "sdp/jsep_session.h"

namespace wasmrtc::pc {
namespace {

using base::Duration;
using base::Timestamp;

constexpr double kPi = 3.14159265358979323846;

const srtp::Keys kKeysA{base::Bytes(16, 0xa1), base::Bytes(14, 0xa2)};
const srtp::Keys kKeysB{base::Bytes(16, 0xb1), base::Bytes(14, 0xb2)};
constexpr srtp::Profile kProfile = srtp::Profile::Aes128CmHmacSha1_80;

sdp::JsepConfig jsep_config() {
  sdp::JsepConfig c;
  c.fingerprints.push_back(*sdp::Fingerprint::parse(
      "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"));
  return c;
}

class BackToBack;

sdp::JsepConfig jsep_config(const CodecRegistry* codecs) {
  auto c = jsep_config();
  if (codecs) {
    c.audio_codecs = codecs->codecs(sdp::MediaKind::Audio);
    c.video_codecs = codecs->codecs(sdp::MediaKind::Video);
  }
  return c;
}

struct Side : MediaSession::Link {
  Side(BackToBack& net, int index, uint64_t seed, const CodecRegistry* codecs)
      : net(net), index(index), random(seed), jsep(jsep_config(codecs), random),
        session(MediaSession::Config{jsep.cname(), 0, 1200, codecs}, random, *this) {}

  void send(Timestamp now, base::ByteView packet) override;
  void flush(Timestamp) override { ++flushes; }
  void emit(Record event) override {
    // An encoded transform's frames wait for the loop (a Link must not call
    // back into the session); everything else is kept.
    const auto direction = event.get_string("direction");
    if (transform && event.get_string("type") == "encodedframe" && (direction == "send" || direction == "receive")) {
      to_transform.push_back(std::move(event));
      return;
    }
    events.push_back(std::move(event));
  }
  // Runs every frame an encoded transform took, then gives it back.
  std::function<void(Record&)> transform;
  std::vector<Record> to_transform;
  size_t transformed = 0;
  void run_transform(Timestamp now);
  std::optional<Duration> transport_rtt() const override { return Duration::millis(10); }

  BackToBack& net;
  int index;
  base::SeededRandom random;
  sdp::JsepSession jsep;
  MediaSession session;
  std::vector<Record> events;
  std::vector<base::Bytes> sent;  // every packet, as it went out
  size_t flushes = 0;
};

class BackToBack {
 public:
  // `codecs`: both sides' registry (built-in codecs only when null).
  explicit BackToBack(const CodecRegistry* codecs = nullptr) {
    for (int i = 0; i < 2; ++i) sides_.push_back(std::make_unique<Side>(*this, i, i + 1, codecs));
  }
  Side& side(int i) { return *sides_[i]; }
  MediaSession& session(int i) { return sides_[i]->session; }
  Timestamp now() const { return now_; }

  // Side 0 offers what it has, side 1 answers; both apply the result and
  // get their keys.
  void negotiate() {
    auto& a = side(0).jsep;
    auto& b = side(1).jsep;
    auto offer = a.create_offer();
    ASSERT_TRUE(offer.ok());
    ASSERT_TRUE(a.set_local_description(sdp::SdpType::Offer, *offer).ok());
    ASSERT_TRUE(b.set_remote_description(sdp::SdpType::Offer, *offer).ok());
    auto answer = b.create_answer();
    ASSERT_TRUE(answer.ok());
    ASSERT_TRUE(b.set_local_description(sdp::SdpType::Answer, *answer).ok());
    ASSERT_TRUE(a.set_remote_description(sdp::SdpType::Answer, *answer).ok());
    for (int i = 0; i < 2; ++i) {
      session(i).apply(now_, side(i).jsep.negotiated(), side(i).jsep.transceivers());
      session(i).start_srtp(kProfile, i == 0 ? kKeysA : kKeysB, i == 0 ? kKeysB : kKeysA);
    }
  }

  void add(int i, sdp::TransceiverHandle handle, sdp::MediaKind kind) {
    sdp::Transceiver t;
    t.handle = handle;
    t.kind = kind;
    t.sender_track_id = "track" + std::to_string(handle);
    t.stream_ids = {"stream"};
    side(i).jsep.add_transceiver(t);
  }
  // The answerer's transceiver for the offerer's section.
  sdp::TransceiverHandle answerer_handle() { return side(1).jsep.transceivers().at(0).handle; }

  void on_send(int from, Timestamp now, base::ByteView packet) {
    side(from).sent.emplace_back(packet.begin(), packet.end());
    if (drop_ && drop_(from, packet)) return;
    wire_.push({now + Duration::millis(5), 1 - from, base::Bytes(packet.begin(), packet.end())});
  }

  // `tick` is called every `period` (a media source) until `limit`.
  void run_for(Duration limit, Duration period = Duration::millis(10),
               const std::function<void(Timestamp)>& tick = {}) {
    const Timestamp end = now_ + limit;
    Timestamp next_tick = now_ + period;
    while (true) {
      Timestamp next = end;
      if (!wire_.empty()) next = std::min(next, wire_.front().at);
      if (tick) next = std::min(next, next_tick);
      for (int i = 0; i < 2; ++i) {
        auto d = session(i).poll_timeout();
        if (d.is_set()) next = std::min(next, std::max(d.value(), now_));
      }
      if (next >= end) {
        now_ = end;
        return;
      }
      now_ = next;
      while (!wire_.empty() && wire_.front().at <= now_) {
        auto p = std::move(wire_.front());
        wire_.pop();
        session(p.to).handle_srtp(now_, p.data, demultiplex(p.data) == PacketKind::Rtcp);
      }
      if (tick && next_tick <= now_) {
        next_tick = next_tick + period;
        tick(now_);
      }
      for (int i = 0; i < 2; ++i)
        if (session(i).poll_timeout().is_due(now_)) session(i).handle_timeout(now_);
      for (int i = 0; i < 2; ++i)
        if (side(i).transform) side(i).run_transform(now_);
    }
  }

  void set_drop(std::function<bool(int, base::ByteView)> drop) { drop_ = std::move(drop); }

  size_t count(int i, const std::string& type) const {
    size_t n = 0;
    for (const auto& e : sides_[i]->events) n += e.get_string("type") == type;
    return n;
  }

  std::optional<Record> stat(int i, const std::string& type) {
    RecordList out;
    session(i).stats(now_, out, side(i).jsep.transceivers());
    for (auto& r : out)
      if (r.get_string("type") == type) return r;
    return std::nullopt;
  }

 private:
  struct InFlight {
    Timestamp at;
    int to;
    base::Bytes data;
  };
  std::vector<std::unique_ptr<Side>> sides_;
  std::queue<InFlight> wire_;
  std::function<bool(int, base::ByteView)> drop_;
  Timestamp now_ = Timestamp::from_millis(1000);
};

void Side::send(Timestamp now, base::ByteView packet) { net.on_send(index, now, packet); }

void Side::run_transform(Timestamp now) {
  auto frames = std::exchange(to_transform, {});
  for (auto& e : frames) {
    transform(e);
    ++transformed;
    const auto handle = static_cast<sdp::TransceiverHandle>(*e.get_number("transceiver"));
    const auto& data = std::get<base::Bytes>(*e.get("data"));
    const auto ts = static_cast<uint32_t>(*e.get_number("rtpTimestamp"));
    const bool video = e.get_string("kind") == "video";
    if (e.get_string("direction") == "send") {
      if (video) {
        codec::EncodedVideo f;
        f.data = data;
        f.keyframe = *e.get_bool("keyFrame");
        f.width = static_cast<uint32_t>(*e.get_number("width"));
        f.height = static_cast<uint32_t>(*e.get_number("height"));
        session.send_encoded_video(now, handle, f, MediaSession::FrameOrigin::Transform, ts);
      } else {
        session.send_encoded_audio(now, handle, data, static_cast<uint32_t>(*e.get_number("samples")),
                                   MediaSession::FrameOrigin::Transform, ts);
      }
    } else if (video) {
      session.receive_encoded_video(now, handle, data, *e.get_bool("keyFrame"), ts);
    } else {
      session.receive_encoded_audio(now, handle, static_cast<uint8_t>(*e.get_number("payloadType")),
                                    static_cast<uint16_t>(*e.get_number("sequenceNumber")), ts, data);
    }
  }
}

std::vector<int16_t> tone(uint64_t frame) {
  std::vector<int16_t> pcm(480);
  for (size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>(8000 * std::sin(2 * kPi * 440 * static_cast<double>(frame * 480 + i) / 48000.0));
  return pcm;
}

std::vector<uint8_t> pattern(uint32_t w, uint32_t h, uint64_t n) {
  std::vector<uint8_t> f(codec::i420_size(w, h), 128);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) f[y * w + x] = static_cast<uint8_t>((x + y + 4 * n) & 0xff);
  return f;
}

bool is_rtp(base::ByteView b) { return demultiplex(b) == PacketKind::Rtp; }

// Opus one way, the other side's RTCP back: audio frames every 10 ms of
// engine time with the tone in them, and both directions' RTCP statistics
// (RFC 3550 section 6.4: SR and report blocks, RTT from LSR/DLSR).
TEST(MediaSession, AudioArrivesAndRtcpReportsBothWays) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Audio);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  EXPECT_TRUE(net.session(0).has_srtp());
  uint64_t frame = 0;
  net.run_for(Duration::seconds(3), Duration::millis(10),
              [&](Timestamp now) { net.session(0).send_audio(now, 1, tone(frame++), 48000, 1); });

  const size_t frames = net.count(1, "audioframe");
  EXPECT_NEAR(static_cast<double>(frames), 300, 10);
  size_t audible = 0;
  for (const auto& e : net.side(1).events) {
    if (e.get_string("type") != "audioframe") continue;
    EXPECT_EQ(e.get_number("transceiver"), static_cast<double>(net.answerer_handle()));
    if (*e.get_number("audioLevel") > 0.05) ++audible;
  }
  EXPECT_GT(audible, frames / 2);
  EXPECT_GT(net.side(0).flushes, 0u);  // the pacer let the packets go

  auto out = net.stat(0, "outbound-rtp");
  auto in = net.stat(1, "inbound-rtp");
  ASSERT_TRUE(out && in);
  EXPECT_EQ(out->get_string("kind"), "audio");
  EXPECT_EQ(out->get_number("packetsSent"), in->get_number("packetsReceived"));
  EXPECT_EQ(in->get_number("packetsLost"), 0.0);
  // SRs reached side 1; side 1's report blocks came back with an RTT.
  EXPECT_TRUE(net.stat(1, "remote-outbound-rtp"));
  auto remote_in = net.stat(0, "remote-inbound-rtp");
  ASSERT_TRUE(remote_in);
  EXPECT_NEAR(*remote_in->get_number("roundTripTime"), 0.010, 0.002);
  auto source = net.stat(0, "media-source");
  ASSERT_TRUE(source);
  EXPECT_EQ(source->get_string("trackIdentifier"), "track1");
}

// webrtc-pc section 7 / RFC 4733: a tone goes out as telephone-events and
// is reported once, whole, on the other side.
TEST(MediaSession, DtmfArrivesAsOneEventPerTone) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Audio);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint64_t frame = 0;
  net.run_for(Duration::millis(200), Duration::millis(10),
              [&](Timestamp now) { net.session(0).send_audio(now, 1, tone(frame++), 48000, 1); });
  net.session(0).insert_dtmf(net.now(), 1, '7', Duration::millis(120));
  net.session(0).insert_dtmf(net.now(), 1, 'x', Duration::millis(120));  // not a tone
  net.run_for(Duration::millis(500), Duration::millis(10),
              [&](Timestamp now) { net.session(0).send_audio(now, 1, tone(frame++), 48000, 1); });
  ASSERT_EQ(net.count(1, "dtmf"), 1u);
  for (const auto& e : net.side(1).events) {
    if (e.get_string("type") != "dtmf") continue;
    EXPECT_EQ(e.get_string("tone"), "7");
    EXPECT_NEAR(*e.get_number("duration"), 120, 20);
  }
}

// VP8 with one packet lost: the receiver NACKs it (RFC 4585 6.2.1), the
// sender resends it as RTX (RFC 4588) and no frame is given up.
TEST(MediaSession, ALostVideoPacketComesBackAsRtx) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Video);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint64_t n = 0;
  auto frame = [&](Timestamp now) { net.session(0).send_video(now, 1, 320, 240, pattern(320, 240, n++)); };
  net.run_for(Duration::seconds(1), Duration::micros(33333), frame);
  bool dropped = false;
  net.set_drop([&](int from, base::ByteView b) {
    if (from == 0 && is_rtp(b) && !dropped && b.size() > 600) return dropped = true;
    return false;
  });
  net.run_for(Duration::seconds(2), Duration::micros(33333), frame);
  net.run_for(Duration::millis(200));
  EXPECT_TRUE(dropped);
  EXPECT_GE(net.count(1, "videoframe"), 85u);  // of 90
  auto in = net.stat(1, "inbound-rtp");
  auto out = net.stat(0, "outbound-rtp");
  ASSERT_TRUE(in && out);
  EXPECT_GE(*in->get_number("nackCount"), 1);
  EXPECT_GE(*out->get_number("nackCount"), 1);
  EXPECT_GE(*out->get_number("retransmittedPacketsSent"), 1);
  EXPECT_GE(*in->get_number("retransmittedPacketsReceived"), 1);
  EXPECT_EQ(*in->get_number("framesDropped"), 0);
}

// H.264 (RFC 6184) put first with setCodecPreferences: only it is offered
// and sent; 640x480 frames (IDR in a STAP-A and FU-A fragments, deltas)
// arrive; a lost packet is NACKed and comes back as RTX, as for VP8.
TEST(MediaSession, H264FramesArriveAndALostPacketComesBackAsRtx) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Video);
  net.side(0).jsep.set_codec_preferences(
      1, {sdp::RtpCodec{0, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42e01f", {}},
          sdp::RtpCodec{0, "rtx", 90000, 1, "apt=106", {}}});
  auto offer = net.side(0).jsep.create_offer();
  ASSERT_TRUE(offer.ok());
  EXPECT_NE(offer->find("a=rtpmap:106 H264/90000\r\n"), std::string::npos);
  EXPECT_NE(offer->find("a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n"),
            std::string::npos);
  EXPECT_EQ(offer->find("VP8"), std::string::npos);
  EXPECT_EQ(offer->find("42001f"), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint64_t n = 0;
  auto frame = [&](Timestamp now) { net.session(0).send_video(now, 1, 640, 480, pattern(640, 480, n++)); };
  net.run_for(Duration::seconds(1), Duration::micros(33333), frame);
  bool dropped = false;
  net.set_drop([&](int from, base::ByteView b) {
    if (from == 0 && is_rtp(b) && !dropped && b.size() > 100) return dropped = true;
    return false;
  });
  net.run_for(Duration::seconds(2), Duration::micros(33333), frame);
  net.run_for(Duration::millis(200));
  EXPECT_TRUE(dropped);
  EXPECT_GE(net.count(1, "videoframe"), 85u);  // of 90
  for (const auto& e : net.side(1).events) {
    if (e.get_string("type") != "videoframe") continue;
    EXPECT_EQ(e.get_number("width"), 640);
    EXPECT_EQ(e.get_number("height"), 480);
  }
  auto in = net.stat(1, "inbound-rtp");
  auto out = net.stat(0, "outbound-rtp");
  ASSERT_TRUE(in && out);
  EXPECT_GE(*in->get_number("nackCount"), 1);
  EXPECT_GE(*out->get_number("retransmittedPacketsSent"), 1);
  EXPECT_EQ(*in->get_number("framesDropped"), 0);
  EXPECT_EQ(*out->get_number("keyFramesEncoded"), 1);
  const auto codec = net.stat(1, "codec");
  ASSERT_TRUE(codec);
  EXPECT_EQ(codec->get_string("mimeType"), "video/H264");
}

// Transport-wide congestion control runs while RTP is sent: the estimate
// is offered as availableOutgoingBitrate, and the encoder gets its share
// (webrtc-stats targetBitrate) within encodings' maxBitrate.
TEST(MediaSession, TheEstimateIsSharedOutWithinMaxBitrate) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Video);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint64_t n = 0;
  auto frame = [&](Timestamp now) { net.session(0).send_video(now, 1, 320, 240, pattern(320, 240, n++)); };
  net.run_for(Duration::seconds(2), Duration::micros(33333), frame);
  const auto available = net.session(0).available_outgoing_bitrate();
  ASSERT_TRUE(available);
  EXPECT_GT(*available, 100'000);
  // The receiver only receives: its side runs no estimate to offer.
  net.session(1).set_encoding(net.answerer_handle(), false, std::nullopt);
  EXPECT_FALSE(net.session(1).available_outgoing_bitrate());

  net.session(0).set_encoding(1, std::nullopt, 150'000);
  net.run_for(Duration::millis(500), Duration::micros(33333), frame);
  auto out = net.stat(0, "outbound-rtp");
  ASSERT_TRUE(out);
  EXPECT_LE(*out->get_number("targetBitrate"), 150'000);
  net.session(0).set_encoding(1, false, std::nullopt);
  const size_t sent = net.side(0).sent.size();
  net.run_for(Duration::millis(300), Duration::micros(33333), frame);
  size_t rtp_after = 0;
  for (size_t i = sent; i < net.side(0).sent.size(); ++i) rtp_after += is_rtp(net.side(0).sent[i]);
  EXPECT_EQ(rtp_after, 0u);  // inactive: no more media, RTCP only
}

// RFC 3711 section 3.3: what fails SRTP is dropped and counted, before the
// keys too; RTP no section claims is counted apart (RFC 8843 section 9.2).
TEST(MediaSession, WhatCannotBeUsedIsDroppedAndCounted) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Audio);
  const base::Bytes garbage_rtp = *base::from_hex("806f0001decafbadcafebabe0102030405060708090a0b0c0d0e0f");
  net.session(1).handle_srtp(net.now(), garbage_rtp, false);  // no keys yet
  EXPECT_EQ(net.session(1).dropped_input().srtp, 1u);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  net.session(1).handle_srtp(net.now(), garbage_rtp, false);  // fails authentication
  EXPECT_EQ(net.session(1).dropped_input().srtp, 2u);
  // Properly protected but for an SSRC and payload type nobody negotiated.
  auto stranger = srtp::Session::create(kProfile, kKeysA, kKeysB);
  ASSERT_TRUE(stranger.ok());
  auto wire = stranger->protect_rtp(*base::from_hex("807b0001decafbad0badf00d0102030405060708"));
  ASSERT_TRUE(wire.ok());
  net.session(1).handle_srtp(net.now(), *wire, false);
  EXPECT_EQ(net.session(1).dropped_input().unrouted, 1u);
  EXPECT_EQ(net.count(1, "audioframe"), 0u);
}

// RFC 3550 section 6.6: close() says BYE for the source that sent, and
// nothing is sent afterwards.
TEST(MediaSession, CloseSaysByeThenNothing) {
  BackToBack net;
  net.add(0, 1, sdp::MediaKind::Audio);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint64_t frame = 0;
  net.run_for(Duration::millis(300), Duration::millis(10),
              [&](Timestamp now) { net.session(0).send_audio(now, 1, tone(frame++), 48000, 1); });
  const size_t before = net.side(0).sent.size();
  net.session(0).close(net.now());
  ASSERT_EQ(net.side(0).sent.size(), before + 1);
  // Read it as the peer would.
  auto peer = srtp::Session::create(kProfile, kKeysB, kKeysA);
  ASSERT_TRUE(peer.ok());
  auto plain = peer->unprotect_rtcp(net.side(0).sent.back());
  ASSERT_TRUE(plain.ok());
  auto packets = rtp::parse_rtcp(*plain);
  ASSERT_TRUE(packets.ok());
  bool bye = false;
  for (const auto& p : *packets) bye = bye || std::holds_alternative<rtp::Bye>(p);
  EXPECT_TRUE(bye);
  net.session(0).send_audio(net.now(), 1, tone(frame++), 48000, 1);
  net.session(0).insert_dtmf(net.now(), 1, '1', Duration::millis(100));
  EXPECT_EQ(net.side(0).sent.size(), before + 1);
}

// ---- a registered codec (pc/codec_registry.h) in the generic payload format

// A toy video codec: 16x16 block means of the luma plane (lossy, 1/256 of
// the pixels), chroma flat. Frames reference the one before, as real codecs'
// delta frames do: the decoder refuses a delta frame that does not follow
// the last one it decoded, until a keyframe.
constexpr uint32_t kBlock = 16;

struct ToyLog {
  uint64_t frames = 0, keyframes = 0, forced = 0;
};

class ToyEncoder : public codec::VideoEncoder {
 public:
  ToyEncoder(const codec::VideoEncoderConfig& c, ToyLog& log) : config_(c), log_(log) {}
  const codec::VideoEncoderConfig& config() const override { return config_; }
  codec::Result<std::optional<codec::EncodedVideo>> encode(const codec::VideoFrame& f, bool force_keyframe) override {
    codec::EncodedVideo e;
    e.keyframe = count_ == 0 || force_keyframe;
    e.width = f.width;
    e.height = f.height;
    const uint32_t bw = f.width / kBlock, bh = f.height / kBlock;
    e.data = {static_cast<uint8_t>(e.keyframe), static_cast<uint8_t>(count_ >> 8), static_cast<uint8_t>(count_),
              static_cast<uint8_t>(f.width >> 8), static_cast<uint8_t>(f.width), static_cast<uint8_t>(f.height >> 8),
              static_cast<uint8_t>(f.height)};
    for (uint32_t by = 0; by < bh; ++by)
      for (uint32_t bx = 0; bx < bw; ++bx) {
        uint32_t sum = 0;
        for (uint32_t y = 0; y < kBlock; ++y)
          for (uint32_t x = 0; x < kBlock; ++x) sum += f.i420[(by * kBlock + y) * f.width + bx * kBlock + x];
        e.data.push_back(static_cast<uint8_t>(sum / (kBlock * kBlock)));
      }
    ++count_;
    ++log_.frames;
    log_.keyframes += e.keyframe;
    log_.forced += force_keyframe;
    return std::optional<codec::EncodedVideo>(std::move(e));
  }
  codec::Result<void> set_rates(uint32_t, uint32_t) override { return {}; }
  codec::Result<void> set_resolution(uint32_t w, uint32_t h) override {
    config_.width = w;
    config_.height = h;
    return {};
  }
  const codec::VideoEncoderStats& stats() const override { return stats_; }

 private:
  codec::VideoEncoderConfig config_;
  ToyLog& log_;
  codec::VideoEncoderStats stats_;
  uint32_t count_ = 0;
};

class ToyDecoder : public codec::VideoDecoder {
 public:
  codec::Result<codec::VideoFrame> decode(base::ByteView d) override {
    if (d.size() < 7) return codec::Unexpected(codec::Error::InvalidPayload);
    const bool key = d[0] == 1;
    const uint32_t n = static_cast<uint32_t>(d[1]) << 8 | d[2];
    const uint32_t w = static_cast<uint32_t>(d[3]) << 8 | d[4], h = static_cast<uint32_t>(d[5]) << 8 | d[6];
    if (w == 0 || h == 0 || w > 4096 || h > 4096 || d.size() != 7 + (w / kBlock) * (h / kBlock))
      return codec::Unexpected(codec::Error::InvalidPayload);
    if (!key && (!last_ || n != static_cast<uint16_t>(*last_ + 1))) {
      needs_key_ = true;
      return codec::Unexpected(codec::Error::NeedsKeyframe);
    }
    needs_key_ = false;
    last_ = n;
    auto f = codec::VideoFrame::filled(w, h);
    for (uint32_t y = 0; y < h; ++y)
      for (uint32_t x = 0; x < w; ++x) f.i420[y * w + x] = d[7 + (y / kBlock) * (w / kBlock) + x / kBlock];
    return f;
  }
  bool needs_keyframe() const override { return needs_key_; }
  const codec::VideoDecoderStats& stats() const override { return stats_; }

 private:
  std::optional<uint32_t> last_;
  bool needs_key_ = true;
  codec::VideoDecoderStats stats_;
};

// A frame whose top-left 16 blocks carry `n` (one bit per block: 0 or 255).
std::vector<uint8_t> numbered(uint32_t w, uint32_t h, uint32_t n) {
  std::vector<uint8_t> f(codec::i420_size(w, h), 128);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      const uint32_t block = (y / kBlock) * (w / kBlock) + x / kBlock;
      f[y * w + x] = y < kBlock && x < 16 * kBlock ? ((n >> (x / kBlock)) & 1 ? 255 : 0) : static_cast<uint8_t>(block & 0x7f);
    }
  return f;
}

std::optional<uint32_t> number_of(const Record& e) {
  const auto* v = e.get("data");
  const auto* data = v ? std::get_if<base::Bytes>(v) : nullptr;
  const auto w = e.get_number("width");
  if (!data || !w) return std::nullopt;
  uint32_t n = 0;
  for (uint32_t b = 0; b < 16; ++b) n |= ((*data)[b * kBlock + kBlock / 2] > 127 ? 1u : 0u) << b;
  return n;
}

TEST(CodecRegistry, PayloadTypesAndErrors) {
  CodecRegistry r;
  CodecRegistration toy;
  toy.kind = sdp::MediaKind::Video;
  toy.name = "x-toy";
  auto added = r.add(toy);
  ASSERT_TRUE(added.ok());
  // The first dynamic payload types the built-in ones leave (96 VP8, 97 its
  // RTX; 102, 103, 106, 107 H.264 and its RTX).
  EXPECT_EQ(added->payload_type, 98);
  EXPECT_EQ(added->feedback, (std::vector<std::string>{"transport-cc", "ccm fir", "nack", "nack pli"}));
  const auto& video = r.codecs(sdp::MediaKind::Video);
  ASSERT_EQ(video.size(), 8u);
  EXPECT_EQ(video[6].name, "x-toy");
  EXPECT_EQ(video[7].name, "rtx");
  EXPECT_EQ(video[7].payload_type, 99);
  EXPECT_EQ(video[7].fmtp, "apt=98");
  EXPECT_NE(r.find(sdp::MediaKind::Video, sdp::RtpCodec{123, "X-TOY", 90000, 1, "", {}}), nullptr);
  // The built-in codecs are in it too, with their factories.
  const auto* vp8_builtin = r.find(sdp::MediaKind::Video, sdp::RtpCodec{96, "VP8", 90000, 1, "", {}});
  ASSERT_NE(vp8_builtin, nullptr);
  EXPECT_TRUE(vp8_builtin->builtin);
  EXPECT_EQ(vp8_builtin->payload_format, PayloadFormat::Vp8);
  EXPECT_TRUE(vp8_builtin->factories.video_encoder && vp8_builtin->factories.video_decoder);
  for (const char* name : {"opus", "PCMU", "PCMA"}) {
    const auto* a = r.find(sdp::MediaKind::Audio,
                           sdp::RtpCodec{0, name, std::string(name) == "opus" ? 48000u : 8000u, uint16_t(std::string(name) == "opus" ? 2 : 1), "", {}});
    ASSERT_NE(a, nullptr) << name;
    EXPECT_TRUE(a->builtin && a->factories.audio_encoder && a->factories.audio_decoder) << name;
  }
  EXPECT_EQ(r.find(sdp::MediaKind::Video, sdp::RtpCodec{97, "rtx", 90000, 1, "apt=96", {}}), nullptr);  // carried, not coded
  EXPECT_FALSE(r.find(sdp::MediaKind::Video, sdp::RtpCodec{123, "X-TOY", 90000, 1, "", {}})->builtin);
  EXPECT_EQ(r.add(toy).error(), CodecRegistryError::AlreadyPresent);
  CodecRegistration vp8 = toy;
  vp8.name = "vp8";
  EXPECT_EQ(r.add(vp8).error(), CodecRegistryError::AlreadyPresent);
  for (const char* bad : {"", "a b", "rtx", "x/y"}) {
    CodecRegistration b = toy;
    b.name = bad;
    EXPECT_EQ(r.add(b).error(), CodecRegistryError::BadCodec) << bad;
  }
  CodecRegistration audio;
  audio.kind = sdp::MediaKind::Audio;
  audio.name = "x-tone";
  audio.clock_rate = 48000;
  audio.channels = 3;
  EXPECT_EQ(r.add(audio).error(), CodecRegistryError::BadCodec);
  audio.channels = 1;
  auto a = r.add(audio);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->payload_type, 100);  // unique across kinds (RFC 8843 9.1)
  // Until the dynamic range runs out.
  size_t added_count = 0;
  for (int i = 0; i < 100; ++i) {
    CodecRegistration more = audio;
    more.name = "x-more" + std::to_string(i);
    auto m = r.add(more);
    if (!m) {
      EXPECT_EQ(m.error(), CodecRegistryError::NoPayloadType);
      break;
    }
    ++added_count;
  }
  EXPECT_GT(added_count, 40u);
  EXPECT_LT(added_count, 61u);
}

// The toy codec between two MediaSessions: negotiated from both
// registries (the offer's rtpmap), 640x480 frames carrying their numbers
// arrive in order; with 5 % of the packets lost, NACK/RTX repair them; a
// burst that RTX cannot repair breaks the decoder's reference chain, and
// the PLI that follows reaches the encoder as a forced keyframe.
TEST(MediaSession, ARegisteredVideoCodecRunsOverGenericPayloads) {
  ToyLog log;
  CodecRegistry codecs;
  CodecRegistration toy;
  toy.kind = sdp::MediaKind::Video;
  toy.name = "x-toy";
  toy.factories.video_encoder = [&](const codec::VideoEncoderConfig& c) { return std::make_unique<ToyEncoder>(c, log); };
  toy.factories.video_decoder = [] { return std::make_unique<ToyDecoder>(); };
  ASSERT_TRUE(codecs.add(toy).ok());
  BackToBack net(&codecs);
  net.add(0, 1, sdp::MediaKind::Video);
  // Only the toy codec is wanted (setCodecPreferences).
  net.side(0).jsep.set_codec_preferences(1, {sdp::RtpCodec{0, "x-toy", 90000, 1, "", {}}, sdp::RtpCodec{0, "rtx", 90000, 1, "apt=98", {}}});
  auto offer = net.side(0).jsep.create_offer();
  ASSERT_TRUE(offer.ok());
  EXPECT_NE(offer->find("a=rtpmap:98 x-toy/90000\r\n"), std::string::npos);
  EXPECT_NE(offer->find("a=rtpmap:99 rtx/90000\r\n"), std::string::npos);
  EXPECT_EQ(offer->find("VP8"), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(net.negotiate());

  uint32_t n = 0;
  auto frame = [&](Timestamp now) { net.session(0).send_video(now, 1, 640, 480, numbered(640, 480, n++)); };
  uint64_t packets = 0;
  base::SeededRandom loss(7);
  net.set_drop([&](int from, base::ByteView b) {
    if (from != 0 || !is_rtp(b)) return false;
    return ++packets > 30 && loss.next_u32() % 100 < 5;
  });
  net.run_for(Duration::seconds(4), Duration::micros(33333), frame);
  net.run_for(Duration::millis(300));
  std::vector<uint32_t> got;
  for (const auto& e : net.side(1).events)
    if (e.get_string("type") == "videoframe")
      if (auto k = number_of(e)) got.push_back(*k);
  ASSERT_GE(n, 119u);
  size_t in_order = 0;
  for (size_t i = 0; i < got.size(); ++i) in_order += i == 0 || got[i] == got[i - 1] + 1;
  EXPECT_GE(in_order, n * 95 / 100) << "of " << n << " frames, " << got.size() << " arrived";
  auto in = net.stat(1, "inbound-rtp");
  auto out = net.stat(0, "outbound-rtp");
  ASSERT_TRUE(in && out);
  EXPECT_GE(*out->get_number("retransmittedPacketsSent"), 5);
  EXPECT_GE(*in->get_number("retransmittedPacketsReceived"), 5);
  const auto codec = net.stat(1, "codec");
  ASSERT_TRUE(codec);
  EXPECT_EQ(codec->get_string("mimeType"), "video/x-toy");
  EXPECT_EQ(log.forced, 0u);

  // A burst longer than the sender's 1 s history and the jitter buffer's
  // wait: every packet, first sends and RTX, for 2 s.
  Timestamp burst_end = net.now() + Duration::seconds(2);
  net.set_drop([&](int from, base::ByteView b) { return from == 0 && is_rtp(b) && net.now() < burst_end; });
  const size_t before = got.size();
  net.run_for(Duration::seconds(4), Duration::micros(33333), frame);
  net.run_for(Duration::millis(300));
  EXPECT_GE(log.forced, 1u);
  got.clear();
  for (const auto& e : net.side(1).events)
    if (e.get_string("type") == "videoframe")
      if (auto k = number_of(e)) got.push_back(*k);
  EXPECT_GT(got.size(), before + 45);  // it recovered: 60 frames after the burst, less the wait for a keyframe
  EXPECT_EQ(got.back(), n - 1) << "the last frame sent arrived";
}

// A registered codec without factories is the embedder's: keyframe
// requests come out as events, it hands in encoded frames, and what
// arrives comes out as "encodedframe" events.
TEST(MediaSession, TheEmbedderRunsACodecWithoutFactories) {
  CodecRegistry codecs;
  CodecRegistration toy;
  toy.kind = sdp::MediaKind::Video;
  toy.name = "x-outside";
  ASSERT_TRUE(codecs.add(toy).ok());
  BackToBack net(&codecs);
  net.add(0, 1, sdp::MediaKind::Video);
  net.side(0).jsep.set_codec_preferences(1, {sdp::RtpCodec{0, "x-outside", 90000, 1, "", {}}});
  ASSERT_NO_FATAL_FAILURE(net.negotiate());
  uint32_t n = 0;
  net.run_for(Duration::seconds(1), Duration::micros(33333), [&](Timestamp now) {
    codec::EncodedVideo f;
    f.keyframe = n == 0;
    f.width = 64;
    f.height = 48;
    f.data.assign(3000 + n, static_cast<uint8_t>(n));  // three packets each
    ++n;
    net.session(0).send_encoded_video(now, 1, f);
    net.session(0).send_video(now, 1, 64, 48, pattern(64, 48, n));  // ignored: no encoder here
  });
  net.run_for(Duration::millis(100));
  std::vector<Record> frames;
  for (const auto& e : net.side(1).events)
    if (e.get_string("type") == "encodedframe") frames.push_back(e);
  EXPECT_EQ(net.count(1, "videoframe"), 0u);
  ASSERT_GE(frames.size(), n - 1);
  for (size_t i = 0; i < frames.size(); ++i) {
    const auto& data = std::get<base::Bytes>(*frames[i].get("data"));
    EXPECT_EQ(data.size(), 3000 + i);
    EXPECT_EQ(data[0], static_cast<uint8_t>(i));
    EXPECT_EQ(frames[i].get_bool("keyFrame"), i == 0);
    EXPECT_EQ(frames[i].get_string("kind"), "video");
  }
  // The receiver's decoder failed: a PLI, which the sender's embedder hears.
  const auto answerer = net.answerer_handle();
  net.session(1).on_decode_failure(net.now(), answerer);
  net.run_for(Duration::millis(200));
  EXPECT_EQ(net.count(0, "keyframerequest"), 1u);
}

// ---- webrtc-encoded-transform: frames out to a transform and back

// XOR past the header bytes a receiver must read (as the W3C sample's
// "encryption": 10 bytes of a VP8 keyframe, 3 of a delta frame, 1 of audio).
void xor_frame(Record& e) {
  auto data = std::get<base::Bytes>(*e.get("data"));
  const size_t skip = e.get_string("kind") == "audio" ? 1 : (*e.get_bool("keyFrame") ? 10 : 3);
  for (size_t i = skip; i < data.size(); ++i) data[i] ^= 0x5a;
  e.set("data", std::move(data));
}

// With the same XOR transform on the sender and the receiver, VP8 video
// and Opus audio arrive as without one; with it on the sender only, the
// receiver's decoder gets garbage and shows (nearly) nothing.
TEST(MediaSession, EncodedTransformsTakeFramesOutAndBack) {
  for (bool both : {true, false}) {
    BackToBack net;
    net.add(0, 1, sdp::MediaKind::Video);
    net.add(0, 2, sdp::MediaKind::Audio);
    ASSERT_NO_FATAL_FAILURE(net.negotiate());
    std::vector<std::string> send_meta;
    net.side(0).transform = [&](Record& e) {
      if (send_meta.empty() && e.get_string("kind") == "video")
        send_meta = {*e.get_string("mimeType"), std::to_string(static_cast<int>(*e.get_number("width"))),
                     std::to_string(static_cast<int>(*e.get_number("payloadType")))};
      xor_frame(e);
    };
    net.session(0).set_transform(1, true, true);
    net.session(0).set_transform(2, true, true);
    const auto& answerer = net.side(1).jsep.transceivers();
    if (both) {
      net.side(1).transform = xor_frame;
      for (const auto& t : answerer) net.session(1).set_transform(t.handle, false, true);
    }
    uint64_t n = 0;
    net.run_for(Duration::seconds(2), Duration::millis(10), [&](Timestamp now) {
      net.session(0).send_audio(now, 2, tone(n), 48000, 1);
      if (n % 3 == 0) net.session(0).send_video(now, 1, 320, 240, pattern(320, 240, n));
      ++n;
    });
    net.run_for(Duration::millis(200));
    EXPECT_GT(net.side(0).transformed, 150u);  // 100 audio packets (20 ms) and 67 video frames
    EXPECT_EQ(send_meta, (std::vector<std::string>{"video/VP8", "320", "96"}));
    const size_t videos = net.count(1, "videoframe");
    std::vector<double> heard;
    for (const auto& e : net.side(1).events)
      if (e.get_string("type") == "audioframe" && e.get_string("kind") == "Normal") heard.push_back(1);
    if (both) {
      EXPECT_GT(net.side(1).transformed, 150u);
      EXPECT_GE(videos, 60u);  // of 67
      EXPECT_GE(heard.size(), 150u);
    } else {
      EXPECT_LE(videos, 1u);  // the XORed frames do not decode
    }
  }
}

}  // namespace
}  // namespace wasmrtc::pc
