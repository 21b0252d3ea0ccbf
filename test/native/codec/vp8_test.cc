// VP8 encoder and decoder on libvpx (RFC 6386), realtime: a moving 640x480
// pattern survives 30 frames at > 30 dB; keyframes come first, on request
// and on schedule; a lower bitrate makes smaller frames; the resolution
// changes mid-stream; temporal layers can be dropped from the top; odd
// sizes work; corrupt, truncated and garbage frames are errors, never
// crashes, and leave the decoder waiting for a keyframe.
#include <gtest/gtest.h>

#include <random>

#include "codec/video.h"
#include "codec/vp8_decoder.h"
#include "codec/vp8_encoder.h"

namespace wasmrtc::codec {
namespace {

using test::moving_pattern;
using test::psnr;

std::unique_ptr<Vp8Encoder> make_encoder(VideoEncoderConfig config) {
  auto enc = Vp8Encoder::create(config);
  EXPECT_TRUE(enc.ok()) << to_string(enc.error());
  return enc.ok() ? std::move(*enc) : nullptr;
}

std::unique_ptr<Vp8Decoder> make_decoder() {
  auto dec = Vp8Decoder::create();
  EXPECT_TRUE(dec.ok());
  return dec.ok() ? std::move(*dec) : nullptr;
}

// Encodes frame n of the pattern; nullopt when rate control dropped it.
std::optional<EncodedVideo> encode(VideoEncoder& enc, uint32_t n, bool key = false) {
  const auto& c = enc.config();
  auto r = enc.encode(moving_pattern(c.width, c.height, n), key);
  EXPECT_TRUE(r.ok()) << to_string(r.error());
  return r.ok() ? *r : std::nullopt;
}

TEST(Vp8, ThirtyFramesRoundTripAbove30Db) {
  auto enc = make_encoder({.width = 640, .height = 480, .bitrate_bps = 1'500'000});
  auto dec = make_decoder();
  ASSERT_TRUE(enc && dec);
  EXPECT_TRUE(dec->needs_keyframe());
  uint64_t qp_sum = 0, encoded = 0;
  double worst = 1e9;
  for (uint32_t n = 0; n < 30; ++n) {
    auto out = encode(*enc, n);
    if (n == 0) {
      ASSERT_TRUE(out.has_value()) << "the first frame is never dropped";
      EXPECT_TRUE(out->keyframe);
      auto h = parse_vp8_frame_header(out->data);
      ASSERT_TRUE(h.ok());
      EXPECT_TRUE(h->keyframe);
      EXPECT_EQ(h->width, 640u);
      EXPECT_EQ(h->height, 480u);
    }
    if (!out) continue;
    if (n > 0) {
      EXPECT_FALSE(out->keyframe) << n;
    }
    EXPECT_EQ(out->width, 640u);
    EXPECT_EQ(out->height, 480u);
    EXPECT_GE(out->qp, 0);
    EXPECT_LE(out->qp, 127);
    EXPECT_EQ(out->temporal_id, 0);
    qp_sum += static_cast<uint64_t>(out->qp);
    ++encoded;
    auto frame = dec->decode(out->data);
    ASSERT_TRUE(frame.ok()) << n << ": " << to_string(frame.error());
    ASSERT_EQ(frame->width, 640u);
    ASSERT_EQ(frame->height, 480u);
    const double db = psnr(moving_pattern(640, 480, n), *frame);
    worst = std::min(worst, db);
    EXPECT_GT(db, 30.0) << "frame " << n;
  }
  EXPECT_FALSE(dec->needs_keyframe());
  EXPECT_GE(encoded, 25u);
  const auto& s = enc->stats();
  EXPECT_EQ(s.frames_in, 30u);
  EXPECT_EQ(s.frames_encoded, encoded);
  EXPECT_EQ(s.frames_dropped, 30u - encoded);
  EXPECT_EQ(s.keyframes, 1u);
  EXPECT_EQ(s.qp_sum, qp_sum);
  EXPECT_EQ(dec->stats().frames_decoded, encoded);
  EXPECT_EQ(dec->stats().keyframes_decoded, 1u);
  RecordProperty("worst_psnr_db", std::to_string(worst));
}

TEST(Vp8, ForcedAndScheduledKeyframes) {
  auto enc = make_encoder({.width = 320, .height = 240, .bitrate_bps = 800'000});
  ASSERT_TRUE(enc);
  for (uint32_t n = 0; n < 20; ++n) {
    const bool force = n == 7 || n == 8;
    auto out = encode(*enc, n, force);
    ASSERT_TRUE(out.has_value()) << n;
    EXPECT_EQ(out->keyframe, n == 0 || force) << n;
  }
  EXPECT_EQ(enc->stats().keyframes, 3u);

  auto periodic = make_encoder(
      {.width = 320, .height = 240, .bitrate_bps = 800'000, .keyframe_interval = 10});
  ASSERT_TRUE(periodic);
  for (uint32_t n = 0; n < 25; ++n) {
    auto out = encode(*periodic, n);
    ASSERT_TRUE(out.has_value()) << n;
    EXPECT_EQ(out->keyframe, n % 10 == 0) << n;
  }
}

TEST(Vp8, LowerBitrateMakesSmallerFrames) {
  auto enc = make_encoder({.width = 640, .height = 480, .bitrate_bps = 2'000'000});
  ASSERT_TRUE(enc);
  auto bytes_over = [&](uint32_t from, uint32_t frames) {
    size_t total = 0;
    for (uint32_t n = from; n < from + frames; ++n) {
      if (auto out = encode(*enc, n)) total += out->data.size();
    }
    return total;
  };
  bytes_over(0, 30);  // settle past the keyframe
  const size_t high = bytes_over(30, 30);
  ASSERT_TRUE(enc->set_rates(250'000, 30).ok());
  bytes_over(60, 30);
  const size_t low = bytes_over(90, 30);
  // One second each: close to the targets (CBR), and far apart.
  EXPECT_LT(low * 3, high) << "high " << high << " low " << low;
  EXPECT_LT(low, 250'000 / 8 * 3 / 2);
  EXPECT_EQ(enc->config().bitrate_bps, 250'000u);

  EXPECT_EQ(enc->set_rates(0, 30).error(), Error::BadBitrate);
  EXPECT_EQ(enc->set_rates(100'000, 0).error(), Error::BadFramerate);
}

TEST(Vp8, ResolutionChangeMidStream) {
  auto enc = make_encoder({.width = 640, .height = 480});
  auto dec = make_decoder();
  ASSERT_TRUE(enc && dec);
  for (uint32_t n = 0; n < 10; ++n) {
    auto out = encode(*enc, n);
    if (out) {
      ASSERT_TRUE(dec->decode(out->data).ok());
    }
  }
  ASSERT_TRUE(enc->set_resolution(320, 240).ok());
  EXPECT_EQ(enc->encode(moving_pattern(640, 480, 10)).error(), Error::BadResolution);
  for (uint32_t n = 10; n < 20; ++n) {
    auto out = encode(*enc, n);
    if (n == 10) {
      ASSERT_TRUE(out.has_value());
      EXPECT_TRUE(out->keyframe) << "a new resolution starts with a keyframe";
    }
    if (!out) continue;
    EXPECT_EQ(out->width, 320u);
    EXPECT_EQ(out->height, 240u);
    auto frame = dec->decode(out->data);
    ASSERT_TRUE(frame.ok()) << to_string(frame.error());
    EXPECT_EQ(frame->width, 320u);
    EXPECT_EQ(frame->height, 240u);
    EXPECT_GT(psnr(moving_pattern(320, 240, n), *frame), 30.0) << n;
  }
  EXPECT_EQ(enc->stats().keyframes, 2u);
  EXPECT_EQ(enc->set_resolution(0, 240).error(), Error::BadResolution);
  EXPECT_EQ(enc->set_resolution(16384, 240).error(), Error::BadResolution);
}

TEST(Vp8, OddSizes) {
  for (auto [w, h] : {std::pair{161u, 121u}, std::pair{33u, 17u}, std::pair{2u, 2u},
                      std::pair{1u, 1u}}) {
    auto enc = make_encoder({.width = w, .height = h, .bitrate_bps = 500'000});
    auto dec = make_decoder();
    ASSERT_TRUE(enc && dec);
    for (uint32_t n = 0; n < 5; ++n) {
      auto out = encode(*enc, n);
      if (!out) continue;
      auto frame = dec->decode(out->data);
      ASSERT_TRUE(frame.ok()) << w << "x" << h << ": " << to_string(frame.error());
      ASSERT_EQ(frame->width, w);
      ASSERT_EQ(frame->height, h);
      ASSERT_EQ(frame->i420.size(), i420_size(w, h));
      if (w > 16) {
        EXPECT_GT(psnr(moving_pattern(w, h, n), *frame), 28.0) << w << "x" << h;
      }
    }
  }
}

TEST(Vp8, TemporalLayersDropFromTheTop) {
  auto enc = make_encoder(
      {.width = 320, .height = 240, .bitrate_bps = 800'000, .temporal_layers = 3});
  ASSERT_TRUE(enc);
  auto base_only = make_decoder();   // keeps TL0
  auto two_layers = make_decoder();  // keeps TL0 and TL1
  auto all = make_decoder();
  const uint8_t expected_tid[] = {0, 2, 1, 2};
  for (uint32_t n = 0; n < 24; ++n) {
    auto out = encode(*enc, n);
    ASSERT_TRUE(out.has_value()) << n;
    EXPECT_EQ(out->temporal_id, expected_tid[n % 4]) << n;
    EXPECT_EQ(out->non_reference, out->temporal_id == 2) << n;
    // Right after the keyframe the upper layers read only base-layer
    // frames (the keyframe): they are layer syncs. Later TL2 frames read
    // the TL1 frame, later TL1 frames the TL1 before them.
    EXPECT_EQ(out->layer_sync, n == 1 || n == 2) << n;
    EXPECT_TRUE(all->decode(out->data).ok()) << n;
    if (out->temporal_id <= 1) {
      auto f = two_layers->decode(out->data);
      ASSERT_TRUE(f.ok()) << n << ": " << to_string(f.error());
      EXPECT_GT(psnr(moving_pattern(320, 240, n), *f), 30.0) << n;
    }
    if (out->temporal_id == 0) {
      auto f = base_only->decode(out->data);
      ASSERT_TRUE(f.ok()) << n << ": " << to_string(f.error());
      EXPECT_GT(psnr(moving_pattern(320, 240, n), *f), 30.0) << n;
    }
  }
  // A forced keyframe restarts the pattern on the base layer.
  auto key = encode(*enc, 24 + 1, true);  // position 1 of the pattern, made TL0
  ASSERT_TRUE(key.has_value());
  EXPECT_TRUE(key->keyframe);
  EXPECT_EQ(key->temporal_id, 0);
  auto next = encode(*enc, 26);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->temporal_id, 2);
  EXPECT_TRUE(next->layer_sync);
}

TEST(Vp8, BadConfigurations) {
  EXPECT_EQ(Vp8Encoder::create({.width = 0}).error(), Error::BadResolution);
  EXPECT_EQ(Vp8Encoder::create({.height = 16384}).error(), Error::BadResolution);
  EXPECT_EQ(Vp8Encoder::create({.framerate = 0}).error(), Error::BadFramerate);
  EXPECT_EQ(Vp8Encoder::create({.bitrate_bps = 0}).error(), Error::BadBitrate);
  EXPECT_EQ(Vp8Encoder::create({.temporal_layers = 4}).error(), Error::BadTemporalLayers);
  EXPECT_EQ(Vp8Encoder::create({.cpu_used = -17}).error(), Error::BadSpeed);
  auto enc = make_encoder({.width = 64, .height = 48});
  ASSERT_TRUE(enc);
  VideoFrame short_frame = VideoFrame::filled(64, 48);
  short_frame.i420.pop_back();
  EXPECT_EQ(enc->encode(short_frame).error(), Error::BadVideoFrame);
  EXPECT_EQ(enc->encode(VideoFrame::filled(48, 64)).error(), Error::BadResolution);
}

class Vp8Damage : public testing::Test {
 protected:
  void SetUp() override {
    auto enc = make_encoder({.width = 320, .height = 240, .bitrate_bps = 600'000});
    ASSERT_TRUE(enc);
    for (uint32_t n = 0; n < 12; ++n) {
      auto out = encode(*enc, n, n == 8);
      ASSERT_TRUE(out.has_value()) << n;
      frames_.push_back(std::move(*out));
    }
    ASSERT_TRUE(frames_[0].keyframe && frames_[8].keyframe && !frames_[1].keyframe);
    dec_ = make_decoder();
    ASSERT_TRUE(dec_);
  }

  // Garbage or truncation: an error, then delta frames are refused until
  // the keyframe at 8, after which everything decodes again.
  void expect_recovers_at_keyframe(uint32_t from) {
    EXPECT_TRUE(dec_->needs_keyframe());
    for (uint32_t n = from; n < frames_.size(); ++n) {
      auto f = dec_->decode(frames_[n].data);
      if (n < 8) {
        ASSERT_FALSE(f.ok()) << n;
        EXPECT_EQ(f.error(), Error::NeedsKeyframe) << n;
        EXPECT_TRUE(dec_->needs_keyframe());
      } else {
        ASSERT_TRUE(f.ok()) << n << ": " << to_string(f.error());
        EXPECT_FALSE(dec_->needs_keyframe());
        EXPECT_GT(psnr(moving_pattern(320, 240, n), *f), 30.0) << n;
      }
    }
  }

  std::vector<EncodedVideo> frames_;
  std::unique_ptr<Vp8Decoder> dec_;
};

TEST_F(Vp8Damage, DeltaBeforeAnyKeyframeIsRefused) {
  auto f = dec_->decode(frames_[1].data);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Error::NeedsKeyframe);
  EXPECT_EQ(dec_->stats().skipped, 1u);
  EXPECT_TRUE(dec_->decode(frames_[0].data).ok());
  EXPECT_TRUE(dec_->decode(frames_[1].data).ok());
}

TEST_F(Vp8Damage, TruncatedDeltaFrame) {
  for (uint32_t n = 0; n < 3; ++n) ASSERT_TRUE(dec_->decode(frames_[n].data).ok());
  const auto& whole = frames_[3].data;
  ASSERT_GT(whole.size(), 20u);
  auto f = dec_->decode(base::ByteView(whole).first(whole.size() / 2));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Error::InvalidPayload);
  EXPECT_EQ(dec_->stats().errors, 1u);
  expect_recovers_at_keyframe(4);
}

TEST_F(Vp8Damage, TruncatedKeyframe) {
  const auto& key = frames_[0].data;
  for (size_t len : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{9}, size_t{10},
                     key.size() / 4, key.size() / 2, key.size() - 1}) {
    auto f = dec_->decode(base::ByteView(key).first(len));
    EXPECT_FALSE(f.ok()) << len;
    EXPECT_TRUE(dec_->needs_keyframe()) << len;
  }
  expect_recovers_at_keyframe(1);
}

TEST_F(Vp8Damage, GarbageFrames) {
  for (uint32_t n = 0; n < 3; ++n) ASSERT_TRUE(dec_->decode(frames_[n].data).ok());
  // A keyframe tag without the start code (RFC 6386 9.1).
  base::Bytes fake_key(100, 0x00);
  auto f = dec_->decode(fake_key);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Error::InvalidPayload);
  expect_recovers_at_keyframe(3);

  // A delta tag whose first partition runs past the end.
  ASSERT_TRUE(dec_->decode(frames_[0].data).ok());
  base::Bytes ff(64, 0xff);
  f = dec_->decode(ff);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Error::InvalidPayload);
  EXPECT_TRUE(dec_->needs_keyframe());

  // Random bytes, some after a real keyframe header: errors or pictures,
  // never a crash; a keyframe always brings the decoder back.
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    base::Bytes junk(1 + rng() % 600);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    if (i % 3 == 0) {
      const auto& key = frames_[0].data;
      std::copy_n(key.begin(), std::min<size_t>(10 + rng() % 40, junk.size()), junk.begin());
    }
    if (i % 5 == 0 && junk.size() > 3) {
      junk[0] |= 1;  // a delta frame, after a keyframe
      ASSERT_TRUE(dec_->decode(frames_[0].data).ok());
    }
    (void)dec_->decode(junk);
    auto good = dec_->decode(frames_[8].data);
    ASSERT_TRUE(good.ok()) << i;
  }
}

TEST(Vp8FrameHeader, Parse) {
  // RFC 6386 9.1: the frame tag and keyframe start code, little-endian.
  // Keyframe, version 0, shown, first partition 0x123 bytes, 640x480.
  const uint32_t tag = 0u | (0u << 1) | (1u << 4) | (0x123u << 5);
  base::Bytes key = {static_cast<uint8_t>(tag), static_cast<uint8_t>(tag >> 8),
                     static_cast<uint8_t>(tag >> 16), 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x41};
  auto h = parse_vp8_frame_header(key);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->keyframe);
  EXPECT_TRUE(h->show_frame);
  EXPECT_EQ(h->first_partition_size, 0x123u);
  EXPECT_EQ(h->width, 640u);
  EXPECT_EQ(h->height, 480u);
  EXPECT_EQ(h->vertical_scale, 1);
  key[3] = 0x9c;
  EXPECT_FALSE(parse_vp8_frame_header(key).ok());
  const base::Bytes delta = {0x31, 0x02, 0x00};
  h = parse_vp8_frame_header(delta);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->keyframe);
  EXPECT_EQ(h->first_partition_size, 0x31u >> 5 | 0x02u << 3);
  EXPECT_FALSE(parse_vp8_frame_header(base::ByteView(delta).first(2)).ok());
}

}  // namespace
}  // namespace wasmrtc::codec
