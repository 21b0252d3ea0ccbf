// wasmrtc_video_bench: the native side of test/bench/video.cjs. Runs VP8
// encode/decode (video_bench.h) at 640x480 and 1280x720 after a short
// warm-up and prints one JSON object on stdout.
//
//   wasmrtc_video_bench [--frames N]
//     --frames   frames per size (default 300: 10 s at 30 fps)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "video_bench.h"

namespace {

constexpr unsigned kSizes[][2] = {{640, 480}, {1280, 720}};

int fail(const std::string& what, const std::string& error) {
  std::fprintf(stderr, "wasmrtc_video_bench: %s: %s\n", what.c_str(), error.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long frames = 300;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && std::strcmp(argv[i], "--frames") == 0) {
      frames = std::strtoul(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--frames N]\n", argv[0]);
      return 2;
    }
  }
  if (frames == 0 || frames > 100000) {
    std::fprintf(stderr, "wasmrtc_video_bench: --frames must be 1-100000\n");
    return 2;
  }

  // Warm-up: caches, page faults, libvpx's one-time set-up (its RTCD tables).
  for (const auto& s : kSizes) {
    if (auto w = wasmrtc::bench::run_vp8(s[0], s[1], 30); !w.error.empty()) return fail("vp8", w.error);
  }

  std::string json = "{\"vp8\":[";
  char line[512];
  bool first = true;
  for (const auto& s : kSizes) {
    const auto r = wasmrtc::bench::run_vp8(s[0], s[1], static_cast<uint32_t>(frames));
    if (!r.error.empty()) return fail("vp8", r.error);
    std::snprintf(line, sizeof line,
                  "%s{\"width\":%u,\"height\":%u,\"frames\":%u,\"encoded\":%u,\"keyframes\":%u,"
                  "\"bitrateBps\":%u,\"bytes\":%llu,\"videoSeconds\":%.6f,\"encodeSeconds\":%.9f,"
                  "\"decodeSeconds\":%.9f,\"psnrY\":%.4f}",
                  first ? "" : ",", r.width, r.height, r.frames, r.encoded, r.keyframes,
                  r.bitrate_bps, static_cast<unsigned long long>(r.bytes), r.video_seconds,
                  r.encode_seconds, r.decode_seconds, r.psnr_y);
    json += line;
    first = false;
  }
  json += "]}";
  std::puts(json.c_str());
  return 0;
}
