// Logging through a sink the embedder installs. With no sink (the default)
// nothing is formatted: WASMRTC_LOG checks log_enabled() before evaluating
// its stream arguments. The library does no I/O of its own; stderr_log_sink
// is there for embedders that opt into it.
//
//   WASMRTC_LOG(base::LogLevel::Debug, "stun") << "bad attribute " << type;
#pragma once

#include <atomic>
#include <sstream>
#include <string_view>

namespace wasmrtc::base {

enum class LogLevel : int { Error = 0, Warn = 1, Info = 2, Debug = 3, Trace = 4 };

const char* to_string(LogLevel level);

// `tag` names the layer ("stun", "ice", ...); `message` has no trailing newline.
using LogSink = void (*)(void* user, LogLevel level, std::string_view tag,
                         std::string_view message);

// Installs `sink` (nullptr turns logging off). Not meant to race with logging.
void set_log_sink(LogSink sink, void* user = nullptr);
// Messages up to and including `max` are passed on; the default is Info.
void set_log_level(LogLevel max);
LogLevel log_level();

// Writes one line to stderr: "[warn] stun: message". Opt-in.
void stderr_log_sink(void* user, LogLevel level, std::string_view tag,
                     std::string_view message);

namespace detail {
extern std::atomic<LogSink> g_log_sink;
extern std::atomic<int> g_log_level;
}  // namespace detail

inline bool log_enabled(LogLevel level) {
  return detail::g_log_sink.load(std::memory_order_relaxed) != nullptr &&
         static_cast<int>(level) <= detail::g_log_level.load(std::memory_order_relaxed);
}

// Passes one message to the sink, if enabled.
void log_write(LogLevel level, std::string_view tag, std::string_view message);

// Collects one message and hands it to log_write when destroyed.
class LogLine {
 public:
  LogLine(LogLevel level, std::string_view tag) : level_(level), tag_(tag) {}
  ~LogLine() { log_write(level_, tag_, stream_.str()); }
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::string_view tag_;
  std::ostringstream stream_;
};

}  // namespace wasmrtc::base

#define WASMRTC_LOG(level, tag)                      \
  if (!::wasmrtc::base::log_enabled(level)) {        \
  } else                                             \
    ::wasmrtc::base::LogLine((level), (tag)).stream()
