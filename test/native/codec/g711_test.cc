// G.711 (ITU-T G.711; RFC 3551 section 4.5.14 PCMU/PCMA) and the
// resampler behind it: the code tables' known points, that every code
// decodes to a level that encodes back to itself, the quantization error
// of a tone, the 8 kHz packets from 48 kHz tracks and back, and that
// resampling keeps a tone's pitch and level, rejects what aliases, and
// streams (10 ms at a time gives one long call's output).
#include "codec/g711.h"

#include <gtest/gtest.h>

#include <cmath>

#include "codec/resampler.h"
#include "signal.h"

namespace wasmrtc::codec {
namespace {

TEST(G711, KnownCodes) {
  // Silence: mu-law 0xFF, A-law 0xD5 (ITU-T G.711 table 1/2 "0").
  EXPECT_EQ(g711_encode(G711Law::Mu, 0), 0xff);
  EXPECT_EQ(g711_encode(G711Law::A, 0), 0xd5);
  EXPECT_EQ(g711_decode(G711Law::Mu, 0xff), 0);
  EXPECT_EQ(g711_decode(G711Law::A, 0xd5), 8);
  // The extremes: mu-law 0x00/0x80 decode to -/+32124, A-law 0x2a/0xaa to -/+32256.
  EXPECT_EQ(g711_decode(G711Law::Mu, 0x00), -32124);
  EXPECT_EQ(g711_decode(G711Law::Mu, 0x80), 32124);
  EXPECT_EQ(g711_decode(G711Law::A, 0xaa), 32256);
  EXPECT_EQ(g711_decode(G711Law::A, 0x2a), -32256);
  EXPECT_EQ(g711_encode(G711Law::Mu, 32767), 0x80);
  EXPECT_EQ(g711_encode(G711Law::Mu, -32768), 0x00);
  EXPECT_EQ(g711_encode(G711Law::A, 32767), 0xaa);
  EXPECT_EQ(g711_encode(G711Law::A, -32768), 0x2a);
}

TEST(G711, EveryCodeRoundTrips) {
  for (auto law : {G711Law::Mu, G711Law::A}) {
    for (int code = 0; code < 256; ++code) {
      const int16_t level = g711_decode(law, static_cast<uint8_t>(code));
      // mu-law has two zeros (0x7f and 0xff); both decode to 0.
      EXPECT_EQ(g711_decode(law, g711_encode(law, level)), level) << "law " << int(law) << " code " << code;
    }
  }
}

TEST(G711, QuantizationErrorOfATone) {
  test::Sine sine(440, 8000, 1, 8000);
  const auto pcm = sine.next(8000);
  for (auto law : {G711Law::Mu, G711Law::A}) {
    std::vector<int16_t> back;
    for (int16_t v : pcm) back.push_back(g711_decode(law, g711_encode(law, v)));
    // About 38 dB SNR for a loud tone (logarithmic quantization).
    EXPECT_LT(test::error_db(pcm, back), -30) << int(law);
  }
}

TEST(G711, TrackAt48kHzToPacketsAndBack) {
  AudioEncoderConfig config;
  config.sample_rate = 48000;
  config.channels = 2;
  config.ptime_ms = 20;
  auto encoder = G711Encoder::create(G711Law::Mu, config);
  ASSERT_TRUE(encoder.ok());
  EXPECT_EQ((*encoder)->rtp_clock_rate(), 8000u);
  auto decoder = G711Decoder::create(G711Law::Mu, 2);
  ASSERT_TRUE(decoder.ok());
  test::Sine sine(440, 48000, 2, 8000);
  std::vector<int16_t> out;
  int packets = 0;
  for (int i = 0; i < 100; ++i) {
    auto e = (*encoder)->encode(sine.next(480));
    ASSERT_TRUE(e.ok());
    if (!*e) continue;
    ++packets;
    // 20 ms at 8 kHz: 160 octets, one per sample (RFC 3551 4.5.14).
    ASSERT_EQ((*e)->payload.size(), 160u);
    EXPECT_EQ((*e)->samples, 160u);
    auto samples = (*decoder)->packet_samples((*e)->payload);
    ASSERT_TRUE(samples.ok());
    EXPECT_EQ(*samples, 960u);
    std::vector<int16_t> pcm(*samples * 2);
    auto n = (*decoder)->decode((*e)->payload, pcm);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 960u);
    out.insert(out.end(), pcm.begin(), pcm.end());
  }
  EXPECT_EQ(packets, 50);
  const auto left = test::channel(std::span<const int16_t>(out).subspan(48000), 2, 0);
  EXPECT_NEAR(test::dominant_frequency(left, 48000), 440, 1);
  EXPECT_NEAR(test::rms(left), 8000 / std::sqrt(2.0), 600);
  // Concealment continues, then fades.
  std::vector<int16_t> concealed(960 * 2);
  ASSERT_TRUE((*decoder)->conceal(960, concealed).ok());
  EXPECT_GT(test::rms(concealed), 100);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE((*decoder)->conceal(960, concealed).ok());
  EXPECT_LT(test::rms(concealed), 50);
}

TEST(G711, BadInputIsAnError) {
  AudioEncoderConfig config;
  config.sample_rate = 44100;
  EXPECT_EQ(G711Encoder::create(G711Law::A, config).error(), Error::BadSampleRate);
  config.sample_rate = 48000;
  config.channels = 3;
  EXPECT_EQ(G711Encoder::create(G711Law::A, config).error(), Error::BadChannels);
  config.channels = 1;
  config.ptime_ms = 25;  // the nearest 10 ms: 30 ms packets
  auto e = G711Encoder::create(G711Law::A, config);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->encode(std::vector<int16_t>(100)).error(), Error::BadFrameSize);
  auto d = G711Decoder::create(G711Law::A);
  ASSERT_TRUE(d.ok());
  std::vector<int16_t> small(10);
  EXPECT_EQ((*d)->decode(base::Bytes(160, 0xd5), small).error(), Error::BufferTooSmall);
  EXPECT_EQ((*d)->packet_samples(base::Bytes{}).error(), Error::InvalidPayload);
  EXPECT_EQ((*d)->packet_samples(base::Bytes(5000, 0)).error(), Error::InvalidPayload);
}

