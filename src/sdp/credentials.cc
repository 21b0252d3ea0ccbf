#include "sdp/credentials.h"

#include <string_view>

namespace wasmrtc::sdp {
namespace {

// RFC 8839 section 5.4: ice-char = ALPHA / DIGIT / "+" / "/" (64 symbols,
// so each carries 6 bits).
constexpr std::string_view kIceChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string ice_chars(base::Random& random, size_t count) {
  std::string out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out += kIceChars[random.uniform(kIceChars.size())];
  return out;
}

}  // namespace

IceCredentials generate_ice_credentials(base::Random& random) {
  IceCredentials c;
  c.ufrag = ice_chars(random, 4);
  c.pwd = ice_chars(random, 24);
  return c;
}

std::string generate_session_id(base::Random& random) {
  return std::to_string(random.next_u64() & 0x7fffffffffffffffULL);
}

}  // namespace wasmrtc::sdp
