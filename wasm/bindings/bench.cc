// Binds the benchmark cores of test/bench/audio.cjs and test/bench/video.cjs
// (wasm/bench/), which compare them with the same code built natively:
//   benchOpus(frames, channels) -> { channels, frames, packets, bytes,
//                                    audioSeconds, encodeSeconds, decodeSeconds }
//   benchSrtp(packets, size, profile) -> { profile, size, packets,
//                                          protectSeconds, unprotectSeconds }
//   benchVp8(width, height, frames) -> { width, height, frames, encoded,
//                                        keyframes, bitrateBps, bytes, videoSeconds,
//                                        encodeSeconds, decodeSeconds, psnrY }
// profile: "AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM", ... Each returns
// { error: { code, message } } when the run fails.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "audio_bench.h"
#include "bindings/convert.h"
#include "video_bench.h"

namespace {

using emscripten::val;

val bench_opus(uint32_t frames, uint32_t channels) {
  const auto r = wasmrtc::bench::run_opus(frames, channels);
  if (!r.error.empty()) return wasmrtc::bindings::error_value("BenchFailed", r.error);
  val out = val::object();
  out.set("channels", r.channels);
  out.set("frames", r.frames);
  out.set("packets", r.packets);
  out.set("bytes", static_cast<double>(r.bytes));
  out.set("audioSeconds", r.audio_seconds);
  out.set("encodeSeconds", r.encode_seconds);
  out.set("decodeSeconds", r.decode_seconds);
  return out;
}

val bench_srtp(uint32_t packets, uint32_t size, const std::string& profile) {
  const auto r = wasmrtc::bench::run_srtp(packets, size, profile);
  if (!r.error.empty()) return wasmrtc::bindings::error_value("BenchFailed", r.error);
  val out = val::object();
  out.set("profile", r.profile);
  out.set("size", r.size);
  out.set("packets", r.packets);
  out.set("protectSeconds", r.protect_seconds);
  out.set("unprotectSeconds", r.unprotect_seconds);
  return out;
}

val bench_vp8(uint32_t width, uint32_t height, uint32_t frames) {
  const auto r = wasmrtc::bench::run_vp8(width, height, frames);
  if (!r.error.empty()) return wasmrtc::bindings::error_value("BenchFailed", r.error);
  val out = val::object();
  out.set("width", r.width);
  out.set("height", r.height);
  out.set("frames", r.frames);
  out.set("encoded", r.encoded);
  out.set("keyframes", r.keyframes);
  out.set("bitrateBps", r.bitrate_bps);
  out.set("bytes", static_cast<double>(r.bytes));
  out.set("videoSeconds", r.video_seconds);
  out.set("encodeSeconds", r.encode_seconds);
  out.set("decodeSeconds", r.decode_seconds);
  out.set("psnrY", r.psnr_y);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasmrtc_bench) {
  emscripten::function("benchOpus", &bench_opus);
  emscripten::function("benchSrtp", &bench_srtp);
  emscripten::function("benchVp8", &bench_vp8);
}
