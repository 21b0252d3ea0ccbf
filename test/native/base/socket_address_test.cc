#include "base/socket_address.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(SocketAddress, RoundTripsBothFamilies) {
  auto v4 = SocketAddress::parse("1.2.3.4:5");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->port, 5);
  EXPECT_EQ(v4->family(), AddressFamily::V4);
  EXPECT_EQ(v4->to_string(), "1.2.3.4:5");

  auto v6 = SocketAddress::parse("[::1]:5");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->family(), AddressFamily::V6);
  EXPECT_EQ(v6->to_string(), "[::1]:5");

  EXPECT_EQ(SocketAddress::parse("[2001:db8::1]:65535")->port, 65535);
  EXPECT_EQ(SocketAddress::parse("0.0.0.0:0")->port, 0);
}

TEST(SocketAddress, RejectsBadText) {
  for (const char* s : {"", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "::1:5",
                        "[::1]", "[::1]:", "[::1]5", "[1.2.3.4]:5", "[::1:5", "1.2.3.4:5x",
                        "1.2.3.4:123456"}) {
    EXPECT_FALSE(SocketAddress::parse(s).has_value()) << s;
  }
}

}  // namespace
}  // namespace wasmrtc::base
