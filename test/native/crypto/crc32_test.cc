#include "crypto/crc32.h"

#include <gtest/gtest.h>

namespace wasmrtc::crypto {
namespace {

// The CRC-32/ISO-HDLC check value.
TEST(Crc32, CheckValue) {
  EXPECT_EQ(crc32(base::as_bytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32(base::ByteView()), 0u);
  EXPECT_EQ(crc32(base::as_bytes("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Crc32, UpdateChains) {
  EXPECT_EQ(crc32_update(crc32(base::as_bytes("12345")), base::as_bytes("6789")), 0xCBF43926u);
  EXPECT_EQ(crc32_update(0, base::as_bytes("123456789")), 0xCBF43926u);
}

}  // namespace
}  // namespace wasmrtc::crypto
