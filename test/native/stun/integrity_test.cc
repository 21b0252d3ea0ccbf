#include "stun/integrity.h"

#include <gtest/gtest.h>

#include "fixtures.h"

#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::stun {
namespace {

const TransactionId kId = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};

Message sample() {
  Message m(MessageClass::Request, method::kBinding, kId);
  add_username(m, "user:peer");
  add_priority(m, 12345);
  return m;
}

TEST(Credentials, Keys) {
  EXPECT_EQ(short_term_key("pass"), base::to_bytes("pass"));
  // RFC 8489 section 9.2.2: MD5("user:realm:pass").
  EXPECT_EQ(base::to_hex(long_term_key("user", "realm", "pass")),
            "8493fbc53ba582fb4c044c456bdc40eb");
  EXPECT_EQ(long_term_key_sha256("user", "realm", "pass").size(), 32u);
}

TEST(Integrity, Sha1AndFingerprint) {
  const base::Bytes key = short_term_key("secret");
  SerializeOptions o;
  o.message_integrity_key = key;
  o.fingerprint = true;
  base::Bytes wire = serialize(sample(), o).value();
  EXPECT_TRUE(parse(wire).ok());
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_TRUE(check_fingerprint(wire).ok());
  EXPECT_EQ(check_message_integrity(wire, short_term_key("Secret")).error(),
            Error::BadMessageIntegrity);
  EXPECT_EQ(check_message_integrity_sha256(wire, key).error(), Error::MissingMessageIntegrity);

  // Any change before MESSAGE-INTEGRITY breaks it.
  const size_t mi_offset = wire.size() - 8 - 24;
  for (size_t i = 0; i < mi_offset; ++i) {
    base::Bytes bad = wire;
    bad[i] ^= 0x01;
    auto r = check_message_integrity(bad, key);
    EXPECT_FALSE(r.ok()) << i;
  }
}

TEST(Integrity, AttributesAfterIntegrityDoNotMatter) {
  const base::Bytes key = short_term_key("secret");
  SerializeOptions o;
  o.message_integrity_key = key;
  base::Bytes wire = serialize(sample(), o).value();
  // Append SOFTWARE after MESSAGE-INTEGRITY and a FINGERPRINT after that.
  Message m = parse(wire).value();
  add_software(m, "late");
  SerializeOptions fp;
  fp.fingerprint = true;
  base::Bytes longer = serialize(m, fp).value();
  EXPECT_TRUE(check_message_integrity(longer, key).ok());
  EXPECT_TRUE(check_fingerprint(longer).ok());
  EXPECT_EQ(software(parse(longer).value()).error(), Error::AttributeMissing);
}

TEST(Integrity, Sha256TruncationLengths) {
  const base::Bytes key = long_term_key_sha256("u", "r", "p");
  for (size_t len : {16u, 20u, 24u, 28u, 32u}) {
    SerializeOptions o;
    o.message_integrity_sha256_key = key;
    o.message_integrity_sha256_length = len;
    base::Bytes wire = serialize(sample(), o).value();
    EXPECT_EQ(parse(wire)->find(attr::kMessageIntegritySha256)->value.size(), len);
    EXPECT_TRUE(check_message_integrity_sha256(wire, key).ok()) << len;
    wire[21] ^= 0x80;
    EXPECT_EQ(check_message_integrity_sha256(wire, key).error(), Error::BadMessageIntegrity);
  }
  for (size_t len : {0u, 12u, 18u, 36u}) {
    SerializeOptions o;
    o.message_integrity_sha256_key = key;
    o.message_integrity_sha256_length = len;
    EXPECT_EQ(serialize(sample(), o).error(), Error::BadIntegrityLength) << len;
  }
}

TEST(Integrity, BothIntegrityAttributes) {
  const base::Bytes key = short_term_key("k");
  SerializeOptions o;
  o.message_integrity_key = key;
  o.message_integrity_sha256_key = key;
  o.fingerprint = true;
  base::Bytes wire = serialize(sample(), o).value();
  EXPECT_TRUE(check_message_integrity(wire, key).ok());
  EXPECT_TRUE(check_message_integrity_sha256(wire, key).ok());
  EXPECT_TRUE(check_fingerprint(wire).ok());
}

TEST(Integrity, MalformedIntegrityAttributes) {
  Message m = sample();
  m.add(attr::kMessageIntegrity, base::Bytes(16, 0));
  m.add(attr::kMessageIntegritySha256, base::Bytes(12, 0));
  m.add(attr::kFingerprint, base::Bytes(8, 0));
  base::Bytes wire = serialize(m).value();
  EXPECT_EQ(check_message_integrity(wire, base::Bytes{1}).error(), Error::BadAttributeValue);
  EXPECT_EQ(check_message_integrity_sha256(wire, base::Bytes{1}).error(),
            Error::BadAttributeValue);
  EXPECT_EQ(check_fingerprint(wire).error(), Error::BadAttributeValue);
  EXPECT_EQ(check_fingerprint(serialize(sample()).value()).error(), Error::MissingFingerprint);
  EXPECT_EQ(check_message_integrity(base::Bytes{0, 1}, base::Bytes{1}).error(), Error::Truncated);
}

TEST(Integrity, AppendRefusesBadInput) {
  base::Bytes junk = {1, 2, 3};
  EXPECT_EQ(append_fingerprint(junk).error(), Error::Truncated);
  EXPECT_EQ(junk, (base::Bytes{1, 2, 3}));
  EXPECT_EQ(append_message_integrity(junk, base::Bytes{1}).error(), Error::Truncated);
}

}  // namespace
}  // namespace wasmrtc::stun
