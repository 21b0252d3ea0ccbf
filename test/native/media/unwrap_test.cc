// RTP counters extended to 64 bits (RFC 3550 A.1).
#include "media/unwrap.h"

#include <gtest/gtest.h>

namespace wasmrtc::media {
namespace {

TEST(media_Unwrap, SequenceNumbersWrapForwardAndBack) {
  Unwrapper<uint16_t> u;
  const int64_t first = u.unwrap(65534);
  EXPECT_EQ(u.unwrap(65535), first + 1);
  EXPECT_EQ(u.unwrap(0), first + 2);
  EXPECT_EQ(u.unwrap(1), first + 3);
  EXPECT_EQ(u.unwrap(65535), first + 1);  // reordered across the wrap: back
  EXPECT_EQ(u.highest(), first + 3);      // and the highest stays
  EXPECT_EQ(u.unwrap(1 + 32767), first + 3 + 32767);  // half the range ahead: forward
  EXPECT_GE(first, 0);
}

TEST(media_Unwrap, TimestampsWrapAndGoBackWithoutGoingNegative) {
  Unwrapper<uint32_t> u;
  const int64_t first = u.unwrap(0);
  EXPECT_EQ(u.unwrap(0xffffff00u), first - 256);
  EXPECT_GT(u.unwrap(0xffffff00u), 0);
  EXPECT_EQ(u.unwrap(960), first + 960);
  EXPECT_EQ(u.peek(0x80000000u + 960), first + 960 - 0x80000000ll);  // exactly half: back
  EXPECT_EQ(u.highest(), first + 960);  // peek remembers nothing
  u.reset();
  EXPECT_FALSE(u.highest().has_value());
}

}  // namespace
}  // namespace wasmrtc::media
