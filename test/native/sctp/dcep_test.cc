// DCEP codec (RFC 8832 section 5): exact bytes, every channel type, and
// every way a message can be malformed.
#include "sctp/dcep.h"

#include <gtest/gtest.h>

#include "sctp/error.h"

namespace wasmrtc::sctp {
namespace {

base::Bytes hex(const char* s) { return base::from_hex(s).value(); }

TEST(sctp_Dcep, EncodesOpenByteExact) {
  DataChannelOpen o;
  o.channel_type = ChannelType::PartialReliableRexmitUnordered;
  o.priority = priority::kHigh;
  o.reliability_parameter = 3;
  o.label = "chat";
  o.protocol = "x";
  auto wire = encode_open(o);
  ASSERT_TRUE(wire.ok());
  // type, channel type, priority, reliability, label len, protocol len, "chat", "x"
  EXPECT_EQ(base::to_hex(*wire), "03" "81" "0200" "00000003" "0004" "0001" "63686174" "78");
}

TEST(sctp_Dcep, ReliableSendsZeroParameter) {
  DataChannelOpen o;
  o.channel_type = ChannelType::ReliableUnordered;
  o.reliability_parameter = 99;  // must not reach the wire (section 5.1)
  auto wire = encode_open(o);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(base::to_hex(*wire), "03" "80" "0100" "00000000" "0000" "0000");
}

TEST(sctp_Dcep, EncodesAck) { EXPECT_EQ(base::to_hex(encode_ack()), "02"); }

TEST(sctp_Dcep, ParsesAck) {
  auto m = parse_dcep(hex("02"));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(std::holds_alternative<DataChannelAck>(*m));
}

TEST(sctp_Dcep, RoundTripsEveryChannelType) {
  for (ChannelType t : {ChannelType::Reliable, ChannelType::ReliableUnordered,
                        ChannelType::PartialReliableRexmit,
                        ChannelType::PartialReliableRexmitUnordered,
                        ChannelType::PartialReliableTimed,
                        ChannelType::PartialReliableTimedUnordered}) {
    DataChannelOpen o;
    o.channel_type = t;
    o.priority = priority::kBelowNormal;
    const bool reliable = (static_cast<uint8_t>(t) & 0x7f) == 0;
    o.reliability_parameter = reliable ? 0 : 1500;
    o.label = "label";
    o.protocol = "proto";
    auto m = parse_dcep(encode_open(o).value());
    ASSERT_TRUE(m.ok()) << to_string(t);
    EXPECT_EQ(std::get<DataChannelOpen>(*m), o) << to_string(t);
  }
}

TEST(sctp_Dcep, ReliabilityAccessors) {
  auto rexmit = DataChannelOpen::make(false, 0u, std::nullopt);
  EXPECT_EQ(rexmit.channel_type, ChannelType::PartialReliableRexmitUnordered);
  EXPECT_EQ(rexmit.max_retransmits(), 0u);
  EXPECT_EQ(rexmit.max_packet_life_time_ms(), std::nullopt);
  EXPECT_FALSE(rexmit.ordered());

  auto timed = DataChannelOpen::make(true, std::nullopt, 250u);
  EXPECT_EQ(timed.channel_type, ChannelType::PartialReliableTimed);
  EXPECT_EQ(timed.max_packet_life_time_ms(), 250u);
  EXPECT_EQ(timed.max_retransmits(), std::nullopt);
  EXPECT_TRUE(timed.ordered());

  auto reliable = DataChannelOpen::make(true, std::nullopt, std::nullopt);
  EXPECT_EQ(reliable.channel_type, ChannelType::Reliable);
  EXPECT_EQ(reliable.max_retransmits(), std::nullopt);
  EXPECT_EQ(reliable.max_packet_life_time_ms(), std::nullopt);

  // A reliable type ignores whatever parameter came with it (section 5.1).
  auto m = parse_dcep(hex("03 00 0100 0000002a 0000 0000"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<DataChannelOpen>(*m).max_retransmits(), std::nullopt);
}

TEST(sctp_Dcep, KeepsUtf8LabelsAndEmptyStrings) {
  DataChannelOpen o;
  o.label = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac";  // é€😀 日本
  o.protocol = "";
  auto m = parse_dcep(encode_open(o).value());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<DataChannelOpen>(*m).label, o.label);
  EXPECT_EQ(std::get<DataChannelOpen>(*m).protocol, "");

  DataChannelOpen empty;
  auto e = parse_dcep(encode_open(empty).value());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(std::get<DataChannelOpen>(*e), empty);
}

TEST(sctp_Dcep, LongestLabelAndProtocol) {
  DataChannelOpen o;
  o.label.assign(65535, 'l');
  o.protocol.assign(65535, 'p');
  auto wire = encode_open(o);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(wire->size(), 12u + 65535u * 2);
  auto m = parse_dcep(*wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<DataChannelOpen>(*m), o);
}

TEST(sctp_Dcep, RejectsOverlongLabelOrProtocol) {
  DataChannelOpen o;
  o.label.assign(65536, 'l');
  EXPECT_EQ(encode_open(o).error(), Error::LabelTooLong);
  o.label.clear();
  o.protocol.assign(65536, 'p');
  EXPECT_EQ(encode_open(o).error(), Error::ProtocolTooLong);
}

TEST(sctp_Dcep, RejectsEmpty) { EXPECT_EQ(parse_dcep({}).error(), Error::DcepEmpty); }

TEST(sctp_Dcep, RejectsUnknownMessageTypes) {
  for (int t = 0; t < 256; ++t) {
    if (t == 2 || t == 3) continue;
    base::Bytes b{static_cast<uint8_t>(t)};
    EXPECT_EQ(parse_dcep(b).error(), Error::DcepUnknownMessageType) << t;
  }
}

TEST(sctp_Dcep, RejectsAckWithTrailingBytes) {
  EXPECT_EQ(parse_dcep(hex("0200")).error(), Error::DcepTrailingBytes);
}

TEST(sctp_Dcep, RejectsEveryTruncation) {
  DataChannelOpen o;
  o.label = "label";
  o.protocol = "protocol";
  const base::Bytes wire = encode_open(o).value();
  for (size_t n = 1; n < wire.size(); ++n) {
    EXPECT_EQ(parse_dcep(base::ByteView(wire).first(n)).error(), Error::DcepTruncated) << n;
  }
}

TEST(sctp_Dcep, RejectsLengthsPastTheEnd) {
  // Label length 5 with 4 label bytes; protocol length 1 with none.
  EXPECT_EQ(parse_dcep(hex("03 00 0100 00000000 0005 0000 61626364")).error(),
            Error::DcepTruncated);
  EXPECT_EQ(parse_dcep(hex("03 00 0100 00000000 0001 0001 61")).error(), Error::DcepTruncated);
  EXPECT_EQ(parse_dcep(hex("03 00 0100 00000000 ffff ffff")).error(), Error::DcepTruncated);
}

TEST(sctp_Dcep, IgnoresTrailingBytesAfterProtocol) {
  // What werift sends for the label "é": length 1 (UTF-16 units), 2 bytes.
  auto open = parse_dcep(hex("03 00 0100 00000000 0001 0001 c3 a9 62"));
  ASSERT_TRUE(open.ok());
  const auto& o = std::get<DataChannelOpen>(*open);
  EXPECT_EQ(o.label, "\xc3");
  EXPECT_EQ(o.protocol, "\xa9");
}

TEST(sctp_Dcep, RejectsUnknownChannelTypes) {
  for (int t = 0; t < 256; ++t) {
    base::Bytes b = hex("03 00 0100 00000000 0000 0000");
    b[1] = static_cast<uint8_t>(t);
    const bool known = t == 0x00 || t == 0x01 || t == 0x02 || t == 0x80 || t == 0x81 || t == 0x82;
    auto m = parse_dcep(b);
    if (known) {
      EXPECT_TRUE(m.ok()) << t;
    } else {
      EXPECT_EQ(m.error(), Error::DcepUnknownChannelType) << t;
    }
  }
}

TEST(sctp_Dcep, ErrorsHaveNames) {
  EXPECT_EQ(to_string(Error::DcepTruncated), "DcepTruncated");
  EXPECT_EQ(to_string(Error::MessageTooLarge), "MessageTooLarge");
  EXPECT_STREQ(to_string(ChannelType::PartialReliableTimedUnordered),
               "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED");
}

}  // namespace
}  // namespace wasmrtc::sctp
