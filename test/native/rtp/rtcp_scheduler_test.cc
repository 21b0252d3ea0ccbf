// RTCP report timing (RFC 3550 section 6.3, RFC 4585 section 3.5.2): the
// randomization stays within [0.5, 1.5) of the interval, the first report
// comes after half of that, early reports are limited to one per regular
// interval, and the long-run rate matches the nominal interval.
#include "rtp/rtcp_scheduler.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Duration;
using base::Timestamp;

// Returns the same 32-bit value every time.
class FixedRandom final : public base::Random {
 public:
  explicit FixedRandom(uint8_t byte) : byte_(byte) {}
  void fill(std::span<uint8_t> out) override { std::fill(out.begin(), out.end(), byte_); }

 private:
  uint8_t byte_;
};

TEST(rtp_RtcpScheduler, RandomizationBounds) {
  FixedRandom zero(0x00), ones(0xff);
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(1), zero), Duration::millis(500));
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(1), ones), Duration::micros(1499999));
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(5), zero), Duration::millis(2500));
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(5), ones), Duration::micros(7499999));
  // Clamped intervals.
  EXPECT_EQ(RtcpScheduler::randomized(Duration::zero(), zero), Duration::micros(500));
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(-3), zero), Duration::micros(500));
  EXPECT_EQ(RtcpScheduler::randomized(Duration::seconds(1000000), zero), Duration::seconds(1800));

  base::SeededRandom random(42);
  Duration lo = Duration::seconds(100), hi = Duration::zero(), sum;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    const Duration d = RtcpScheduler::randomized(kVideoReportInterval, random);
    ASSERT_GE(d, Duration::millis(500));
    ASSERT_LT(d, Duration::millis(1500));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
    sum += d;
  }
  // Spread over the whole range, centred on the interval.
  EXPECT_LT(lo, Duration::millis(505));
  EXPECT_GT(hi, Duration::millis(1495));
  EXPECT_NEAR(static_cast<double>((sum / n).us()), 1e6, 1e4);
}

TEST(rtp_RtcpScheduler, FirstReportAfterHalfAnInterval) {
  const Timestamp now = Timestamp::from_millis(1000);
  FixedRandom zero(0x00), ones(0xff);
  EXPECT_EQ(RtcpScheduler(kAudioReportInterval, zero, now).poll_timeout(), now + Duration::millis(1250));
  EXPECT_EQ(RtcpScheduler(kAudioReportInterval, ones, now).poll_timeout(),
            now + Duration::micros(7499999 / 2));
}

TEST(rtp_RtcpScheduler, RegularReports) {
  FixedRandom zero(0x00);
  const Timestamp t0;
  RtcpScheduler s(Duration::seconds(1), zero, t0);
  const Timestamp first = s.poll_timeout().value();
  EXPECT_EQ(first, t0 + Duration::millis(250));
  EXPECT_FALSE(s.handle_timeout(first - Duration::micros(1)));
  EXPECT_TRUE(s.handle_timeout(first));
  EXPECT_EQ(s.poll_timeout(), first + Duration::millis(500));
  EXPECT_FALSE(s.handle_timeout(first + Duration::millis(100)));
  // Late wake-up: the next interval counts from when the report went out.
  const Timestamp late = first + Duration::millis(700);
  EXPECT_TRUE(s.handle_timeout(late));
  EXPECT_EQ(s.poll_timeout(), late + Duration::millis(500));
}

TEST(rtp_RtcpScheduler, EarlyReportOncePerInterval) {
  FixedRandom zero(0x00);
  const Timestamp t0;
  RtcpScheduler s(Duration::seconds(1), zero, t0);
  const Timestamp regular = s.poll_timeout().value();
  const Timestamp t = t0 + Duration::millis(100);
  EXPECT_TRUE(s.request_early_report(t));
  EXPECT_TRUE(s.request_early_report(t));  // still pending: same report
  EXPECT_EQ(s.poll_timeout(), t);
  EXPECT_TRUE(s.handle_timeout(t));
  EXPECT_EQ(s.poll_timeout(), regular);  // regular schedule unchanged
  EXPECT_FALSE(s.request_early_report(t + Duration::millis(10)));
  EXPECT_FALSE(s.handle_timeout(t + Duration::millis(10)));
  EXPECT_TRUE(s.handle_timeout(regular));
  EXPECT_TRUE(s.request_early_report(regular + Duration::millis(1)));
}

TEST(rtp_RtcpScheduler, ShorterIntervalTakesEffect) {
  FixedRandom ones(0xff);
  const Timestamp t0;
  RtcpScheduler s(kAudioReportInterval, ones, t0);
  EXPECT_EQ(s.poll_timeout(), t0 + Duration::micros(3749999));
  // 3.75 s is beyond 1.5 x 1 s: rescheduled with the new interval.
  s.set_interval(kVideoReportInterval, t0);
  EXPECT_EQ(s.interval(), kVideoReportInterval);
  EXPECT_EQ(s.poll_timeout(), t0 + Duration::micros(1499999));
  // Within reach of the new interval: kept.
  s.set_interval(Duration::seconds(2), t0);
  EXPECT_EQ(s.poll_timeout(), t0 + Duration::micros(1499999));
  // Lengthening does not postpone the report already scheduled.
  s.set_interval(kAudioReportInterval, t0);
  EXPECT_EQ(s.poll_timeout(), t0 + Duration::micros(1499999));
}

TEST(rtp_RtcpScheduler, LongRunRateMatchesInterval) {
  base::SeededRandom random(7);
  Timestamp now;
  RtcpScheduler s(kAudioReportInterval, random, now);
  int reports = 0;
  const Timestamp end = now + Duration::seconds(5000);
  while (now < end) {
    now = s.poll_timeout().value();
    if (s.handle_timeout(now)) ++reports;
  }
  EXPECT_NEAR(reports, 1000, 50);
}

}  // namespace
}  // namespace wasmrtc::rtp
