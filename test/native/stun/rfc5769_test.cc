// RFC 5769 test vectors, typed in from the RFC into test/data/stun/.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::stun {
namespace {

using namespace test;

const TransactionId kId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
const TransactionId kLongTermId = {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad,
                                   0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e};

void set_padding(Message& m, uint16_t type, uint8_t byte) {
  for (Attribute& a : m.attributes) {
    if (a.type == type) a.padding = {byte, byte, byte};
  }
}

SerializeOptions protect(base::Bytes key, bool fingerprint) {
  SerializeOptions o;
  o.message_integrity_key = std::move(key);
  o.fingerprint = fingerprint;
  return o;
}

// Section 2.1: Sample Request.
TEST(Rfc5769, SampleRequest) {
  const base::Bytes wire = load_fixture(kRfc5769Request);
  ASSERT_EQ(wire.size(), 108u);
  EXPECT_TRUE(looks_like_stun(wire));

  auto msg = parse(wire);
  ASSERT_TRUE(msg.ok()) << to_string(msg.error());
  EXPECT_EQ(msg->message_class, MessageClass::Request);
  EXPECT_EQ(msg->method, method::kBinding);
  EXPECT_EQ(msg->transaction_id, kId);
  ASSERT_EQ(msg->attributes.size(), 6u);
  EXPECT_EQ(software(*msg).value(), "STUN test client");
  EXPECT_EQ(priority(*msg).value(), 0x6e0001ffu);
  EXPECT_EQ(ice_controlled(*msg).value(), 0x932ff9b151263b36ull);
  EXPECT_EQ(username(*msg).value(), "evtj:h6vY");
  EXPECT_TRUE(unknown_comprehension_required(*msg).empty());

  const base::Bytes key = short_term_key(kRfc5769Password);
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_EQ(check_message_integrity(wire, short_term_key("wrong")).error(),
            Error::BadMessageIntegrity);
  EXPECT_TRUE(check_fingerprint(wire).ok());

  // Round trip, byte for byte (USERNAME keeps its space padding).
  EXPECT_EQ(serialize(*msg).value(), wire);

  // Built from scratch: same bytes, given the RFC's space padding.
  Message built(MessageClass::Request, method::kBinding, kId);
  add_software(built, "STUN test client");
  add_priority(built, 0x6e0001ff);
  add_ice_controlled(built, 0x932ff9b151263b36ull);
  add_username(built, "evtj:h6vY");
  set_padding(built, attr::kUsername, 0x20);
  EXPECT_EQ(serialize(built, protect(key, true)).value(), wire);
}

// Section 2.2: Sample IPv4 Response.
TEST(Rfc5769, SampleIpv4Response) {
  const base::Bytes wire = load_fixture(kRfc5769Ipv4Response);
  ASSERT_EQ(wire.size(), 80u);
  auto msg = parse(wire);
  ASSERT_TRUE(msg.ok()) << to_string(msg.error());
  EXPECT_EQ(msg->message_class, MessageClass::SuccessResponse);
  EXPECT_EQ(msg->method, method::kBinding);
  EXPECT_EQ(msg->transaction_id, kId);
  EXPECT_EQ(software(*msg).value(), "test vector");
  auto mapped = xor_mapped_address(*msg);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->to_string(), "192.0.2.1:32853");

  const base::Bytes key = short_term_key(kRfc5769Password);
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_TRUE(check_fingerprint(wire).ok());
  EXPECT_EQ(serialize(*msg).value(), wire);

  Message built(MessageClass::SuccessResponse, method::kBinding, kId);
  add_software(built, "test vector");
  set_padding(built, attr::kSoftware, 0x20);
  add_xor_mapped_address(built, *SocketAddress::parse("192.0.2.1:32853"));
  EXPECT_EQ(serialize(built, protect(key, true)).value(), wire);
}

// Section 2.3: Sample IPv6 Response.
TEST(Rfc5769, SampleIpv6Response) {
  const base::Bytes wire = load_fixture(kRfc5769Ipv6Response);
  ASSERT_EQ(wire.size(), 92u);
  auto msg = parse(wire);
  ASSERT_TRUE(msg.ok()) << to_string(msg.error());
  EXPECT_EQ(msg->message_class, MessageClass::SuccessResponse);
  auto mapped = xor_mapped_address(*msg);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->to_string(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");

  const base::Bytes key = short_term_key(kRfc5769Password);
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_TRUE(check_fingerprint(wire).ok());
  EXPECT_EQ(serialize(*msg).value(), wire);

  Message built(MessageClass::SuccessResponse, method::kBinding, kId);
  add_software(built, "test vector");
  set_padding(built, attr::kSoftware, 0x20);
  add_xor_mapped_address(built,
                         *SocketAddress::parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853"));
  EXPECT_EQ(serialize(built, protect(key, true)).value(), wire);
}

// Section 2.4: Sample Request with Long-Term Authentication.
TEST(Rfc5769, SampleRequestWithLongTermAuthentication) {
  const base::Bytes wire = load_fixture(kRfc5769LongTermRequest);
  ASSERT_EQ(wire.size(), 116u);
  auto msg = parse(wire);
  ASSERT_TRUE(msg.ok()) << to_string(msg.error());
  EXPECT_EQ(msg->message_class, MessageClass::Request);
  EXPECT_EQ(msg->transaction_id, kLongTermId);
  EXPECT_EQ(username(*msg).value(), kMatrixUsername);
  EXPECT_EQ(nonce(*msg).value(), "f//499k954d6OL34oL9FSTvy64sA");
  EXPECT_EQ(realm(*msg).value(), "example.org");

  const base::Bytes key = long_term_key(kMatrixUsername, "example.org", kMatrixPassword);
  EXPECT_EQ(base::to_hex(key), "e8ca7ad59d5eb0518e312911d2dab2a9");
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_EQ(check_message_integrity(wire, short_term_key(kMatrixPassword)).error(),
            Error::BadMessageIntegrity);
  EXPECT_EQ(check_fingerprint(wire).error(), Error::MissingFingerprint);
  EXPECT_EQ(serialize(*msg).value(), wire);

  Message built(MessageClass::Request, method::kBinding, kLongTermId);
  add_username(built, kMatrixUsername);
  add_nonce(built, "f//499k954d6OL34oL9FSTvy64sA");
  add_realm(built, "example.org");
  EXPECT_EQ(serialize(built, protect(key, false)).value(), wire);
}

}  // namespace
}  // namespace wasmrtc::stun
