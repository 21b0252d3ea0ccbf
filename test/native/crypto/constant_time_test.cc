#include "crypto/constant_time.h"

#include <gtest/gtest.h>

namespace wasmrtc::crypto {
namespace {

TEST(ConstantTime, Equal) {
  const base::Bytes a = {1, 2, 3, 4};
  base::Bytes b = a;
  EXPECT_TRUE(constant_time_equal(a, b));
  b[3] ^= 0x80;
  EXPECT_FALSE(constant_time_equal(a, b));
  b = {1, 2, 3};
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_TRUE(constant_time_equal(base::ByteView(), base::ByteView()));
}

}  // namespace
}  // namespace wasmrtc::crypto
