// A raw video frame: 8-bit I420 (YUV 4:2:0 planar), the format libvpx
// encodes from and decodes to, and what libwebrtc passes between capture,
// codecs and rendering.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wasmrtc::codec {

// Chroma planes cover 2x2 luma pixels; odd sizes round up, as libvpx and
// libyuv do (a 5x3 frame has 3x2 chroma planes).
constexpr uint32_t chroma_size(uint32_t luma) { return (luma + 1) / 2; }

// Bytes of a tightly packed I420 frame: Y, then U, then V, no row padding.
constexpr size_t i420_size(uint32_t width, uint32_t height) {
  return static_cast<size_t>(width) * height +
         2 * static_cast<size_t>(chroma_size(width)) * chroma_size(height);
}

struct VideoFrame {
  uint32_t width = 0;
  uint32_t height = 0;
  // i420_size(width, height) bytes: the Y plane (width x height), then U and
  // V (chroma_size(width) x chroma_size(height) each), rows packed.
  std::vector<uint8_t> i420;

  // A packed copy of three strided planes (what a decoder library hands
  // out: rows `stride` bytes apart, Y then U then V).
  static VideoFrame from_planes(uint32_t width, uint32_t height, const uint8_t* const planes[3],
                                const int strides[3]);

  // A frame of one colour (black by default: Y 16, U and V 128, BT.601
  // limited range).
  static VideoFrame filled(uint32_t width, uint32_t height, uint8_t y = 16, uint8_t u = 128,
                           uint8_t v = 128);

  bool valid() const { return width > 0 && height > 0 && i420.size() == i420_size(width, height); }
  std::span<uint8_t> y() { return {i420.data(), static_cast<size_t>(width) * height}; }
  std::span<uint8_t> u() { return {i420.data() + y().size(), chroma_plane_size()}; }
  std::span<uint8_t> v() { return {i420.data() + y().size() + chroma_plane_size(), chroma_plane_size()}; }
  std::span<const uint8_t> y() const {
    return {i420.data(), static_cast<size_t>(width) * height};
  }
  std::span<const uint8_t> u() const { return {i420.data() + y().size(), chroma_plane_size()}; }
  std::span<const uint8_t> v() const {
    return {i420.data() + y().size() + chroma_plane_size(), chroma_plane_size()};
  }
  size_t chroma_plane_size() const {
    return static_cast<size_t>(chroma_size(width)) * chroma_size(height);
  }

  bool operator==(const VideoFrame&) const = default;
};

inline VideoFrame VideoFrame::from_planes(uint32_t width, uint32_t height, const uint8_t* const planes[3],
                                           const int strides[3]) {
  VideoFrame f{width, height, std::vector<uint8_t>(i420_size(width, height))};
  uint8_t* dst = f.i420.data();
  for (int p = 0; p < 3; ++p) {
    const uint32_t w = p == 0 ? width : chroma_size(width);
    const uint32_t h = p == 0 ? height : chroma_size(height);
    for (uint32_t row = 0; row < h; ++row) {
      std::copy_n(planes[p] + static_cast<std::ptrdiff_t>(row) * strides[p], w, dst);
      dst += w;
    }
  }
  return f;
}

inline VideoFrame VideoFrame::filled(uint32_t width, uint32_t height, uint8_t y, uint8_t u,
                                     uint8_t v) {
  VideoFrame f{width, height, std::vector<uint8_t>(i420_size(width, height), y)};
  const size_t luma = static_cast<size_t>(width) * height;
  std::fill(f.i420.begin() + static_cast<std::ptrdiff_t>(luma),
            f.i420.begin() + static_cast<std::ptrdiff_t>(luma + f.chroma_plane_size()), u);
  std::fill(f.i420.begin() + static_cast<std::ptrdiff_t>(luma + f.chroma_plane_size()),
            f.i420.end(), v);
  return f;
}

}  // namespace wasmrtc::codec
