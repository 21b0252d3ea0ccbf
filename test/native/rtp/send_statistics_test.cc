// Send-side statistics (RFC 3550 section 6.4.1): SR sender info with the RTP
// timestamp extrapolated to "now", counts with retransmissions apart,
// SR-or-RR choice (section 6.4), and RTT = A - LSR - DLSR from report blocks.
#include "rtp/send_statistics.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Duration;
using base::Timestamp;

SentPacket sent(uint32_t ts, Timestamp capture, size_t payload = 1000, bool rtx = false) {
  return SentPacket{ts, capture, 20, payload, rtx};
}

TEST(rtp_SendStatistics, SenderReportExtrapolatesRtpTimestamp) {
  SendStream tx(0x11223344, 90000);
  const Timestamp t0 = Timestamp::from_millis(5000);
  EXPECT_EQ(tx.rtp_timestamp_at(t0), std::nullopt);
  tx.on_rtp_sent(t0 + Duration::millis(3), sent(1000, t0));
  // 0.5 s after capture at 90 kHz: +45000.
  EXPECT_EQ(tx.rtp_timestamp_at(t0 + Duration::millis(500)), 46000u);
  // A retransmission carries an old timestamp: it does not move the anchor.
  tx.on_rtp_sent(t0 + Duration::millis(400), sent(1, t0 - Duration::seconds(10), 500, true));
  const NtpTime ntp(0xe8fe6f80u, 0x80000000u);
  SenderReport sr = tx.sender_report(t0 + Duration::millis(500), ntp);
  EXPECT_EQ(sr.ssrc, 0x11223344u);
  EXPECT_EQ(sr.ntp_timestamp, 0xe8fe6f8080000000ull);
  EXPECT_EQ(sr.rtp_timestamp, 46000u);
  EXPECT_EQ(sr.packet_count, 2u);
  EXPECT_EQ(sr.octet_count, 1500u);  // payload octets, retransmission included
  EXPECT_TRUE(sr.reports.empty());

  EXPECT_EQ(tx.packets_sent(), 2u);
  EXPECT_EQ(tx.bytes_sent(), 1500u);
  EXPECT_EQ(tx.header_bytes_sent(), 40u);
  EXPECT_EQ(tx.retransmitted_packets_sent(), 1u);
  EXPECT_EQ(tx.retransmitted_bytes_sent(), 500u);
  EXPECT_EQ(tx.last_packet_sent(), t0 + Duration::millis(400));
}

TEST(rtp_SendStatistics, ExtrapolationWrapsAndGoesBackwards) {
  SendStream audio(1, 48000);
  const Timestamp t0 = Timestamp::from_millis(1000);
  audio.on_rtp_sent(t0, sent(0xFFFFFF00u, t0));
  // 20 ms at 48 kHz = 960 ticks, across 2^32.
  EXPECT_EQ(audio.rtp_timestamp_at(t0 + Duration::millis(20)), 0xFFFFFF00u + 960u);
  EXPECT_EQ(audio.rtp_timestamp_at(t0 + Duration::millis(20)), 704u);
  // An SR built before the capture time (a sender that timestamps ahead).
  EXPECT_EQ(audio.rtp_timestamp_at(t0 - Duration::millis(1)), 0xFFFFFF00u - 48u);
  // Fractions of a tick round down: 10 us at 48 kHz = 0.48 ticks.
  EXPECT_EQ(audio.rtp_timestamp_at(t0 + Duration::micros(10)), 0xFFFFFF00u);
  EXPECT_EQ(audio.rtp_timestamp_at(t0 - Duration::micros(10)), 0xFFFFFF00u - 1);
}

TEST(rtp_SendStatistics, SenderOrReceiverReport) {
  SendStream tx(1, 90000);
  EXPECT_FALSE(tx.should_send_sender_report());
  tx.on_rtp_sent(Timestamp(), sent(0, Timestamp()));
  EXPECT_TRUE(tx.should_send_sender_report());
  tx.on_report_sent();
  // RFC 3550 6.4: "since issuing the last report or the previous one".
  EXPECT_TRUE(tx.should_send_sender_report());
  tx.on_report_sent();
  EXPECT_FALSE(tx.should_send_sender_report());
}

