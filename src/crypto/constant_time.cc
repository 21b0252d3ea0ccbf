#include "crypto/constant_time.h"

#include <cstdint>

namespace wasmrtc::crypto {

bool constant_time_equal(base::ByteView a, base::ByteView b) {
  if (a.size() != b.size()) return false;
  // volatile keeps the compiler from turning the loop into an early exit.
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace wasmrtc::crypto
