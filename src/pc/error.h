// Errors the engine reports to the page: each carries the name of the
// DOMException webrtc-pc prescribes ("InvalidStateError", ...), so the JS
// facade rejects with exactly that.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/result.h"

namespace wasmrtc::pc {

struct Error {
  std::string name;     // DOMException name
  std::string message;
  // For an RTCError (webrtc-pc 11.1): its errorDetail ("sdp-syntax-error")
  // and sdpLineNumber; the name is then "OperationError".
  std::optional<std::string> error_detail;
  std::optional<size_t> sdp_line_number;

  static Error invalid_state(std::string m) { return {"InvalidStateError", std::move(m), {}, {}}; }
  static Error operation(std::string m) { return {"OperationError", std::move(m), {}, {}}; }
  static Error invalid_access(std::string m) { return {"InvalidAccessError", std::move(m), {}, {}}; }
  static Error type(std::string m) { return {"TypeError", std::move(m), {}, {}}; }
  static Error syntax(std::string m) { return {"SyntaxError", std::move(m), {}, {}}; }
  static Error not_supported(std::string m) { return {"NotSupportedError", std::move(m), {}, {}}; }
};

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::pc
