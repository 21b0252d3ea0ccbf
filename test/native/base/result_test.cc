#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace wasmrtc::base {
namespace {

enum class E { A, B };

Result<int, E> half(int x) {
  if (x % 2) return Unexpected(E::A);
  return x / 2;
}

Result<void, E> check(bool ok) {
  if (!ok) return Unexpected(E::B);
  return {};
}

TEST(Result, ValueOrError) {
  auto r = half(4);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 2);
  EXPECT_EQ(*r, 2);

  auto e = half(3);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error(), E::A);
  EXPECT_EQ(e.value_or(-1), -1);
}

TEST(Result, Void) {
  EXPECT_TRUE(check(true).ok());
  auto e = check(false);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error(), E::B);
}

TEST(Result, SameTypeForValueAndError) {
  Result<int, int> v(5);
  Result<int, int> e(Unexpected(7));
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(*v, 5);
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.error(), 7);
}

TEST(Result, MoveOnlyAndConversions) {
  Result<std::unique_ptr<int>, E> p(std::make_unique<int>(9));
  std::unique_ptr<int> out = std::move(p).value();
  EXPECT_EQ(*out, 9);

  Result<std::string, E> s("text");  // converts from const char*
  EXPECT_EQ(s->size(), 4u);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  EXPECT_DEATH((void)half(3).value(), "");
  EXPECT_DEATH((void)half(2).error(), "");
}

}  // namespace
}  // namespace wasmrtc::base
