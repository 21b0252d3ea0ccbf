// Issue 14, an attack: the peer sends a NACK every 10 ms listing the whole
// history, each entry twice. A sender of 1 Mbit/s of video keeps resending
// within its congestion-control target, and the pacer's queue within its
// cap. The sender here is what pc's media path runs for each NACK:
// rtp::PacketHistory picks what to resend, cc::Pacer paces it.
#include <gtest/gtest.h>

#include "cc/pacer.h"
#include "rtp/packet_history.h"

namespace wasmrtc::cc {
namespace {

using base::Duration;
using base::Timestamp;

TEST(NackStorm, ResentBytesStayUnderTheMediaRateAndThePacerUnderItsCap) {
  constexpr uint32_t kMediaBps = 1'000'000;
  constexpr size_t kPacket = 1100;
  constexpr Duration kRtt = Duration::millis(40);
  rtp::PacketHistory history;
  Pacer<rtp::RtpPacket> pacer;
  pacer.set_target(kMediaBps);
  Timestamp now = Timestamp::from_millis(1000);
  const Timestamp start = now;
  uint16_t seq = 0;
  size_t media_bytes = 0, resent_bytes = 0, most_queued = 0;
  Duration next_frame = Duration::zero();
  for (int tick = 0; tick < 500; ++tick) {  // 5 s in 10 ms steps
    // 30 frames a second of kMediaBps.
    if (now - start >= next_frame) {
      next_frame = next_frame + Duration::micros(33'333);
      for (size_t b = 0; b < kMediaBps / 8 / 30; b += kPacket) {
        rtp::RtpPacket p;
        p.sequence_number = seq++;
        p.payload.assign(kPacket, 0);
        history.put(now, p);
        media_bytes += kPacket;
        (void)pacer.enqueue(now, PacketPriority::Video, kPacket, std::move(p));
      }
    }
    // The storm: everything in the history, twice.
    std::vector<uint16_t> nack;
    for (uint16_t s = static_cast<uint16_t>(seq - std::min<uint16_t>(seq, 1000)); s != seq; ++s) {
      nack.push_back(s);
      nack.push_back(s);
    }
    for (rtp::RtpPacket& p : history.resend(now, nack, kRtt, kMediaBps)) {
      resent_bytes += p.payload.size();
      (void)pacer.enqueue(now, PacketPriority::Retransmission, p.payload.size(), std::move(p));
    }
    most_queued = std::max(most_queued, pacer.queued_bytes());
    while (pacer.pop(now)) {
    }
    now = now + Duration::millis(10);
  }
  const double seconds = (now - start).us() / 1e6;
  EXPECT_LE(resent_bytes * 8 / seconds, kMediaBps * 1.01);  // at or under the media rate
  EXPECT_GT(resent_bytes, 0u);
  EXPECT_GT(history.refused_repeat(), 0u);
  EXPECT_LE(most_queued, Pacer<rtp::RtpPacket>::kMaxQueuedBytes);
  EXPECT_GT(media_bytes, 0u);
}

// The pacer refuses past kMaxQueuedBytes, whatever asks.
TEST(NackStorm, PacerRefusesPastItsCap) {
  Pacer<int> pacer;
  const Timestamp now = Timestamp::from_millis(1000);
  size_t accepted = 0;
  for (int i = 0; i < 10000; ++i) accepted += pacer.enqueue(now, PacketPriority::Retransmission, 1200, i) ? 1 : 0;
  EXPECT_EQ(accepted, Pacer<int>::kMaxQueuedBytes / 1200);
  EXPECT_EQ(pacer.dropped(), 10000u - accepted);
  EXPECT_LE(pacer.queued_bytes(), Pacer<int>::kMaxQueuedBytes);
}

}  // namespace
}  // namespace wasmrtc::cc
