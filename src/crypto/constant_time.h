// Comparison whose running time does not depend on where the inputs differ,
// for checking MACs: timing must not tell a forger how many leading bytes of
// a guessed MESSAGE-INTEGRITY were right.
#pragma once

#include "base/bytes.h"

namespace wasmrtc::crypto {

// True if `a` and `b` hold the same bytes. The lengths are not secret: a
// length mismatch returns false at once.
bool constant_time_equal(base::ByteView a, base::ByteView b);

}  // namespace wasmrtc::crypto
