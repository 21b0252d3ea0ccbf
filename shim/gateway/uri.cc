#include "uri.h"

namespace wasmrtc::gateway {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

const char* to_string(QueryError error) {
  switch (error) {
    case QueryError::Missing: return "missing";
    case QueryError::Repeated: return "repeated";
    case QueryError::BadEncoding: return "bad percent-encoding";
  }
  return "bad query";
}

std::optional<std::string> query_parameter(std::string_view request_target, std::string_view name,
                                           QueryError* error) {
  auto fail = [error](QueryError e) -> std::optional<std::string> {
    if (error) *error = e;
    return std::nullopt;
  };
  const auto q = request_target.find('?');
  if (q == std::string_view::npos) return fail(QueryError::Missing);
  std::string_view query = request_target.substr(q + 1);
  if (const auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);

  std::optional<std::string> found;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const auto key = percent_decode(pair.substr(0, eq));
    if (!key) return fail(QueryError::BadEncoding);
    if (*key != name) continue;
    if (found) return fail(QueryError::Repeated);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return fail(QueryError::BadEncoding);
    found = std::move(*value);
  }
  if (!found) return fail(QueryError::Missing);
  return found;
}

}  // namespace wasmrtc::gateway
