// Reception statistics against RFC 3550 appendix A: A.1 sequence validation
// (probation, wrap-around, a restart after a big jump, a lone jump ignored),
// A.3 loss (cumulative, negative with duplicates, fraction per interval),
// A.8 jitter against a hand-computed reference, and section 6.4.1 LSR/DLSR.
#include "rtp/receive_statistics.h"

#include <cmath>
#include <cstdlib>

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Duration;
using base::Timestamp;

ReceivedPacket pkt(uint16_t seq, uint32_t ts = 0, size_t header = 12, size_t payload = 100) {
  return ReceivedPacket{seq, ts, header, payload};
}

// Feeds `seqs` 1 ms apart; returns how many on_rtp() accepted.
int feed(ReceiveStream& rx, std::initializer_list<uint16_t> seqs, Timestamp* now) {
  int accepted = 0;
  for (uint16_t s : seqs) {
    accepted += rx.on_rtp(*now, pkt(s)) ? 1 : 0;
    *now += Duration::millis(1);
  }
  return accepted;
}

TEST(rtp_ReceiveStatistics, ProbationThenLossAndFraction) {
  ReceiveStream rx(0x1234, 90000);
  Timestamp now = Timestamp::from_millis(1000);
  // A.1: the first packet is on probation; the second in sequence validates
  // the source, and both count.
  EXPECT_FALSE(rx.on_rtp(now, pkt(100)));
  EXPECT_FALSE(rx.valid());
  EXPECT_EQ(rx.report_block(now), std::nullopt);
  EXPECT_TRUE(rx.on_rtp(now, pkt(101)));
  EXPECT_TRUE(rx.valid());
  EXPECT_EQ(rx.packets_received(), 2u);
  // 103 lost.
  EXPECT_EQ(feed(rx, {102, 104, 105}, &now), 3);
  auto b = rx.report_block(now);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->ssrc, 0x1234u);
  EXPECT_EQ(b->extended_highest_sequence, 105u);
  EXPECT_EQ(rx.expected(), 6);
  EXPECT_EQ(b->cumulative_lost, 1);
  EXPECT_EQ(b->fraction_lost, (1 << 8) / 6);  // 42
  EXPECT_EQ(b->last_sr, 0u);
  EXPECT_EQ(b->delay_since_last_sr, 0u);
  EXPECT_FALSE(rx.received_since_last_report());

  // Next interval: 106, 107 and a duplicate of 107: 2 expected, 3 received,
  // so no fraction lost and cumulative loss back to 0.
  EXPECT_EQ(feed(rx, {106, 107, 107}, &now), 3);
  b = rx.report_block(now);
  EXPECT_EQ(b->fraction_lost, 0);
  EXPECT_EQ(b->cumulative_lost, 0);
  EXPECT_EQ(rx.duplicates(), 1u);
  // A reordered duplicate (105 again): loss goes negative (section 6.4.1).
  EXPECT_EQ(feed(rx, {108, 105}, &now), 2);
  b = rx.report_block(now);
  EXPECT_EQ(b->cumulative_lost, -1);
  EXPECT_EQ(b->fraction_lost, 0);
  EXPECT_EQ(rx.duplicates(), 2u);
  EXPECT_EQ(rx.packets_received(), 10u);
  EXPECT_EQ(rx.header_bytes_received(), 120u);
  EXPECT_EQ(rx.bytes_received(), 1000u);

  // An interval where 2 of 4 are lost: fraction 128 (0.5).
  EXPECT_EQ(feed(rx, {110, 112}, &now), 2);
  b = rx.report_block(now);
  EXPECT_EQ(b->fraction_lost, 128);
  EXPECT_EQ(b->cumulative_lost, 1);
}

TEST(rtp_ReceiveStatistics, ReorderingIsNotLoss) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  EXPECT_EQ(feed(rx, {10, 11, 13, 12, 14}, &now), 4);  // 10 on probation, credited
  EXPECT_EQ(rx.packets_received(), 5u);
  auto b = rx.report_block(now);
  EXPECT_EQ(b->extended_highest_sequence, 14u);
  EXPECT_EQ(b->cumulative_lost, 0);
  EXPECT_EQ(b->fraction_lost, 0);
  EXPECT_EQ(rx.duplicates(), 0u);
}

TEST(rtp_ReceiveStatistics, WrapAroundCountsCycles) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  EXPECT_EQ(feed(rx, {65533, 65534, 65535, 0, 2}, &now), 4);
  auto b = rx.report_block(now);
  EXPECT_EQ(b->extended_highest_sequence, 65536u + 2);
  EXPECT_EQ(rx.expected(), 6);
  EXPECT_EQ(b->cumulative_lost, 1);  // 1 of 65533..65538
  // A late packet is reordering, not a new cycle.
  EXPECT_EQ(feed(rx, {1}, &now), 1);
  EXPECT_EQ(rx.extended_highest_sequence(), 65536u + 2);
  EXPECT_EQ(rx.cumulative_lost(), 0);
  EXPECT_EQ(rx.duplicates(), 0u);
  // A duplicate from the previous cycle is recognised as one.
  EXPECT_EQ(feed(rx, {65535}, &now), 1);
  EXPECT_EQ(rx.duplicates(), 1u);
  EXPECT_EQ(rx.cumulative_lost(), -1);
}

