#include "video_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <span>
#include <vector>

#include "codec/vp8_decoder.h"
#include "codec/vp8_encoder.h"

namespace wasmrtc::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kFramerate = 30;
constexpr uint32_t kPan = 64;  // the background pans over 2 * kPan pixels each way

uint8_t clamp_pixel(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 16L, 240L)); }

// 0, 1, ..., period, period - 1, ..., 0, ... (back and forth).
uint32_t triangle(uint32_t t, uint32_t period) {
  const uint32_t m = t % (2 * period);
  return m <= period ? m : 2 * period - m;
}

// What every frame is cut from, made once per run (not timed).
struct Scene {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t tw = 0;  // background texture, luma: (width + 2 kPan) x (height + 2 kPan)
  uint32_t th = 0;
  std::vector<uint8_t> bg_y;
  std::vector<uint8_t> bg_u;  // chroma: half of that, rounded up
  std::vector<uint8_t> bg_v;
  uint32_t sprite = 0;  // a square block, height / 4 on a side (even)
  std::vector<uint8_t> sprite_y;

  Scene(uint32_t w, uint32_t h) : width(w), height(h), tw(w + 2 * kPan), th(h + 2 * kPan) {
    uint32_t lcg = 2024;
    auto noise = [&lcg](int amplitude) {
      lcg = lcg * 1664525u + 1013904223u;
      return static_cast<int>((lcg >> 8) % static_cast<uint32_t>(2 * amplitude + 1)) - amplitude;
    };
    // Luma: two gratings and a diagonal wave (structure for motion search)
    // plus fixed fine noise (texture that costs bits to code).
    bg_y.resize(static_cast<size_t>(tw) * th);
    for (uint32_t y = 0; y < th; ++y) {
      for (uint32_t x = 0; x < tw; ++x) {
        const double v = 128 + 45 * std::sin(x * 0.11) * std::cos(y * 0.07) +
                         25 * std::sin((x + y) * 0.031) + noise(18);
        bg_y[static_cast<size_t>(y) * tw + x] = clamp_pixel(v);
      }
    }
    const uint32_t cw = codec::chroma_size(tw);
    const uint32_t ch = codec::chroma_size(th);
    bg_u.resize(static_cast<size_t>(cw) * ch);
    bg_v.resize(bg_u.size());
    for (uint32_t y = 0; y < ch; ++y) {
      for (uint32_t x = 0; x < cw; ++x) {
        bg_u[static_cast<size_t>(y) * cw + x] = clamp_pixel(128 + 30 * std::sin(x * 0.05 + y * 0.03) + noise(4));
        bg_v[static_cast<size_t>(y) * cw + x] = clamp_pixel(128 + 30 * std::cos(x * 0.04 - y * 0.06) + noise(4));
      }
    }
    // The block: an 8-pixel checkerboard with noise.
    sprite = std::max<uint32_t>(2, (h / 4) & ~1u);
    sprite = std::min(sprite, std::min(w, h) & ~1u);
    sprite_y.resize(static_cast<size_t>(sprite) * sprite);
    for (uint32_t y = 0; y < sprite; ++y) {
      for (uint32_t x = 0; x < sprite; ++x) {
        const bool light = ((x / 8) + (y / 8)) % 2 == 0;
        sprite_y[static_cast<size_t>(y) * sprite + x] = clamp_pixel((light ? 200 : 50) + noise(12));
      }
    }
  }

