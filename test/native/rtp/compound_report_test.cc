// Compound RTCP reports (RFC 3550 section 6.1, 6.4): exact bytes of SR +
// report block (loss, LSR/DLSR) + SDES CNAME; RR for a receive-only source
// and for a sender silent for two intervals; more than 31 blocks spill into
// a second RR (section 6.4.2); sources not heard since are left out.
#include "rtp/compound_report.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Duration;
using base::Timestamp;

TEST(rtp_CompoundReport, SenderReportWithBlockAndCname) {
  SendStream tx(0x11223344, 90000);
  const Timestamp capture = Timestamp::from_millis(1400);
  tx.on_rtp_sent(capture, SentPacket{1000, capture, 12, 100, false});
  tx.on_rtp_sent(capture, SentPacket{1000, capture, 12, 100, false});

  ReceiveStatistics rx;
  ReceiveStream& remote = rx.stream(0x55667788, 8000);
  for (uint16_t seq : {1, 2, 4}) {  // 3 lost; perfectly paced: jitter 0
    remote.on_rtp(Timestamp::from_millis(20 * seq), ReceivedPacket{seq, 160u * seq, 12, 160});
  }
  SenderReport remote_sr;
  remote_sr.ssrc = 0x55667788;
  remote_sr.ntp_timestamp = 0xe4d3c2b1a0908070ull;
  ASSERT_TRUE(rx.on_sender_report(Timestamp::from_millis(1000), remote_sr));

  const Timestamp now = Timestamp::from_millis(1500);
  auto wire = build_compound_report(now, NtpTime(0xe8fe6f80u, 0x80000000u),
                                    {0, "abcd", &tx, &rx});
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(base::to_hex(*wire),
            // SR, RC=1: NTP, RTP 1000 + 0.1 s at 90 kHz = 10000, 2 packets, 200 octets.
            "81c8000c" "11223344" "e8fe6f80" "80000000" "00002710" "00000002" "000000c8"
            // Block: 1 of 4 lost (fraction 64), highest 4, jitter 0,
            // LSR = middle of the SR's NTP, DLSR 0.5 s.
            "55667788" "40000001" "00000004" "00000000" "c2b1a090" "00008000"
            // SDES CNAME "abcd".
            "81ca0003" "11223344" "0104" "61626364" "0000");

  // Next report: nothing new from the remote, no block; still an SR
  // (sent during the previous interval).
  auto packets = compound_report_packets(now + Duration::seconds(1), NtpTime(), {0, "abcd", &tx, &rx});
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_TRUE(std::get<SenderReport>(packets[0]).reports.empty());
  // Silent for two intervals: an RR from the same SSRC.
  packets = compound_report_packets(now + Duration::seconds(2), NtpTime(), {0, "abcd", &tx, &rx});
  EXPECT_EQ(std::get<ReceiverReport>(packets[0]), (ReceiverReport{0x11223344, {}}));
}

TEST(rtp_CompoundReport, ReceiveOnlyAndManySources) {
  ReceiveStatistics rx;
  const Timestamp t;
  for (uint32_t ssrc = 100; ssrc < 140; ++ssrc) {
    rx.stream(ssrc, 90000).on_rtp(t, ReceivedPacket{1, 0, 12, 10});
    rx.stream(ssrc, 90000).on_rtp(t, ReceivedPacket{2, 0, 12, 10});
  }
  auto packets = compound_report_packets(t, NtpTime(), {0xabc, "x", nullptr, &rx});
  ASSERT_EQ(packets.size(), 3u);
  const auto& rr1 = std::get<ReceiverReport>(packets[0]);
  const auto& rr2 = std::get<ReceiverReport>(packets[1]);
  EXPECT_EQ(rr1.ssrc, 0xabcu);
  EXPECT_EQ(rr2.ssrc, 0xabcu);
  ASSERT_EQ(rr1.reports.size(), 31u);
  ASSERT_EQ(rr2.reports.size(), 9u);
  EXPECT_EQ(rr1.reports[0].ssrc, 100u);
  EXPECT_EQ(rr2.reports[8].ssrc, 139u);
  EXPECT_EQ(std::get<Sdes>(packets[2]).chunks[0].items[0], (std::pair<uint8_t, std::string>{1, "x"}));

  // Serialized, it parses back as the same three packets.
  rx.stream(100, 90000).on_rtp(t, ReceivedPacket{3, 0, 12, 10});
  auto wire = build_compound_report(t, NtpTime(), {0xabc, "x", nullptr, &rx});
  ASSERT_TRUE(wire.ok());
  auto back = parse_rtcp(*wire);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(std::get<ReceiverReport>((*back)[0]).reports.size(), 1u);

  // No receive statistics at all: an empty RR and the CNAME.
  wire = build_compound_report(t, NtpTime(), {0xabc, "x", nullptr, nullptr});
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(base::to_hex(*wire), "80c90001" "00000abc" "81ca0002" "00000abc" "01017800");
  // A CNAME too long for its length byte.
  EXPECT_EQ(build_compound_report(t, NtpTime(), {1, std::string(256, 'a'), nullptr, nullptr}).error(),
            Error::TooLarge);
}

}  // namespace
}  // namespace wasmrtc::rtp