TEST(rtp_ReceiveStatistics, ProbationAcrossTheWrap) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  EXPECT_EQ(feed(rx, {65535, 0, 1}, &now), 2);
  EXPECT_EQ(rx.extended_highest_sequence(), 1u);
  EXPECT_EQ(rx.expected(), 3);
  EXPECT_EQ(rx.cumulative_lost(), 0);
  EXPECT_EQ(rx.packets_received(), 3u);
}

TEST(rtp_ReceiveStatistics, ProbationRestartsOnAGap) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  // 100 then 200: not in sequence, probation starts again at 200 (100 is
  // dropped from every count).
  EXPECT_EQ(feed(rx, {100, 200, 201}, &now), 1);
  EXPECT_EQ(rx.packets_received(), 2u);
  EXPECT_EQ(rx.expected(), 2);
  EXPECT_EQ(rx.report_block(now)->extended_highest_sequence, 201u);
}

TEST(rtp_ReceiveStatistics, RestartAfterBigJump) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  EXPECT_EQ(feed(rx, {1, 2, 3, 4, 5}, &now), 4);
  // A.1: a jump of more than MAX_DROPOUT is ignored on its own ...
  EXPECT_EQ(feed(rx, {30000}, &now), 0);
  EXPECT_EQ(rx.extended_highest_sequence(), 5u);
  // ... and taken as a restart when the next packet follows it.
  EXPECT_EQ(feed(rx, {30001}, &now), 1);
  EXPECT_EQ(rx.extended_highest_sequence(), 30001u);
  EXPECT_EQ(rx.expected(), 2);
  EXPECT_EQ(rx.cumulative_lost(), 0);
  EXPECT_EQ(rx.packets_received(), 7u);  // the W3C total keeps counting
  auto b = rx.report_block(now);
  EXPECT_EQ(b->cumulative_lost, 0);
  EXPECT_EQ(b->fraction_lost, 0);
  EXPECT_EQ(feed(rx, {30003}, &now), 1);
  EXPECT_EQ(rx.report_block(now)->fraction_lost, 256 / 2);
}

TEST(rtp_ReceiveStatistics, LoneJumpIsIgnored) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  EXPECT_EQ(feed(rx, {1, 2, 3}, &now), 2);
  EXPECT_EQ(feed(rx, {40000, 4, 5}, &now), 2);
  EXPECT_EQ(rx.extended_highest_sequence(), 5u);
  EXPECT_EQ(rx.cumulative_lost(), 0);
  EXPECT_EQ(rx.packets_received(), 5u);
  // A gap below MAX_DROPOUT is loss, not a jump.
  EXPECT_EQ(feed(rx, {2005}, &now), 1);
  EXPECT_EQ(rx.cumulative_lost(), 1999);
}

TEST(rtp_ReceiveStatistics, CumulativeLostSaturatesAt24Bits) {
  ReceiveStream rx(1, 8000);
  Timestamp now;
  feed(rx, {0, 1}, &now);
  // 3000 steps of 2999 lose 2998 packets each: ~9 million > 2^23 - 1.
  uint16_t seq = 1;
  for (int i = 0; i < 3000; ++i) {
    seq = static_cast<uint16_t>(seq + 2999);
    ASSERT_TRUE(rx.on_rtp(now, pkt(seq)));
  }
  EXPECT_EQ(rx.cumulative_lost(), int64_t{3000} * 2998);
  auto b = rx.report_block(now);
  EXPECT_EQ(b->cumulative_lost, 0x7FFFFF);
  EXPECT_EQ(b->fraction_lost, 255);  // 8994000/8997002 of 256 = 255.9
  EXPECT_EQ(b->extended_highest_sequence, 1u + 3000u * 2999u);
}

