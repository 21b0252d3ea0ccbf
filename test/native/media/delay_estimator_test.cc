// Relative delay and its percentile, from arrival times and media times.
#include "media/delay_estimator.h"

#include <gtest/gtest.h>

#include <random>

namespace wasmrtc::media {
namespace {

using base::Duration;
using base::Timestamp;

TEST(media_DelayEstimator, SteadyStreamHasNoRelativeDelay) {
  DelayEstimator d;
  EXPECT_FALSE(d.reference_transit_us().has_value());
  for (int i = 0; i < 200; ++i) {
    d.on_packet(Timestamp::from_millis(1000 + 20 * i + 35), 20000LL * i);
  }
  EXPECT_EQ(d.reference_transit_us(), 1035000);
  EXPECT_EQ(d.relative_delay(), Duration::zero());
}

TEST(media_DelayEstimator, PercentileOfJitter) {
  DelayEstimator d;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> jitter(0, 60000);
  for (int i = 0; i < 400; ++i) {
    d.on_packet(Timestamp::from_micros(20000LL * i + jitter(rng)), 20000LL * i);
  }
  // 95th percentile of uniform 0-60 ms, measured from the fastest packet.
  EXPECT_NEAR(static_cast<double>(d.relative_delay().ms()), 57, 4);
}

TEST(media_DelayEstimator, ForgetsASpikeAfterTheHistory) {
  DelayEstimator d({.history = Duration::seconds(4)});
  int64_t t = 0;
  for (int i = 0; i < 100; ++i, t += 20000) d.on_packet(Timestamp::from_micros(t + (i % 10 == 0 ? 100000 : 0)), t);
  EXPECT_GE(d.relative_delay(), Duration::millis(100));
  for (int i = 0; i < 300; ++i, t += 20000) d.on_packet(Timestamp::from_micros(t), t);
  EXPECT_EQ(d.relative_delay(), Duration::zero());
}

// A sender clock 1 % slow makes transits grow; the short reference window
// keeps that from looking like jitter.
TEST(media_DelayEstimator, DriftIsNotJitter) {
  DelayEstimator d;
  for (int i = 0; i < 3000; ++i) {
    const int64_t media = 20000LL * i;
    d.on_packet(Timestamp::from_micros(media * 101 / 100), media);
  }
  EXPECT_LE(d.relative_delay(), Duration::millis(21));  // 2 s window * 1 %
}

TEST(media_DelayEstimator, BoundedWhateverTheInput) {
  DelayEstimator d({.max_entries = 50});
  for (int i = 0; i < 1000; ++i) d.on_packet(Timestamp::from_micros(-i * 7919), i * 104729);
  EXPECT_TRUE(d.reference_transit_us().has_value());
  d.reset();
  EXPECT_FALSE(d.reference_transit_us().has_value());
}

}  // namespace
}  // namespace wasmrtc::media
