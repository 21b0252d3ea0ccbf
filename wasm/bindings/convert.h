// Conversions at the Embind boundary. Bytes always cross as copies: a
// Uint8Array view of the WASM heap dies when memory grows (STYLE.md, 9).
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <string>

#include "base/bytes.h"
#include "base/time.h"

namespace wasmrtc::bindings {

// A copy of a JS Uint8Array (or any typed array/ArrayBuffer view of bytes).
inline base::Bytes bytes_from_js(const emscripten::val& array) {
  return emscripten::convertJSArrayToNumberVector<uint8_t>(array);
}

inline bool is_bytes(const emscripten::val& v) {
  return v.instanceof(emscripten::val::global("Uint8Array"));
}

// A new JS Uint8Array holding a copy of `bytes`.
inline emscripten::val bytes_to_js(base::ByteView bytes) {
  emscripten::val view(emscripten::typed_memory_view(bytes.size(), bytes.data()));
  return emscripten::val::global("Uint8Array").new_(view);  // copies out of the heap
}

// JS time is milliseconds (performance.now()); the core counts microseconds.
inline base::Timestamp timestamp_from_ms(double ms) {
  return base::Timestamp::from_micros(static_cast<int64_t>(std::llround(ms * 1000.0)));
}
inline double timestamp_to_ms(base::Timestamp t) { return static_cast<double>(t.us()) / 1000.0; }

// { error: { code, message } }: the JS facade turns it into an exception.
inline emscripten::val error_value(const std::string& code, const std::string& message) {
  emscripten::val e = emscripten::val::object();
  e.set("code", code);
  e.set("message", message);
  emscripten::val out = emscripten::val::object();
  out.set("error", e);
  return out;
}

}  // namespace wasmrtc::bindings
