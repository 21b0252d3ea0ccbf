#include "base/log.h"

#include <cstdio>
#include <string>

namespace wasmrtc::base {
namespace detail {
std::atomic<LogSink> g_log_sink{nullptr};
std::atomic<int> g_log_level{static_cast<int>(LogLevel::Info)};
}  // namespace detail

namespace {
std::atomic<void*> g_log_user{nullptr};
}  // namespace

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error";
    case LogLevel::Warn: return "warn";
    case LogLevel::Info: return "info";
    case LogLevel::Debug: return "debug";
    case LogLevel::Trace: return "trace";
  }
  return "unknown";
}

void set_log_sink(LogSink sink, void* user) {
  g_log_user.store(user, std::memory_order_relaxed);
  detail::g_log_sink.store(sink, std::memory_order_relaxed);
}

void set_log_level(LogLevel max) {
  detail::g_log_level.store(static_cast<int>(max), std::memory_order_relaxed);
}

LogLevel log_level() {
  return static_cast<LogLevel>(detail::g_log_level.load(std::memory_order_relaxed));
}

void log_write(LogLevel level, std::string_view tag, std::string_view message) {
  if (!log_enabled(level)) return;
  LogSink sink = detail::g_log_sink.load(std::memory_order_relaxed);
  if (sink) sink(g_log_user.load(std::memory_order_relaxed), level, tag, message);
}

void stderr_log_sink(void*, LogLevel level, std::string_view tag,
                     std::string_view message) {
  std::string line;
  line.reserve(message.size() + tag.size() + 16);
  line += '[';
  line += to_string(level);
  line += "] ";
  line += tag;
  line += ": ";
  line += message;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace wasmrtc::base
