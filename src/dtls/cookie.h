// Internal: stateless HelloVerifyRequest cookies (RFC 6347 section 4.2.1)
//   cookie = issued (4 bytes, seconds on the caller's clock)
//          | HMAC-SHA256(secret, issued | client_id)[0..16)
// Mbed TLS's own mbedtls_ssl_cookie stamps cookies with mbedtls_time(), a
// wall clock; this one uses the `now` the transport is given, so cookies
// expire on the same (possibly simulated) clock as everything else.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/random.h"
#include "base/time.h"

namespace wasmrtc::dtls::detail {

class CookieJar {
 public:
  static constexpr size_t kSize = 4 + 16;
  // RFC 6347 section 4.2.1 suggests changing the secret often; a transport
  // lives for one handshake, so one secret per transport, and cookies older
  // than this are refused.
  static constexpr base::Duration kLifetime = base::Duration::seconds(60);

  explicit CookieJar(base::Random& random) { random.fill(secret_); }
  ~CookieJar();

  std::array<uint8_t, kSize> make(base::Timestamp now, base::ByteView client_id) const;
  bool check(base::Timestamp now, base::ByteView cookie, base::ByteView client_id) const;

 private:
  std::array<uint8_t, 32> secret_{};
};

}  // namespace wasmrtc::dtls::detail
