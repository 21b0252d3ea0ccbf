#include "base/bytes.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(Bytes, HexRoundTrip) {
  const Bytes b = {0x00, 0x21, 0x12, 0xa4, 0x42, 0xff};
  EXPECT_EQ(to_hex(b), "002112a442ff");
  EXPECT_EQ(from_hex("002112a442ff"), b);
  EXPECT_EQ(from_hex("00 21 12 A4\n42\tFF"), b);
  EXPECT_EQ(to_hex(ByteView()), "");
  EXPECT_EQ(from_hex(""), Bytes());
}

TEST(Bytes, HexRejectsBadInput) {
  EXPECT_FALSE(from_hex("0").has_value());
  EXPECT_FALSE(from_hex("0 0").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_FALSE(from_hex("0x12").has_value());
}

TEST(Bytes, StringBytes) {
  EXPECT_EQ(to_bytes("ab"), (Bytes{'a', 'b'}));
  EXPECT_EQ(as_bytes("abc").size(), 3u);
}

}  // namespace
}  // namespace wasmrtc::base

namespace wasmrtc::base {
namespace {

// RFC 4648 section 10 test vectors.
TEST(Bytes, Base64Rfc4648Vectors) {
  EXPECT_EQ(to_base64(as_bytes("")), "");
  EXPECT_EQ(to_base64(as_bytes("f")), "Zg==");
  EXPECT_EQ(to_base64(as_bytes("fo")), "Zm8=");
  EXPECT_EQ(to_base64(as_bytes("foo")), "Zm9v");
  EXPECT_EQ(to_base64(as_bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(to_base64(as_bytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(to_base64(as_bytes("foobar")), "Zm9vYmFy");
}

}  // namespace
}  // namespace wasmrtc::base
