// Typed RTP header extensions (RFC 8285 a=extmap map; RFC 8843 MID, RFC 6464
// audio level, abs-send-time, transport-wide cc, RFC 8852 RIDs, RFC 5450
// toffset): exact element bytes in a serialized packet, reads back from a
// parsed one, value range checks and map conflicts.
#include "rtp/header_extensions.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Bytes;

Bytes hex(std::string_view h) { return *base::from_hex(h); }

ExtensionMap all_extensions() {
  ExtensionMap map;
  EXPECT_TRUE(map.add(1, ext_uri::kMid).ok());
  EXPECT_TRUE(map.add(2, ext_uri::kAudioLevel).ok());
  EXPECT_TRUE(map.add(3, ext_uri::kAbsSendTime).ok());
  EXPECT_TRUE(map.add(4, ext_uri::kTransportWideCc).ok());
  EXPECT_TRUE(map.add(5, ext_uri::kRtpStreamId).ok());
  EXPECT_TRUE(map.add(6, ext_uri::kRepairedRtpStreamId).ok());
  EXPECT_TRUE(map.add(7, ext_uri::kTransmissionOffset).ok());
  return map;
}

TEST(rtp_HeaderExtensions, WritesExactBytes) {
  const ExtensionMap map = all_extensions();
  RtpPacket p;
  p.payload_type = 111;
  p.sequence_number = 0x1234;
  p.timestamp = 100;
  p.ssrc = 0x11223344;
  p.payload = {'a', 'b'};
  ASSERT_TRUE(map.set_mid(p, "0").ok());
  ASSERT_TRUE(map.set_audio_level(p, AudioLevel{true, 42}).ok());
  ASSERT_TRUE(map.set_abs_send_time(p, 0x123456).ok());
  ASSERT_TRUE(map.set_transport_sequence_number(p, 0x0102).ok());
  ASSERT_TRUE(map.set_rtp_stream_id(p, "hi").ok());
  ASSERT_TRUE(map.set_repaired_rtp_stream_id(p, "lo").ok());
  ASSERT_TRUE(map.set_transmission_offset(p, -2).ok());
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  // One-byte form (0xBEDE), 21 bytes of elements padded to 6 words:
  // id1 L0 "0" | id2 L0 V=1,42 | id3 L2 0x123456 | id4 L1 0x0102 |
  // id5 L1 "hi" | id6 L1 "lo" | id7 L2 -2 | padding.
  EXPECT_EQ(base::to_hex(*wire),
            "906f1234" "00000064" "11223344" "bede0006"
            "1030" "20aa" "32123456" "410102" "516869" "616c6f" "72fffffe" "000000"
            "6162");

  auto back = parse_rtp(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(map.mid(*back), "0");
  EXPECT_EQ(map.audio_level(*back), (AudioLevel{true, 42}));
  EXPECT_EQ(map.abs_send_time(*back), 0x123456u);
  EXPECT_EQ(map.transport_sequence_number(*back), 0x0102);
  EXPECT_EQ(map.rtp_stream_id(*back), "hi");
  EXPECT_EQ(map.repaired_rtp_stream_id(*back), "lo");
  EXPECT_EQ(map.transmission_offset(*back), -2);
}

TEST(rtp_HeaderExtensions, ReadsBrowserLikePacket) {
  // Chrome audio: extmap 1 = ssrc-audio-level, 3 = transport-wide-cc,
  // 4 = mid; level 127 (silence) without voice activity, twcc 7, mid "1".
  const Bytes wire = hex("906f0001 000003c0 0a0b0c0d bede0002 107f 310007 4031 00 ff");
  auto p = parse_rtp(wire);
  ASSERT_TRUE(p.ok()) << to_string(p.error());
  ExtensionMap map;
  ASSERT_TRUE(map.add(1, ext_uri::kAudioLevel).ok());
  ASSERT_TRUE(map.add(3, ext_uri::kTransportWideCc).ok());
  ASSERT_TRUE(map.add(4, ext_uri::kMid).ok());
  EXPECT_EQ(map.audio_level(*p), (AudioLevel{false, 127}));
  EXPECT_EQ(map.transport_sequence_number(*p), 7);
  EXPECT_EQ(map.mid(*p), "1");
  EXPECT_EQ(map.abs_send_time(*p), std::nullopt);  // not negotiated
  EXPECT_EQ(map.rtp_stream_id(*p), std::nullopt);
}

TEST(rtp_HeaderExtensions, ReplacesAndUsesTwoByteFormForHighIds) {
  ExtensionMap map;
  ASSERT_TRUE(map.add(20, ext_uri::kTransportWideCc).ok());
  RtpPacket p;
  ASSERT_TRUE(map.set_transport_sequence_number(p, 1).ok());
  ASSERT_TRUE(map.set_transport_sequence_number(p, 0xabcd).ok());
  ASSERT_EQ(p.extensions.size(), 1u);
  auto wire = serialize(p);
  ASSERT_TRUE(wire.ok());
  // RFC 8285 section 4.3: 0x1000 profile, id 20, length 2.
  EXPECT_EQ(base::to_hex(base::ByteView(*wire).subspan(12)), "10000001" "1402abcd");
  EXPECT_EQ(map.transport_sequence_number(*parse_rtp(*wire)), 0xabcd);
}

TEST(rtp_HeaderExtensions, ValueRanges) {
  EXPECT_EQ(encode_string_extension("").error(), Error::BadValue);
  EXPECT_EQ(encode_string_extension("0123456789abcdef").value().size(), 16u);
  EXPECT_EQ(encode_string_extension("0123456789abcdefg").error(), Error::BadValue);
  EXPECT_EQ(encode_audio_level(AudioLevel{false, 128}).error(), Error::BadValue);
  EXPECT_EQ(encode_audio_level(AudioLevel{false, 127}).value(), hex("7f"));
  EXPECT_EQ(encode_transmission_offset(-(1 << 23)).value(), hex("800000"));
  EXPECT_EQ(encode_transmission_offset((1 << 23) - 1).value(), hex("7fffff"));
  EXPECT_EQ(encode_transmission_offset(1 << 23).error(), Error::BadValue);
  EXPECT_EQ(decode_transmission_offset(hex("800000")), -(1 << 23));
  EXPECT_EQ(decode_transmission_offset(hex("000001")), 1);
  EXPECT_EQ(decode_abs_send_time(hex("1234")), std::nullopt);
  EXPECT_EQ(decode_transport_sequence_number(hex("01")), std::nullopt);
  EXPECT_EQ(decode_string_extension({}), std::nullopt);

  ExtensionMap map;
  RtpPacket p;
  EXPECT_EQ(map.set_mid(p, "0").error(), Error::NotNegotiated);
  ASSERT_TRUE(map.add(3, ext_uri::kAbsSendTime).ok());
  EXPECT_EQ(map.set_abs_send_time(p, 0x1000000).error(), Error::BadValue);
}

TEST(rtp_HeaderExtensions, AbsSendTimeFromTimestamp) {
  // 6.18 fixed point: 1 s = 0x040000; 0.5 s = 0x020000; wraps at 64 s.
  EXPECT_EQ(abs_send_time_from(base::Timestamp::from_millis(1000)), 0x040000u);
  EXPECT_EQ(abs_send_time_from(base::Timestamp::from_millis(1500)), 0x060000u);
  EXPECT_EQ(abs_send_time_from(base::Timestamp::from_millis(65000)), 0x040000u);
  EXPECT_EQ(abs_send_time_from(base::Timestamp::from_millis(63999)), 0xfffefau);
  // 1 us rounds to 0.262144 of a unit: 0.
  EXPECT_EQ(abs_send_time_from(base::Timestamp::from_micros(1)), 0u);
}

TEST(rtp_HeaderExtensions, MapConflictsAndUris) {
  ExtensionMap map;
  EXPECT_EQ(map.add(0, ext_uri::kMid).error(), Error::BadExtensionId);
  ASSERT_TRUE(map.add(1, ext_uri::kMid).ok());
  EXPECT_TRUE(map.add(1, ext_uri::kMid).ok());  // same pair again
  EXPECT_EQ(map.add(1, ext_uri::kAudioLevel).error(), Error::BadExtensionId);
  EXPECT_EQ(map.add(2, ext_uri::kMid).error(), Error::BadExtensionId);
  EXPECT_TRUE(map.add(9, "urn:example:unknown").ok());
  EXPECT_EQ(map.uri_at(9), "urn:example:unknown");
  EXPECT_EQ(map.id_of(ExtensionType::Mid), 1);
  map.remove(1);
  EXPECT_EQ(map.id_of(ExtensionType::Mid), std::nullopt);
  EXPECT_EQ(extension_type_of(ext_uri::kTransportWideCc), ExtensionType::TransportSequenceNumber);
  EXPECT_EQ(extension_type_of("urn:example:unknown"), std::nullopt);
  EXPECT_EQ(uri_of(ExtensionType::TransmissionOffset), "urn:ietf:params:rtp-hdrext:toffset");
}

}  // namespace
}  // namespace wasmrtc::rtp
