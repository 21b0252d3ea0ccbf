// The one assertion the fuzz targets share: a violated property aborts, which
// libFuzzer reports as a crash with the input that caused it (an assert()
// would vanish under NDEBUG in release-mode fuzz builds).
#pragma once

#include <cstdlib>

namespace wasmrtc::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace wasmrtc::fuzz
