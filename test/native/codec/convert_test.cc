// RGBA <-> I420 (BT.601 limited range, the matrix of libyuv's ABGRToI420 and
// I420ToABGR): known colours land on the studio-swing values, a round trip
// of a smooth image changes little, odd sizes round chroma up.
#include <gtest/gtest.h>

#include <cstdlib>

#include "codec/convert.h"
#include "codec/video.h"

namespace wasmrtc::codec {
namespace {

base::Bytes solid_rgba(uint32_t w, uint32_t h, uint8_t r, uint8_t g, uint8_t b) {
  base::Bytes out;
  for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) out.insert(out.end(), {r, g, b, 7});
  return out;
}

TEST(Convert, KnownColours) {
  struct Case {
    uint8_t r, g, b, y, u, v;
  };
  // Values libyuv's RGBToY/U/V give.
  for (const Case& c : {Case{0, 0, 0, 16, 128, 128}, Case{255, 255, 255, 235, 128, 128},
                        Case{255, 0, 0, 82, 90, 240}, Case{0, 255, 0, 144, 54, 34},
                        Case{0, 0, 255, 41, 240, 110}}) {
    auto f = rgba_to_i420(solid_rgba(4, 2, c.r, c.g, c.b), 4, 2);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->y()[0], c.y) << int(c.r) << "," << int(c.g) << "," << int(c.b);
    EXPECT_EQ(f->u()[0], c.u);
    EXPECT_EQ(f->v()[0], c.v);
    auto back = i420_to_rgba(*f);
    ASSERT_TRUE(back.ok());
    EXPECT_NEAR((*back)[0], c.r, 2);
    EXPECT_NEAR((*back)[1], c.g, 2);
    EXPECT_NEAR((*back)[2], c.b, 2);
    EXPECT_EQ((*back)[3], 255);
  }
}

TEST(Convert, RoundTripOfSmoothImageIsClose) {
  for (auto [w, h] : {std::pair{64u, 48u}, std::pair{33u, 17u}, std::pair{1u, 1u}}) {
    base::Bytes rgba;
    for (uint32_t y = 0; y < h; ++y) {
      for (uint32_t x = 0; x < w; ++x) {
        rgba.insert(rgba.end(), {static_cast<uint8_t>(40 + x * 150 / w),
                                 static_cast<uint8_t>(60 + y * 150 / h),
                                 static_cast<uint8_t>(200 - (x + y) * 100 / (w + h)), 255});
      }
    }
    auto f = rgba_to_i420(rgba, w, h);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->i420.size(), i420_size(w, h));
    auto back = i420_to_rgba(*f);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), rgba.size());
    int worst = 0;
    double sum = 0;
    for (size_t i = 0; i < rgba.size(); ++i) {
      const int d = std::abs(int((*back)[i]) - int(rgba[i]));
      worst = std::max(worst, d);
      sum += d;
    }
    EXPECT_LE(worst, 8) << w << "x" << h;
    EXPECT_LT(sum / static_cast<double>(rgba.size()), 2.0) << w << "x" << h;
  }
}

TEST(Convert, I420RoundTripThroughRgba) {
  // YUV that came from RGB (in gamut) survives RGBA and back within rounding.
  base::Bytes rgba;
  for (uint32_t i = 0; i < 35 * 21; ++i) {
    rgba.insert(rgba.end(), {static_cast<uint8_t>(i * 7), static_cast<uint8_t>(i / 3),
                             static_cast<uint8_t>(255 - i % 200), 255});
  }
  auto src = rgba_to_i420(rgba, 35, 21);
  ASSERT_TRUE(src.ok());
  auto again = i420_to_rgba(*src);
  ASSERT_TRUE(again.ok());
  auto back = rgba_to_i420(*again, 35, 21);
  ASSERT_TRUE(back.ok());
  EXPECT_GT(test::psnr(*src, *back), 40.0);
}

TEST(Convert, OddSizeChromaCoversTheEdge) {
  // 3x3: chroma 2x2; the right column and bottom row have chroma of their own.
  base::Bytes rgba = solid_rgba(3, 3, 0, 0, 0);
  for (uint32_t y = 0; y < 3; ++y) {
    uint8_t* p = &rgba[(y * 3 + 2) * 4];
    p[0] = 255;  // right column red
  }
  auto f = rgba_to_i420(rgba, 3, 3);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->u().size(), 4u);
  EXPECT_EQ(f->v()[0], 128);  // the black 2x2 block
  EXPECT_EQ(f->v()[1], 240);  // the red column's own chroma
  EXPECT_EQ(f->v()[3], 240);
}

TEST(Convert, SizeMismatchIsAnError) {
  EXPECT_EQ(rgba_to_i420(base::Bytes(15), 2, 2).error(), Error::BadVideoFrame);
  EXPECT_EQ(rgba_to_i420({}, 0, 2).error(), Error::BadResolution);
  VideoFrame f = VideoFrame::filled(4, 4);
  f.i420.pop_back();
  EXPECT_EQ(i420_to_rgba(f).error(), Error::BadVideoFrame);
}

}  // namespace
}  // namespace wasmrtc::codec
