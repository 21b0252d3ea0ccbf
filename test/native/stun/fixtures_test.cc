// Messages made by an independent encoder (see each fixture's comment):
// src/stun must read, verify and reproduce them.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::stun {
namespace {

using namespace test;

TEST(Fixtures, ErrorResponse420) {
  const base::Bytes wire = load_fixture("error-response-420.hex");
  auto m = parse(wire);
  ASSERT_TRUE(m.ok()) << to_string(m.error());
  EXPECT_EQ(m->message_class, MessageClass::ErrorResponse);
  auto ec = error_code_of(*m);
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(ec->code, error_code::kUnknownAttribute);
  EXPECT_EQ(ec->reason, "Unknown Attribute");
  EXPECT_EQ(unknown_attributes(*m).value(), (std::vector<uint16_t>{0x7001, 0x0003}));
  EXPECT_EQ(software(*m).value(), "wasmrtc");
  EXPECT_TRUE(check_message_integrity(wire, base::as_bytes(kRfc5769Password)).ok());
  EXPECT_TRUE(check_fingerprint(wire).ok());

  Message built(MessageClass::ErrorResponse, method::kBinding, m->transaction_id);
  add_error_code(built, 420, "Unknown Attribute");
  const uint16_t unknown[] = {0x7001, 0x0003};
  add_unknown_attributes(built, unknown);
  add_software(built, "wasmrtc");
  SerializeOptions o;
  o.message_integrity_key = base::to_bytes(kRfc5769Password);
  o.fingerprint = true;
  EXPECT_EQ(serialize(built, o).value(), wire);
}

TEST(Fixtures, IceCheckWithTruncatedSha256) {
  const base::Bytes wire = load_fixture("ice-check-sha256.hex");
  auto m = parse(wire);
  ASSERT_TRUE(m.ok()) << to_string(m.error());
  EXPECT_EQ(username(*m).value(), "abcd:efgh");
  EXPECT_EQ(priority(*m).value(), 0x7e7f00ffu);
  EXPECT_TRUE(use_candidate(*m));
  EXPECT_EQ(ice_controlling(*m).value(), 0x0102030405060708ull);
  EXPECT_EQ(mapped_address(*m)->to_string(), "[fe80::1]:3478");
  EXPECT_TRUE(check_message_integrity_sha256(wire, base::as_bytes("pw")).ok());
  EXPECT_EQ(check_message_integrity_sha256(wire, base::as_bytes("pW")).error(),
            Error::BadMessageIntegrity);
  EXPECT_TRUE(check_fingerprint(wire).ok());
  EXPECT_EQ(serialize(*m).value(), wire);
}

}  // namespace
}  // namespace wasmrtc::stun
