#include "base/time.h"

#include <gtest/gtest.h>

namespace wasmrtc::base {
namespace {

TEST(Duration, UnitsAndArithmetic) {
  EXPECT_EQ(Duration::millis(3).us(), 3000);
  EXPECT_EQ(Duration::seconds(2).ms(), 2000);
  EXPECT_EQ((Duration::millis(1) + Duration::micros(500)).us(), 1500);
  EXPECT_EQ((Duration::millis(1) - Duration::millis(3)).ms(), -2);
  EXPECT_EQ((Duration::millis(100) * 3).ms(), 300);
  EXPECT_EQ((Duration::millis(100) / 4).us(), 25000);
  EXPECT_EQ((-Duration::millis(1)).us(), -1000);
  EXPECT_LT(Duration::millis(1), Duration::millis(2));
  EXPECT_EQ(Duration::zero(), Duration());
  Duration d = Duration::millis(1);
  d += Duration::millis(1);
  d -= Duration::micros(1);
  EXPECT_EQ(d.us(), 1999);
  static_assert(Duration::seconds(1) == Duration::millis(1000));
}

TEST(Timestamp, ArithmeticAgainstCallerEpoch) {
  Timestamp t0 = Timestamp::from_millis(1000);
  Timestamp t1 = t0 + Duration::millis(250);
  EXPECT_EQ(t1.ms(), 1250);
  EXPECT_EQ((t1 - t0).ms(), 250);
  EXPECT_EQ((t1 - Duration::millis(50)).us(), 1200000);
  EXPECT_LT(t0, t1);
  t0 += Duration::seconds(1);
  EXPECT_EQ(t0.ms(), 2000);
  EXPECT_EQ(Timestamp::from_micros(7).us(), 7);
}

TEST(Deadline, EarliestOfAndFiring) {
  const Timestamp t = Timestamp::from_millis(10);
  Deadline none;
  Deadline a(t + Duration::millis(5));
  Deadline b(t + Duration::millis(2));
  EXPECT_FALSE(none.is_set());
  EXPECT_EQ(earliest(none, none), Deadline::none());
  EXPECT_EQ(earliest(none, a), a);
  EXPECT_EQ(earliest(a, none), a);
  EXPECT_EQ(earliest(a, b), b);
  EXPECT_EQ(earliest(b, a), b);

  Deadline m;
  m.merge(a).merge(b).merge(none);
  EXPECT_EQ(m.value(), t + Duration::millis(2));

  EXPECT_FALSE(b.is_due(t));
  EXPECT_EQ(b.remaining(t)->ms(), 2);
  EXPECT_FALSE(none.remaining(t).has_value());
  EXPECT_FALSE(b.expire_if_due(t + Duration::millis(1)));
  EXPECT_TRUE(b.is_set());
  EXPECT_TRUE(b.expire_if_due(t + Duration::millis(2)));
  EXPECT_FALSE(b.is_set());
  EXPECT_FALSE(b.expire_if_due(t + Duration::millis(3)));

  b.set(t);
  EXPECT_TRUE(b.is_due(t));
  b.clear();
  EXPECT_FALSE(b.is_due(t));
}

}  // namespace
}  // namespace wasmrtc::base
