// The benchmark core behind test/bench/audio.cjs: the same C++ built natively
// (wasmrtc_audio_bench) and into the WASM module (wasm/bindings/bench.cc), so
// one run compares libopus and libsrtp as they run natively and in WASM.
// Not product code: it reads std::chrono::steady_clock, which src/ never does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "srtp/session.h"

namespace wasmrtc::bench {

struct OpusResult {
  std::string error;            // empty when the run went through
  uint32_t channels = 0;
  uint32_t frames = 0;          // 10 ms frames fed to the encoder
  uint32_t packets = 0;         // 20 ms packets out of it, then decoded
  uint64_t bytes = 0;           // total payload bytes
  double audio_seconds = 0;     // frames * 10 ms
  double encode_seconds = 0;    // CPU (wall) time spent in encode()
  double decode_seconds = 0;    // ... in decode() of every packet
};

// Encodes `frames` 10 ms frames (48 kHz, `channels` 1 or 2) of a 440 Hz tone
// plus noise with codec::OpusEncoder (20 ms ptime, default bitrate, FEC on
// with 10 % expected loss, as src/pc configures it), then decodes every
// packet with codec::OpusDecoder. Each phase is timed on its own.
OpusResult run_opus(uint32_t frames, uint32_t channels);

struct SrtpResult {
  std::string error;
  std::string profile;
  uint32_t size = 0;            // RTP packet size before protection, bytes
  uint32_t packets = 0;
  double protect_seconds = 0;   // all protect_rtp() calls
  double unprotect_seconds = 0; // all unprotect_rtp() calls of their output
};

// "AES128_CM_HMAC_SHA1_80", "AES128_CM_HMAC_SHA1_32", "AEAD_AES_128_GCM",
// "AEAD_AES_256_GCM" (RFC 5764 / RFC 7714 names).
std::optional<srtp::Profile> profile_from_name(std::string_view name);

// Protects `packets` RTP packets of `size` bytes (12-byte header, sequence
// numbers and timestamps advancing) with srtp::Session, then unprotects them.
SrtpResult run_srtp(uint32_t packets, uint32_t size, std::string_view profile);

}  // namespace wasmrtc::bench
