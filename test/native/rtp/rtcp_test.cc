// RTCP: compound packets as libwebrtc sends them (SR + SDES CNAME),
// reception reports with negative loss, BYE with a reason, NACK and PLI
// feedback, packets of unknown type kept whole, and malformations.
#include "rtp/rtcp.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Bytes;

Bytes hex(std::string_view h) { return *base::from_hex(h); }

TEST(rtp_Rtcp, CompoundSenderReportAndCname) {
  // SR (RC=1) from 0x11223344 with one report block about 0x55667788 that
  // has lost 3 packets (fraction 0x10), then SDES with CNAME "abcd".
  const Bytes wire = hex(
      "81c8000c 11223344 e4d3c2b1a0908070 0000fa00 00000064 00003e80"
      "55667788 10000003 00010010 00000020 c2b1a090 00010000"
      "81ca0003 11223344 0104 61626364 0000");
  auto packets = parse_rtcp(wire);
  ASSERT_TRUE(packets.ok()) << to_string(packets.error());
  ASSERT_EQ(packets->size(), 2u);
  const auto& sr = std::get<SenderReport>((*packets)[0]);
  EXPECT_EQ(sr.ssrc, 0x11223344u);
  EXPECT_EQ(sr.ntp_timestamp, 0xe4d3c2b1a0908070ull);
  EXPECT_EQ(sr.rtp_timestamp, 64000u);
  EXPECT_EQ(sr.packet_count, 100u);
  EXPECT_EQ(sr.octet_count, 16000u);
  ASSERT_EQ(sr.reports.size(), 1u);
  EXPECT_EQ(sr.reports[0], (ReportBlock{0x55667788, 0x10, 3, 0x10010, 0x20, 0xc2b1a090, 0x10000}));
  const auto& sdes = std::get<Sdes>((*packets)[1]);
  ASSERT_EQ(sdes.chunks.size(), 1u);
  EXPECT_EQ(sdes.chunks[0].ssrc, 0x11223344u);
  EXPECT_EQ(sdes.chunks[0].items, (std::vector<std::pair<uint8_t, std::string>>{{1, "abcd"}}));
  EXPECT_EQ(serialize_rtcp(*packets).value(), wire);
}

TEST(rtp_Rtcp, ReceiverReportWithNegativeLossAndByeWithReason) {
  ReceiverReport rr{0xaabbccdd, {ReportBlock{1, 0, -2, 7, 0, 0, 0}}};
  Bye bye{{0xaabbccdd}, std::string("gone")};
  auto wire = serialize_rtcp({rr, bye});
  ASSERT_TRUE(wire.ok());
  // -2 as 24-bit two's complement.
  EXPECT_EQ(base::to_hex(base::ByteView(*wire).subspan(12, 4)), "00fffffe");
  auto back = parse_rtcp(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<ReceiverReport>((*back)[0]), rr);
  EXPECT_EQ(std::get<Bye>((*back)[1]), bye);
}

TEST(rtp_Rtcp, NackAndPli) {
  const std::vector<uint16_t> lost = {100, 101, 105, 116, 117, 65535, 0};
  Feedback nack = make_nack(1, 2, lost);
  auto wire = serialize_rtcp({nack, make_pli(1, 2)});
  ASSERT_TRUE(wire.ok());
  // 100 with 101, 105, 116 in its mask; 117 starts a new FCI; 65535 and 0 share one.
  EXPECT_EQ(base::to_hex(*wire), "81cd00050000000100000002" "00648011" "00750000" "ffff0001" "81ce000200000001" "00000002");
  auto back = parse_rtcp(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(nack_sequence_numbers(std::get<Feedback>((*back)[0])), lost);
  EXPECT_TRUE(is_pli(std::get<Feedback>((*back)[1])));
  EXPECT_FALSE(is_pli(std::get<Feedback>((*back)[0])));
}

TEST(rtp_Rtcp, UnknownTypesAreKeptAndReducedSizeIsFine) {
  // APP (204) alone, as RFC 5506 allows a non-compound packet.
  const Bytes app = hex("84cc0003 11223344 6e616d65 01020304");
  auto packets = parse_rtcp(app);
  ASSERT_TRUE(packets.ok());
  const auto& u = std::get<UnknownRtcp>((*packets)[0]);
  EXPECT_EQ(u.type, 204);
  EXPECT_EQ(u.count, 4);
  EXPECT_EQ(serialize_rtcp(*packets).value(), app);
}

TEST(rtp_Rtcp, RefusesMalformedDatagrams) {
  EXPECT_EQ(parse_rtcp({}).error(), Error::Truncated);
  EXPECT_EQ(parse_rtcp(hex("81c8")).error(), Error::Truncated);
  EXPECT_EQ(parse_rtcp(hex("41c80001 11223344")).error(), Error::BadVersion);
  EXPECT_EQ(parse_rtcp(hex("80c90005 11223344")).error(), Error::BadLength);   // length past the end
  EXPECT_EQ(parse_rtcp(hex("81c90001 11223344")).error(), Error::Truncated);   // RC=1, no block
  EXPECT_EQ(parse_rtcp(hex("80c80001 11223344")).error(), Error::Truncated);   // SR without sender info
  // Padding on a packet that is not the last one.
  EXPECT_EQ(parse_rtcp(hex("a0c90001 11223301 80c90001 11223344")).error(), Error::BadPadding);
  EXPECT_EQ(parse_rtcp(hex("81ca0002 11223344 0105 6162")).error(), Error::Truncated);  // CNAME runs out
}

}  // namespace
}  // namespace wasmrtc::rtp
