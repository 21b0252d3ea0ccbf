// rtp::PacketHistory: what a NACK (RFC 4585 section 6.2.1) may take.
#include "rtp/packet_history.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Duration;
using base::Timestamp;

RtpPacket packet(uint16_t seq, size_t bytes = 1000) {
  RtpPacket p;
  p.sequence_number = seq;
  p.payload.assign(bytes, static_cast<uint8_t>(seq));
  return p;
}

TEST(PacketHistory, ResendsKeptPacketsOncePerRoundTrip) {
  PacketHistory h;
  Timestamp now = Timestamp::from_millis(1000);
  for (uint16_t s = 0; s < 10; ++s) h.put(now, packet(s));
  const uint16_t nack[] = {3, 3, 4, 42};  // a duplicate and one never sent
  auto out = h.resend(now, nack, Duration::millis(50), 10'000'000);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].sequence_number, 3);
  EXPECT_EQ(out[1].sequence_number, 4);
  EXPECT_EQ(h.refused_repeat(), 1u);
  // Asked again within the round trip: refused; after it: resent.
  EXPECT_TRUE(h.resend(now + Duration::millis(30), std::span<const uint16_t>(nack, 1), Duration::millis(50), 10'000'000).empty());
  EXPECT_EQ(h.resend(now + Duration::millis(60), std::span<const uint16_t>(nack, 1), Duration::millis(50), 10'000'000).size(), 1u);
}

TEST(PacketHistory, KeepsOneSecondAndAtMostMaxPackets) {
  PacketHistory h(PacketHistory::Config{Duration::seconds(1), 100});
  Timestamp now = Timestamp::from_millis(1000);
  for (uint16_t s = 0; s < 500; ++s) h.put(now, packet(s, 10));
  EXPECT_EQ(h.size(), 100u);
  h.put(now + Duration::millis(1500), packet(600, 10));
  EXPECT_EQ(h.size(), 1u);
}

TEST(PacketHistory, ResentBytesStayWithinTheRate) {
  PacketHistory h;
  Timestamp now = Timestamp::from_millis(1000);
  std::vector<uint16_t> all;
  for (uint16_t s = 0; s < 200; ++s) {
    h.put(now, packet(s));
    all.push_back(s);
  }
  // 400 kbit/s: 50,000 bytes a second, 50 packets of 1000 bytes.
  auto out = h.resend(now, all, Duration::millis(10), 400'000);
  EXPECT_EQ(out.size(), 50u);
  EXPECT_EQ(h.refused_rate(), 150u);
  EXPECT_LE(h.resent_bytes(now), 50'000u);
}

}  // namespace
}  // namespace wasmrtc::rtp
