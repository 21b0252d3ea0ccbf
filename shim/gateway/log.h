// One line per event on stderr, prefixed with a UTC timestamp:
//   2025-01-31T12:00:00.123Z open #4 127.0.0.1:50522 target=127.0.0.1:3478
// Rate-limited, since clients cause most lines: a burst of kLogBurst lines,
// then kLogPerSecond a second; lines beyond are counted, and the count is
// logged ("... 1234 lines not logged") with the next line that gets out.
#pragma once

#include <string>
#include <string_view>

namespace wasmrtc::gateway {

inline constexpr double kLogBurst = 200;
inline constexpr double kLogPerSecond = 50;

void log_event(std::string_view message);

// `text` made safe to put in a log line: printable ASCII only (others as
// \xNN), cut to `max` characters. For values a client chose (targets, origins).
std::string sanitize(std::string_view text, std::size_t max = 120);

}  // namespace wasmrtc::gateway