TEST(Resampler, KeepsPitchAndLevelEveryWay) {
  for (auto [in, out] : std::vector<std::pair<uint32_t, uint32_t>>{
           {48000, 8000}, {8000, 48000}, {12000, 8000}, {16000, 8000}, {24000, 8000}, {8000, 8000}}) {
    Resampler r(in, out, 1);
    test::Sine sine(440, in, 1, 10000);
    std::vector<int16_t> y;
    for (int i = 0; i < 100; ++i) r.process(sine.next(in / 100), y);
    ASSERT_EQ(y.size(), out) << in << "->" << out;  // exactly a second
    const std::vector<double> tail(y.begin() + out / 10, y.end());
    EXPECT_NEAR(test::dominant_frequency(tail, out), 440, 1) << in << "->" << out;
    EXPECT_NEAR(test::rms(tail), 10000 / std::sqrt(2.0), 300) << in << "->" << out;
  }
}

TEST(Resampler, RemovesWhatWouldAlias) {
  // 6 kHz at 48 kHz would fold to 2 kHz at 8 kHz: the filter keeps it out.
  Resampler r(48000, 8000, 1);
  test::Sine sine(6000, 48000, 1, 10000);
  std::vector<int16_t> y;
  for (int i = 0; i < 50; ++i) r.process(sine.next(480), y);
  const std::vector<double> tail(y.begin() + 800, y.end());
  EXPECT_LT(test::rms(tail), 100);
}

TEST(Resampler, StreamsAsOneCall) {
  test::Sine sine(1000, 48000, 2, 9000);
  const auto pcm = sine.next(48000);
  Resampler whole(48000, 8000, 2), pieces(48000, 8000, 2);
  std::vector<int16_t> a, b;
  whole.process(pcm, a);
  for (size_t i = 0; i < pcm.size(); i += 960) pieces.process(std::span<const int16_t>(pcm).subspan(i, 960), b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 8000u * 2);
}

}  // namespace
}  // namespace wasmrtc::codec
