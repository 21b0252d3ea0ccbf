#include "base/byte_writer.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(ByteWriter, WritesBigEndian) {
  ByteWriter w;
  w.u8(0x01);
  w.u16(0x0203);
  w.u24(0xff040506);  // only the low 24 bits
  w.u32(0x0708090a);
  w.u64(0x0b0c0d0e0f101112ull);
  const uint8_t more[] = {0xaa, 0xbb};
  w.bytes(more);
  w.zeros(2);
  EXPECT_EQ(to_hex(w.view()), "0102030405060708090a0b0c0d0e0f101112aabb0000");
}

TEST(ByteWriter, PatchesEarlierFields) {
  ByteWriter w;
  w.u16(0);
  w.u16(0);
  w.u32(0);
  EXPECT_TRUE(w.patch_u16(2, 0xbeef));
  EXPECT_TRUE(w.patch_u32(4, 0x01020304));
  EXPECT_EQ(to_hex(w.view()), "0000beef01020304");
}

TEST(ByteWriter, PatchOutsideIsRefused) {
  ByteWriter w;
  w.u16(0x1234);
  w.u8(0x56);
  EXPECT_FALSE(w.patch_u16(2, 0xffff));
  EXPECT_FALSE(w.patch_u16(3, 0xffff));
  EXPECT_FALSE(w.patch_u16(100, 0xffff));
  EXPECT_FALSE(w.patch_u32(0, 0xffffffff));
  EXPECT_FALSE(w.patch_u32(SIZE_MAX, 0xffffffff));
  EXPECT_EQ(to_hex(w.view()), "123456");
}

TEST(ByteWriter, TakeEmptiesWriter) {
  ByteWriter w(Bytes{1, 2});
  w.u8(3);
  Bytes out = w.take();
  EXPECT_EQ(out, (Bytes{1, 2, 3}));
  EXPECT_EQ(w.size(), 0u);
}

}  // namespace
}  // namespace wasmrtc::base
