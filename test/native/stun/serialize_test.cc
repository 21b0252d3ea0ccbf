#include "stun/serialize.h"

#include <gtest/gtest.h>

#include "fixtures.h"

#include "stun/attributes.h"
#include "stun/integrity.h"
#include "stun/parse.h"

namespace wasmrtc::stun {
namespace {

const TransactionId kId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

TEST(Serialize, EmptyBindingRequest) {
  Message m(MessageClass::Request, method::kBinding, kId);
  EXPECT_EQ(base::to_hex(serialize(m).value()), "000100002112a442b7e7a701bc34d686fa87dfae");
}

TEST(Serialize, PadsWithZeros) {
  Message m(MessageClass::Indication, method::kBinding, kId);
  add_software(m, "abcde");
  base::Bytes b = serialize(m).value();
  ASSERT_EQ(b.size(), 20u + 4 + 8);
  EXPECT_EQ(base::to_hex(base::ByteView(b).subspan(20)), "8022000561626364" "65000000");
  EXPECT_EQ(b[3], 12);
}

TEST(Serialize, TooLong) {
  Message m;
  m.add(0x8000, base::Bytes(0x10000, 0));
  EXPECT_EQ(serialize(m).error(), Error::MessageTooLong);

  Message big;
  big.add(0x8000, base::Bytes(0xFFFF, 0));  // pads to 0x10000 + 4
  EXPECT_EQ(serialize(big).error(), Error::MessageTooLong);

  Message fits;
  fits.add(0x8000, base::Bytes(0xFFFC - 4, 0));
  auto ok = serialize(fits);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(parse(ok.value()).ok());
  SerializeOptions o;
  o.fingerprint = true;
  EXPECT_EQ(serialize(fits, o).error(), Error::MessageTooLong);
}

TEST(Serialize, ParseSerializeIsIdentity) {
  Message m(MessageClass::ErrorResponse, method::kAllocate, kId);
  add_error_code(m, 401, "Unauthenticated");
  add_realm(m, "r");
  m.add(0x7777, base::Bytes{1, 2, 3});
  m.attributes.back().padding = {9, 9, 9};
  SerializeOptions o;
  o.message_integrity_key = base::Bytes{1, 2, 3};
  o.fingerprint = true;
  base::Bytes wire = serialize(m, o).value();
  auto parsed = parse(wire);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->method, method::kAllocate);
  EXPECT_EQ(parsed->message_class, MessageClass::ErrorResponse);
  EXPECT_EQ(serialize(*parsed).value(), wire);
}

}  // namespace
}  // namespace wasmrtc::stun
