#include "base/byte_reader.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(ByteReader, ReadsBigEndian) {
  const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
                          0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
  ByteReader r(data);
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.u16(), 0x0203);
  EXPECT_EQ(r.u24(), 0x040506u);
  EXPECT_EQ(r.u32(), 0x0708090au);
  EXPECT_EQ(r.u64(), 0x0b0c0d0e0f101112ull);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.position(), sizeof(data));
}

TEST(ByteReader, EveryReadFailsCleanlyOnShortInput) {
  const uint8_t data[] = {0xaa, 0xbb, 0xcc};
  for (size_t len = 0; len <= sizeof(data); ++len) {
    ByteView v(data, len);
    {
      ByteReader r(v);
      EXPECT_EQ(r.u8().has_value(), len >= 1);
    }
    {
      ByteReader r(v);
      EXPECT_EQ(r.u16().has_value(), len >= 2);
    }
    {
      ByteReader r(v);
      EXPECT_EQ(r.u24().has_value(), len >= 3);
    }
    ByteReader r(v);
    EXPECT_FALSE(r.u32().has_value());
    EXPECT_FALSE(r.u64().has_value());
    EXPECT_FALSE(r.bytes(len + 1).has_value());
    EXPECT_FALSE(r.skip(len + 1));
    // A failed read does not move the position.
    EXPECT_EQ(r.position(), 0u);
    EXPECT_EQ(r.remaining(), len);
  }
}

TEST(ByteReader, FailedReadKeepsPosition) {
  const uint8_t data[] = {0x12, 0x34, 0x56};
  ByteReader r(data);
  ASSERT_EQ(r.u16(), 0x1234);
  EXPECT_FALSE(r.u16().has_value());
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_EQ(r.u8(), 0x56);
  EXPECT_FALSE(r.u8().has_value());
}

TEST(ByteReader, BytesSkipAndRest) {
  const uint8_t data[] = {1, 2, 3, 4, 5, 6};
  ByteReader r(data);
  auto two = r.bytes(2);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1], 2);
  EXPECT_TRUE(r.skip(1));
  EXPECT_EQ(r.rest().size(), 3u);
  EXPECT_EQ(r.rest()[0], 4);
  auto none = r.bytes(0);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(r.skip(3));
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.skip(1));
}

TEST(ByteReader, EmptyInput) {
  ByteReader r{ByteView()};
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.u8().has_value());
  EXPECT_TRUE(r.skip(0));
  EXPECT_TRUE(r.rest().empty());
}

}  // namespace
}  // namespace wasmrtc::base
