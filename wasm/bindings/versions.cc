// Binds src/versions: versions() -> { mbedtls: "2.28.3", libsrtp2: ..., ... }
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "versions/versions.h"

namespace {

emscripten::val versions() {
  emscripten::val out = emscripten::val::object();
  for (const auto& lib : wasmrtc::versions::libraries()) out.set(lib.name, lib.version);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasmrtc_versions) {
  emscripten::function("versions", &versions);
}
