// Audio between two Engines on the simulated network: transceivers in
// offer/answer, SRTP from the DTLS keys, Opus both ways through the jitter
// buffer, RTCP reports and the RTP stats, loss, renegotiation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <set>

#include "codec/video_frame.h"
#include "net.h"

namespace wasmrtc::pc {
namespace {

using base::Duration;
using base::Timestamp;
using test::Net;
using test::sdp_of;

constexpr double kPi = 3.14159265358979323846;

// 10 ms of a 440 Hz tone, mono 48 kHz, continuing from `frame`.
std::vector<int16_t> tone(uint64_t frame) {
  std::vector<int16_t> pcm(480);
  for (size_t i = 0; i < pcm.size(); ++i) {
    const double t = static_cast<double>(frame * 480 + i) / 48000.0;
    pcm[i] = static_cast<int16_t>(8000 * std::sin(2 * kPi * 440 * t));
  }
  return pcm;
}

TransceiverRequest audio(sdp::TransceiverHandle h, sdp::Direction d = sdp::Direction::SendRecv) {
  TransceiverRequest r;
  r.handle = h;
  r.kind = sdp::MediaKind::Audio;
  r.direction = d;
  r.track_id = "t" + std::to_string(h);
  r.stream_ids = {"s" + std::to_string(h)};
  r.added_by_add_track = true;
  return r;
}

// `edit_answer` may change the answer's SDP before both sides apply it.
void offer_answer(Net& net, int offerer, const std::function<void(std::string&)>& edit_answer = {}) {
  const int answerer = 1 - offerer;
  auto offer = net.pc(offerer).create_offer(net.now(), false);
  ASSERT_TRUE(offer.ok());
  ASSERT_TRUE(net.pc(offerer).set_local_description(net.now(), "offer", sdp_of(offer)).ok());
  ASSERT_TRUE(net.pc(answerer).set_remote_description(net.now(), "offer", sdp_of(offer)).ok());
  auto answer = net.pc(answerer).create_answer(net.now());
  ASSERT_TRUE(answer.ok());
  std::string text = sdp_of(answer);
  if (edit_answer) edit_answer(text);
  ASSERT_TRUE(net.pc(answerer).set_local_description(net.now(), "answer", text).ok());
  ASSERT_TRUE(net.pc(offerer).set_remote_description(net.now(), "answer", text).ok());
}

// Side 0 offers, side 1 answers; returns once side 0 is connected.
void connect(Net& net) {
  ASSERT_NO_FATAL_FAILURE(offer_answer(net, 0));
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "connectionstatechange", "state", "connected"); }));
}

// Decoded audio a side received: the first channel of every frame.
struct Received {
  std::vector<int16_t> mono;
  size_t frames = 0;
  size_t audible = 0;
};

Received received(Net& net, int side) {
  Received r;
  for (const auto& e : net.side(side).events) {
    if (e.get_string("type") != "audioframe") continue;
    const auto* v = e.get("samples");
    const auto& bytes = std::get<base::Bytes>(*v);
    const auto channels = static_cast<size_t>(*e.get_number("channelCount"));
    std::vector<int16_t> pcm(bytes.size() / 2);
    std::memcpy(pcm.data(), bytes.data(), pcm.size() * 2);
    double energy = 0;
    for (size_t i = 0; i < pcm.size(); i += channels) {
      r.mono.push_back(pcm[i]);
      energy += static_cast<double>(pcm[i]) * pcm[i];
    }
    ++r.frames;
    if (std::sqrt(energy / (pcm.size() / channels)) > 1000) ++r.audible;
  }
  return r;
}

// Frequency from zero crossings (positions interpolated), per 100 ms
// window, median over the windows: a window holding a concealed or
// time-stretched splice is an outlier the median ignores.
double frequency(const std::vector<int16_t>& s) {
  std::vector<double> estimates;
  for (size_t start = 0; start + 4800 <= s.size(); start += 4800) {
    double first = -1, last = -1;
    size_t crossings = 0;
    for (size_t i = start + 1; i < start + 4800; ++i) {
      if ((s[i - 1] < 0) == (s[i] < 0)) continue;
      const double t = (i - 1) + static_cast<double>(s[i - 1]) / (s[i - 1] - s[i]);
      if (crossings == 0) first = t;
      last = t;
      ++crossings;
    }
    if (crossings >= 20) estimates.push_back((crossings - 1) / 2.0 / ((last - first) / 48000.0));
  }
  if (estimates.empty()) return 0;
  std::sort(estimates.begin(), estimates.end());
  return estimates[estimates.size() / 2];
}

