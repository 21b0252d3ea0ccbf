#include "cc/trendline.h"

#include <gtest/gtest.h>

#include "cc/inter_arrival.h"

namespace wasmrtc::cc {
namespace {

using base::Duration;
using base::Timestamp;

// Groups 10 ms apart whose arrivals drift by `drift_us` more each time:
// a growing queue when positive.
BandwidthUsage feed(TrendlineEstimator& t, int groups, int64_t drift_us, Timestamp& now) {
  for (int i = 0; i < groups; ++i) {
    now += Duration::millis(10);
    t.update(Duration::micros(10'000 + drift_us), Duration::millis(10), now);
  }
  return t.state();
}

TEST(Trendline, SteadyDelayIsNormal) {
  TrendlineEstimator t;
  Timestamp now = Timestamp::from_millis(1000);
  EXPECT_EQ(feed(t, 100, 0, now), BandwidthUsage::Normal);
  EXPECT_NEAR(t.trend(), 0, 1e-9);
}

TEST(Trendline, GrowingQueueIsOveruse) {
  TrendlineEstimator t;
  Timestamp now = Timestamp::from_millis(1000);
  feed(t, 40, 0, now);
  // 2 ms more delay per 10 ms group: a queue filling at 20 % over capacity.
  bool overused = false;
  for (int i = 0; i < 40 && !overused; ++i) overused = feed(t, 1, 2000, now) == BandwidthUsage::Overusing;
  EXPECT_TRUE(overused);
}

TEST(Trendline, DrainingQueueIsUnderuse) {
  TrendlineEstimator t;
  Timestamp now = Timestamp::from_millis(1000);
  feed(t, 40, 2000, now);
  bool underused = false;
  for (int i = 0; i < 60 && !underused; ++i) underused = feed(t, 1, -3000, now) == BandwidthUsage::Underusing;
  EXPECT_TRUE(underused);
}

TEST(Trendline, OneLateGroupIsJitterNotOveruse) {
  TrendlineEstimator t;
  Timestamp now = Timestamp::from_millis(1000);
  feed(t, 40, 0, now);
  now += Duration::millis(10);
  t.update(Duration::millis(40), Duration::millis(10), now);   // 30 ms late
  now += Duration::millis(10);
  t.update(Duration::millis(-20), Duration::millis(10), now);  // and caught up
  EXPECT_NE(feed(t, 5, 0, now), BandwidthUsage::Overusing);
}

TEST(Trendline, ThresholdAdaptsWithinBounds) {
  TrendlineEstimator t;
  Timestamp now = Timestamp::from_millis(1000);
  feed(t, 500, 0, now);
  EXPECT_GE(t.threshold_ms(), 6);
  EXPECT_LT(t.threshold_ms(), 12.5);  // a flat trend pulls it down
}

TEST(InterArrival, GroupsBurstsAndReportsDeltas) {
  InterArrival ia;
  const Timestamp t0 = Timestamp::from_millis(0);
  const Timestamp r0 = Timestamp::from_millis(500);
  // Three frames 33 ms apart, each three packets within 2 ms; the second
  // arrives 4 ms later than sent spacing says.
  std::vector<GroupDelta> deltas;
  for (int f = 0; f < 3; ++f)
    for (int p = 0; p < 3; ++p) {
      const Timestamp sent = t0 + Duration::millis(33 * f + p);
      const Timestamp arrived = r0 + Duration::millis(33 * f + p + (f >= 1 ? 4 : 0));
      if (auto d = ia.on_packet(sent, arrived, 1000)) deltas.push_back(*d);
    }
  if (auto d = ia.on_packet(t0 + Duration::millis(99), r0 + Duration::millis(103), 1000)) deltas.push_back(*d);
  ASSERT_EQ(deltas.size(), 2u);
  EXPECT_EQ(deltas[0].send_delta, Duration::millis(33));
  EXPECT_EQ(deltas[0].arrival_delta, Duration::millis(37));
  EXPECT_EQ(deltas[1].send_delta, Duration::millis(33));
  EXPECT_EQ(deltas[1].arrival_delta, Duration::millis(33));
}

TEST(InterArrival, ReorderedSendTimesAreIgnored) {
  InterArrival ia;
  const Timestamp t = Timestamp::from_millis(100);
  EXPECT_FALSE(ia.on_packet(t, t, 100));
  EXPECT_FALSE(ia.on_packet(t - Duration::millis(50), t, 100));
  EXPECT_FALSE(ia.on_packet(t + Duration::millis(20), t + Duration::millis(20), 100));
  EXPECT_TRUE(ia.on_packet(t + Duration::millis(40), t + Duration::millis(40), 100));
}

}  // namespace
}  // namespace wasmrtc::cc
