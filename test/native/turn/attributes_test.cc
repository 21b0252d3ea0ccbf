#include "turn/attributes.h"

#include <gtest/gtest.h>

#include "stun/attributes.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::turn {
namespace {

stun::Message roundtrip(const stun::Message& m) {
  return stun::parse(stun::serialize(m).value()).value();
}

stun::TransactionId id() {
  stun::TransactionId t{};
  for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<uint8_t>(0xa0 + i);
  return t;
}

// RFC 8656 section 18.1: the number, then two RFFU bytes.
TEST(TurnAttributes, ChannelNumberLayout) {
  stun::Message m(stun::MessageClass::Request, stun::method::kChannelBind, id());
  add_channel_number(m, 0x4001);
  ASSERT_EQ(m.attributes.size(), 1u);
  EXPECT_EQ(m.attributes[0].type, 0x000C);
  EXPECT_EQ(m.attributes[0].value, (base::Bytes{0x40, 0x01, 0x00, 0x00}));
  EXPECT_EQ(channel_number(roundtrip(m)).value(), 0x4001);
}

TEST(TurnAttributes, ChannelNumberWrongSizeIsBad) {
  stun::Message m;
  m.add(attr::kChannelNumber, base::Bytes{0x40, 0x01});
  EXPECT_EQ(channel_number(m).error(), stun::Error::BadAttributeValue);
  EXPECT_EQ(channel_number(stun::Message()).error(), stun::Error::AttributeMissing);
}

// Section 18.2: seconds, 32 bits.
TEST(TurnAttributes, Lifetime) {
  stun::Message m;
  add_lifetime(m, base::Duration::millis(600'999));
  EXPECT_EQ(m.attributes[0].value, (base::Bytes{0x00, 0x00, 0x02, 0x58}));
  EXPECT_EQ(lifetime(m).value(), base::Duration::seconds(600));
  stun::Message zero;
  add_lifetime(zero, base::Duration::zero());
  EXPECT_EQ(lifetime(zero).value(), base::Duration::zero());
  stun::Message negative;
  add_lifetime(negative, base::Duration::seconds(-5));
  EXPECT_EQ(lifetime(negative).value(), base::Duration::zero());
}

// Sections 18.3 and 18.5: XORed like XOR-MAPPED-ADDRESS.
TEST(TurnAttributes, XorPeerAndRelayedAddresses) {
  stun::Message m(stun::MessageClass::SuccessResponse, stun::method::kAllocate, id());
  const auto peer = *base::SocketAddress::parse("[2001:db8::7]:3478");
  const auto relayed = *base::SocketAddress::parse("203.0.113.1:49152");
  add_xor_peer_address(m, peer);
  add_xor_relayed_address(m, relayed);
  EXPECT_EQ(m.attributes[0].type, 0x0012);
  EXPECT_EQ(m.attributes[1].type, 0x0016);
  // Port 49152 = 0xC000 XOR 0x2112 = 0xE112.
  EXPECT_EQ(m.attributes[1].value[2], 0xE1);
  EXPECT_EQ(m.attributes[1].value[3], 0x12);
  auto back = roundtrip(m);
  EXPECT_EQ(xor_peer_address(back).value(), peer);
  EXPECT_EQ(xor_relayed_address(back).value(), relayed);
}

// Section 18.4: any length, padded on the wire.
TEST(TurnAttributes, Data) {
  stun::Message m(stun::MessageClass::Indication, stun::method::kSend, id());
  add_data(m, base::Bytes{1, 2, 3, 4, 5});
  auto wire = stun::serialize(m).value();
  EXPECT_EQ(wire.size(), 20u + 4 + 8);
  auto back = stun::parse(wire).value();
  auto d = get_data(back).value();
  EXPECT_EQ(base::Bytes(d.begin(), d.end()), (base::Bytes{1, 2, 3, 4, 5}));
  EXPECT_EQ(get_data(stun::Message()).error(), stun::Error::AttributeMissing);
}

// Sections 18.6 and 18.8: one meaningful byte, three reserved.
TEST(TurnAttributes, RequestedTransportAndFamily) {
  stun::Message m;
  add_requested_transport(m, kProtocolUdp);
  add_requested_address_family(m, base::AddressFamily::V6);
  EXPECT_EQ(m.attributes[0].type, 0x0019);
  EXPECT_EQ(m.attributes[0].value, (base::Bytes{17, 0, 0, 0}));
  EXPECT_EQ(m.attributes[1].type, 0x0017);
  EXPECT_EQ(m.attributes[1].value, (base::Bytes{2, 0, 0, 0}));
  EXPECT_EQ(requested_transport(m).value(), 17);
  EXPECT_EQ(requested_address_family(m).value(), base::AddressFamily::V6);

  stun::Message bad;
  bad.add(attr::kRequestedAddressFamily, base::Bytes{3, 0, 0, 0});
  EXPECT_EQ(requested_address_family(bad).error(), stun::Error::BadAttributeValue);
}

TEST(TurnAttributes, KnownComprehensionRequired) {
  stun::Message m;
  add_requested_transport(m, kProtocolUdp);
  add_lifetime(m, base::Duration::seconds(1));
  add_xor_relayed_address(m, *base::SocketAddress::parse("192.0.2.1:1"));
  stun::add_realm(m, "r");
  m.add(0x0030, base::Bytes{});  // not a TURN or STUN attribute
  EXPECT_EQ(stun::unknown_comprehension_required(m, kKnownComprehensionRequired),
            (std::vector<uint16_t>{0x0030}));
}

}  // namespace
}  // namespace wasmrtc::turn