std::optional<Record> stat(const RecordList& list, const std::string& type) {
  for (const auto& r : list)
    if (r.get_string("type") == type) return r;
  return std::nullopt;
}

void send_tone(Net& net, int side, sdp::TransceiverHandle h, Duration how_long) {
  uint64_t frame = 0;
  net.every(Duration::millis(10), [&, side, h](Timestamp now) {
    auto pcm = tone(frame++);
    net.pc(side).send_audio(now, h, pcm, 48000, 1);
  });
  const Timestamp end = net.now() + how_long;
  net.run_until([&] { return net.now() >= end; }, how_long + Duration::seconds(1));
  net.every(Duration::millis(10), [](Timestamp) {});
  // Let the last packets land.
  const Timestamp settle = net.now() + Duration::millis(100);
  net.run_until([&] { return net.now() >= settle; });
}

TEST(Audio, ToneArrivesAt440HzWithEveryFrame) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  const size_t before = received(net, 1).frames;
  send_tone(net, 0, 1, Duration::seconds(5));
  Received r = received(net, 1);
  // 5 s of 10 ms frames: the playout clock made them all (+/- start-up).
  EXPECT_GE(r.frames - before, 480u);
  EXPECT_GE(r.audible, 475u);  // at least 95 % of 500 carry the tone
  EXPECT_NEAR(frequency(r.mono), 440.0, 2.0);

  auto s0 = net.pc(0).stats(net.now());
  auto s1 = net.pc(1).stats(net.now());
  auto out = stat(s0, "outbound-rtp");
  auto in = stat(s1, "inbound-rtp");
  ASSERT_TRUE(out && in);
  EXPECT_EQ(*out->get_number("packetsSent"), *in->get_number("packetsReceived"));
  EXPECT_EQ(*in->get_number("packetsLost"), 0);
  EXPECT_GE(*out->get_number("packetsSent"), 245);  // 20 ms packets
  EXPECT_EQ(*out->get_string("kind"), "audio");
  // The track as the sender got it (webrtc-stats RTCAudioSourceStats): a
  // sine of amplitude 8000 is an RMS level of 8000 / sqrt(2) / 32767.
  auto source = stat(s0, "media-source");
  ASSERT_TRUE(source);
  EXPECT_EQ(*source->get_string("trackIdentifier"), "t1");
  EXPECT_EQ(*source->get_string("kind"), "audio");
  EXPECT_EQ(*out->get_string("mediaSourceId"), *source->get_string("id"));
  EXPECT_NEAR(*source->get_number("audioLevel"), 0.1726, 0.002);
  EXPECT_NEAR(*source->get_number("totalSamplesDuration"), 5.0, 0.02);
  EXPECT_NEAR(*source->get_number("totalAudioEnergy"), 5.0 * 0.1726 * 0.1726, 0.005);
  EXPECT_FALSE(stat(s1, "media-source"));  // the receiver sends nothing
  auto codec = stat(s0, "codec");
  ASSERT_TRUE(codec);
  EXPECT_EQ(*codec->get_string("mimeType"), "audio/opus");
  // RTCP went both ways: the receiver saw SRs, the sender RRs with an RTT
  // of about the 10 ms the simulated wire takes.
  auto remote_out = stat(s1, "remote-outbound-rtp");
  ASSERT_TRUE(remote_out);
  auto remote_in = stat(s0, "remote-inbound-rtp");
  ASSERT_TRUE(remote_in);
  EXPECT_NEAR(*remote_in->get_number("roundTripTime"), 0.010, 0.002);
}

// The "dtmf" events a side reported: (tone, duration ms).
std::vector<std::pair<std::string, double>> dtmf_received(Net& net, int side) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& e : net.side(side).events)
    if (e.get_string("type") == "dtmf") out.emplace_back(*e.get_string("tone"), *e.get_number("duration"));
  return out;
}

