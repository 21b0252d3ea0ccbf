// Binds the benchmark core of test/bench/audio (used by test/bench/audio.cjs
// to compare with the same code built natively):
//   benchOpus(frames, channels) -> { channels, frames, packets, bytes,
//                                    audioSeconds, encodeSeconds, decodeSeconds }
//   benchSrtp(packets, size, profile) -> { profile, size, packets,
//                                          protectSeconds, unprotectSeconds }
// profile: "AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM", ... Either returns
// { error: { code, message } } when the run fails.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "audio_bench.h"
#include "bindings/convert.h"

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

}  // namespace

EMSCRIPTEN_BINDINGS(wasmrtc_bench) {
  emscripten::function("benchOpus", &bench_opus);
  emscripten::function("benchSrtp", &bench_srtp);
}
