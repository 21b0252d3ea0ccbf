// Malformed input: every fault gets its own error, and no input is read
// past its end (the fuzz target checks the latter far harder).
#include "stun/parse.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "stun/integrity.h"

namespace wasmrtc::stun {
namespace {

using namespace test;

base::Bytes hex(const char* s) { return base::from_hex(s).value(); }

// A Binding request header with the given length and no attributes yet.
constexpr const char* kHeader = "0001 %s 2112a442 b7e7a701bc34d686fa87dfae";

base::Bytes header_with(const char* length_hex, const char* body_hex) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), kHeader, length_hex);
  base::Bytes b = hex(buf);
  base::Bytes body = hex(body_hex);
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

TEST(Parse, EmptyMessage) {
  auto m = parse(header_with("0000", ""));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->attributes.empty());
}

TEST(Parse, TruncatedHeader) {
  const base::Bytes wire = load_fixture(kRfc5769Request);
  for (size_t n = 0; n < kHeaderSize; ++n) {
    EXPECT_EQ(parse(base::ByteView(wire).first(n)).error(), Error::Truncated) << n;
  }
}

TEST(Parse, EveryPrefixOfAVectorFails) {
  for (const char* name : {kRfc5769Request, kRfc5769Ipv4Response, kRfc5769Ipv6Response,
                           kRfc5769LongTermRequest, kRfc8489Sha256Request}) {
    const base::Bytes wire = load_fixture(name);
    for (size_t n = 0; n < wire.size(); ++n) {
      auto r = parse(base::ByteView(wire).first(n));
      ASSERT_FALSE(r.ok()) << name << " " << n;
      EXPECT_EQ(r.error(), Error::Truncated) << name << " " << n;
    }
  }
}

TEST(Parse, BodyShorterThanLength) {
  EXPECT_EQ(parse(header_with("0008", "00250000")).error(), Error::Truncated);
}

TEST(Parse, BytesBeyondLength) {
  EXPECT_EQ(parse(header_with("0000", "00250000")).error(), Error::BadLength);
}

TEST(Parse, LengthNotMultipleOfFour) {
  // Two stray bytes after a whole (empty) USE-CANDIDATE attribute.
  EXPECT_EQ(parse(header_with("0006", "00250000 abcd")).error(), Error::BadLength);
  EXPECT_EQ(parse(header_with("0002", "0025")).error(), Error::BadLength);
}

TEST(Parse, LeadingBitsAndCookie) {
  base::Bytes b = header_with("0000", "");
  b[0] = 0x40;
  EXPECT_EQ(parse(b).error(), Error::BadLeadingBits);
  b[0] = 0x80;
  EXPECT_EQ(parse(b).error(), Error::BadLeadingBits);
  b[0] = 0x00;
  b[7] = 0x43;
  EXPECT_EQ(parse(b).error(), Error::BadMagicCookie);
}

TEST(Parse, BadAttributePadding) {
  // USERNAME "a": one value byte, but its 3 padding bytes are missing.
  EXPECT_EQ(parse(header_with("0005", "00060001 61")).error(), Error::BadAttributePadding);
  // Same with a complete attribute before it.
  EXPECT_EQ(parse(header_with("000b", "00250000 00060003 616263")).error(),
            Error::BadAttributePadding);
}

TEST(Parse, AttributeRunsPastEnd) {
  EXPECT_EQ(parse(header_with("0008", "00060100 61626364")).error(), Error::AttributeOverflow);
  EXPECT_EQ(parse(header_with("0004", "0006ffff")).error(), Error::AttributeOverflow);
  EXPECT_EQ(parse(header_with("0008", "00060005 61626364")).error(), Error::AttributeOverflow);
}

TEST(Parse, PaddingBytesAreKept) {
  auto m = parse(header_with("0008", "00060001 61 fe fd fc"));
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->attributes.size(), 1u);
  EXPECT_EQ(m->attributes[0].value, base::Bytes{0x61});
  EXPECT_EQ(m->attributes[0].padding, (std::array<uint8_t, 3>{0xfe, 0xfd, 0xfc}));
}

TEST(Parse, WrongFingerprint) {
  base::Bytes wire = load_fixture(kRfc5769Ipv4Response);
  wire.back() ^= 0x01;
  EXPECT_EQ(parse(wire).error(), Error::BadFingerprint);
  EXPECT_EQ(check_fingerprint(wire).error(), Error::BadFingerprint);
  // The HMAC does not cover FINGERPRINT, so it still verifies.
  EXPECT_TRUE(check_message_integrity(wire, base::as_bytes(kRfc5769Password)).ok());

  wire = load_fixture(kRfc5769Ipv4Response);
  wire[24] ^= 0x20;  // "test vector" -> "Test vector"
  EXPECT_EQ(parse(wire).error(), Error::BadFingerprint);
  EXPECT_EQ(check_message_integrity(wire, base::as_bytes(kRfc5769Password)).error(),
            Error::BadMessageIntegrity);
}

TEST(Parse, FingerprintMustBeLast) {
  base::Bytes wire = load_fixture(kRfc5769Ipv4Response);
  const base::Bytes tail = hex("00250000");
  wire.insert(wire.end(), tail.begin(), tail.end());
  wire[3] += 4;
  EXPECT_EQ(parse(wire).error(), Error::AttributeAfterFingerprint);
  EXPECT_EQ(check_fingerprint(wire).error(), Error::AttributeAfterFingerprint);
}

TEST(Parse, FingerprintOfWrongSize) {
  EXPECT_EQ(parse(header_with("0008", "80280002 00000000")).error(), Error::BadAttributeValue);
  EXPECT_EQ(parse(header_with("000c", "80280008 00000000 00000000")).error(),
            Error::BadAttributeValue);
}

TEST(Parse, UnknownAttributesAreKept) {
  auto m = parse(header_with("0010", "7777 0002 abcd 0000 ffff 0004 01020304"));
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->attributes.size(), 2u);
  EXPECT_EQ(m->attributes[0].type, 0x7777);
  EXPECT_EQ(m->attributes[1].type, 0xffff);
}

// RFC 7983 section 7 demultiplexing.
TEST(LooksLikeStun, Demultiplexing) {
  EXPECT_TRUE(looks_like_stun(load_fixture(kRfc5769Request)));
  EXPECT_TRUE(looks_like_stun(header_with("0000", "")));
  base::Bytes b = header_with("0000", "");
  b[0] = 0x16;  // DTLS handshake
  EXPECT_FALSE(looks_like_stun(b));
  b[0] = 0x80;  // RTP / RTCP
  EXPECT_FALSE(looks_like_stun(b));
  b[0] = 0x00;
  b[4] = 0x00;  // no cookie (RFC 3489 style)
  EXPECT_FALSE(looks_like_stun(b));
  EXPECT_FALSE(looks_like_stun(base::ByteView(load_fixture(kRfc5769Request)).first(19)));
  EXPECT_FALSE(looks_like_stun(header_with("0008", "")));
}

}  // namespace
}  // namespace wasmrtc::stun
