// The benchmark core behind test/bench/video.cjs: the same C++ built natively
// (wasmrtc_video_bench) and into the WASM module (wasm/bindings/bench.cc), so
// one run compares libvpx's VP8 as it runs natively and in WASM.
// Not product code: it reads std::chrono::steady_clock, which src/ never does.
#pragma once

#include <cstdint>
#include <string>

namespace wasmrtc::bench {

struct Vp8Result {
  std::string error;            // empty when the run went through
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t frames = 0;          // raw frames fed to the encoder
  uint32_t encoded = 0;         // frames out of it (the rest dropped by rate control)
  uint32_t keyframes = 0;
  uint32_t bitrate_bps = 0;     // the encoder's target
  uint64_t bytes = 0;           // total encoded bytes
  double video_seconds = 0;     // frames / 30
  double encode_seconds = 0;    // wall time of the encode() calls only
  double decode_seconds = 0;    // ... of the decode() calls of every encoded frame
  double psnr_y = 0;            // mean luma PSNR of the decoded frames against their sources, dB
};

// The target bitrate run_vp8 gives the encoder for a size: what src/pc
// picks (src/pc/media.cc) -- 2.5 Mbit/s from 1280x720, 1.2 Mbit/s from
// 640x480, 500 kbit/s below.
uint32_t vp8_bitrate_for(uint32_t width, uint32_t height);

// Encodes `frames` frames of synthetic video at `width` x `height`, 30 fps,
// with codec::Vp8Encoder in realtime mode as src/pc configures it (CBR at
// vp8_bitrate_for(), cpu_used -6, one layer, keyframes only at the start),
// then decodes every encoded frame with codec::Vp8Decoder. Each phase is
// timed on its own; making the frames and measuring PSNR are not timed.
// The content is deterministic (the same bytes natively and in WASM): a
// textured background panning back and forth, a textured block moving on a
// Lissajous path over it, and +-2 of per-frame noise, so motion search,
// residual coding and rate control all do real work.
Vp8Result run_vp8(uint32_t width, uint32_t height, uint32_t frames);

}  // namespace wasmrtc::bench