// The tones side 1 got, each with its length (ms, within 1).
void expect_dtmf(Net& net, const std::vector<std::pair<std::string, double>>& want) {
  auto got = dtmf_received(net, 1);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first) << i;
    EXPECT_NEAR(got[i].second, want[i].second, 1) << i;
  }
}

void run_for(Net& net, Duration d) {
  const Timestamp end = net.now() + d;
  net.run_until([&] { return net.now() >= end; }, d + Duration::seconds(1));
}

// webrtc-pc section 7 / RFC 4733: tones go out as telephone-events at
// Opus's clock, in place of the audio while they play, and come out of the
// peer once each, with their length.
TEST(Audio, DtmfTonesArriveAsTelephoneEvents) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  uint64_t frame = 0;
  net.every(Duration::millis(10), [&](Timestamp now) {
    auto pcm = tone(frame++);
    net.pc(0).send_audio(now, 1, pcm, 48000, 1);
  });
  run_for(net, Duration::millis(500));
  const double sent_before = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("packetsSent");
  net.pc(0).insert_dtmf(net.now(), 1, '1', Duration::millis(100));
  run_for(net, Duration::millis(170));
  net.pc(0).insert_dtmf(net.now(), 1, '#', Duration::millis(200));
  run_for(net, Duration::millis(270));
  net.pc(0).insert_dtmf(net.now(), 1, 'x', Duration::millis(100));  // not a tone: nothing
  run_for(net, Duration::millis(300));
  net.every(Duration::millis(10), [](Timestamp) {});
  ASSERT_NO_FATAL_FAILURE(expect_dtmf(net, {{"1", 100}, {"#", 200}}));
  // 740 ms at 20 ms a packet is 37 packets: the events replaced the audio
  // of their 300 ms (15 packets) with 2 + 3 and 4 + 3 event packets.
  const double sent = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("packetsSent") - sent_before;
  EXPECT_NEAR(sent, 37 - 15 + 12, 1);
  // And the audio goes on after them.
  EXPECT_NEAR(frequency(received(net, 1).mono), 440.0, 2.0);
}

TEST(Audio, DtmfWithoutAudioFramesGivesEachToneItsOwnTimestamp) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  // No audio at all: the media clock does not move by itself, yet three
  // tones in a row must be three events, not one.
  for (char t : std::string("A5*")) {
    net.pc(0).insert_dtmf(net.now(), 1, t, Duration::millis(80));
    run_for(net, Duration::millis(150));
  }
  expect_dtmf(net, {{"A", 80}, {"5", 80}, {"*", 80}});
}

TEST(Audio, ALongDtmfToneComesInSegmentsAndIsReportedWhole) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  // 3 s at 48 kHz is 144000 samples: three segments (RFC 4733 2.5.1.3).
  net.pc(0).insert_dtmf(net.now(), 1, '0', Duration::millis(3000));
  run_for(net, Duration::millis(3200));
  net.pc(0).insert_dtmf(net.now(), 1, '9', Duration::millis(60));
  run_for(net, Duration::millis(200));
  expect_dtmf(net, {{"0", 3000}, {"9", 60}});
}

TEST(Audio, NoDtmfWithoutTelephoneEvent) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  // The answer strips telephone-event: no format to send the tones in.
  ASSERT_NO_FATAL_FAILURE(offer_answer(net, 0, [](std::string& text) {
    for (const char* line : {"a=rtpmap:110 telephone-event/48000\r\n", "a=rtpmap:126 telephone-event/8000\r\n"}) {
      const auto at = text.find(line);
      ASSERT_NE(at, std::string::npos) << line;
      text.erase(at, std::strlen(line));
    }
    const auto m = text.find(" 111 0 8 110 126");
    ASSERT_NE(m, std::string::npos);
    text.replace(m, 16, " 111 0 8");
  }));
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "connectionstatechange", "state", "connected"); }));
  net.pc(0).insert_dtmf(net.now(), 1, '1', Duration::millis(100));
  run_for(net, Duration::millis(300));
  EXPECT_TRUE(dtmf_received(net, 1).empty());
  auto out = stat(net.pc(0).stats(net.now()), "outbound-rtp");
  EXPECT_FALSE(out && *out->get_number("packetsSent") > 0);
}

