#include "log.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <cstdio>
#include <ctime>

namespace wasmrtc::gateway {

namespace {

void write_line(std::string_view message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  // One fprintf per line, so lines never interleave within the process.
  std::fprintf(stderr, "%s.%03dZ %.*s\n", stamp, static_cast<int>(millis),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace

void log_event(std::string_view message) {
  // A token bucket; every handler runs on the one io_context thread.
  using clock = std::chrono::steady_clock;
  static double tokens = kLogBurst;
  static clock::time_point last = clock::now();
  static uint64_t suppressed = 0;
  const auto now = clock::now();
  tokens = std::min(kLogBurst, tokens + std::chrono::duration<double>(now - last).count() * kLogPerSecond);
  last = now;
  if (tokens < 1) {
    ++suppressed;
    return;
  }
  tokens -= 1;
  if (suppressed > 0) {
    write_line("... " + std::to_string(suppressed) + " lines not logged (more than " +
               std::to_string(static_cast<int>(kLogPerSecond)) + " a second)");
    suppressed = 0;
  }
  write_line(message);
}

std::string sanitize(std::string_view text, std::size_t max) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace wasmrtc::gateway
