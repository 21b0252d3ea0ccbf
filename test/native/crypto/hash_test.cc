#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace wasmrtc::crypto {
namespace {

using base::as_bytes;
using base::Bytes;
using base::to_hex;

Bytes repeat(uint8_t b, size_t n) { return Bytes(n, b); }

Bytes counting_key() {  // 0x01 .. 0x19
  Bytes k;
  for (uint8_t i = 1; i <= 25; ++i) k.push_back(i);
  return k;
}

// FIPS 180-2 appendix A / RFC 1321 appendix A.5: the digests of "abc".
TEST(Hash, KnownDigests) {
  EXPECT_EQ(to_hex(sha1(as_bytes("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(md5(as_bytes("abc"))), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(to_hex(md5(as_bytes(""))), "d41d8cd98f00b204e9800998ecf8427e");
}

struct HmacCase {
  Bytes key;
  Bytes data;
  std::string sha1;    // RFC 2202 section 3
  std::string sha256;  // RFC 4231 section 4 (case 5 truncated to 128 bits)
};

std::vector<HmacCase> rfc_cases() {
  auto text = [](const char* s) { return base::to_bytes(s); };
  return {
      {repeat(0x0b, 20), text("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {text("Jefe"), text("what do ya want for nothing?"),
       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {repeat(0xaa, 20), repeat(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {counting_key(), repeat(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {repeat(0x0c, 20), text("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
       "a3b6167473100ee06e0c796c2955552b"},
  };
}

TEST(Hmac, Rfc2202AndRfc4231SharedCases) {
  for (const HmacCase& c : rfc_cases()) {
    EXPECT_EQ(to_hex(hmac_sha1(c.key, c.data)), c.sha1);
    std::string full = to_hex(hmac_sha256(c.key, c.data));
    EXPECT_EQ(full.substr(0, c.sha256.size()), c.sha256);
  }
}

// RFC 2202 cases 6 and 7: an 80-byte key, longer than SHA-1's block.
TEST(Hmac, Rfc2202LargeKey) {
  Bytes key = repeat(0xaa, 80);
  EXPECT_EQ(to_hex(hmac_sha1(key, as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  EXPECT_EQ(to_hex(hmac_sha1(key, as_bytes("Test Using Larger Than Block-Size Key and Larger "
                                           "Than One Block-Size Data"))),
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

// RFC 4231 cases 6 and 7: a 131-byte key.
TEST(Hmac, Rfc4231LargeKey) {
  Bytes key = repeat(0xaa, 131);
  EXPECT_EQ(to_hex(hmac_sha256(key, as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(to_hex(hmac_sha256(key, as_bytes("This is a test using a larger than block-size key "
                                             "and a larger than block-size data. The key needs to "
                                             "be hashed before being used by the HMAC algorithm."))),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(Hmac, PartsEqualConcatenation) {
  const Bytes key = base::to_bytes("key");
  const Bytes a = base::to_bytes("what do ya ");
  const Bytes b = base::to_bytes("want for nothing?");
  Bytes ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  EXPECT_EQ(hmac_sha1(key, {a, b}), hmac_sha1(key, ab));
  EXPECT_EQ(hmac_sha256(key, {a, base::ByteView(), b}), hmac_sha256(key, ab));
  EXPECT_EQ(hmac_sha1(key, {}), hmac_sha1(key, base::ByteView()));
}

}  // namespace
}  // namespace wasmrtc::crypto