TEST(Audio, TenPercentLossStillCarriesTheTone) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  std::mt19937 rng(7);
  size_t dropped = 0;
  net.set_drop([&](const base::Bytes& b) {
    // RTP only (RFC 7983: 128..191; RFC 5761 section 4: RTCP types are
    // 192..223 in the second byte).
    const bool rtp = b.size() > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
    if (rtp && rng() % 10 == 0) {
      ++dropped;
      return true;
    }
    return false;
  });
  send_tone(net, 0, 1, Duration::seconds(5));
  Received r = received(net, 1);
  EXPECT_GT(dropped, 10u);
  EXPECT_NEAR(frequency(r.mono), 440.0, 2.0);
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  ASSERT_TRUE(in);
  EXPECT_NEAR(*in->get_number("packetsLost"), static_cast<double>(dropped), 1);
  EXPECT_GT(*in->get_number("concealedSamples"), 0);
}

TEST(Audio, BothWaysWithDataOnOneBundle) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  net.pc(1).add_transceiver(audio(2));
  ChannelRequest req;
  req.handle = 1;
  req.init.label = "chat";
  net.pc(0).create_data_channel(net.now(), req);
  offer_answer(net, 0);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "datachannel"); }));
  uint64_t frame = 0;
  net.every(Duration::millis(10), [&](Timestamp now) {
    auto pcm = tone(frame++);
    net.pc(0).send_audio(now, 1, pcm, 48000, 1);
    net.pc(1).send_audio(now, 2, pcm, 48000, 1);
  });
  const Timestamp end = net.now() + Duration::seconds(2);
  net.run_until([&] { return net.now() >= end; });
  for (int side : {0, 1}) {
    Received r = received(net, side);
    EXPECT_GE(r.audible, 180u) << side;
    EXPECT_NEAR(frequency(r.mono), 440.0, 2.0) << side;
  }
  // One transport: every datagram went between the same two addresses.
  auto local = net.pc(0).stats(net.now());
  size_t transports = 0;
  for (const auto& s : local) transports += s.get_string("type") == "transport";
  EXPECT_EQ(transports, 1u);
}

TEST(Audio, RenegotiationRemovesAndAddsATrackWithoutDroppingData) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ChannelRequest req;
  req.handle = 1;
  req.init.label = "chat";
  net.pc(0).create_data_channel(net.now(), req);
  offer_answer(net, 0);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "datachannel"); }));
  // removeTrack: sendrecv -> recvonly.
  TransceiverUpdate u;
  u.handle = 1;
  u.direction = sdp::Direction::RecvOnly;
  u.sender = std::make_pair(std::optional<std::string>(), std::vector<std::string>{});
  net.pc(0).update_transceiver(u);
  offer_answer(net, 0);
  const size_t frames = received(net, 1).frames;
  send_tone(net, 0, 1, Duration::seconds(1));
  EXPECT_LE(received(net, 1).frames, frames + 2);  // nothing plays any more
  // And a new track on a new transceiver.
  net.pc(0).add_transceiver(audio(2));
  offer_answer(net, 0);
  send_tone(net, 0, 2, Duration::seconds(2));
  EXPECT_NEAR(frequency(received(net, 1).mono), 440.0, 2.0);
  // The data channel is still open: a message gets through.
  net.pc(0).send(net.now(), 1, false, base::as_bytes(std::string("still here")));
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "message"); }));
}

TEST(Audio, CloseSaysByeInRtcp) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_tone(net, 0, 1, Duration::millis(200));
  size_t rtcp_after_close = 0;
  net.set_drop([&](const base::Bytes& b) {
    if (b.size() > 1 && b[0] >= 128 && b[0] <= 191 && b[1] >= 192 && b[1] <= 223) ++rtcp_after_close;
    return false;
  });
  net.side(0).engine.close_peer_connection(net.now(), 1);
  net.drain();
  // RFC 3550 section 6.6: RR + BYE from the one source that sent.
  EXPECT_EQ(rtcp_after_close, 1u);
}

