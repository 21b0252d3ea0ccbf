#include "base/ip_address.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(IpAddress, ParsesAndFormatsIpv4) {
  auto a = IpAddress::parse("192.0.2.1");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(to_hex(a->bytes()), "c0000201");
  EXPECT_EQ(a->to_string(), "192.0.2.1");
  EXPECT_EQ(IpAddress::v4(0xc0000201), *a);
  EXPECT_EQ(IpAddress::parse("0.0.0.0")->to_string(), "0.0.0.0");
  EXPECT_EQ(IpAddress::parse("255.255.255.255")->to_string(), "255.255.255.255");
}

TEST(IpAddress, RejectsBadIpv4) {
  for (const char* s : {"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.", ".1.2.3",
                        "01.2.3.4", "1.2.3.4 ", "1..2.3", "a.b.c.d", "1234.1.1.1"}) {
    EXPECT_FALSE(IpAddress::parse(s).has_value()) << s;
  }
}

TEST(IpAddress, ParsesIpv6Forms) {
  auto a = IpAddress::parse("2001:db8:1234:5678:11:2233:4455:6677");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->is_v6());
  EXPECT_EQ(to_hex(a->bytes()), "20010db8123456780011223344556677");
  EXPECT_EQ(to_hex(IpAddress::parse("::1")->bytes()), "00000000000000000000000000000001");
  EXPECT_EQ(to_hex(IpAddress::parse("::")->bytes()), "00000000000000000000000000000000");
  EXPECT_EQ(to_hex(IpAddress::parse("fe80::")->bytes()), "fe800000000000000000000000000000");
  EXPECT_EQ(to_hex(IpAddress::parse("::ffff:192.0.2.1")->bytes()),
            "00000000000000000000ffffc0000201");
  EXPECT_EQ(to_hex(IpAddress::parse("1:2:3:4:5:6:1.2.3.4")->bytes()),
            "00010002000300040005000601020304");
  EXPECT_EQ(to_hex(IpAddress::parse("ABCD::EF")->bytes()), "abcd00000000000000000000000000ef");
}

TEST(IpAddress, RejectsBadIpv6) {
  for (const char* s : {":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
                        "g::", "1:2:3:4:5:6:7::8", "::1.2.3.4:5", "1.2.3.4::", ":1::", "1::2:",
                        "1:2:3:4:5:6:7:1.2.3.4", "[::1]", "fe80::1%eth0"}) {
    EXPECT_FALSE(IpAddress::parse(s).has_value()) << s;
  }
}

// RFC 5952 section 4 canonical text.
TEST(IpAddress, FormatsIpv6Canonically) {
  auto fmt = [](const char* s) { return IpAddress::parse(s)->to_string(); };
  EXPECT_EQ(fmt("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(fmt("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // first of equal runs
  EXPECT_EQ(fmt("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // lone zero kept
  EXPECT_EQ(fmt("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");  // longest run
  EXPECT_EQ(fmt("::"), "::");
  EXPECT_EQ(fmt("::1"), "::1");
  EXPECT_EQ(fmt("1::"), "1::");
  EXPECT_EQ(fmt("2001:DB8:1234:5678:11:2233:4455:6677"), "2001:db8:1234:5678:11:2233:4455:6677");
  EXPECT_EQ(fmt("::ffff:c000:0201"), "::ffff:192.0.2.1");
}

TEST(IpAddress, FromBytes) {
  const uint8_t four[] = {10, 0, 0, 1};
  EXPECT_EQ(IpAddress::from_bytes(four)->to_string(), "10.0.0.1");
  const uint8_t five[] = {1, 2, 3, 4, 5};
  EXPECT_FALSE(IpAddress::from_bytes(five).has_value());
  EXPECT_NE(*IpAddress::parse("::"), *IpAddress::parse("0.0.0.0"));
}

}  // namespace
}  // namespace wasmrtc::base
