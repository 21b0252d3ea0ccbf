#include "stun/address_attributes.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace wasmrtc::stun {
namespace {

const TransactionId kId = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

SocketAddress addr(const char* s) { return SocketAddress::parse(s).value(); }

// RFC 8489 section 14.1 layout.
TEST(AddressAttributes, PlainEncoding) {
  EXPECT_EQ(base::to_hex(encode_address(addr("192.0.2.1:32853"))), "00018055c0000201");
  EXPECT_EQ(base::to_hex(encode_address(addr("[2001:db8::1]:1"))),
            "0002000120010db8000000000000000000000001");
}

// RFC 8489 section 14.2: port ^ 0x2112, IPv4 address ^ 0x2112a442.
TEST(AddressAttributes, XorEncoding) {
  EXPECT_EQ(base::to_hex(encode_xor_address(addr("192.0.2.1:32853"), kId)), "0001a147e112a643");
  // IPv6: XOR with cookie then transaction id.
  EXPECT_EQ(base::to_hex(encode_xor_address(addr("[::]:0"), kId)),
            "000221122112a442" "0102030405060708090a0b0c");
}

TEST(AddressAttributes, RoundTrips) {
  for (const char* s : {"0.0.0.0:0", "192.0.2.1:32853", "255.255.255.255:65535", "[::1]:3478",
                        "[2001:db8:1234:5678:11:2233:4455:6677]:32853"}) {
    Message m(MessageClass::SuccessResponse, method::kBinding, kId);
    add_mapped_address(m, addr(s));
    add_xor_mapped_address(m, addr(s));
    add_alternate_server(m, addr(s));
    EXPECT_EQ(mapped_address(m).value(), addr(s));
    EXPECT_EQ(xor_mapped_address(m).value(), addr(s));
    EXPECT_EQ(alternate_server(m).value(), addr(s));
  }
}

TEST(AddressAttributes, Malformed) {
  auto bad = [](const char* hex) {
    return decode_address(base::from_hex(hex).value()).error() == Error::BadAttributeValue &&
           decode_xor_address(base::from_hex(hex).value(), kId).error() == Error::BadAttributeValue;
  };
  EXPECT_TRUE(bad(""));
  EXPECT_TRUE(bad("00"));
  EXPECT_TRUE(bad("000100"));
  EXPECT_TRUE(bad("0001 8055 c00002"));            // short IPv4
  EXPECT_TRUE(bad("0001 8055 c0000201 00"));       // long IPv4
  EXPECT_TRUE(bad("0002 8055 c0000201"));          // IPv6 family, 4 bytes
  EXPECT_TRUE(bad("0003 8055 c0000201"));          // unknown family
  EXPECT_EQ(mapped_address(Message()).error(), Error::AttributeMissing);
  // The reserved first byte is ignored.
  EXPECT_EQ(decode_address(base::from_hex("ff018055c0000201").value())->to_string(),
            "192.0.2.1:32853");
}

}  // namespace
}  // namespace wasmrtc::stun