// A.8 with 8 kHz audio, 20 ms packets (160 ticks), arrivals with +5 ms and
// -5 ms deviations. Transit (arrival ticks - RTP timestamp) of packets
// 1..6: 0, 40, 0, 0, -40, 0, so |D| = 40, 40, 0, 40, 40 (packet 0 is on
// probation and not used). Integer A.8 (J scaled by 16):
//   40 - 0 = 40; 40 + 40 - 3 = 77; 77 - 5 = 72; 72 + 40 - 5 = 107;
//   107 + 40 - 7 = 140 -> 140 >> 4 = 8 ticks.
TEST(rtp_ReceiveStatistics, JitterHandComputed) {
  ReceiveStream rx(1, 8000);
  const int arrival_ms[] = {0, 20, 45, 60, 80, 95, 120};
  double reference = 0;
  std::optional<int64_t> prev_transit;
  for (int i = 0; i < 7; ++i) {
    const uint32_t ts = 1000 + 160u * i;  // arbitrary RTP offset
    rx.on_rtp(Timestamp::from_millis(500 + arrival_ms[i]), pkt(static_cast<uint16_t>(i), ts));
    if (i == 0) continue;
    const int64_t transit = int64_t{arrival_ms[i]} * 8 - 160 * i;
    if (prev_transit) reference += (std::abs(transit - *prev_transit) - reference) / 16.0;
    prev_transit = transit;
  }
  EXPECT_NEAR(reference, 8.835, 0.001);
  EXPECT_EQ(rx.jitter(), 8u);
  EXPECT_LE(std::abs(static_cast<double>(rx.jitter()) - reference), 1.0);
  EXPECT_DOUBLE_EQ(rx.jitter_seconds(), 0.001);
  EXPECT_EQ(rx.report_block(Timestamp::from_millis(700))->jitter, 8u);
}

TEST(rtp_ReceiveStatistics, NoJitterAcrossTimestampWrap) {
  // 90 kHz video at 10 fps (100 ms = 9000 ticks), perfectly paced, with
  // RTP timestamps crossing 2^32: transit stays constant, jitter 0.
  ReceiveStream rx(1, 90000);
  uint32_t ts = 0xFFFFFFFFu - 20000;
  for (int i = 0; i < 20; ++i) {
    rx.on_rtp(Timestamp::from_millis(100 * i), pkt(static_cast<uint16_t>(i), ts));
    ts += 9000;
  }
  EXPECT_EQ(rx.jitter(), 0u);
}

TEST(rtp_ReceiveStatistics, LsrAndDlsr) {
  ReceiveStream rx(0x55667788, 90000);
  Timestamp now = Timestamp::from_millis(10000);
  feed(rx, {1, 2}, &now);
  SenderReport sr;
  sr.ssrc = 0x55667788;
  sr.ntp_timestamp = 0xe4d3c2b1a0908070ull;
  sr.rtp_timestamp = 1234;
  sr.packet_count = 2;
  sr.octet_count = 200;
  rx.on_sender_report(Timestamp::from_millis(10000), sr);
  // Another SSRC's SR is not ours.
  SenderReport other = sr;
  other.ssrc = 1;
  other.ntp_timestamp = 0;
  rx.on_sender_report(Timestamp::from_millis(10100), other);

  auto b = rx.report_block(Timestamp::from_millis(10500));
  EXPECT_EQ(b->last_sr, 0xc2b1a090u);            // middle 32 bits
  EXPECT_EQ(b->delay_since_last_sr, 32768u);     // 0.5 s in 1/65536 s
  b = rx.report_block(Timestamp::from_millis(11250));
  EXPECT_EQ(b->delay_since_last_sr, 81920u);     // 1.25 s
  ASSERT_TRUE(rx.last_sender_report());
  EXPECT_EQ(rx.last_sender_report()->octet_count, 200u);
  EXPECT_EQ(rx.sender_reports_received(), 1u);
}

TEST(rtp_ReceiveStatistics, SessionReportsOnlyHeardSources) {
  ReceiveStatistics stats;
  Timestamp now;
  stats.stream(2, 8000).on_rtp(now, pkt(1));
  stats.stream(2, 8000).on_rtp(now, pkt(2));
  stats.stream(1, 90000).on_rtp(now, pkt(7));  // still on probation
  auto blocks = stats.report_blocks(now);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].ssrc, 2u);
  // Nothing new since: no blocks.
  EXPECT_TRUE(stats.report_blocks(now).empty());
  stats.stream(1, 90000).on_rtp(now, pkt(8));
  blocks = stats.report_blocks(now);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].ssrc, 1u);
  EXPECT_EQ(stats.find(1)->clock_rate(), 90000u);
  EXPECT_EQ(stats.find(3), nullptr);
}

TEST(rtp_ReceiveStatistics, ReceivedPacketFromWire) {
  RtpPacket p;
  p.sequence_number = 9;
  p.timestamp = 77;
  p.payload = base::Bytes(50, 1);
  p.padding = 4;
  p.csrcs = {1};
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  auto r = ReceivedPacket::of(p, wire->size());
  EXPECT_EQ(r.sequence_number, 9);
  EXPECT_EQ(r.rtp_timestamp, 77u);
  EXPECT_EQ(r.payload_bytes, 50u);
  EXPECT_EQ(r.header_bytes, 12u + 4u + 4u);  // header, one CSRC, padding
}

}  // namespace
}  // namespace wasmrtc::rtp
