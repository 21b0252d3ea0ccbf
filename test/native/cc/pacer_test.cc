#include "cc/pacer.h"

#include <gtest/gtest.h>

namespace wasmrtc::cc {
namespace {

using base::Duration;
using base::Timestamp;

TEST(Pacer, SpreadsABurstAtThePacingRate) {
  Pacer<int> p;
  p.set_target(400'000);  // paced at 1 Mbit/s: 1000 bytes per 8 ms
  Timestamp now = Timestamp::from_millis(1000);
  for (int i = 0; i < 20; ++i) p.enqueue(now, PacketPriority::Video, 1000, i);
  std::vector<std::pair<int, Timestamp>> sent;
  for (int step = 0; step < 400 && sent.size() < 20; ++step) {
    while (auto x = p.pop(now)) sent.emplace_back(*x, now);
    auto d = p.deadline();
    ASSERT_TRUE(d || sent.size() == 20);
    if (d) now = std::max(now + Duration::micros(1), *d);
  }
  ASSERT_EQ(sent.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(sent[i].first, i);  // FIFO
  // 20 packets of 8 ms each, less the 5 ms burst allowance.
  const Duration span = sent.back().second - sent.front().second;
  EXPECT_GE(span, Duration::millis(145));
  EXPECT_LE(span, Duration::millis(160));
}

TEST(Pacer, AudioFirstThenRetransmissionsThenVideo) {
  Pacer<int> p;
  p.set_target(40'000);
  Timestamp now = Timestamp::from_millis(0);
  p.enqueue(now, PacketPriority::Video, 1200, 1);
  p.enqueue(now, PacketPriority::Video, 1200, 2);
  p.enqueue(now, PacketPriority::Retransmission, 1200, 3);
  p.enqueue(now, PacketPriority::Audio, 100, 4);
  EXPECT_EQ(p.pop(now), 4);
  // Audio spent the budget too: the rest waits, audio never does.
  EXPECT_EQ(p.pop(now), std::nullopt);
  p.enqueue(now, PacketPriority::Audio, 100, 5);
  EXPECT_EQ(p.pop(now), 5);
  EXPECT_EQ(p.pop(now), std::nullopt);
  ASSERT_TRUE(p.deadline());
  EXPECT_GT(*p.deadline(), now);
  now = *p.deadline();
  EXPECT_EQ(p.pop(now), 3);  // the retransmission before older video
  EXPECT_EQ(p.pop(now), std::nullopt);
  now = *p.deadline();
  EXPECT_EQ(p.pop(now), 1);
}

TEST(Pacer, RemoveIfDropsOnlyWhatItSelects) {
  Pacer<int> p;
  Timestamp now = Timestamp::from_millis(0);
  p.enqueue(now, PacketPriority::Retransmission, 100, 1);
  p.enqueue(now, PacketPriority::Retransmission, 100, 2);
  p.enqueue(now, PacketPriority::Video, 100, 3);
  EXPECT_EQ(p.remove_if(PacketPriority::Retransmission, [](int x) { return x == 1; }), 1u);
  EXPECT_EQ(p.queued_bytes(), 200u);
  EXPECT_EQ(p.pop(now), 2);
}

TEST(Pacer, DrainsALongQueueWithinTwoSeconds) {
  Pacer<int> p;
  p.set_target(50'000);  // 125 kbit/s pacing: 1 MB would take 64 s
  Timestamp now = Timestamp::from_millis(0);
  for (int i = 0; i < 1000; ++i) p.enqueue(now, PacketPriority::Video, 1000, i);
  int sent = 0;
  while (sent < 1000 && now < Timestamp::from_millis(5000)) {
    while (p.pop(now)) ++sent;
    if (auto d = p.deadline()) now = std::max(now + Duration::micros(100), *d);
  }
  EXPECT_EQ(sent, 1000);
  // Two seconds, and a tail: the last packets drain at no less than their
  // bytes per 100 ms.
  EXPECT_LE(now, Timestamp::from_millis(2500));
}

TEST(Pacer, IdleTimeEarnsOnlyASmallBurst) {
  Pacer<int> p;
  p.set_target(400'000);  // 1 Mbit/s: 8 ms per 1000 bytes
  Timestamp now = Timestamp::from_millis(0);
  p.enqueue(now, PacketPriority::Video, 1000, 0);
  EXPECT_TRUE(p.pop(now));
  now += Duration::seconds(10);  // a long pause
  for (int i = 0; i < 10; ++i) p.enqueue(now, PacketPriority::Video, 1000, i);
  int at_once = 0;
  while (p.pop(now)) ++at_once;
  EXPECT_LE(at_once, 2);
  EXPECT_EQ(p.queued_bytes(), static_cast<size_t>(10 - at_once) * 1000);
}

}  // namespace
}  // namespace wasmrtc::cc