TEST(rtp_SendStatistics, RoundTripTimeFromLsrAndDlsr) {
  SendStream tx(0x11223344, 90000);
  // Our SR went out at NTP 0x12340005.40000000 (compact 0x00054000); the
  // remote held it 0.5 s (DLSR 0x8000) and its RR arrives at
  // 0x12340006.00000000 (compact 0x00060000):
  // RTT = 0x60000 - 0x54000 - 0x8000 = 0x4000 = 0.25 s.
  const NtpTime sent_at(0x12340005u, 0x40000000u);
  ReportBlock b{0x11223344, 64, 3, 0x10010, 900, sent_at.compact(), 0x8000};
  EXPECT_EQ(b.last_sr, 0x00054000u);
  const Timestamp arrival = Timestamp::from_millis(7000);
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(0x12340006u, 0), arrival));
  const RemoteInboundStats& r = tx.remote_inbound();
  ASSERT_TRUE(r.round_trip_time);
  EXPECT_DOUBLE_EQ(*r.round_trip_time, 0.25);
  EXPECT_DOUBLE_EQ(r.total_round_trip_time, 0.25);
  EXPECT_EQ(r.round_trip_time_measurements, 1u);
  EXPECT_DOUBLE_EQ(r.fraction_lost, 0.25);  // 64/256
  EXPECT_EQ(r.packets_lost, 3);
  EXPECT_DOUBLE_EQ(r.jitter, 0.01);         // 900 ticks at 90 kHz
  EXPECT_EQ(r.extended_highest_sequence, 0x10010u);
  EXPECT_EQ(r.last_report, arrival);

  // A second measurement: 0x1000 (1/16 s) and negative loss.
  b.delay_since_last_sr = 0xC000;
  b.cumulative_lost = -2;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(0x12340006u, 0x10000000u), arrival));
  EXPECT_DOUBLE_EQ(*r.round_trip_time, 0.0625);
  EXPECT_DOUBLE_EQ(r.total_round_trip_time, 0.3125);
  EXPECT_EQ(r.round_trip_time_measurements, 2u);
  EXPECT_EQ(r.packets_lost, -2);

  // LSR 0: no SR reached the remote yet, so no RTT measurement.
  b.last_sr = 0;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(0x12340007u, 0), arrival));
  EXPECT_EQ(r.round_trip_time_measurements, 2u);
  EXPECT_EQ(r.reports_received, 3u);

  // DLSR larger than the elapsed time (clock trouble): RTT 0, not negative.
  b.last_sr = 0x00054000;
  b.delay_since_last_sr = 0x20000;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(0x12340006u, 0), arrival));
  EXPECT_DOUBLE_EQ(*r.round_trip_time, 0.0);
  EXPECT_EQ(r.round_trip_time_measurements, 3u);

  // A block about another SSRC is not ours.
  b.ssrc = 5;
  EXPECT_FALSE(tx.on_report_block(b, NtpTime(0x12340006u, 0), arrival));
  EXPECT_EQ(r.reports_received, 4u);
}

TEST(rtp_SendStatistics, RoundTripAcrossCompactWrap) {
  SendStream tx(1, 8000);
  // LSR just before the 16.16 wrap, arrival just after it: 0x10 - 0xFFFFFFF0
  // = 0x20 units, minus DLSR 0x10 = 0x10 = 1/4096 s.
  ReportBlock b{1, 0, 0, 0, 0, 0xFFFFFFF0u, 0x10};
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(uint64_t{0x10} << 16), Timestamp()));
  EXPECT_DOUBLE_EQ(*tx.remote_inbound().round_trip_time, 16 / 65536.0);
}

TEST(rtp_SendStatistics, SentPacketFromWire) {
  RtpPacket p;
  p.timestamp = 3000;
  p.payload = base::Bytes(100, 0);
  p.extensions.push_back(Extension{1, {0x30}});
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  auto s = SentPacket::of(p, wire->size(), Timestamp::from_millis(3), true);
  EXPECT_EQ(s.rtp_timestamp, 3000u);
  EXPECT_EQ(s.payload_bytes, 100u);
  EXPECT_EQ(s.header_bytes, 12u + 8u);  // header + one-byte extension block
  EXPECT_TRUE(s.retransmission);
  EXPECT_EQ(s.capture_time, Timestamp::from_millis(3));
}

// W3C RTCRemoteInboundRtpStreamStats.packetsReceived from a report block:
// RFC 3550 A.3 "expected" (the extended highest sequence number less the
// first we sent, plus one) less the cumulative number lost.
TEST(rtp_SendStatistics, RemotePacketsReceivedFromTheReportBlock) {
  SendStream tx(7, 48000);
  EXPECT_EQ(tx.remote_inbound().packets_received, 0u);
  // 16 packets: 65530..65535 then 0..9 (one wrap). A retransmission does
  // not move where the stream started.
  for (int i = 0; i < 16; ++i) {
    SentPacket p = sent(960 * i, Timestamp::from_millis(20 * i));
    p.sequence_number = static_cast<uint16_t>(65530 + i);
    tx.on_rtp_sent(Timestamp::from_millis(20 * i), p);
  }
  SentPacket rtx = sent(0, Timestamp(), 100, true);
  rtx.sequence_number = 65531;
  tx.on_rtp_sent(Timestamp::from_millis(400), rtx);
  // The remote saw up to 9 in its first wrap (extended 0x10009) and lost 2.
  ReportBlock b{7, 32, 2, 0x10009, 0, 0, 0};
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(), Timestamp::from_millis(500)));
  EXPECT_EQ(tx.remote_inbound().packets_received, 14u);
  // A report up to 65533, none lost: 4.
  b.extended_highest_sequence = 65533;
  b.cumulative_lost = 0;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(), Timestamp::from_millis(600)));
  EXPECT_EQ(tx.remote_inbound().packets_received, 4u);
  // Duplicates make the loss negative (RFC 3550 6.4.1): more received
  // than expected, as the remote counted them.
  b.cumulative_lost = -1;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(), Timestamp::from_millis(700)));
  EXPECT_EQ(tx.remote_inbound().packets_received, 5u);
  // Nonsense (more lost than expected) is not a negative count.
  b.cumulative_lost = 100;
  ASSERT_TRUE(tx.on_report_block(b, NtpTime(), Timestamp::from_millis(800)));
  EXPECT_EQ(tx.remote_inbound().packets_received, 0u);
}

TEST(rtp_SendStatistics, SentPacketKeepsTheSequenceNumber) {
  RtpPacket p;
  p.sequence_number = 4711;
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(SentPacket::of(p, wire->size(), Timestamp()).sequence_number, 4711);
}

}  // namespace
}  // namespace wasmrtc::rtp
