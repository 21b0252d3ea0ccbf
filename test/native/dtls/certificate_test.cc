#include "dtls/certificate.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "dtls/civil_time.h"
#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::kWallClock;
using test::load_data;
using test::load_text;

TEST(CivilTime, ConvertsBothWays) {
  using detail::CivilTime;
  auto t = detail::civil_from_unix(0);
  EXPECT_EQ(detail::x509_time_string(t), "19700101000000");
  EXPECT_EQ(detail::x509_time_string(detail::civil_from_unix(kWallClock)), "20231114221320");
  EXPECT_EQ(detail::x509_time_string(detail::civil_from_unix(951782400)), "20000229000000");
  EXPECT_EQ(detail::x509_time_string(detail::civil_from_unix(-1)), "19691231235959");
  EXPECT_EQ(detail::x509_time_string(detail::civil_from_unix(253402300799)), "99991231235959");
  // Every day across four centuries round-trips.
  for (int64_t s = -2208988800; s < 4102444800; s += 86400 + 3601) {
    EXPECT_EQ(detail::unix_from_civil(detail::civil_from_unix(s)).value(), s);
  }
  EXPECT_FALSE(detail::unix_from_civil(CivilTime{2023, 2, 29, 0, 0, 0}).has_value());
  EXPECT_TRUE(detail::unix_from_civil(CivilTime{2024, 2, 29, 0, 0, 0}).has_value());
  EXPECT_FALSE(detail::unix_from_civil(CivilTime{2024, 13, 1, 0, 0, 0}).has_value());
}

TEST(Certificate, GeneratesP256SelfSigned) {
  base::SeededRandom random(7);
  const Validity v = validity_around(kWallClock);
  EXPECT_EQ(v.not_before, kWallClock - 30 * kDay);
  EXPECT_EQ(v.not_after, kWallClock + 365 * kDay);
  auto c = Certificate::generate(random, v);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->empty());
  EXPECT_EQ(c->not_before(), v.not_before);
  EXPECT_EQ(c->expires(), v.not_after);
  EXPECT_GT(c->der().size(), 200u);
  EXPECT_LT(c->der().size(), 600u);
  EXPECT_EQ(c->der()[0], 0x30);  // SEQUENCE
  const std::string fp = c->fingerprint().hex();
  EXPECT_EQ(fp.size(), 32u * 3 - 1);
  EXPECT_EQ(c->fingerprint("sha-256").value(), c->fingerprint());
  EXPECT_EQ(c->fingerprint("sha-512")->value.size(), 64u);
  EXPECT_EQ(c->fingerprint("md5").error(), Error::UnsupportedHashFunction);

  // Same seed, same certificate; another seed, another key and serial.
  base::SeededRandom again(7);
  EXPECT_EQ(Certificate::generate(again, v)->fingerprint(), c->fingerprint());
  base::SeededRandom other(8);
  EXPECT_NE(Certificate::generate(other, v)->fingerprint(), c->fingerprint());
}

TEST(Certificate, RejectsBadGenerationParameters) {
  base::SeededRandom random(1);
  EXPECT_EQ(Certificate::generate(random, Validity{10, 10}).error(), Error::InvalidConfig);
  EXPECT_EQ(Certificate::generate(random, validity_around(kWallClock), "a,b").error(),
            Error::InvalidConfig);
  EXPECT_EQ(Certificate::generate(random, validity_around(kWallClock), "").error(),
            Error::InvalidConfig);
  EXPECT_EQ(Certificate::generate(random, Validity{-1000 * 365 * kDay, 0}).error(),
            Error::InvalidConfig);
  EXPECT_TRUE(Certificate::generate(random, validity_around(kWallClock), "wasmrtc-test.1").ok());
  // Dates past 2049 need GeneralizedTime (RFC 5280 section 4.1.2.5).
  auto late = Certificate::generate(random, Validity{2600000000, 2700000000});
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->expires(), 2700000000);
}

TEST(Certificate, ExportsAndImportsDerAndPem) {
  const Certificate& c = test::cert_a();
  auto from_der = Certificate::from_der(c.der(), c.private_key_der());
  ASSERT_TRUE(from_der.ok());
  EXPECT_EQ(from_der->fingerprint(), c.fingerprint());
  EXPECT_EQ(from_der->expires(), c.expires());
  EXPECT_EQ(from_der->private_key_der(), c.private_key_der());

  const std::string pem = c.pem();
  EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);
  const std::string key_pem = c.private_key_pem();
  EXPECT_EQ(key_pem.rfind("-----BEGIN EC PRIVATE KEY-----\n", 0), 0u);
  auto from_pem = Certificate::from_pem(pem, key_pem);
  ASSERT_TRUE(from_pem.ok());
  EXPECT_EQ(from_pem->fingerprint(), c.fingerprint());
  EXPECT_EQ(from_pem->pem(), pem);
}

