// The estimator in a loop with a simulated path: a sender that encodes at
// the target rate and paces, a bottleneck link with a drop-tail queue, a
// receiver that sends transport-wide feedback every 100 ms.
#include "cc/bandwidth_estimator.h"

#include <gtest/gtest.h>

#include <deque>

#include "base/random.h"
#include "cc/pacer.h"
#include "rtp/transport_feedback.h"

namespace wasmrtc::cc {
namespace {

using base::Duration;
using base::Timestamp;

struct Path {
  uint32_t capacity_bps = 500'000;
  Duration propagation = Duration::millis(20);
  size_t queue_limit_bytes = 60'000;  // about a second at 500 kbit/s
  double loss = 0;                    // random, before the queue
};

struct Result {
  uint32_t final_target = 0;
  uint32_t max_target_after_settling = 0;  // from 10 s on
  double mean_target_after_settling = 0;
  double delivered_bps_last_5s = 0;
  Duration max_queue_delay_last_5s;
};

Result simulate(const Path& path, Duration length, BandwidthEstimatorConfig config = {}) {
  BandwidthEstimator bwe(config);
  Pacer<uint16_t> pacer;
  rtp::TransportFeedbackGenerator receiver;
  base::SeededRandom random(7);
  struct InFlight {
    Timestamp arrival;
    uint16_t seq;
  };
  std::deque<InFlight> link;  // packets in order of arrival at the receiver
  std::deque<std::pair<Timestamp, rtp::TransportFeedback>> feedback;  // towards the sender
  std::map<uint16_t, size_t> sizes;
  Timestamp link_free = Timestamp::from_millis(0);
  uint16_t next_seq = 0;
  Result r;
  uint64_t delivered_bytes = 0;
  const Timestamp start = Timestamp::from_millis(0);
  const Timestamp end = start + length;
  int64_t settled_ms = 0;
  Timestamp next_frame = start, next_feedback = start + Duration::millis(100);
  for (Timestamp now = start; now < end; now += Duration::millis(1)) {
    const Timestamp measure_from = end - Duration::seconds(5);
    // The encoder: a frame every 33 ms at the target rate, in 1200-byte packets.
    if (now >= next_frame) {
      next_frame += Duration::micros(33'333);
      size_t frame = bwe.target_bps() / 30 / 8;
      while (frame > 0) {
        const size_t n = std::min<size_t>(frame, 1200);
        pacer.enqueue(now, PacketPriority::Video, n, next_seq);
        sizes[next_seq++] = n;
        frame -= n;
      }
    }
    pacer.set_target(bwe.target_bps());
    while (auto seq = pacer.pop(now)) {
      const size_t bytes = sizes[*seq];
      sizes.erase(*seq);
      bwe.on_packet_sent(now, *seq, bytes);
      if (path.loss > 0 && random.uniform(1000) < path.loss * 1000) continue;
      // The bottleneck: serialized at capacity behind what is queued.
      const Timestamp begin = std::max(now, link_free);
      const Duration queued = begin - now;
      if (queued.us() * static_cast<int64_t>(path.capacity_bps) / 8'000'000 > static_cast<int64_t>(path.queue_limit_bytes)) continue;
      link_free = begin + Duration::micros(static_cast<int64_t>(bytes * 8 * 1e6 / path.capacity_bps));
      link.push_back(InFlight{link_free + path.propagation, *seq});
      if (now >= measure_from) r.max_queue_delay_last_5s = std::max(r.max_queue_delay_last_5s, link_free - now);
    }
    while (!link.empty() && link.front().arrival <= now) {
      receiver.on_packet(now, link.front().seq);
      if (now >= measure_from) delivered_bytes += 1;  // counted below by size
      link.pop_front();
    }
    if (now >= next_feedback) {
      next_feedback += Duration::millis(100);
      for (auto& f : receiver.build(1, 2)) feedback.emplace_back(now + path.propagation, std::move(f));
    }
    while (!feedback.empty() && feedback.front().first <= now) {
      // Through the wire format, as it would travel.
      auto fb = rtp::make_transport_feedback(feedback.front().second);
      EXPECT_TRUE(fb.ok());
      if (fb) {
        auto parsed = rtp::parse_transport_feedback(*fb);
        EXPECT_TRUE(parsed.ok());
        if (parsed) bwe.on_transport_feedback(now, *parsed);
      }
      feedback.pop_front();
    }
    if (getenv("CC_TRACE") && now.us() % 500'000 == 0)
      printf("%5.1f s target %u state %d loss %.3f acked %u queue %lld ms\n", now.us() / 1e6, bwe.target_bps(),
             static_cast<int>(bwe.delay_state()), bwe.loss_fraction(), bwe.acknowledged_bps().value_or(0),
             static_cast<long long>((link_free - now).ms()));
    if (now >= start + Duration::seconds(10)) {
      r.max_target_after_settling = std::max(r.max_target_after_settling, bwe.target_bps());
      r.mean_target_after_settling += bwe.target_bps();
      ++settled_ms;
    }
  }
  (void)delivered_bytes;
  if (settled_ms > 0) r.mean_target_after_settling /= static_cast<double>(settled_ms);
  r.final_target = bwe.target_bps();
  r.delivered_bps_last_5s = bwe.acknowledged_bps().value_or(0);
  return r;
}

TEST(BandwidthEstimator, SettlesUnderA500kbpsBottleneckWithin10Seconds) {
  const Result r = simulate(Path{}, Duration::seconds(20));
  // AIMD saws around the capacity: over it until the queue shows, then
  // down to 85 % of what arrived. On average under it, never far over.
  EXPECT_LT(r.mean_target_after_settling, 500'000);
  EXPECT_LT(r.max_target_after_settling, 560'000u);
  EXPECT_GT(r.mean_target_after_settling, 350'000);  // and uses most of it
  EXPECT_GT(r.delivered_bps_last_5s, 250'000);
  // The queue does not stand full: delay-based control keeps it short.
  EXPECT_LT(r.max_queue_delay_last_5s, Duration::millis(400));
}

TEST(BandwidthEstimator, GrowsOnAnOpenPath) {
  Path open;
  open.capacity_bps = 20'000'000;
  BandwidthEstimatorConfig c;
  c.start_bps = 300'000;
  const Result r = simulate(open, Duration::seconds(15), c);
  EXPECT_GT(r.final_target, 600'000u);
}

TEST(BandwidthEstimator, StartsFastUntilThePathPushesBack) {
  Path open;
  open.capacity_bps = 20'000'000;
  const Result r = simulate(open, Duration::seconds(3));
  EXPECT_GT(r.final_target, 2'500'000u);  // 1 Mbit/s x 1.5 a second
}

TEST(BandwidthEstimator, BacksOffUnderHeavyRandomLoss) {
  Path lossy;
  lossy.capacity_bps = 20'000'000;
  lossy.loss = 0.2;
  const Result r = simulate(lossy, Duration::seconds(10));
  EXPECT_LT(r.final_target, 500'000u);
}

TEST(BandwidthEstimator, TwoPercentLossDoesNotStopGrowth) {
  Path lossy;
  lossy.capacity_bps = 20'000'000;
  lossy.loss = 0.01;
  BandwidthEstimatorConfig c;
  c.start_bps = 300'000;
  const Result r = simulate(lossy, Duration::seconds(10), c);
  EXPECT_GT(r.final_target, 450'000u);
}

TEST(BandwidthEstimator, RembAndMaxCap) {
  BandwidthEstimator bwe;
  bwe.on_remb(200'000);
  EXPECT_EQ(bwe.target_bps(), 200'000u);
  bwe.on_remb(5'000'000);
  bwe.set_max(700'000);
  EXPECT_EQ(bwe.target_bps(), 700'000u);
}

TEST(BandwidthEstimator, AMaximumHoldsTheTargetNotWhatWasLearned) {
  BandwidthEstimator bwe;
  bwe.set_max(100'000);  // no track yet: little to send
  EXPECT_EQ(bwe.target_bps(), 100'000u);
  bwe.set_max(2'000'000);  // a video track starts
  EXPECT_EQ(bwe.target_bps(), 1'000'000u);  // the start rate, not 100 kbit/s
}

TEST(BandwidthEstimator, ReceiverReportLossWithoutTransportFeedback) {
  BandwidthEstimator bwe;
  const uint32_t before = bwe.target_bps();
  Timestamp now = Timestamp::from_millis(0);
  for (int i = 0; i < 5; ++i) {
    now += Duration::seconds(1);
    bwe.on_report_block(now, 77 /* 30 % */, 100);
  }
  EXPECT_LT(bwe.target_bps(), before / 2);
  for (int i = 0; i < 20; ++i) {
    now += Duration::seconds(1);
    bwe.on_report_block(now, 0, 100);
  }
  EXPECT_GT(bwe.target_bps(), before / 2);  // and recovers
}

TEST(BandwidthEstimator, FeedbackForUnknownPacketsIsHarmless) {
  BandwidthEstimator bwe;
  rtp::TransportFeedback f;
  f.base_sequence = 40000;
  f.arrivals_us = {0, std::nullopt, 250};
  bwe.on_transport_feedback(Timestamp::from_millis(10), f);
  EXPECT_EQ(bwe.target_bps(), 1'000'000u);
}

}  // namespace
}  // namespace wasmrtc::cc