TEST(Audio, ThePeersPtimeSetsThePacketTime) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  auto offer = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(offer)).ok());
  ASSERT_TRUE(net.pc(1).set_remote_description(net.now(), "offer", sdp_of(offer)).ok());
  auto answer = net.pc(1).create_answer(net.now());
  ASSERT_TRUE(net.pc(1).set_local_description(net.now(), "answer", sdp_of(answer)).ok());
  // The answerer asks for 40 ms packets (RFC 8866 section 6.4).
  std::string text = sdp_of(answer);
  const size_t at = text.find("a=rtpmap:111");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "a=ptime:40\r\n");
  ASSERT_TRUE(net.pc(0).set_remote_description(net.now(), "answer", text).ok());
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "connectionstatechange", "state", "connected"); }));
  send_tone(net, 0, 1, Duration::seconds(2));
  auto out = stat(net.pc(0).stats(net.now()), "outbound-rtp");
  ASSERT_TRUE(out);
  EXPECT_NEAR(*out->get_number("packetsSent"), 50, 2);  // 2 s of 40 ms, not 100 of 20 ms
  EXPECT_NEAR(frequency(received(net, 1).mono), 440.0, 2.0);
}

TEST(Audio, ReplayedTamperedAndGarbagePacketsAreDroppedAndCounted) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  std::vector<base::Bytes> sent;
  net.set_drop([&](const base::Bytes& b) {
    if (b.size() > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223)) sent.push_back(b);
    return false;
  });
  send_tone(net, 0, 1, Duration::millis(500));
  ASSERT_GT(sent.size(), 10u);
  const auto before = net.pc(1).dropped_input();
  auto in_before = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  ASSERT_TRUE(in_before);
  auto& side0 = net.side(0);
  auto& side1 = net.side(1);
  // RFC 3711 section 3.3.2: a replayed packet fails the replay check.
  for (size_t i = 0; i < 5; ++i) net.pc(1).handle_datagram(net.now(), side1.socket, side0.address, sent[i]);
  // A flipped bit fails authentication.
  base::Bytes tampered = sent.back();
  tampered[tampered.size() / 2] ^= 0x01;
  net.pc(1).handle_datagram(net.now(), side1.socket, side0.address, tampered);
  // Too short to be SRTP at all.
  net.pc(1).handle_datagram(net.now(), side1.socket, side0.address, base::Bytes{0x80, 0x6f, 0x00});
  const auto after = net.pc(1).dropped_input();
  EXPECT_EQ(after.srtp - before.srtp, 7u);
  auto in_after = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  EXPECT_EQ(*in_after->get_number("packetsReceived"), *in_before->get_number("packetsReceived"));
}

// ---- video (VP8)

TransceiverRequest video(sdp::TransceiverHandle h) {
  TransceiverRequest r = audio(h);
  r.kind = sdp::MediaKind::Video;
  return r;
}

// A moving gradient, so every frame differs.
std::vector<uint8_t> pattern(uint32_t w, uint32_t h, uint64_t n) {
  std::vector<uint8_t> f(codec::i420_size(w, h), 128);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) f[y * w + x] = static_cast<uint8_t>((x + y + 4 * n) & 0xff);
  return f;
}

size_t video_frames(Net& net, int side, uint32_t w, uint32_t h) {
  size_t n = 0;
  for (const auto& e : net.side(side).events)
    if (e.get_string("type") == "videoframe" && *e.get_number("width") == w && *e.get_number("height") == h) ++n;
  return n;
}

void send_video_for(Net& net, int side, sdp::TransceiverHandle h, uint32_t w, uint32_t ht, Duration how_long) {
  uint64_t n = 0;
  net.every(Duration::micros(33333), [&, side, h, w, ht](Timestamp now) {
    auto f = pattern(w, ht, n++);
    net.pc(side).send_video(now, h, w, ht, f);
  });
  const Timestamp end = net.now() + how_long;
  net.run_until([&] { return net.now() >= end; }, how_long + Duration::seconds(1));
  net.every(Duration::millis(10), [](Timestamp) {});
  const Timestamp settle = net.now() + Duration::millis(100);
  net.run_until([&] { return net.now() >= settle; });
}

