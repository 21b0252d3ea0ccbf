// Synthetic test video shared by the codec tests: a moving pattern with
// smooth gradients, edges and some texture (so rate control and motion
// search have work to do), and PSNR to measure what survived a codec.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "codec/video_frame.h"

namespace wasmrtc::test {

// Frame `n` of the pattern: a diagonal luma gradient scrolling right, a
// bright square bouncing across it, a checkerboard patch, and chroma
// gradients drifting down.
inline codec::VideoFrame moving_pattern(uint32_t width, uint32_t height, uint32_t n) {
  codec::VideoFrame f = codec::VideoFrame::filled(width, height);
  auto y = f.y();
  const uint32_t sq = std::max<uint32_t>(4, width / 8);
  const uint32_t sx = (n * 7) % (width > sq ? width - sq : 1);
  const uint32_t sy = (n * 5) % (height > sq ? height - sq : 1);
  for (uint32_t r = 0; r < height; ++r) {
    for (uint32_t c = 0; c < width; ++c) {
      uint32_t v = 16 + ((c + r + n * 4) % 256) * 200 / 256;
      if (c >= sx && c < sx + sq && r >= sy && r < sy + sq) v = 230;
      if (c < width / 4 && r < height / 4 && ((c / 8 + r / 8) & 1)) v = 40;
      y[static_cast<size_t>(r) * width + c] = static_cast<uint8_t>(v);
    }
  }
  const uint32_t cw = codec::chroma_size(width), ch = codec::chroma_size(height);
  auto u = f.u();
  auto v = f.v();
  for (uint32_t r = 0; r < ch; ++r) {
    for (uint32_t c = 0; c < cw; ++c) {
      u[static_cast<size_t>(r) * cw + c] = static_cast<uint8_t>(64 + (c * 128 / cw));
      v[static_cast<size_t>(r) * cw + c] = static_cast<uint8_t>(64 + ((r + n) % ch) * 128 / ch);
    }
  }
  return f;
}

// Peak signal-to-noise ratio over all three planes, in dB (infinity when
// identical). Both frames must have the same size.
inline double psnr(const codec::VideoFrame& a, const codec::VideoFrame& b) {
  if (a.i420.size() != b.i420.size() || a.i420.empty()) return 0;
  double sse = 0;
  for (size_t i = 0; i < a.i420.size(); ++i) {
    const double d = static_cast<double>(a.i420[i]) - b.i420[i];
    sse += d * d;
  }
  if (sse == 0) return std::numeric_limits<double>::infinity();
  const double mse = sse / static_cast<double>(a.i420.size());
  return 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace wasmrtc::test