TEST(Certificate, ImportsOpensslMadeCertificate) {
  auto c = Certificate::from_pem(load_text("openssl-p256-cert.pem"),
                                 load_text("openssl-p256-key.pem"));
  ASSERT_TRUE(c.ok()) << to_string(c.error());
  EXPECT_EQ(c->fingerprint().hex(),
            "4B:E6:3F:3B:87:7C:F4:B7:7B:2A:5A:2E:40:F3:07:EF:A5:9C:68:BB:E7:11:B8:42:7F:B5:21:8F:"
            "6E:F6:90:32");
  EXPECT_EQ(c->not_before(), 1795514396);  // notBefore=Nov 24 09:59:56 2026 GMT
  EXPECT_EQ(c->expires(), 2110874396);     // notAfter=Nov 21 09:59:56 2036 GMT
  const Bytes der = load_data("openssl-p256-cert.der");
  EXPECT_TRUE(std::equal(der.begin(), der.end(), c->der().begin(), c->der().end()));

  // PKCS#8 DER key works too.
  auto d = Certificate::from_der(der, load_data("openssl-p256-key-pkcs8.der"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->fingerprint(), c->fingerprint());
}

TEST(Certificate, RejectsBadImports) {
  const Certificate& a = test::cert_a();
  const Certificate& b = test::cert_b();
  EXPECT_EQ(Certificate::from_der(a.der(), b.private_key_der()).error(), Error::KeyMismatch);
  EXPECT_EQ(Certificate::from_pem(a.pem(), b.private_key_pem()).error(), Error::KeyMismatch);
  EXPECT_EQ(Certificate::from_der({}, a.private_key_der()).error(), Error::BadCertificate);
  Bytes broken(a.der().begin(), a.der().end());
  broken.resize(broken.size() / 2);
  EXPECT_EQ(Certificate::from_der(broken, a.private_key_der()).error(), Error::BadCertificate);
  EXPECT_EQ(Certificate::from_der(a.der(), Bytes{1, 2, 3}).error(), Error::BadPrivateKey);
  EXPECT_EQ(Certificate::from_pem("hello", a.private_key_pem()).error(), Error::BadCertificate);
  EXPECT_EQ(Certificate::from_pem(a.pem(), "not a key").error(), Error::BadPrivateKey);
  // Two certificates in one PEM are a chain, not an RTCCertificate.
  EXPECT_EQ(Certificate::from_pem(a.pem() + b.pem(), a.private_key_pem()).error(),
            Error::BadCertificate);
  // Only P-256: every cipher suite we offer is ECDSA, and P-384 is outside
  // the curves we allow.
  EXPECT_EQ(Certificate::from_pem(load_text("openssl-p384-cert.pem"),
                                  load_text("openssl-p384-key.pem"))
                .error(),
            Error::UnsupportedKey);
}

TEST(Certificate, KeyParamsTakeP256AndRsaWithinLimits) {
  EXPECT_TRUE(KeyParams::ecdsa_p256().valid());
  EXPECT_TRUE(KeyParams::rsa(1024).valid());
  EXPECT_TRUE(KeyParams::rsa(2048).valid());
  EXPECT_TRUE(KeyParams::rsa(4096).valid());
  EXPECT_FALSE(KeyParams::rsa(512).valid());
  EXPECT_FALSE(KeyParams::rsa(1023).valid());
  EXPECT_FALSE(KeyParams::rsa(2047).valid());
  EXPECT_FALSE(KeyParams::rsa(8192).valid());
  EXPECT_FALSE(KeyParams::rsa(2048, 3).valid());
  base::SeededRandom random(7);
  EXPECT_EQ(Certificate::generate(random, validity_around(test::kWallClock), KeyParams::rsa(512))
                .error(),
            Error::InvalidConfig);
}

TEST(Certificate, GeneratesRsaThatRoundTrips) {
  base::SeededRandom random(42);
  auto c = Certificate::generate(random, validity_around(test::kWallClock), KeyParams::rsa(2048));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->key_type(), KeyParams::Type::Rsa);
  EXPECT_EQ(test::cert_a().key_type(), KeyParams::Type::EcdsaP256);
  // A 2048-bit modulus in the certificate, signed with sha256WithRSAEncryption
  // (OID 1.2.840.113549.1.1.11).
  const Bytes sha256_with_rsa = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B};
  EXPECT_NE(std::search(c->der().begin(), c->der().end(), sha256_with_rsa.begin(),
                        sha256_with_rsa.end()),
            c->der().end());
  EXPECT_GT(c->der().size(), 600u);  // two 256-byte numbers: the modulus and the signature
  EXPECT_NE(c->private_key_pem().find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  auto back = Certificate::from_pem(c->pem(), c->private_key_pem());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->fingerprint(), c->fingerprint());
  EXPECT_EQ(back->key_type(), KeyParams::Type::Rsa);
  auto der = Certificate::from_der(c->der(), c->private_key_der());
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(der->fingerprint(), c->fingerprint());
  // And a P-256 key does not pass for it.
  EXPECT_EQ(Certificate::from_pem(c->pem(), test::cert_a().private_key_pem()).error(),
            Error::KeyMismatch);
}

TEST(Certificate, ImportsOpenSslRsaAndRefusesOtherExponents) {
  auto c = Certificate::from_pem(load_text("openssl-rsa2048-cert.pem"),
                                 load_text("openssl-rsa2048-key.pem"));
  ASSERT_TRUE(c.ok()) << to_string(c.error());
  EXPECT_EQ(c->key_type(), KeyParams::Type::Rsa);
  // openssl x509 -in openssl-rsa2048-cert.pem -noout -fingerprint -sha256
  EXPECT_EQ(c->fingerprint().to_string(),
            "sha-256 10:32:ED:45:9F:E3:08:C8:F0:60:CA:DF:9C:38:22:5F:1D:B8:FB:B4:ED:D1:65:DC:C2:27:"
            "88:0E:51:DA:F6:79");
  EXPECT_EQ(Certificate::from_pem(load_text("openssl-rsa1024-e3-cert.pem"),
                                  load_text("openssl-rsa1024-e3-key.pem"))
                .error(),
            Error::UnsupportedKey);
}

}  // namespace
}  // namespace wasmrtc::dtls