TEST(Video, Vp8FramesArriveWhole) {
  Net net;
  net.pc(0).add_transceiver(video(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(2));
  EXPECT_GE(video_frames(net, 1, 320, 240), 55u);  // of 60
  auto out = stat(net.pc(0).stats(net.now()), "outbound-rtp");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out->get_string("kind"), "video");
  EXPECT_GE(*out->get_number("framesEncoded"), 55);
  EXPECT_GE(*out->get_number("keyFramesEncoded"), 1);
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  ASSERT_TRUE(in);
  EXPECT_GE(*in->get_number("framesDecoded"), 55);
  EXPECT_EQ(*in->get_number("frameWidth"), 320);
  EXPECT_NEAR(*out->get_number("framesPerSecond"), 30, 3);
  EXPECT_GE(*out->get_number("framesSent"), 55);
  // Every frame left the buffer as soon as it was whole: under a frame
  // interval each on a clean path.
  const double emitted = *in->get_number("jitterBufferEmittedCount");
  EXPECT_GE(emitted, 55);
  EXPECT_LT(*in->get_number("jitterBufferDelay") / emitted, 0.033);
  // 320x240 wants at most 600 kbit/s; the estimate starts at 1 Mbit/s.
  EXPECT_EQ(*out->get_string("qualityLimitationReason"), "none");
  EXPECT_EQ(*out->get_number("targetBitrate"), 600000);
  // RTCVideoSourceStats: every frame the track gave, at its size.
  auto source = stat(net.pc(0).stats(net.now()), "media-source");
  ASSERT_TRUE(source);
  EXPECT_EQ(*source->get_string("kind"), "video");
  EXPECT_EQ(*source->get_string("trackIdentifier"), "t1");
  EXPECT_EQ(*source->get_number("width"), 320);
  EXPECT_EQ(*source->get_number("height"), 240);
  EXPECT_NEAR(*source->get_number("frames"), 60, 1);
  EXPECT_EQ(*out->get_string("mediaSourceId"), *source->get_string("id"));
}

