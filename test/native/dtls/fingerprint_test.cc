#include "dtls/fingerprint.h"

#include <gtest/gtest.h>

#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::load_data;
using test::load_text;

TEST(HashFunction, NamesRoundTripCaseInsensitively) {
  for (HashFunction h : {HashFunction::Sha1, HashFunction::Sha256, HashFunction::Sha384,
                         HashFunction::Sha512}) {
    EXPECT_EQ(parse_hash_function(to_string(h)).value(), h);
  }
  EXPECT_EQ(parse_hash_function("SHA-256").value(), HashFunction::Sha256);
  EXPECT_EQ(parse_hash_function("md5").error(), Error::UnsupportedHashFunction);
  EXPECT_EQ(parse_hash_function("sha-224").error(), Error::UnsupportedHashFunction);
  EXPECT_EQ(parse_hash_function("sha256").error(), Error::UnsupportedHashFunction);
  EXPECT_EQ(parse_hash_function("").error(), Error::UnsupportedHashFunction);
}

// Known answers: the fingerprints `openssl x509 -fingerprint` printed for
// test/data/dtls/openssl-p256-cert.der (see test/data/dtls/README.md).
TEST(Fingerprint, KnownAnswersOverFixedDer) {
  const Bytes der = load_data("openssl-p256-cert.der");
  ASSERT_EQ(der.size(), 365u);
  const std::string expected = load_text("openssl-p256-cert.fingerprints");
  for (HashFunction h : {HashFunction::Sha1, HashFunction::Sha256, HashFunction::Sha384,
                         HashFunction::Sha512}) {
    std::string name(to_string(h));
    name.erase(name.find('-'), 1);  // openssl says "sha256"
    const std::string line = name + " Fingerprint=" + Fingerprint::of(h, der).hex() + "\n";
    EXPECT_NE(expected.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(Fingerprint::of(HashFunction::Sha256, der).to_string(),
            "sha-256 4B:E6:3F:3B:87:7C:F4:B7:7B:2A:5A:2E:40:F3:07:EF:A5:9C:68:BB:E7:11:B8:42:7F:B5:"
            "21:8F:6E:F6:90:32");
}

TEST(Fingerprint, ParsesSdpValues) {
  auto f = Fingerprint::parse(
      "sha-256 4B:E6:3F:3B:87:7C:F4:B7:7B:2A:5A:2E:40:F3:07:EF:A5:9C:68:BB:E7:11:B8:42:7F:B5:21:"
      "8F:6E:F6:90:32");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->algorithm, HashFunction::Sha256);
  EXPECT_EQ(f->value, Fingerprint::of(HashFunction::Sha256, load_data("openssl-p256-cert.der")).value);

  // Lowercase hex, uppercase name and blanks are tolerated on input.
  auto g = Fingerprint::parse(
      "  SHA-256 4b:e6:3f:3b:87:7c:f4:b7:7b:2a:5a:2e:40:f3:07:ef:a5:9c:68:bb:e7:11:b8:42:7f:b5:21:"
      "8f:6e:f6:90:32\r\n");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g, *f);
  // Output is always the RFC 8122 form.
  EXPECT_EQ(g->to_string().substr(0, 14), "sha-256 4B:E6:");

  auto w3c = Fingerprint::parse("sha-1", "F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:A4");
  ASSERT_TRUE(w3c.ok());
  EXPECT_EQ(w3c->algorithm, HashFunction::Sha1);
}

TEST(Fingerprint, RejectsMalformedValues) {
  const char* bad[] = {
      "",
      "sha-256",
      "sha-256 ",
      "sha-256 4B:E6",                       // too short for sha-256
      "sha-1 F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:A4:00",  // too long
      "sha-1 F54C33810663610263F01E6D71853C1AC9F04CA4",  // no colons
      "sha-1 F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:A",  // odd digit
      "sha-1 F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:AG",  // not hex
      "sha-1 F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:A4:",  // trailing colon
      "sha-1 :F5:4C:33:81:06:63:61:02:63:F0:1E:6D:71:85:3C:1A:C9:F0:4C:A4",
  };
  for (const char* s : bad) {
    EXPECT_EQ(Fingerprint::parse(s).error(), Error::BadFingerprint) << s;
  }
  EXPECT_EQ(Fingerprint::parse("md5 00:11").error(), Error::UnsupportedHashFunction);
}

// RFC 8122 section 5: only the fingerprints using the strongest hash
// function offered count.
TEST(MatchFingerprint, UsesOnlyTheStrongestHashOffered) {
  const Bytes der = load_data("openssl-p256-cert.der");
  const Fingerprint sha1 = Fingerprint::of(HashFunction::Sha1, der);
  const Fingerprint sha256 = Fingerprint::of(HashFunction::Sha256, der);
  Fingerprint wrong256 = sha256;
  wrong256.value[0] ^= 1;
  Fingerprint wrong1 = sha1;
  wrong1.value[5] ^= 0x80;

  EXPECT_EQ(match_fingerprint(std::vector{sha256}, der).value(), sha256);
  EXPECT_EQ(match_fingerprint(std::vector{wrong1, sha256}, der).value(), sha256);
  // A matching weak hash beside a failing strong one is no match.
  EXPECT_EQ(match_fingerprint(std::vector{sha1, wrong256}, der).error(), Error::FingerprintMismatch);
  // Any one of several same-strength fingerprints may match (several certificates).
  EXPECT_TRUE(match_fingerprint(std::vector{wrong256, sha256}, der).ok());
  EXPECT_EQ(match_fingerprint(std::vector{wrong256}, der).error(), Error::FingerprintMismatch);
  EXPECT_EQ(match_fingerprint(std::vector<Fingerprint>{}, der).error(),
            Error::UnsupportedHashFunction);
  const Fingerprint sha512 = Fingerprint::of(HashFunction::Sha512, der);
  EXPECT_EQ(match_fingerprint(std::vector{wrong256, sha512}, der).value(), sha512);
}

}  // namespace
}  // namespace wasmrtc::dtls
