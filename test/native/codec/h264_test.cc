// H.264 encoder and decoder on OpenH264: a moving 640x480 pattern survives
// 30 frames at > 30 dB; the stream is Annex B with SPS and PPS before the
// IDR; keyframes come first and on request; the bitrate steers the frame
// size; the resolution changes mid-stream; odd sizes are cropped to even;
// garbage, truncated frames and delta frames without a keyframe are
// errors, never crashes, and leave the decoder waiting for a keyframe.
#include <gtest/gtest.h>

#include "codec/h264_bitstream.h"
#include "codec/h264_decoder.h"
#include "codec/h264_encoder.h"
#include "codec/h264_syntax.h"
#include "codec/video.h"

namespace wasmrtc::codec {
namespace {

using test::moving_pattern;
using test::psnr;

std::unique_ptr<H264Encoder> make_encoder(VideoEncoderConfig config) {
  auto enc = H264Encoder::create(config);
  EXPECT_TRUE(enc.ok()) << to_string(enc.error());
  return enc.ok() ? std::move(*enc) : nullptr;
}

std::unique_ptr<H264Decoder> make_decoder() {
  auto dec = H264Decoder::create();
  EXPECT_TRUE(dec.ok());
  return dec.ok() ? std::move(*dec) : nullptr;
}

std::optional<EncodedVideo> encode(VideoEncoder& enc, uint32_t n, bool key = false) {
  const auto& c = enc.config();
  auto r = enc.encode(moving_pattern(c.width, c.height, n), key);
  EXPECT_TRUE(r.ok()) << to_string(r.error());
  return r.ok() ? *r : std::nullopt;
}

std::vector<H264NalType> nal_types(const base::Bytes& frame) {
  std::vector<H264NalType> out;
  for (auto nal : split_annex_b(frame)) out.push_back(h264_nal_type(nal[0]));
  return out;
}

TEST(H264, ThirtyFramesRoundTripAbove30Db) {
  auto enc = make_encoder({.width = 640, .height = 480, .bitrate_bps = 1'500'000});
  auto dec = make_decoder();
  ASSERT_TRUE(enc && dec);
  EXPECT_TRUE(dec->needs_keyframe());
  uint32_t encoded = 0;
  for (uint32_t n = 0; n < 30; ++n) {
    auto out = encode(*enc, n);
    if (n == 0) {
      ASSERT_TRUE(out.has_value()) << "the first frame is never dropped";
      EXPECT_TRUE(out->keyframe);
      const auto types = nal_types(out->data);
      ASSERT_GE(types.size(), 3u);
      EXPECT_EQ(types[0], H264NalType::Sps);
      EXPECT_EQ(types[1], H264NalType::Pps);
      EXPECT_EQ(types.back(), H264NalType::IdrSlice);
      // Constrained Baseline: profile_idc 66 with constraint_set1.
      const auto sps = split_annex_b(out->data)[0];
      ASSERT_GE(sps.size(), 4u);
      EXPECT_EQ(sps[1], 66);
      EXPECT_TRUE(sps[2] & 0x40);
    }
    if (!out) continue;
    if (n > 0) {
      EXPECT_FALSE(out->keyframe) << n;
      for (auto t : nal_types(out->data)) EXPECT_EQ(t, H264NalType::Slice) << n;
    }
    EXPECT_EQ(out->width, 640u);
    EXPECT_EQ(out->height, 480u);
    EXPECT_GE(out->qp, 10);  // read from the slice header (0-51)
    EXPECT_LE(out->qp, 51);
    ++encoded;
    auto frame = dec->decode(out->data);
    ASSERT_TRUE(frame.ok()) << n << ": " << to_string(frame.error());
    ASSERT_EQ(frame->width, 640u);
    ASSERT_EQ(frame->height, 480u);
    EXPECT_GT(psnr(moving_pattern(640, 480, n), *frame), 30.0) << "frame " << n;
  }
  EXPECT_FALSE(dec->needs_keyframe());
  EXPECT_GE(encoded, 25u);
  EXPECT_EQ(enc->stats().frames_encoded, encoded);
  EXPECT_EQ(enc->stats().keyframes, 1u);
  EXPECT_EQ(enc->stats().qp_frames, encoded);
  EXPECT_EQ(dec->stats().frames_decoded, encoded);
  EXPECT_EQ(dec->stats().keyframes_decoded, 1u);
}

TEST(H264, KeyframeOnRequestAndDecoderStartsThere) {
  auto enc = make_encoder({.width = 320, .height = 240, .bitrate_bps = 500'000});
  auto dec = make_decoder();
  ASSERT_TRUE(enc && dec);
  std::vector<EncodedVideo> frames;
  for (uint32_t n = 0; n < 10; ++n) {
    auto out = encode(*enc, n, /*key=*/n == 6);
    ASSERT_TRUE(out.has_value()) << n;
    EXPECT_EQ(out->keyframe, n == 0 || n == 6) << n;
    frames.push_back(std::move(*out));
  }
  // A decoder that missed the start refuses delta frames, then starts at
  // the requested keyframe.
  for (uint32_t n = 1; n < 6; ++n) {
    auto f = dec->decode(frames[n].data);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error(), Error::NeedsKeyframe);
  }
  EXPECT_EQ(dec->stats().skipped, 5u);
  for (uint32_t n = 6; n < 10; ++n) {
    auto f = dec->decode(frames[n].data);
    ASSERT_TRUE(f.ok()) << n << ": " << to_string(f.error());
    EXPECT_GT(psnr(moving_pattern(320, 240, n), *f), 28.0) << n;
  }
}

TEST(H264, BitrateSteersFrameSize) {
  auto low = make_encoder({.width = 640, .height = 480, .bitrate_bps = 150'000});
  auto high = make_encoder({.width = 640, .height = 480, .bitrate_bps = 2'000'000});
  ASSERT_TRUE(low && high);
  size_t low_bytes = 0, high_bytes = 0;
  for (uint32_t n = 0; n < 30; ++n) {
    if (auto o = encode(*low, n)) low_bytes += o->data.size();
    if (auto o = encode(*high, n)) high_bytes += o->data.size();
  }
  EXPECT_LT(low_bytes * 3, high_bytes);
  // And set_rates takes effect mid-stream.
  ASSERT_TRUE(high->set_rates(150'000, 30).ok());
  size_t after = 0;
  for (uint32_t n = 30; n < 60; ++n)
    if (auto o = encode(*high, n)) after += o->data.size();
  EXPECT_LT(after * 2, high_bytes);
}

// The QP read from the bitstream follows the rate: a starved encoder codes
// coarser than a generous one; the parser needs the parameter sets first.
TEST(H264, QpFromTheSliceHeaderFollowsTheBitrate) {
  auto low = make_encoder({.width = 640, .height = 480, .bitrate_bps = 250'000});
  auto high = make_encoder({.width = 640, .height = 480, .bitrate_bps = 4'000'000});
  ASSERT_TRUE(low && high);
  std::vector<base::Bytes> low_frames;
  for (uint32_t n = 0; n < 30; ++n) {
    if (auto o = encode(*low, n)) low_frames.push_back(o->data);
    encode(*high, n);
  }
  ASSERT_GT(low->stats().qp_frames, 5u);
  ASSERT_GT(high->stats().qp_frames, 10u);
  const double low_mean = double(low->stats().qp_sum) / double(low->stats().qp_frames);
  const double high_mean = double(high->stats().qp_sum) / double(high->stats().qp_frames);
  EXPECT_GT(low_mean, high_mean + 5) << low_mean << " vs " << high_mean;
  // A parser that has not seen the keyframe's SPS/PPS cannot read a delta frame.
  H264QpParser fresh;
  EXPECT_FALSE(fresh.parse(low_frames[1]).has_value());
  EXPECT_TRUE(fresh.parse(low_frames[0]).has_value());
  EXPECT_TRUE(fresh.parse(low_frames[1]).has_value());
  EXPECT_FALSE(fresh.parse(base::Bytes{0, 0, 1, 0x65, 0xff}).has_value());  // truncated slice
}

TEST(H264, ResolutionChangeAndOddSizes) {
  auto enc = make_encoder({.width = 321, .height = 241});
  auto dec = make_decoder();
  ASSERT_TRUE(enc && dec);
  auto out = encode(*enc, 0);
  ASSERT_TRUE(out && out->keyframe);
  auto f = dec->decode(out->data);
  ASSERT_TRUE(f.ok()) << to_string(f.error());
  EXPECT_EQ(f->width, 320u);  // the odd column and row left out
  EXPECT_EQ(f->height, 240u);
  // The SPS says so too (240 is 15 macroblock rows: no cropping).
  auto size = h264_picture_size(out->data);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 320u);
  EXPECT_EQ(size->height, 240u);
  ASSERT_TRUE(enc->set_resolution(160, 120).ok());
  out = encode(*enc, 1);
  ASSERT_TRUE(out && out->keyframe);
  // 120 rows are 7.5 macroblocks: coded as 128, cropped by 4 chroma rows.
  size = h264_picture_size(out->data);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 160u);
  EXPECT_EQ(size->height, 120u);
  EXPECT_FALSE(h264_picture_size(base::Bytes{0, 0, 1, 0x67, 0x42}).has_value());  // truncated SPS
  f = dec->decode(out->data);
  ASSERT_TRUE(f.ok()) << to_string(f.error());
  EXPECT_EQ(f->width, 160u);
  EXPECT_EQ(f->height, 120u);
}

TEST(H264, BadInputIsAnError) {
  EXPECT_EQ(H264Encoder::create({.width = 0, .height = 480}).error(), Error::BadResolution);
  EXPECT_EQ(H264Encoder::create({.width = 8192, .height = 480}).error(), Error::BadResolution);
  EXPECT_EQ(H264Encoder::create({.width = 640, .height = 480, .framerate = 0}).error(), Error::BadFramerate);
  EXPECT_EQ(H264Encoder::create({.width = 640, .height = 480, .bitrate_bps = 0}).error(), Error::BadBitrate);
  auto enc = make_encoder({.width = 320, .height = 240});
  ASSERT_TRUE(enc);
  EXPECT_EQ(enc->encode(moving_pattern(160, 120, 0)).error(), Error::BadResolution);

  auto dec = make_decoder();
  ASSERT_TRUE(dec);
  EXPECT_EQ(dec->decode(base::Bytes{}).error(), Error::InvalidPayload);
  EXPECT_EQ(dec->decode(base::Bytes{1, 2, 3, 4, 5}).error(), Error::InvalidPayload);
  // A keyframe cut short, and one with its slice data overwritten.
  auto key = encode(*enc, 0);
  ASSERT_TRUE(key && key->keyframe);
  base::Bytes cut(key->data.begin(), key->data.begin() + static_cast<std::ptrdiff_t>(key->data.size() / 2));
  (void)dec->decode(cut);  // an error, or a damaged picture; never a crash
  base::Bytes garbage = key->data;
  for (size_t i = garbage.size() / 2; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 31);
  (void)dec->decode(garbage);
  // The genuine keyframe still decodes afterwards.
  auto f = dec->decode(key->data);
  ASSERT_TRUE(f.ok()) << to_string(f.error());
  EXPECT_EQ(f->width, 320u);
}

}  // namespace
}  // namespace wasmrtc::codec
