#include "stun/message.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "stun/attributes.h"

namespace wasmrtc::stun {
namespace {

// RFC 8489 section 5: Binding request 0x0001, success 0x0101, error 0x0111,
// indication 0x0011.
TEST(MessageType, EncodesClassAndMethodBits) {
  EXPECT_EQ(encode_message_type(method::kBinding, MessageClass::Request), 0x0001);
  EXPECT_EQ(encode_message_type(method::kBinding, MessageClass::SuccessResponse), 0x0101);
  EXPECT_EQ(encode_message_type(method::kBinding, MessageClass::ErrorResponse), 0x0111);
  EXPECT_EQ(encode_message_type(method::kBinding, MessageClass::Indication), 0x0011);
  EXPECT_EQ(encode_message_type(method::kAllocate, MessageClass::Request), 0x0003);
  EXPECT_EQ(encode_message_type(method::kSend, MessageClass::Indication), 0x0016);
  EXPECT_EQ(encode_message_type(method::kChannelBind, MessageClass::SuccessResponse), 0x0109);
  EXPECT_EQ(encode_message_type(0x0FFF, MessageClass::ErrorResponse), 0x3FFF);
}

TEST(MessageType, DecodeInvertsEncode) {
  for (uint16_t m = 0; m <= 0x0FFF; ++m) {
    for (auto c : {MessageClass::Request, MessageClass::Indication, MessageClass::SuccessResponse,
                   MessageClass::ErrorResponse}) {
      uint16_t method = 0xffff;
      MessageClass cls{};
      decode_message_type(encode_message_type(m, c), method, cls);
      ASSERT_EQ(method, m);
      ASSERT_EQ(cls, c);
    }
  }
}

// RFC 8489 sections 14.5 and 14.6: what follows MESSAGE-INTEGRITY is ignored,
// except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.
TEST(Message, FindIgnoresAttributesAfterIntegrity) {
  Message m;
  add_username(m, "before");
  m.add(attr::kMessageIntegrity, base::Bytes(20, 0));
  add_realm(m, "after");
  add_username(m, "second");
  m.add(attr::kMessageIntegritySha256, base::Bytes(32, 0));
  m.add(attr::kMessageIntegritySha256, base::Bytes(16, 1));
  add_nonce(m, "after sha256");
  m.add(attr::kFingerprint, base::Bytes(4, 0));

  EXPECT_EQ(username(m).value(), "before");
  EXPECT_EQ(realm(m).error(), Error::AttributeMissing);
  EXPECT_EQ(nonce(m).error(), Error::AttributeMissing);
  ASSERT_NE(m.find(attr::kMessageIntegritySha256), nullptr);
  EXPECT_EQ(m.find(attr::kMessageIntegritySha256)->value.size(), 32u);
  EXPECT_TRUE(m.has(attr::kFingerprint));
  EXPECT_EQ(m.effective_attributes().size(), 4u);
  EXPECT_EQ(m.attributes.size(), 8u);
}

TEST(Message, UnknownComprehensionRequired) {
  Message m;
  add_username(m, "u");
  m.add(0x7001, base::Bytes{1, 2, 3, 4});
  m.add(0x8001, base::Bytes{});   // comprehension-optional: fine
  m.add(0x7001, base::Bytes{});   // reported once
  m.add(0x0003, base::Bytes{});   // RFC 3489's CHANGE-REQUEST, no longer defined
  m.add(attr::kMessageIntegrity, base::Bytes(20, 0));
  m.add(0x7002, base::Bytes{});   // after MESSAGE-INTEGRITY: ignored
  EXPECT_EQ(unknown_comprehension_required(m), (std::vector<uint16_t>{0x7001, 0x0003}));

  const uint16_t turn_known[] = {0x0003, 0x7001};
  EXPECT_EQ(unknown_comprehension_required(m, turn_known),
            (std::vector<uint16_t>{attr::kUsername, attr::kMessageIntegrity}));
}

}  // namespace
}  // namespace wasmrtc::stun
