// RFC 4733 telephone-event payloads and the timing of an event's packets.
#include "rtp/telephone_event.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

using base::Bytes;
using base::Duration;
using base::Timestamp;

TEST(TelephoneEvent, SerializesTheFourByteBlock) {
  // RFC 4733 section 2.3: event 5, E, volume 10, duration 800 (100 ms at 8 kHz).
  EXPECT_EQ(serialize_telephone_event({5, true, 10, 800}), (Bytes{0x05, 0x8A, 0x03, 0x20}));
  EXPECT_EQ(serialize_telephone_event({11, false, 63, 0xFFFF}), (Bytes{0x0B, 0x3F, 0xFF, 0xFF}));
}

TEST(TelephoneEvent, ParsesAndRejectsBadLengths) {
  auto e = parse_telephone_event(Bytes{0x0C, 0xCA, 0x12, 0x34});  // R bit set: ignored
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, (TelephoneEvent{12, true, 10, 0x1234}));
  EXPECT_EQ(parse_telephone_event(Bytes{1, 2, 3}).error(), Error::Truncated);
  EXPECT_EQ(parse_telephone_event(Bytes{1, 2, 3, 4, 5}).error(), Error::BadLength);
  // Redundant blocks (RFC 4733 2.5.1.5 with RFC 2198 style payloads): the first.
  EXPECT_EQ(parse_telephone_event(Bytes{1, 0x0A, 0, 8, 2, 0x0A, 0, 9})->event, 1);
}

TEST(TelephoneEvent, DtmfCodesFollowTable7) {
  const std::string tones = "0123456789*#ABCD";
  for (size_t i = 0; i < tones.size(); ++i) EXPECT_EQ(dtmf_event_code(tones[i]), i) << tones[i];
  EXPECT_EQ(dtmf_event_code('a'), 12);
  EXPECT_EQ(dtmf_event_code('d'), 15);
  for (char c : std::string(",E e\0", 5)) EXPECT_EQ(dtmf_event_code(c), std::nullopt) << int(c);
}

class TelephoneEventSenderTest : public ::testing::Test {
 protected:
  Timestamp t0 = Timestamp::from_millis(1000);
  TelephoneEventSender s;
  // Runs the sender by its own deadlines until idle; packets with the time they left.
  std::vector<std::pair<Duration, TelephoneEventSender::Packet>> run() {
    std::vector<std::pair<Duration, TelephoneEventSender::Packet>> out;
    while (auto at = s.poll_timeout()) {
      for (const auto& p : s.poll(*at)) out.emplace_back(*at - t0, p);
    }
    return out;
  }
};

TEST_F(TelephoneEventSenderTest, A100msToneAt48kHz) {
  s.start(t0, 7, Duration::millis(100), 123456, 48000);
  EXPECT_TRUE(s.active());
  auto p = run();
  ASSERT_EQ(p.size(), 5u);
  // t=0 with the marker, an update at 50 ms, then the end three times at 100 ms.
  EXPECT_EQ(p[0].first, Duration::zero());
  EXPECT_TRUE(p[0].second.marker);
  EXPECT_EQ(p[0].second.event.duration, 960);  // the first 20 ms frame
  EXPECT_EQ(p[1].first, Duration::millis(50));
  EXPECT_EQ(p[1].second.event.duration, 2400);
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(p[i].first, Duration::millis(100));
    EXPECT_TRUE(p[i].second.event.end);
    EXPECT_EQ(p[i].second.event.duration, 4800);
  }
  for (const auto& [at, packet] : p) {
    EXPECT_EQ(packet.timestamp, 123456u);
    EXPECT_EQ(packet.event.event, 7);
    EXPECT_EQ(packet.event.volume, 10);
    if (&packet != &p[0].second) {
      EXPECT_FALSE(packet.marker);
    }
  }
  EXPECT_FALSE(s.active());
  EXPECT_FALSE(s.poll_timeout());
}

TEST_F(TelephoneEventSenderTest, AShortToneEndsOnTime) {
  s.start(t0, 1, Duration::millis(40), 0, 8000);
  auto p = run();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].second.event.duration, 160);
  EXPECT_FALSE(p[0].second.event.end);
  EXPECT_EQ(p[1].first, Duration::millis(40));
  EXPECT_EQ(p[1].second.event.duration, 320);
  EXPECT_TRUE(p[3].second.event.end);
}

TEST_F(TelephoneEventSenderTest, ALongToneIsSplitIntoSegments) {
  // 6 s at 48 kHz is 288000 samples: four full segments of 65535 and one of 25860.
  const uint32_t ts = 0xFFFF0000u;  // and the timestamp wraps on the way
  s.start(t0, 0, Duration::millis(6000), ts, 48000);
  auto p = run();
  int markers = 0;
  uint32_t last_ts = ts;
  for (const auto& [at, packet] : p) {
    markers += packet.marker;
    EXPECT_TRUE(packet.timestamp == last_ts || packet.timestamp == last_ts + 65535u);
    last_ts = packet.timestamp;
  }
  EXPECT_EQ(markers, 1);
  EXPECT_EQ(last_ts, ts + 4 * 65535u);
  ASSERT_TRUE(p.back().second.event.end);
  EXPECT_EQ(p.back().second.event.duration, 288000 - 4 * 65535);
  EXPECT_EQ(p.back().first, Duration::millis(6000));
  // The segment boundary says 65535 once before moving on.
  int full = 0;
  for (const auto& [at, packet] : p) full += packet.event.duration == 65535;
  EXPECT_EQ(full, 4);
}

TEST_F(TelephoneEventSenderTest, ANewToneCutsTheOldOneShort) {
  s.start(t0, 1, Duration::millis(100), 1000, 8000);
  auto first = s.poll(t0);
  ASSERT_EQ(first.size(), 1u);
  s.start(t0 + Duration::millis(30), 2, Duration::millis(100), 2000, 8000);
  ASSERT_EQ(s.poll_timeout(), t0 + Duration::millis(30));
  auto p = s.poll(t0 + Duration::millis(30));
  ASSERT_EQ(p.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(p[i].event.event, 1);
    EXPECT_TRUE(p[i].event.end);
    EXPECT_EQ(p[i].event.duration, 240);  // 30 ms at 8 kHz
    EXPECT_EQ(p[i].timestamp, 1000u);
  }
  EXPECT_EQ(p[3].event.event, 2);
  EXPECT_TRUE(p[3].marker);
  EXPECT_EQ(p[3].timestamp, 2000u);
}

}  // namespace
}  // namespace wasmrtc::rtp