  // Frame `i` into `out` (already width x height): the background window at
  // this frame's pan offset, the block at its place on the path, then +-2
  // of noise (a camera's) seeded by `i`.
  void render(uint32_t i, codec::VideoFrame& out) const {
    const uint32_t ox = 2 * triangle(i, kPan);      // 2 px a frame sideways
    const uint32_t oy = triangle(i, 2 * kPan);      // 1 px a frame up and down
    auto yp = out.y();
    for (uint32_t y = 0; y < height; ++y) {
      std::memcpy(&yp[static_cast<size_t>(y) * width], &bg_y[static_cast<size_t>(y + oy) * tw + ox], width);
    }
    const uint32_t cw = codec::chroma_size(width);
    const uint32_t ch = codec::chroma_size(height);
    const uint32_t tcw = codec::chroma_size(tw);
    auto up = out.u();
    auto vp = out.v();
    for (uint32_t y = 0; y < ch; ++y) {
      const size_t from = static_cast<size_t>(y + oy / 2) * tcw + ox / 2;
      std::memcpy(&up[static_cast<size_t>(y) * cw], &bg_u[from], cw);
      std::memcpy(&vp[static_cast<size_t>(y) * cw], &bg_v[from], cw);
    }
    // The block moves on a Lissajous path across most of the frame.
    const double t = i;
    const double rx = (width - sprite) / 2.0;
    const double ry = (height - sprite) / 2.0;
    const uint32_t sx = static_cast<uint32_t>(std::lround(rx + 0.95 * rx * std::sin(t * 0.045)));
    const uint32_t sy = static_cast<uint32_t>(std::lround(ry + 0.95 * ry * std::sin(t * 0.067 + 1)));
    for (uint32_t y = 0; y < sprite; ++y) {
      std::memcpy(&yp[static_cast<size_t>(sy + y) * width + sx], &sprite_y[static_cast<size_t>(y) * sprite], sprite);
    }
    for (uint32_t y = sy / 2; y < (sy + sprite) / 2; ++y) {
      std::memset(&up[static_cast<size_t>(y) * cw + sx / 2], 90, sprite / 2);
      std::memset(&vp[static_cast<size_t>(y) * cw + sx / 2], 170, sprite / 2);
    }
    uint32_t lcg = i * 2654435761u + 1;
    for (uint8_t& p : yp) {
      lcg = lcg * 1664525u + 1013904223u;
      const int v = p + static_cast<int>((lcg >> 24) % 5) - 2;
      p = static_cast<uint8_t>(std::clamp(v, 0, 255));
    }
  }
};

double psnr(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  uint64_t sse = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const int d = static_cast<int>(a[i]) - static_cast<int>(b[i]);
    sse += static_cast<uint64_t>(d * d);
  }
  if (sse == 0) return 99.0;
  const double mse = static_cast<double>(sse) / static_cast<double>(a.size());
  return 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace

uint32_t vp8_bitrate_for(uint32_t width, uint32_t height) {
  const uint64_t pixels = static_cast<uint64_t>(width) * height;
  return pixels >= 1280 * 720 ? 2'500'000 : pixels >= 640 * 480 ? 1'200'000 : 500'000;
}

Vp8Result run_vp8(uint32_t width, uint32_t height, uint32_t frames) {
  Vp8Result r;
  r.width = width;
  r.height = height;
  r.frames = frames;
  r.video_seconds = static_cast<double>(frames) / kFramerate;
  if (width < 16 || height < 16 || width > 4096 || height > 4096 || width % 2 || height % 2) {
    r.error = "width and height must be even, 16-4096";
    return r;
  }
  codec::VideoEncoderConfig config;
  config.width = width;
  config.height = height;
  config.framerate = kFramerate;
  config.bitrate_bps = vp8_bitrate_for(width, height);
  r.bitrate_bps = config.bitrate_bps;
  auto encoder = codec::Vp8Encoder::create(config);
  auto decoder = codec::Vp8Decoder::create();
  if (!encoder || !decoder) {
    r.error = "cannot create the VP8 encoder or decoder";
    return r;
  }
  const Scene scene(width, height);
  codec::VideoFrame frame = codec::VideoFrame::filled(width, height);

  struct Encoded {
    uint32_t index;  // the source frame
    base::Bytes data;
  };
  std::vector<Encoded> encoded;
  encoded.reserve(frames);
  Clock::duration encode_time{};
  for (uint32_t i = 0; i < frames; ++i) {
    scene.render(i, frame);
    const auto start = Clock::now();
    auto out = (*encoder)->encode(frame);
    encode_time += Clock::now() - start;
    if (!out) {
      r.error = std::string("encode: ") + std::string(codec::to_string(out.error()));
      return r;
    }
    if (!out->has_value()) continue;  // dropped by rate control
    if ((*out)->keyframe) ++r.keyframes;
    r.bytes += (*out)->data.size();
    encoded.push_back({i, std::move((*out)->data)});
  }
  r.encode_seconds = std::chrono::duration<double>(encode_time).count();
  r.encoded = static_cast<uint32_t>(encoded.size());

  Clock::duration decode_time{};
  double psnr_sum = 0;
  uint32_t shown = 0;
  for (const Encoded& e : encoded) {
    const auto start = Clock::now();
    auto out = (*decoder)->decode(e.data);
    decode_time += Clock::now() - start;
    if (!out) {
      if (out.error() == codec::Error::NotShown) continue;
      r.error = std::string("decode: ") + std::string(codec::to_string(out.error()));
      return r;
    }
    if (out->width != width || out->height != height) {
      r.error = "decode: wrong size";
      return r;
    }
    scene.render(e.index, frame);
    psnr_sum += psnr(frame.y(), out->y());
    ++shown;
  }
  r.decode_seconds = std::chrono::duration<double>(decode_time).count();
  r.psnr_y = shown ? psnr_sum / shown : 0;
  return r;
}

}  // namespace wasmrtc::bench
