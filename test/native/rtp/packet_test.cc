// RTP packets (RFC 3550 5.1) and header extensions in both RFC 8285 forms:
// parsing hand-assembled packets field by field, byte-exact round trips,
// and every malformation.
#include "rtp/packet.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Bytes;

Bytes hex(std::string_view h) { return *base::from_hex(h); }

// V=2 X=1 CC=0, M=1 PT=111 (Opus), seq 1, ts 960, SSRC 0x11223344;
// one-byte extensions: id 1 = ff (audio level), id 2 = 010203; 2 bytes of
// padding to the word; payload "hi".
const Bytes kOneByte = hex("90ef0001000003c011223344bede000210ff22010203000068 69");

TEST(rtp_Packet, ParsesHeaderAndOneByteExtensions) {
  auto p = parse_rtp(kOneByte);
  ASSERT_TRUE(p.ok()) << to_string(p.error());
  EXPECT_TRUE(p->marker);
  EXPECT_EQ(p->payload_type, 111);
  EXPECT_EQ(p->sequence_number, 1);
  EXPECT_EQ(p->timestamp, 960u);
  EXPECT_EQ(p->ssrc, 0x11223344u);
  EXPECT_FALSE(p->two_byte_extensions);
  ASSERT_EQ(p->extensions.size(), 2u);
  EXPECT_EQ(*p->extension(1), (Extension{1, {0xff}}));
  EXPECT_EQ(*p->extension(2), (Extension{2, {1, 2, 3}}));
  EXPECT_EQ(p->extension(3), nullptr);
  EXPECT_EQ(p->payload, (Bytes{0x68, 0x69}));  // "hi"
  EXPECT_EQ(serialize(*p).value(), kOneByte);
}

TEST(rtp_Packet, ParsesTwoByteExtensionsCsrcsAndPadding) {
  // CC=2, two-byte block: id 7 empty, id 8 = aa; payload 01 02; 3 bytes of padding.
  const Bytes wire = hex("b2600002000000010000000a0000000b0000000c100000020700 08 01 aa 000000 0102 000003");
  auto p = parse_rtp(wire);
  ASSERT_TRUE(p.ok()) << to_string(p.error());
  EXPECT_EQ(p->csrcs, (std::vector<uint32_t>{0xb, 0xc}));
  EXPECT_TRUE(p->two_byte_extensions);
  ASSERT_EQ(p->extensions.size(), 2u);
  EXPECT_EQ(p->extensions[0], (Extension{7, {}}));
  EXPECT_EQ(p->extensions[1], (Extension{8, {0xaa}}));
  EXPECT_EQ(p->payload, (Bytes{1, 2}));
  EXPECT_EQ(p->padding, 3);
  EXPECT_EQ(serialize(*p).value(), wire);
}

TEST(rtp_Packet, SerializePicksTheTwoByteFormWhenNeeded) {
  RtpPacket p;
  p.payload_type = 96;
  p.extensions = {Extension{15, {1}}};  // id 15 cannot be written in the one-byte form
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  auto back = parse_rtp(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->two_byte_extensions);
  EXPECT_EQ(back->extensions, p.extensions);
  p.extensions = {Extension{0, {1}}};
  EXPECT_EQ(serialize(p).error(), Error::BadExtensionId);
  p.extensions.clear();
  p.csrcs.assign(16, 1);
  EXPECT_EQ(serialize(p).error(), Error::TooLarge);
}

TEST(rtp_Packet, OneByteIdFifteenEndsTheBlock) {
  // id 1 = 01, then f0 (id 15): what follows is not read as elements.
  auto p = parse_rtp(hex("9060000100000001000000 01 bede0001 1001f0 99 aabb"));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->extensions.size(), 1u);
  EXPECT_EQ(p->payload, (Bytes{0xaa, 0xbb}));
}

TEST(rtp_Packet, KeepsOtherExtensionProfilesWhole) {
  const Bytes wire = hex("906000010000000100000001abcd0001deadbeef 42");
  auto p = parse_rtp(wire);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->other_extension_profile, 0xabcd);
  EXPECT_EQ(p->other_extension, hex("deadbeef"));
  EXPECT_TRUE(p->extensions.empty());
  EXPECT_EQ(serialize(*p).value(), wire);
}

TEST(rtp_Packet, RefusesMalformedPackets) {
  for (size_t n = 0; n < kOneByte.size() - 2; ++n) {  // cut anywhere before the payload
    auto p = parse_rtp(base::ByteView(kOneByte.data(), n));
    EXPECT_FALSE(p.ok()) << n;
  }
  Bytes v1 = kOneByte;
  v1[0] = (v1[0] & 0x3f) | 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), Error::BadVersion);
  EXPECT_EQ(parse_rtp(hex("a06000010000000100000001 00")).error(), Error::BadPadding);  // count 0
  EXPECT_EQ(parse_rtp(hex("a06000010000000100000001 0109")).error(), Error::BadPadding);  // count > payload
  // An element longer than its block.
  EXPECT_EQ(parse_rtp(hex("9060000100000001000000 01 bede0001 13010203")).error(), Error::BadExtension);
  EXPECT_EQ(parse_rtp(hex("9060000100000001000000 01 10000001 07 09 0102")).error(), Error::BadExtension);
  // Id 0 with a length: neither padding nor an element.
  EXPECT_EQ(parse_rtp(hex("9060000100000001000000 01 bede0001 01000000")).error(), Error::BadExtensionId);
}

}  // namespace
}  // namespace wasmrtc::rtp