TEST(Video, MaxBitrateCapsTheEncoderAtOnce) {
  Net net;
  net.pc(0).add_transceiver(video(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_video_for(net, 0, 1, 640, 480, Duration::seconds(1));
  const double before = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("bytesSent");
  send_video_for(net, 0, 1, 640, 480, Duration::seconds(2));
  const double uncapped = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("bytesSent") - before;
  TransceiverUpdate u;
  u.handle = 1;
  u.max_bitrate = 100'000;
  net.pc(0).update_transceiver(u);
  send_video_for(net, 0, 1, 640, 480, Duration::seconds(1));  // settle
  const double mid = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("bytesSent");
  send_video_for(net, 0, 1, 640, 480, Duration::seconds(2));
  const double capped = *stat(net.pc(0).stats(net.now()), "outbound-rtp")->get_number("bytesSent") - mid;
  EXPECT_LT(capped * 8 / 2, 100'000 * 1.3);  // within 30 % of the cap
  EXPECT_LT(capped, uncapped / 2);
}

TEST(Video, ALostPacketIsNackedAndResentAsRtx) {
  Net net;
  net.pc(0).add_transceiver(video(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(1));
  // Lose one RTP packet, once.
  bool dropped = false;
  net.set_drop([&](const base::Bytes& b) {
    const bool rtp = b.size() > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
    if (rtp && !dropped && b.size() > 600) return dropped = true;
    return false;
  });
  const size_t before = video_frames(net, 1, 320, 240);
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(2));
  EXPECT_TRUE(dropped);
  EXPECT_GE(video_frames(net, 1, 320, 240) - before, 59u);  // nothing was given up
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  auto out = stat(net.pc(0).stats(net.now()), "outbound-rtp");
  ASSERT_TRUE(in && out);
  EXPECT_GE(*in->get_number("nackCount"), 1);
  EXPECT_GE(*out->get_number("nackCount"), 1);
  EXPECT_GE(*out->get_number("retransmittedPacketsSent"), 1);
  EXPECT_GE(*in->get_number("retransmittedPacketsReceived"), 1);
  EXPECT_EQ(*in->get_number("framesDropped"), 0);
  EXPECT_EQ(*in->get_number("pliCount"), 0);
}

// Longer than the sender keeps packets for NACKs (1 s): what was lost
// cannot be repaired, only replaced by a keyframe. (A shorter outage is
// repaired by NACK and RTX, frames late but whole.)
TEST(Video, AnOutageLongerThanTheHistoryBringsAPliAndAKeyframe) {
  Net net;
  net.pc(0).add_transceiver(video(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(1));
  const Timestamp outage_end = net.now() + Duration::millis(1500);
  net.set_drop([&](const base::Bytes& b) {
    const bool rtp = b.size() > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
    return rtp && net.now() < outage_end;
  });
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(3));
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  auto out = stat(net.pc(0).stats(net.now()), "outbound-rtp");
  ASSERT_TRUE(in && out);
  EXPECT_GE(*in->get_number("pliCount"), 1);
  EXPECT_GE(*out->get_number("pliCount"), 1);
  EXPECT_GE(*out->get_number("keyFramesEncoded"), 2);
  // Frames flow again after the keyframe, within half a second: a frame
  // waits out its NACKs (250 ms at the default RTT), then the PLI.
  const double decoded = *in->get_number("framesDecoded");
  EXPECT_GE(decoded, 30 + 30);
  EXPECT_GE(*in->get_number("framesDropped"), 1);
}

// getStats (webrtc-pc 8.6 mandatory-to-implement members) for a call with
// audio and video: nackCount on audio streams too (no NACKs are asked for
// audio: 0), packetsDiscarded on video inbound-rtp, packetsReceived on
// remote-inbound-rtp (what the peer's receiver report says it got, which
// once the last report is in is what the peer's inbound-rtp counted), and
// every *Id naming a stats object of the report.
TEST(Stats, MandatoryMembersOfAnAudioAndVideoCall) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  net.pc(0).add_transceiver(video(2));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  uint64_t n = 0;
  net.every(Duration::millis(10), [&](Timestamp now) {
    net.pc(0).send_audio(now, 1, tone(n), 48000, 1);
    if (n % 3 == 0) {
      auto f = pattern(320, 240, n / 3);
      net.pc(0).send_video(now, 2, 320, 240, f);
    }
    ++n;
  });
  const Timestamp end = net.now() + Duration::seconds(2);
  net.run_until([&] { return net.now() >= end; });
  net.every(Duration::millis(10), [](Timestamp) {});

  const auto of = [](const RecordList& list, const std::string& type, const std::string& kind) -> std::optional<Record> {
    for (const auto& r : list)
      if (r.get_string("type") == type && r.get_string("kind") == kind) return r;
    return std::nullopt;
  };
  // The receiver reports that follow the last packet (RFC 3550 6.4.2)
  // cover all of it.
  const auto settled = [&] {
    auto s0 = net.pc(0).stats(net.now());
    auto s1 = net.pc(1).stats(net.now());
    for (const char* kind : {"audio", "video"}) {
      auto remote = of(s0, "remote-inbound-rtp", kind);
      auto in = of(s1, "inbound-rtp", kind);
      if (!remote || !in || remote->get_number("packetsReceived") != in->get_number("packetsReceived")) return false;
    }
    return true;
  };
  ASSERT_TRUE(net.run_until(settled, Duration::seconds(15)));

  const RecordList s0 = net.pc(0).stats(net.now());
  const RecordList s1 = net.pc(1).stats(net.now());
  for (const char* kind : {"audio", "video"}) {
    SCOPED_TRACE(kind);
    auto out = of(s0, "outbound-rtp", kind);
    auto remote = of(s0, "remote-inbound-rtp", kind);
    auto in = of(s1, "inbound-rtp", kind);
    ASSERT_TRUE(out && remote && in);
    const auto sent = out->get_number("packetsSent");
    EXPECT_GT(sent, 50);
    EXPECT_EQ(remote->get_number("packetsReceived"), sent);
    EXPECT_EQ(in->get_number("packetsReceived"), sent);
    EXPECT_EQ(out->get_number("nackCount"), 0.0);
    EXPECT_EQ(in->get_number("nackCount"), 0.0);
    EXPECT_EQ(in->get_number("packetsDiscarded"), 0.0);
  }
  for (const RecordList* list : {&s0, &s1}) {
    std::set<std::string> ids;
    for (const auto& r : *list) ids.insert(*r.get_string("id"));
    for (const auto& r : *list) {
      for (const auto& [key, value] : r.fields) {
        if (key.size() > 2 && key.ends_with("Id")) {
          EXPECT_TRUE(ids.count(std::get<std::string>(value))) << *r.get_string("id") << "." << key;
        }
      }
    }
  }
}

// webrtc-stats inbound-rtp trackIdentifier: the id of the receiver's track,
// which the page made with the transceiver (TransceiverRequest
// receiver_track_id); the engine makes one for a transceiver a remote
// offer creates, and hands it out with the transceiver.
TEST(Stats, InboundTrackIdentifierIsTheReceiversTrack) {
  Net net;
  TransceiverRequest mine = audio(1);
  mine.receiver_track_id = "receiver-track-of-side-0";
  net.pc(0).add_transceiver(mine);
  TransceiverRequest theirs = audio(2);
  theirs.receiver_track_id = "receiver-track-of-side-1";
  net.pc(1).add_transceiver(theirs);
  ASSERT_NO_FATAL_FAILURE(connect(net));
  uint64_t frame = 0;
  net.every(Duration::millis(10), [&](Timestamp now) {
    auto pcm = tone(frame++);
    net.pc(0).send_audio(now, 1, pcm, 48000, 1);
    net.pc(1).send_audio(now, 2, pcm, 48000, 1);
  });
  const Timestamp end = net.now() + Duration::millis(500);
  net.run_until([&] { return net.now() >= end; });
  for (int side : {0, 1}) {
    auto in = stat(net.pc(side).stats(net.now()), "inbound-rtp");
    ASSERT_TRUE(in) << side;
    EXPECT_EQ(in->get_string("trackIdentifier"), "receiver-track-of-side-" + std::to_string(side));
  }
}

// A transceiver a remote offer made gets the engine's id for its receiver
// track; a page whose track has an id of its own (a browser's generated
// track) tells the engine, and stats name that.
TEST(Stats, TheReceiverTrackIdOfARemoteOffersTransceiverCanBeThePages) {
  Net net;
  net.pc(0).add_transceiver(audio(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  TransceiverUpdate u;
  u.handle = -1;  // the first transceiver a remote offer made
  u.receiver_track_id = "generated-by-the-page";
  net.pc(1).update_transceiver(u);
  send_tone(net, 0, 1, Duration::millis(300));
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->get_string("trackIdentifier"), "generated-by-the-page");
}

// webrtc-stats packetsDiscarded: an RTP packet the jitter buffer gets after
// its frame was given out (here: lost, repaired by RTX, then the original
// turns up late) is discarded, and counted.
TEST(Stats, AVideoPacketAfterItsFrameIsCountedAsDiscarded) {
  Net net;
  net.pc(0).add_transceiver(video(1));
  ASSERT_NO_FATAL_FAILURE(connect(net));
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(1));
  std::optional<base::Bytes> held;
  net.set_drop([&](const base::Bytes& b) {
    const bool rtp = b.size() > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
    if (rtp && !held && b.size() > 600) {
      held = b;
      return true;
    }
    return false;
  });
  send_video_for(net, 0, 1, 320, 240, Duration::seconds(1));
  ASSERT_TRUE(held);
  auto in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->get_number("packetsDiscarded"), 0.0);
  EXPECT_GE(in->get_number("retransmittedPacketsReceived"), 1);
  net.side(1).engine.handle_datagram(net.now(), net.side(1).socket, net.side(0).address, *held);
  in = stat(net.pc(1).stats(net.now()), "inbound-rtp");
  EXPECT_EQ(in->get_number("packetsDiscarded"), 1.0);
  EXPECT_EQ(in->get_number("framesDropped"), 0.0);
}

}  // namespace
}  // namespace wasmrtc::pc
