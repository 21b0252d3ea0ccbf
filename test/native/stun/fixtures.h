// Loads the annotated hex dumps in test/data/stun/: '#' starts a comment,
// everything else is hex bytes and whitespace.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "stun/error.h"

namespace wasmrtc::stun {

// Lets GoogleTest print errors by name.
inline void PrintTo(Error e, std::ostream* os) { *os << to_string(e); }

}  // namespace wasmrtc::stun

namespace wasmrtc::stun::test {

inline base::Bytes load_fixture(const std::string& name) {
  std::ifstream in(std::string(WASMRTC_TEST_DATA_DIR) + "/stun/" + name);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::string hex;
  std::string line;
  while (std::getline(in, line)) {
    hex += line.substr(0, line.find('#'));
    hex += '\n';
  }
  auto bytes = base::from_hex(hex);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in " << name;
  return bytes.value_or(base::Bytes());
}

inline constexpr const char* kRfc5769Request = "rfc5769-2.1-request.hex";
inline constexpr const char* kRfc5769Ipv4Response = "rfc5769-2.2-ipv4-response.hex";
inline constexpr const char* kRfc5769Ipv6Response = "rfc5769-2.3-ipv6-response.hex";
inline constexpr const char* kRfc5769LongTermRequest = "rfc5769-2.4-long-term-request.hex";
inline constexpr const char* kRfc8489Sha256Request = "rfc8489-b.1-sha256-request.hex";

// RFC 5769 sections 2.1-2.3 share this password.
inline constexpr const char* kRfc5769Password = "VOkJxbRl1RmTxUk/WvJxBt";

// RFC 5769 section 2.4 / RFC 8489 appendix B.1 credentials. The password is
// given in its SASLprep / OpaqueString-prepared form.
inline constexpr const char* kMatrixUsername =
    "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
inline constexpr const char* kMatrixPassword = "TheMatrIX";

}  // namespace wasmrtc::stun::test
