// The one piece of the request URI the gateway reads: the `target` query
// parameter (WHATWG URLSearchParams encoding, so "127.0.0.1%3A3478" and
// "%5B%3A%3A1%5D%3A3478" arrive percent-encoded).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wasmrtc::gateway {

// Percent-decodes `s` ('+' is a space, as in form encoding); nullopt on a
// malformed escape.
std::optional<std::string> percent_decode(std::string_view s);

enum class QueryError { Missing, Repeated, BadEncoding };
const char* to_string(QueryError error);

// The decoded value of parameter `name` in `request_target` ("/path?a=b").
// A repeated parameter is an error: parsers disagree on first or last, and a
// security decision must not depend on which one a proxy in front picked.
std::optional<std::string> query_parameter(std::string_view request_target, std::string_view name,
                                           QueryError* error);

}  // namespace wasmrtc::gateway
