// RFC 8445 section 5.3: the username fragment carries at least 24 bits and
// the password at least 128 bits of randomness, written with ice-char
// (RFC 8839 section 5.4: ALPHA / DIGIT / "+" / "/", 6 bits each).
#include <string_view>

#include "ice/agent.h"

namespace wasmrtc::ice {
namespace {

constexpr std::string_view kIceChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string random_ice_string(base::Random& random, size_t length) {
  std::string s;
  s.reserve(length);
  for (size_t i = 0; i < length; ++i) s += kIceChars[random.uniform(kIceChars.size())];
  return s;
}

}  // namespace

Credentials random_credentials(base::Random& random) {
  // 8 chars = 48 bits (>= 24), 24 chars = 144 bits (>= 128).
  return Credentials{random_ice_string(random, 8), random_ice_string(random, 24)};
}

}  // namespace wasmrtc::ice
