// Opus encoder and decoder (RFC 6716, RTP packetization of RFC 7587): a
// 440 Hz tone survives the round trip at every packet time, mono and
// stereo; in-band FEC recovers a lost packet better than concealment;
// DTX makes silence tiny; bad configurations and garbage are errors.
#include <gtest/gtest.h>

#include <random>

#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "codec/signal.h"

namespace wasmrtc::codec {
namespace {

using test::Sine;

// Encodes `ms` of the tone; returns the payloads.
std::vector<EncodedAudio> encode_tone(AudioEncoder& enc, Sine& tone, uint32_t ms) {
  std::vector<EncodedAudio> packets;
  for (uint32_t t = 0; t < ms; t += 10) {
    auto pcm = tone.next(enc.frame_samples());
    auto r = enc.encode(pcm);
    EXPECT_TRUE(r.ok()) << to_string(r.error());
    if (r.ok() && r->has_value()) packets.push_back(std::move(**r));
  }
  return packets;
}

std::vector<int16_t> decode_all(AudioDecoder& dec, const std::vector<EncodedAudio>& packets) {
  std::vector<int16_t> out;
  std::vector<int16_t> buf(5760 * 2);
  for (const auto& p : packets) {
    auto n = dec.decode(p.payload, buf);
    EXPECT_TRUE(n.ok()) << to_string(n.error());
    if (n.ok()) out.insert(out.end(), buf.begin(), buf.begin() + *n * dec.channels());
  }
  return out;
}

struct RoundTrip {
  uint8_t channels;
  uint32_t ptime_ms;
};

class OpusRoundTrip : public testing::TestWithParam<RoundTrip> {};

TEST_P(OpusRoundTrip, ToneKeepsFrequencyAndEnergy) {
  const auto [channels, ptime] = GetParam();
  auto enc = OpusEncoder::create({.channels = channels, .ptime_ms = ptime});
  ASSERT_TRUE(enc.ok()) << to_string(enc.error());
  auto dec = OpusDecoder::create(48000, channels);
  ASSERT_TRUE(dec.ok());
  Sine tone(440, 48000, channels);
  auto packets = encode_tone(**enc, tone, 1200);

  // One packet per ptime, each advancing the 48 kHz RTP clock by ptime.
  ASSERT_EQ(packets.size(), 1200 / ptime);
  for (const auto& p : packets) {
    EXPECT_EQ(p.samples, 48 * ptime);
    EXPECT_FALSE(p.dtx);
    EXPECT_EQ((*dec)->packet_samples(p.payload).value(), 48 * ptime);
  }
  auto pcm = decode_all(**dec, packets);
  ASSERT_EQ(pcm.size(), 1200u * 48 * channels);

  // Past the codec's start-up (lookahead and the first frames' ramp).
  for (uint8_t c = 0; c < channels; ++c) {
    auto x = test::channel(pcm, channels, c);
    std::span<const double> steady(x.begin() + 9600, x.end());
    EXPECT_NEAR(test::dominant_frequency(steady, 48000), 440, 1.0) << "channel " << int(c);
    // A 10000-amplitude sine has an RMS of 7071.
    EXPECT_NEAR(test::rms(steady), 7071, 1000) << "channel " << int(c);
  }
}

INSTANTIATE_TEST_SUITE_P(codec, OpusRoundTrip,
                         testing::Values(RoundTrip{1, 10}, RoundTrip{1, 20}, RoundTrip{1, 60},
                                         RoundTrip{2, 10}, RoundTrip{2, 20}, RoundTrip{2, 60}),
                         [](const auto& info) {
                           return std::string(info.param.channels == 1 ? "Mono" : "Stereo") +
                                  std::to_string(info.param.ptime_ms) + "ms";
                         });

TEST(codec_Opus, DecodesToAnotherRateAndChannelCount) {
  auto enc = OpusEncoder::create({.channels = 2});
  auto dec = OpusDecoder::create(16000, 1);
  ASSERT_TRUE(enc.ok() && dec.ok());
  Sine tone(440, 48000, 2);
  auto packets = encode_tone(**enc, tone, 600);
  EXPECT_EQ((*dec)->packet_samples(packets[0].payload).value(), 320u);  // 20 ms at 16 kHz
  auto pcm = decode_all(**dec, packets);
  ASSERT_EQ(pcm.size(), 600u * 16);
  std::vector<double> x(pcm.begin() + 3200, pcm.end());
  EXPECT_NEAR(test::dominant_frequency(x, 16000), 440, 1.0);
}

TEST(codec_Opus, EncoderTakesExactlyTenMilliseconds) {
  auto enc = OpusEncoder::create({.sample_rate = 16000, .channels = 2});
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ((*enc)->frame_samples(), 160u);
  std::vector<int16_t> pcm(320);
  EXPECT_TRUE((*enc)->encode(pcm).ok());
  EXPECT_EQ((*enc)->encode(std::span<const int16_t>(pcm).first(319)).error(), Error::BadFrameSize);
  pcm.resize(640);
  EXPECT_EQ((*enc)->encode(pcm).error(), Error::BadFrameSize);
}

TEST(codec_Opus, RejectsBadConfigurations) {
  EXPECT_EQ(OpusEncoder::create({.sample_rate = 44100}).error(), Error::BadSampleRate);
  EXPECT_EQ(OpusEncoder::create({.channels = 0}).error(), Error::BadChannels);
  EXPECT_EQ(OpusEncoder::create({.channels = 3}).error(), Error::BadChannels);
  EXPECT_EQ(OpusEncoder::create({.ptime_ms = 30}).error(), Error::BadPtime);
  EXPECT_EQ(OpusEncoder::create({.ptime_ms = 120}).error(), Error::BadPtime);
  EXPECT_EQ(OpusEncoder::create({.bitrate_bps = 5999}).error(), Error::BadBitrate);
  EXPECT_EQ(OpusEncoder::create({.bitrate_bps = 510001}).error(), Error::BadBitrate);
  EXPECT_EQ(OpusEncoder::create({.expected_loss_percent = 101}).error(), Error::BadLossPercent);
  EXPECT_EQ(OpusDecoder::create(22050, 1).error(), Error::BadSampleRate);
  EXPECT_EQ(OpusDecoder::create(48000, 3).error(), Error::BadChannels);
  EXPECT_EQ(to_string(Error::BadPtime), "BadPtime");

  auto enc = OpusEncoder::create({});
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ((*enc)->set_bitrate(1000).error(), Error::BadBitrate);
  EXPECT_EQ((*enc)->set_expected_loss(200).error(), Error::BadLossPercent);
  EXPECT_TRUE((*enc)->set_bitrate(0).ok());
  EXPECT_TRUE((*enc)->set_bitrate(24000).ok());
  EXPECT_EQ((*enc)->config().bitrate_bps, 24000u);
}

TEST(codec_Opus, BitrateChangesPacketSize) {
  auto enc = OpusEncoder::create({.bitrate_bps = 64000, .cbr = true});
  ASSERT_TRUE(enc.ok());
  Sine tone(440, 48000, 1);
  auto high = encode_tone(**enc, tone, 200);
  ASSERT_TRUE((*enc)->set_bitrate(12000).ok());
  auto low = encode_tone(**enc, tone, 200);
  // CBR: 20 ms at 64 kbit/s is 160 bytes, at 12 kbit/s 30 bytes.
  EXPECT_NEAR(high.back().payload.size(), 160, 8);
  EXPECT_NEAR(low.back().payload.size(), 30, 4);
}

// A lost packet recovered from the LBRR copy in the next one is closer to
// what the packet itself would have given than concealment is.
TEST(codec_Opus, FecRecoversLostPacketBetterThanConcealment) {
  auto enc = OpusEncoder::create({.bitrate_bps = 32000, .fec = true, .expected_loss_percent = 20});
  ASSERT_TRUE(enc.ok());
  // A phase-continuous sweep (like a voice's pitch moving), so that
  // concealment, which repeats the last pitch period, drifts off it.
  std::vector<EncodedAudio> packets;
  double phase = 0;
  for (int frame = 0; frame < 100; ++frame) {
    std::vector<int16_t> pcm(480);
    for (int i = 0; i < 480; ++i) {
      const double t = (frame * 480 + i) / 48000.0;
      phase += 2 * M_PI * (200 + 400 * t) / 48000;
      pcm[i] = static_cast<int16_t>(8000 * std::sin(phase));
    }
    auto r = (*enc)->encode(pcm);
    ASSERT_TRUE(r.ok());
    if (r->has_value()) packets.push_back(std::move(**r));
  }
  auto fec_dec = OpusDecoder::create();
  ASSERT_TRUE(fec_dec.ok());
  int with_fec = 0;
  for (const auto& p : packets) with_fec += (*fec_dec)->has_fec(p.payload);
  EXPECT_GE(with_fec, 45) << "LBRR expected in (almost) every packet";

  const size_t lost = 30;
  auto clean = OpusDecoder::create();
  auto plc = OpusDecoder::create();
  std::vector<int16_t> buf(960), reference, recovered, concealed;
  for (size_t i = 0; i < lost; ++i) {
    ASSERT_TRUE((*clean)->decode(packets[i].payload, buf).ok());
    ASSERT_TRUE((*fec_dec)->decode(packets[i].payload, buf).ok());
    ASSERT_TRUE((*plc)->decode(packets[i].payload, buf).ok());
  }
  ASSERT_EQ((*clean)->decode(packets[lost].payload, buf).value(), 960u);
  reference.assign(buf.begin(), buf.end());
  ASSERT_EQ((*fec_dec)->decode_fec(packets[lost + 1].payload, 960, buf).value(), 960u);
  recovered.assign(buf.begin(), buf.end());
  ASSERT_EQ((*plc)->conceal(960, buf).value(), 960u);
  concealed.assign(buf.begin(), buf.end());

  const double fec_error = test::error_db(reference, recovered);
  const double plc_error = test::error_db(reference, concealed);
  EXPECT_LT(fec_error, plc_error - 3) << "fec " << fec_error << " dB, plc " << plc_error << " dB";
  EXPECT_LT(fec_error, -3);
  // And the next packet decodes normally after the recovery.
  EXPECT_EQ((*fec_dec)->decode(packets[lost + 1].payload, buf).value(), 960u);
}

TEST(codec_Opus, NoFecWithoutFecOrExpectedLoss) {
  for (auto config : {AudioEncoderConfig{.bitrate_bps = 32000, .fec = false, .expected_loss_percent = 20},
                      AudioEncoderConfig{.bitrate_bps = 32000, .fec = true, .expected_loss_percent = 0}}) {
    auto enc = OpusEncoder::create(config);
    auto dec = OpusDecoder::create();
    Sine tone(440, 48000, 1);
    for (const auto& p : encode_tone(**enc, tone, 400)) EXPECT_FALSE((*dec)->has_fec(p.payload));
  }
  // Runtime switch on: LBRR appears.
  auto enc = OpusEncoder::create({.bitrate_bps = 32000});
  auto dec = OpusDecoder::create();
  ASSERT_TRUE((*enc)->set_fec(true).ok());
  ASSERT_TRUE((*enc)->set_expected_loss(10).ok());
  Sine tone(440, 48000, 1);
  auto packets = encode_tone(**enc, tone, 400);
  EXPECT_TRUE((*dec)->has_fec(packets.back().payload));
}

TEST(codec_Opus, DtxMakesSilenceTiny) {
  auto enc = OpusEncoder::create({.dtx = true});
  ASSERT_TRUE(enc.ok());
  Sine tone(440, 48000, 1);
  auto speech = encode_tone(**enc, tone, 400);
  for (const auto& p : speech) EXPECT_FALSE(p.dtx);

  std::vector<int16_t> silence(480);
  std::vector<EncodedAudio> quiet;
  for (int i = 0; i < 200; ++i) {  // 2 s
    auto r = (*enc)->encode(silence);
    ASSERT_TRUE(r.ok());
    if (r->has_value()) quiet.push_back(std::move(**r));
  }
  ASSERT_EQ(quiet.size(), 100u);
  int dtx = 0;
  for (size_t i = 20; i < quiet.size(); ++i) {  // after the encoder's hangover
    if (quiet[i].dtx) {
      ++dtx;
      EXPECT_LE(quiet[i].payload.size(), 2u);
    }
    EXPECT_EQ(quiet[i].samples, 960u);  // the timestamp still advances
  }
  EXPECT_GE(dtx, 60);

  // The decoder turns DTX packets into (comfort) silence, of the right length.
  auto dec = OpusDecoder::create();
  std::vector<int16_t> buf(960);
  for (const auto& p : quiet) ASSERT_EQ((*dec)->decode(p.payload, buf).value(), 960u);
  EXPECT_LT(test::rms(buf), 100);

  // Without DTX, silence still costs real packets.
  auto plain = OpusEncoder::create({});
  for (int i = 0; i < 100; ++i) {
    auto r = (*plain)->encode(silence);
    ASSERT_TRUE(r.ok());
    if (r->has_value()) {
      EXPECT_FALSE((*r)->dtx);
    }
  }
}

TEST(codec_Opus, ConcealmentContinuesAndFades) {
  auto enc = OpusEncoder::create({});
  auto dec = OpusDecoder::create();
  Sine tone(440, 48000, 1);
  std::vector<int16_t> buf(5760);
  for (const auto& p : encode_tone(**enc, tone, 400)) ASSERT_TRUE((*dec)->decode(p.payload, buf).ok());
  ASSERT_EQ((*dec)->conceal(480, buf).value(), 480u);
  const double first = test::rms(std::span<const int16_t>(buf).first(480));
  EXPECT_GT(first, 2000);  // continues the tone
  for (int i = 0; i < 30; ++i) ASSERT_TRUE((*dec)->conceal(480, buf).ok());
  EXPECT_LT(test::rms(std::span<const int16_t>(buf).first(480)), first / 4);  // faded
}

TEST(codec_Opus, ConcealAndFecDurationsMustBeWholeQuarterFrames) {
  auto dec = OpusDecoder::create();
  std::vector<int16_t> buf(5760);
  EXPECT_EQ((*dec)->conceal(0, buf).error(), Error::BadFrameSize);
  EXPECT_EQ((*dec)->conceal(100, buf).error(), Error::BadFrameSize);     // not 2.5 ms steps
  EXPECT_EQ((*dec)->conceal(5760 + 120, buf).error(), Error::BadFrameSize);  // > 120 ms
  EXPECT_EQ((*dec)->conceal(120, buf).value(), 120u);
  EXPECT_EQ((*dec)->conceal(960, std::span<int16_t>(buf).first(959)).error(), Error::BufferTooSmall);
  const uint8_t packet[] = {0x78, 0x01, 0x02};  // CELT FB 20 ms
  EXPECT_EQ((*dec)->decode_fec(packet, 100, buf).error(), Error::BadFrameSize);
  EXPECT_EQ((*dec)->decode_fec({}, 960, buf).error(), Error::InvalidPayload);
}

TEST(codec_Opus, MalformedPayloadsAreErrors) {
  auto dec = OpusDecoder::create(48000, 2);
  ASSERT_TRUE(dec.ok());
  std::vector<int16_t> buf(5760 * 2);
  const std::vector<std::vector<uint8_t>> bad = {
      {},                  // no TOC byte (RFC 6716 3.1)
      {0x03},              // code 3 without the frame count byte (R6)
      {0x03, 0x00},        // code 3 with 0 frames (R5)
      {0x03, 0x31},        // code 3: 49 frames of 20 ms, over 120 ms (R5)
      {0x01, 0x01},        // code 1: two equal frames from an odd byte count (R3)
      {0x02, 0xff},        // code 2: truncated two-byte length (R4)
      {0x02, 0x05, 0x00},  // code 2: first frame length past the end (R4)
      {0x0b, 0x83, 0x01},  // code 3 VBR: lengths past the end (R6)
  };
  for (const auto& p : bad) {
    EXPECT_FALSE((*dec)->packet_samples(p).ok()) << base::to_hex(p);
    auto r = (*dec)->decode(p, buf);
    ASSERT_FALSE(r.ok()) << base::to_hex(p);
    EXPECT_EQ(r.error(), Error::InvalidPayload) << base::to_hex(p);
    EXPECT_FALSE((*dec)->has_fec(p));
  }
  // The decoder is still usable afterwards.
  auto enc = OpusEncoder::create({.channels = 2});
  Sine tone(440, 48000, 2);
  auto packets = encode_tone(**enc, tone, 100);
  EXPECT_EQ((*dec)->decode(packets.back().payload, buf).value(), 960u);
  // And too small an output buffer is reported, not overrun.
  EXPECT_EQ((*dec)->decode(packets.back().payload, std::span<int16_t>(buf).first(1919)).error(),
            Error::BufferTooSmall);
}

TEST(codec_Opus, RandomBytesNeverCrash) {
  auto dec = OpusDecoder::create(48000, 2);
  std::mt19937 rng(7);
  std::vector<int16_t> buf(5760 * 2);
  int decoded = 0;
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> p(rng() % 200);
    for (auto& b : p) b = static_cast<uint8_t>(rng());
    auto n = (*dec)->packet_samples(p);
    auto r = (*dec)->decode(p, buf);
    EXPECT_EQ(n.ok(), r.ok());
    if (r.ok()) {
      EXPECT_EQ(*r, *n);
      ++decoded;
    }
    (void)(*dec)->has_fec(p);
    if (n.ok() && *n <= 5760) (void)(*dec)->decode_fec(p, *n, buf);
  }
  EXPECT_GT(decoded, 100);  // most random code 0 packets are valid Opus
}

}  // namespace
}  // namespace wasmrtc::codec
