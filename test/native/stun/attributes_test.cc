#include "stun/attributes.h"

#include <gtest/gtest.h>

#include "fixtures.h"

#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::stun {
namespace {

Message round_trip(const Message& m) {
  auto bytes = serialize(m);
  EXPECT_TRUE(bytes.ok());
  auto parsed = parse(bytes.value());
  EXPECT_TRUE(parsed.ok());
  return parsed.value();
}

TEST(Attributes, TextRoundTrip) {
  Message m;
  add_username(m, "alice:bob");
  add_realm(m, "example.org");
  add_nonce(m, "n0nce");
  add_software(m, "wasmrtc");
  Message p = round_trip(m);
  EXPECT_EQ(username(p).value(), "alice:bob");
  EXPECT_EQ(realm(p).value(), "example.org");
  EXPECT_EQ(nonce(p).value(), "n0nce");
  EXPECT_EQ(software(p).value(), "wasmrtc");
}

TEST(Attributes, MissingAndOversizedText) {
  Message m;
  EXPECT_EQ(username(m).error(), Error::AttributeMissing);
  add_username(m, std::string(764, 'u'));
  add_realm(m, std::string(764, 'r'));
  EXPECT_EQ(username(m).error(), Error::BadAttributeValue);
  EXPECT_EQ(realm(m).error(), Error::BadAttributeValue);
}

// RFC 8489 section 14.8.
TEST(Attributes, ErrorCode) {
  Message m(MessageClass::ErrorResponse, method::kBinding, {});
  add_error_code(m, error_code::kUnknownAttribute, "Unknown Attribute");
  EXPECT_EQ(base::to_hex(m.attributes[0].value).substr(0, 8), "00000414");
  Message p = round_trip(m);
  auto ec = error_code_of(p);
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(ec->code, 420);
  EXPECT_EQ(ec->reason, "Unknown Attribute");

  Message empty_reason;
  add_error_code(empty_reason, 699, "");
  EXPECT_EQ(error_code_of(empty_reason)->code, 699);
}

TEST(Attributes, BadErrorCode) {
  Message m;
  EXPECT_EQ(error_code_of(m).error(), Error::AttributeMissing);
  m.add(attr::kErrorCode, base::Bytes{0, 0, 4});  // too short
  EXPECT_EQ(error_code_of(m).error(), Error::BadAttributeValue);
  Message c2;
  c2.add(attr::kErrorCode, base::Bytes{0, 0, 2, 0});  // class 2
  EXPECT_EQ(error_code_of(c2).error(), Error::BadAttributeValue);
  Message n100;
  n100.add(attr::kErrorCode, base::Bytes{0, 0, 4, 100});  // number 100
  EXPECT_EQ(error_code_of(n100).error(), Error::BadAttributeValue);
}

// RFC 8489 section 14.13.
TEST(Attributes, UnknownAttributes) {
  Message m;
  const uint16_t types[] = {0x7001, 0x0003, 0x7777};
  add_unknown_attributes(m, types);
  Message p = round_trip(m);
  EXPECT_EQ(unknown_attributes(p).value(), (std::vector<uint16_t>{0x7001, 0x0003, 0x7777}));
  EXPECT_EQ(p.attributes[0].value.size(), 6u);

  Message odd;
  odd.add(attr::kUnknownAttributes, base::Bytes{0x70, 0x01, 0x00});
  EXPECT_EQ(unknown_attributes(odd).error(), Error::BadAttributeValue);
  EXPECT_EQ(unknown_attributes(Message()).error(), Error::AttributeMissing);
}

// RFC 8445 section 7.1.
TEST(Attributes, IceAttributes) {
  Message m;
  add_priority(m, 0x6e0001ff);
  add_use_candidate(m);
  add_ice_controlling(m, 0x0102030405060708ull);
  Message p = round_trip(m);
  EXPECT_EQ(priority(p).value(), 0x6e0001ffu);
  EXPECT_TRUE(use_candidate(p));
  EXPECT_EQ(ice_controlling(p).value(), 0x0102030405060708ull);
  EXPECT_EQ(ice_controlled(p).error(), Error::AttributeMissing);
  EXPECT_EQ(p.find(attr::kUseCandidate)->value.size(), 0u);
}

TEST(Attributes, NumbersOfWrongSize) {
  Message m;
  m.add(attr::kPriority, base::Bytes{1, 2, 3});
  m.add(attr::kIceControlled, base::Bytes{1, 2, 3, 4});
  EXPECT_EQ(priority(m).error(), Error::BadAttributeValue);
  EXPECT_EQ(ice_controlled(m).error(), Error::BadAttributeValue);
}

}  // namespace
}  // namespace wasmrtc::stun
