// wasmrtc_audio_bench: the native side of test/bench/audio.cjs. Runs Opus
// encode/decode and SRTP protect/unprotect (audio_bench.h) after a short
// warm-up and prints one JSON object on stdout.
//
//   wasmrtc_audio_bench [--frames N] [--packets N]
//     --frames   10 ms frames per Opus run (default 3000: 30 s of audio)
//     --packets  RTP packets per SRTP run (default 20000)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "audio_bench.h"

namespace {

constexpr const char* kProfiles[] = {"AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM"};
constexpr unsigned kSizes[] = {1200, 200};

int fail(const std::string& what, const std::string& error) {
  std::fprintf(stderr, "wasmrtc_audio_bench: %s: %s\n", what.c_str(), error.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long frames = 3000;
  unsigned long packets = 20000;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && std::strcmp(argv[i], "--frames") == 0) {
      frames = std::strtoul(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && std::strcmp(argv[i], "--packets") == 0) {
      packets = std::strtoul(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--frames N] [--packets N]\n", argv[0]);
      return 2;
    }
  }
  if (frames == 0 || packets == 0 || frames > 10000000 || packets > 10000000) {
    std::fprintf(stderr, "wasmrtc_audio_bench: counts must be 1-10000000\n");
    return 2;
  }

  // Warm-up: caches, page faults, libsrtp's and libopus's one-time set-up.
  for (unsigned ch = 1; ch <= 2; ++ch) {
    if (auto w = wasmrtc::bench::run_opus(200, ch); !w.error.empty()) return fail("opus", w.error);
  }
  for (const char* p : kProfiles) {
    if (auto w = wasmrtc::bench::run_srtp(2000, 1200, p); !w.error.empty()) return fail(p, w.error);
  }

  std::string json = "{\"opus\":[";
  char line[512];
  for (unsigned ch = 1; ch <= 2; ++ch) {
    const auto r = wasmrtc::bench::run_opus(static_cast<uint32_t>(frames), ch);
    if (!r.error.empty()) return fail("opus", r.error);
    std::snprintf(line, sizeof line,
                  "%s{\"channels\":%u,\"frames\":%u,\"packets\":%u,\"bytes\":%llu,"
                  "\"audioSeconds\":%.6f,\"encodeSeconds\":%.9f,\"decodeSeconds\":%.9f}",
                  ch == 1 ? "" : ",", r.channels, r.frames, r.packets,
                  static_cast<unsigned long long>(r.bytes), r.audio_seconds, r.encode_seconds,
                  r.decode_seconds);
    json += line;
  }
  json += "],\"srtp\":[";
  bool first = true;
  for (const char* p : kProfiles) {
    for (unsigned size : kSizes) {
      const auto r = wasmrtc::bench::run_srtp(static_cast<uint32_t>(packets), size, p);
      if (!r.error.empty()) return fail(p, r.error);
      std::snprintf(line, sizeof line,
                    "%s{\"profile\":\"%s\",\"size\":%u,\"packets\":%u,"
                    "\"protectSeconds\":%.9f,\"unprotectSeconds\":%.9f}",
                    first ? "" : ",", r.profile.c_str(), r.size, r.packets, r.protect_seconds,
                    r.unprotect_seconds);
      json += line;
      first = false;
    }
  }
  json += "]}";
  std::puts(json.c_str());
  return 0;
}
