#include "codec/convert.h"

#include <algorithm>

namespace wasmrtc::codec {

namespace {

uint8_t clamp255(int v) { return static_cast<uint8_t>(std::clamp(v, 0, 255)); }

// BT.601 limited range in 8.8 fixed point (ITU-R BT.601, as libyuv's
// RGBToY/RGBToU/RGBToV): Y = 16 + 0.257 R + 0.504 G + 0.098 B, ...
uint8_t rgb_to_y(int r, int g, int b) { return clamp255((66 * r + 129 * g + 25 * b + 0x1080) >> 8); }
uint8_t rgb_to_u(int r, int g, int b) {
  return clamp255((112 * b - 74 * g - 38 * r + 0x8080) >> 8);
}
uint8_t rgb_to_v(int r, int g, int b) {
  return clamp255((112 * r - 94 * g - 18 * b + 0x8080) >> 8);
}

}  // namespace

Result<VideoFrame> rgba_to_i420(base::ByteView rgba, uint32_t width, uint32_t height) {
  if (width == 0 || height == 0) return Unexpected(Error::BadResolution);
  if (rgba.size() != static_cast<size_t>(width) * height * 4) {
    return Unexpected(Error::BadVideoFrame);
  }
  VideoFrame out{width, height, std::vector<uint8_t>(i420_size(width, height))};
  auto y = out.y();
  auto u = out.u();
  auto v = out.v();
  auto px = [&](uint32_t x, uint32_t row) {
    return rgba.data() + (static_cast<size_t>(row) * width + x) * 4;
  };
  for (uint32_t row = 0; row < height; ++row) {
    for (uint32_t x = 0; x < width; ++x) {
      const uint8_t* p = px(x, row);
      y[static_cast<size_t>(row) * width + x] = rgb_to_y(p[0], p[1], p[2]);
    }
  }
  const uint32_t cw = chroma_size(width);
  const uint32_t ch = chroma_size(height);
  for (uint32_t cy = 0; cy < ch; ++cy) {
    for (uint32_t cx = 0; cx < cw; ++cx) {
      // Average the block's colour first, then convert (as libyuv does).
      int r = 0, g = 0, b = 0, n = 0;
      for (uint32_t dy = 0; dy < 2; ++dy) {
        for (uint32_t dx = 0; dx < 2; ++dx) {
          const uint32_t x = 2 * cx + dx, row = 2 * cy + dy;
          if (x >= width || row >= height) continue;
          const uint8_t* p = px(x, row);
          r += p[0];
          g += p[1];
          b += p[2];
          ++n;
        }
      }
      r = (r + n / 2) / n;
      g = (g + n / 2) / n;
      b = (b + n / 2) / n;
      u[static_cast<size_t>(cy) * cw + cx] = rgb_to_u(r, g, b);
      v[static_cast<size_t>(cy) * cw + cx] = rgb_to_v(r, g, b);
    }
  }
  return out;
}

Result<base::Bytes> i420_to_rgba(const VideoFrame& frame) {
  if (!frame.valid()) return Unexpected(Error::BadVideoFrame);
  const uint32_t w = frame.width;
  const uint32_t cw = chroma_size(w);
  base::Bytes out(static_cast<size_t>(w) * frame.height * 4);
  auto y = frame.y();
  auto u = frame.u();
  auto v = frame.v();
  uint8_t* dst = out.data();
  for (uint32_t row = 0; row < frame.height; ++row) {
    for (uint32_t x = 0; x < w; ++x) {
      // BT.601 limited range inverse: R = 1.164 (Y - 16) + 1.596 (V - 128),
      // G = 1.164 (Y - 16) - 0.391 (U - 128) - 0.813 (V - 128),
      // B = 1.164 (Y - 16) + 2.018 (U - 128); 8.8 fixed point.
      const size_t c = static_cast<size_t>(row / 2) * cw + x / 2;
      const int c0 = 298 * (y[static_cast<size_t>(row) * w + x] - 16);
      const int d = u[c] - 128;
      const int e = v[c] - 128;
      dst[0] = clamp255((c0 + 409 * e + 128) >> 8);
      dst[1] = clamp255((c0 - 100 * d - 208 * e + 128) >> 8);
      dst[2] = clamp255((c0 + 516 * d + 128) >> 8);
      dst[3] = 255;
      dst += 4;
    }
  }
  return out;
}

}  // namespace wasmrtc::codec
