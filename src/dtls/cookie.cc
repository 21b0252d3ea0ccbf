#include "dtls/cookie.h"

#include <algorithm>

#include <mbedtls/platform_util.h>

#include "crypto/constant_time.h"
#include "crypto/hash.h"

namespace wasmrtc::dtls::detail {
namespace {

std::array<uint8_t, 4> be32(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

uint32_t seconds(base::Timestamp now) { return static_cast<uint32_t>(now.us() / 1000000); }

}  // namespace

CookieJar::~CookieJar() { mbedtls_platform_zeroize(secret_.data(), secret_.size()); }

std::array<uint8_t, CookieJar::kSize> CookieJar::make(base::Timestamp now,
                                                      base::ByteView client_id) const {
  const auto issued = be32(seconds(now));
  const auto mac = crypto::hmac_sha256(secret_, {issued, client_id});
  std::array<uint8_t, kSize> cookie{};
  std::copy(issued.begin(), issued.end(), cookie.begin());
  std::copy(mac.begin(), mac.begin() + (kSize - 4), cookie.begin() + 4);
  return cookie;
}

bool CookieJar::check(base::Timestamp now, base::ByteView cookie,
                      base::ByteView client_id) const {
  if (cookie.size() != kSize) return false;
  const base::ByteView issued = cookie.first(4);
  const uint32_t t = (uint32_t{issued[0]} << 24) | (uint32_t{issued[1]} << 16) |
                     (uint32_t{issued[2]} << 8) | issued[3];
  const uint32_t age = seconds(now) - t;  // wraps: a future stamp looks very old
  if (age > static_cast<uint32_t>(kLifetime.us() / 1000000)) return false;
  const auto mac = crypto::hmac_sha256(secret_, {issued, client_id});
  return crypto::constant_time_equal(cookie.subspan(4), base::ByteView(mac).first(kSize - 4));
}

}  // namespace wasmrtc::dtls::detail
