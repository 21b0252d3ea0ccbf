// RFC 8489 appendix B.1, as corrected by RFC Errata ID 6268 (see the
// fixture's comment for what the published vector gets wrong).
#include <gtest/gtest.h>

#include "base/byte_reader.h"
#include "fixtures.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::stun {
namespace {

using namespace test;

constexpr const char* kNonce = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";

TEST(Rfc8489, AppendixB1WithErrata6268) {
  const base::Bytes wire = load_fixture(kRfc8489Sha256Request);
  ASSERT_EQ(wire.size(), 164u);
  auto msg = parse(wire);
  ASSERT_TRUE(msg.ok()) << to_string(msg.error());
  EXPECT_EQ(msg->message_class, MessageClass::Request);
  EXPECT_EQ(msg->method, method::kBinding);
  EXPECT_EQ(nonce(*msg).value(), kNonce);
  EXPECT_EQ(realm(*msg).value(), "example.org");
  EXPECT_EQ(get_u32(*msg, attr::kPasswordAlgorithm).value(),
            uint32_t{password_algorithm::kSha256} << 16);  // algorithm, no parameters

  // Section 14.4: USERHASH = SHA-256(username ":" realm).
  const Attribute* uh = msg->find(attr::kUserhash);
  ASSERT_NE(uh, nullptr);
  auto expected_hash = userhash(kMatrixUsername, "example.org");
  EXPECT_EQ(base::to_hex(uh->value), base::to_hex(expected_hash));

  const base::Bytes key = long_term_key_sha256(kMatrixUsername, "example.org", kMatrixPassword);
  EXPECT_TRUE(check_message_integrity_sha256(wire, key).ok());
  EXPECT_EQ(check_message_integrity_sha256(wire, long_term_key(kMatrixUsername, "example.org",
                                                               kMatrixPassword))
                .error(),
            Error::BadMessageIntegrity);
  EXPECT_EQ(check_message_integrity(wire, key).error(), Error::MissingMessageIntegrity);
  EXPECT_EQ(serialize(*msg).value(), wire);

  // Built from scratch.
  Message built(msg->message_class, msg->method, msg->transaction_id);
  built.add(attr::kUserhash, expected_hash);
  add_nonce(built, kNonce);
  add_realm(built, "example.org");
  add_u32(built, attr::kPasswordAlgorithm, uint32_t{password_algorithm::kSha256} << 16);
  SerializeOptions o;
  o.message_integrity_sha256_key = key;
  EXPECT_EQ(serialize(built, o).value(), wire);
}

// The vector as printed in RFC 8489: its length field counts the header, so
// it does not parse; with the length fixed its HMAC still does not verify.
TEST(Rfc8489, PublishedAppendixB1IsInconsistent) {
  const base::Bytes corrected = load_fixture(kRfc8489Sha256Request);
  // Drop PASSWORD-ALGORITHM (8 bytes at 120) and put back the printed HMAC.
  base::Bytes published(corrected.begin(), corrected.begin() + 120);
  published.insert(published.end(), corrected.begin() + 128, corrected.begin() + 132);
  auto printed_mac = base::from_hex(
      "e4686c8f 0edeb590 13e07090 010a93ef ccbccc54 4c0a45d9 f830aa6d 6f735a01");
  published.insert(published.end(), printed_mac->begin(), printed_mac->end());
  ASSERT_EQ(published.size(), 0x9cu);
  published[2] = 0x00;
  published[3] = 0x9c;
  EXPECT_EQ(parse(published).error(), Error::Truncated);

  published[3] = 0x88;
  ASSERT_TRUE(parse(published).ok());
  const base::Bytes key = long_term_key_sha256(kMatrixUsername, "example.org", kMatrixPassword);
  EXPECT_EQ(check_message_integrity_sha256(published, key).error(), Error::BadMessageIntegrity);
}

}  // namespace
}  // namespace wasmrtc::stun
