// The video jitter buffer on a simulated clock: a sender cuts fake VP8
// frames into RFC 7741 payloads (rtp::Vp8Packetizer), the test delivers,
// drops, reorders, duplicates and repairs packets at chosen times, and
// checks what comes out, which NACKs and keyframe requests are asked for
// and when, and that deadline() says when something will happen.
#include "media/video_jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace wasmrtc::media {
namespace {

using base::Duration;
using base::Timestamp;

Timestamp at(int64_t ms) { return Timestamp::from_millis(ms); }

struct Packet {
  uint16_t seq = 0;
  uint32_t ts = 0;
  bool marker = false;
  base::Bytes payload;
};

struct Frame {
  uint32_t ts = 0;
  bool key = false;
  base::Bytes data;
  std::vector<Packet> packets;
  const Packet& operator[](size_t i) const { return packets.at(i); }
};

// A VP8 sender: frames of `size` bytes whose first byte has the P bit
// (RFC 7741 4.3: 0 for a keyframe), 3000 ticks apart (30 fps at 90 kHz).
class Sender {
 public:
  explicit Sender(uint16_t seq = 1000, uint32_t ts = 90000) : seq_(seq), ts_(ts) {}

  Frame next(bool key, size_t size = 300, size_t max_payload = 120) {
    Frame f;
    f.ts = ts_;
    f.key = key;
    f.data.resize(size);
    for (size_t i = 0; i < size; ++i) f.data[i] = static_cast<uint8_t>(i * 7 + count_);
    f.data[0] = key ? 0x10 : 0x11;
    auto payloads = packetizer_.packetize(f.data, max_payload);
    EXPECT_TRUE(payloads.ok());
    for (size_t i = 0; i < payloads->size(); ++i) {
      f.packets.push_back(Packet{seq_++, ts_, i + 1 == payloads->size(), std::move((*payloads)[i])});
    }
    ts_ += 3000;
    ++count_;
    return f;
  }
  void jump(int seq_delta, int64_t ts_delta) {
    seq_ = static_cast<uint16_t>(seq_ + seq_delta);
    ts_ = static_cast<uint32_t>(ts_ + ts_delta);
  }
  uint16_t seq() const { return seq_; }

 private:
  uint16_t seq_;
  uint32_t ts_;
  int count_ = 0;
  rtp::Vp8Packetizer packetizer_{4321};
};

void put(VideoJitterBuffer& jb, Timestamp t, const Packet& p, bool rtx = false) {
  jb.insert(t, p.seq, p.ts, p.marker, p.payload, rtx);
}
void put(VideoJitterBuffer& jb, Timestamp t, const Frame& f) {
  for (const auto& p : f.packets) put(jb, t, p);
}

void expect_frame(const std::optional<AssembledFrame>& out, const Frame& f) {
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->rtp_timestamp, f.ts);
  EXPECT_EQ(static_cast<uint32_t>(out->extended_timestamp), f.ts);
  EXPECT_EQ(out->keyframe, f.key);
  EXPECT_EQ(out->data, f.data);
  EXPECT_EQ(out->first_sequence_number, f.packets.front().seq);
  EXPECT_EQ(out->last_sequence_number, f.packets.back().seq);
  EXPECT_EQ(out->packets, f.packets.size());
}

TEST(VideoJitterBuffer, DefaultsFollowTheRtt) {
  VideoJitterBuffer jb;
  EXPECT_EQ(jb.rtt(), Duration::millis(100));  // before any RTCP
  EXPECT_EQ(jb.nack_interval(), Duration::millis(100));
  EXPECT_EQ(jb.frame_wait(), Duration::millis(450));  // 4 x 100 + 50
  EXPECT_EQ(jb.keyframe_request_interval(), Duration::millis(250));
  jb.set_rtt(Duration::millis(2));
  EXPECT_EQ(jb.nack_interval(), Duration::millis(20));  // the floor
  EXPECT_EQ(jb.frame_wait(), Duration::millis(200));    // 130, raised to min_wait
  jb.set_rtt(Duration::millis(200));
  EXPECT_EQ(jb.frame_wait(), Duration::millis(850));
  jb.set_rtt(Duration::millis(300));
  EXPECT_EQ(jb.frame_wait(), Duration::seconds(1));  // 1250, lowered to max_wait
  EXPECT_EQ(jb.keyframe_request_interval(), Duration::millis(600));
  jb.set_rtt(Duration::seconds(3));
  EXPECT_EQ(jb.frame_wait(), Duration::seconds(1));  // max_wait
  jb.set_rtt(Duration::millis(-5));
  EXPECT_EQ(jb.rtt(), Duration::zero());
  VideoJitterBuffer plain({.nack = false});
  EXPECT_EQ(plain.frame_wait(), Duration::millis(50));  // reorder_wait
}

TEST(VideoJitterBuffer, InOrderFramesComeOutWhole) {
  VideoJitterBuffer jb;
  Sender s;
  EXPECT_FALSE(jb.deadline().is_set());
  for (int i = 0; i < 10; ++i) {
    const Frame f = s.next(i == 0);
    const Timestamp t = at(33 * i);
    for (size_t k = 0; k < f.packets.size(); ++k) {
      put(jb, t, f[k]);
      // Nothing before the marker.
      if (k + 1 < f.packets.size()) {
        EXPECT_FALSE(jb.pop(t).has_value());
      }
    }
    EXPECT_EQ(jb.deadline(), base::Deadline(t));  // a frame is ready
    auto out = jb.pop(t);
    expect_frame(out, f);
    EXPECT_EQ(out->extended_timestamp, int64_t{1} << 32 | f.ts);
    EXPECT_EQ(out->first_packet, t);
    EXPECT_EQ(out->descriptor.picture_id, static_cast<uint16_t>(4321 + i));
    EXPECT_FALSE(jb.pop(t).has_value());
    EXPECT_TRUE(jb.take_nacks(t).empty());
    EXPECT_FALSE(jb.take_keyframe_request(t));
    EXPECT_FALSE(jb.deadline().is_set());
  }
  const auto& st = jb.stats();
  EXPECT_EQ(st.packets_received, 30u);
  EXPECT_EQ(st.frames_assembled, 10u);
  EXPECT_EQ(st.keyframes_assembled, 1u);
  EXPECT_EQ(st.frames_dropped, 0u);
  EXPECT_EQ(st.nack_requests, 0u);
  EXPECT_EQ(st.keyframe_requests, 0u);
  EXPECT_EQ(jb.packets_buffered(), 0u);
}

TEST(VideoJitterBuffer, ReorderedPacketsAndFramesComeOutInOrder) {
  VideoJitterBuffer jb;
  Sender s;
  std::vector<Frame> frames;
  for (int i = 0; i < 6; ++i) frames.push_back(s.next(i == 0));
  // Within a frame: 2, 0, 1. Across frames: frame 2 entirely before frame 1.
  put(jb, at(0), frames[0][2]);
  put(jb, at(1), frames[0][0]);
  put(jb, at(2), frames[0][1]);
  expect_frame(jb.pop(at(2)), frames[0]);
  put(jb, at(30), frames[2]);
  EXPECT_FALSE(jb.pop(at(30)).has_value());  // frame 1 is not here yet
  // The gap is a loss until proven otherwise (RFC 4585 6.2.1: report at once).
  EXPECT_EQ(jb.take_nacks(at(30)), (std::vector<uint16_t>{1003, 1004, 1005}));
  put(jb, at(35), frames[1]);
  expect_frame(jb.pop(at(35)), frames[1]);
  expect_frame(jb.pop(at(35)), frames[2]);
  // Frames 3 and 4 interleaved, last packets first.
  for (int k = 2; k >= 0; --k) {
    put(jb, at(60), frames[4][k]);
    put(jb, at(60), frames[3][k]);
  }
  expect_frame(jb.pop(at(60)), frames[3]);
  expect_frame(jb.pop(at(60)), frames[4]);
  put(jb, at(90), frames[5]);
  expect_frame(jb.pop(at(90)), frames[5]);
  EXPECT_EQ(jb.stats().frames_dropped, 0u);
  EXPECT_EQ(jb.stats().packets_retransmitted, 0u);
  EXPECT_FALSE(jb.take_keyframe_request(at(90)));
  EXPECT_TRUE(jb.take_nacks(at(500)).empty());
}

TEST(VideoJitterBuffer, DuplicatesAreCountedAndIgnored) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false);
  put(jb, at(0), a);
  put(jb, at(0), a[1]);  // a duplicate while buffered
  expect_frame(jb.pop(at(0)), a);
  put(jb, at(1), a[1]);  // a duplicate of a frame given out: too late
  put(jb, at(33), b[0]);
  put(jb, at(33), b[0]);
  put(jb, at(34), b[1], /*rtx=*/true);  // a spurious retransmission, then the original
  put(jb, at(34), b[1]);
  put(jb, at(35), b[2]);
  expect_frame(jb.pop(at(35)), b);
  EXPECT_FALSE(jb.pop(at(35)).has_value());
  const auto& st = jb.stats();
  EXPECT_EQ(st.packets_duplicated, 3u);  // a[1], b[0], b[1]'s original after the repair
  EXPECT_EQ(st.packets_too_late, 1u);    // a[1] after a was given out
  EXPECT_EQ(st.packets_retransmitted, 0u);  // b[1] was never missing
  EXPECT_EQ(st.frames_assembled, 2u);
}

TEST(VideoJitterBuffer, LossRepairedByRtxDropsNoFrameAndNacksExactly) {
  VideoJitterBuffer jb;  // RTT 100 ms
  Sender s;
  const Frame a = s.next(true), b = s.next(false), c = s.next(false), d = s.next(false);
  put(jb, at(0), a);
  expect_frame(jb.pop(at(0)), a);
  // b loses its middle packet.
  put(jb, at(33), b[0]);
  put(jb, at(34), b[2]);
  EXPECT_EQ(jb.deadline(), base::Deadline(at(34)));  // a NACK is due now
  EXPECT_EQ(jb.take_nacks(at(34)), std::vector<uint16_t>{b[1].seq});
  EXPECT_TRUE(jb.take_nacks(at(35)).empty());
  EXPECT_EQ(jb.deadline(), base::Deadline(at(134)));  // the repeat, one RTT later
  put(jb, at(90), b[1], /*rtx=*/true);
  auto out = jb.pop(at(90));
  expect_frame(out, b);
  EXPECT_EQ(out->retransmitted_packets, 1u);
  EXPECT_EQ(out->first_packet, at(33));
  EXPECT_EQ(out->last_packet, at(90));
  // The tail of c and the head of d: exactly those three, once.
  put(jb, at(100), c[0]);
  put(jb, at(101), c[1]);
  put(jb, at(133), d[2]);
  EXPECT_EQ(jb.take_nacks(at(133)), (std::vector<uint16_t>{c[2].seq, d[0].seq, d[1].seq}));
  EXPECT_TRUE(jb.take_nacks(at(140)).empty());
  put(jb, at(190), d[0], true);
  put(jb, at(191), c[2], true);
  expect_frame(jb.pop(at(191)), c);
  EXPECT_FALSE(jb.pop(at(191)).has_value());  // d still lacks d[1]
  EXPECT_EQ(jb.take_nacks(at(233)), std::vector<uint16_t>{d[1].seq});  // only what is still missing
  put(jb, at(240), d[1], true);
  expect_frame(jb.pop(at(240)), d);
  EXPECT_TRUE(jb.take_nacks(at(1000)).empty());
  const auto& st = jb.stats();
  EXPECT_EQ(st.frames_dropped, 0u);
  EXPECT_EQ(st.packets_retransmitted, 4u);
  EXPECT_EQ(st.nack_requests, 5u);
  EXPECT_EQ(st.nack_packets, 3u);
  EXPECT_EQ(st.keyframe_requests, 0u);
  EXPECT_FALSE(jb.take_keyframe_request(at(1000)));
}

TEST(VideoJitterBuffer, NacksRepeatEveryRttAndStopAtTheRetryLimit) {
  // Waits long enough that the retry limit, not the wait, ends it.
  VideoJitterBuffer jb({.max_nack_retries = 3, .min_wait = Duration::seconds(5),
                        .max_wait = Duration::seconds(5)});
  jb.set_rtt(Duration::millis(150));
  Sender s;
  const Frame a = s.next(true), b = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(100), b[0]);
  put(jb, at(100), b[2]);
  const std::vector<uint16_t> lost{b[1].seq};
  EXPECT_EQ(jb.take_nacks(at(100)), lost);
  EXPECT_EQ(jb.deadline(), base::Deadline(at(250)));
  EXPECT_TRUE(jb.take_nacks(at(249)).empty());
  EXPECT_EQ(jb.take_nacks(at(250)), lost);
  EXPECT_EQ(jb.take_nacks(at(400)), lost);
  // Three asked: the last one gets its round trip, then the packet is given
  // up, and with it the frame.
  EXPECT_EQ(jb.deadline(), base::Deadline(at(550)));
  EXPECT_TRUE(jb.take_nacks(at(549)).empty());
  EXPECT_FALSE(jb.pop(at(549)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 0u);
  EXPECT_TRUE(jb.take_nacks(at(550)).empty());
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(550)));
  EXPECT_EQ(jb.stats().nack_requests, 3u);
  EXPECT_EQ(jb.missing_count(), 0u);
  EXPECT_TRUE(jb.take_nacks(at(2000)).empty());

  // At a tiny RTT, repeats every 20 ms (the floor).
  VideoJitterBuffer lan;
  lan.set_rtt(Duration::millis(1));
  Sender s2;
  const Frame k = s2.next(true);
  put(lan, at(0), k[0]);
  put(lan, at(0), k[2]);
  EXPECT_EQ(lan.take_nacks(at(0)), std::vector<uint16_t>{k[1].seq});
  EXPECT_TRUE(lan.take_nacks(at(19)).empty());
  EXPECT_EQ(lan.take_nacks(at(20)), std::vector<uint16_t>{k[1].seq});
  EXPECT_EQ(lan.take_nacks(at(40)), std::vector<uint16_t>{k[1].seq});
}

TEST(VideoJitterBuffer, FrameGivenUpAfterTheRttBasedWaitThenKeyframeRequested) {
  VideoJitterBuffer jb;  // RTT 100 ms: NACKs every 100 ms after the gap; given up 450 ms after its last packet
  Sender s;
  const Frame a = s.next(true), b = s.next(false), c = s.next(false), k = s.next(true), d = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(100), b[0]);
  put(jb, at(100), b[2]);
  EXPECT_EQ(jb.take_nacks(at(100)).size(), 1u);
  EXPECT_EQ(jb.take_nacks(at(200)).size(), 1u);
  EXPECT_EQ(jb.take_nacks(at(300)).size(), 1u);
  EXPECT_EQ(jb.take_nacks(at(400)).size(), 1u);
  EXPECT_EQ(jb.take_nacks(at(500)).size(), 1u);
  EXPECT_EQ(jb.deadline(), base::Deadline(at(550)));
  EXPECT_FALSE(jb.pop(at(549)).has_value());
  EXPECT_FALSE(jb.take_keyframe_request(at(549)));
  EXPECT_FALSE(jb.pop(at(550)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(550)));
  EXPECT_TRUE(jb.keyframe_needed());
  // The repair comes too late.
  put(jb, at(560), b[1], true);
  EXPECT_EQ(jb.stats().packets_too_late, 1u);
  // A whole delta frame is no use now.
  put(jb, at(570), c);
  EXPECT_FALSE(jb.pop(at(570)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 2u);
  put(jb, at(600), k);
  EXPECT_FALSE(jb.take_keyframe_request(at(900)));  // one is here: no need
  expect_frame(jb.pop(at(900)), k);
  EXPECT_FALSE(jb.keyframe_needed());
  put(jb, at(910), d);
  expect_frame(jb.pop(at(910)), d);
  EXPECT_FALSE(jb.take_keyframe_request(at(2000)));
  EXPECT_EQ(jb.stats().keyframe_requests, 1u);

  // A longer RTT waits longer: 200 ms -> 850 ms.
  VideoJitterBuffer far;
  far.set_rtt(Duration::millis(200));
  Sender s2;
  const Frame a2 = s2.next(true), b2 = s2.next(false);
  put(far, at(0), a2);
  ASSERT_TRUE(far.pop(at(0)).has_value());
  put(far, at(100), b2[0]);
  put(far, at(100), b2[2]);
  EXPECT_FALSE(far.pop(at(949)).has_value());
  EXPECT_EQ(far.stats().frames_dropped, 0u);
  EXPECT_FALSE(far.pop(at(950)).has_value());
  EXPECT_EQ(far.stats().frames_dropped, 1u);
}

TEST(VideoJitterBuffer, LostTailWithNothingAfterItStallsOut) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(40), b[0]);
  put(jb, at(50), b[1]);  // b[2] never comes, nor anything after it
  EXPECT_TRUE(jb.take_nacks(at(50)).empty());  // nothing reveals the gap
  EXPECT_EQ(jb.deadline(), base::Deadline(at(500)));  // 450 ms after the last packet
  EXPECT_FALSE(jb.pop(at(500)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(500)));
}

TEST(VideoJitterBuffer, LargeKeyframePacedOutSlowlyIsNotGivenUp) {
  // A 30-packet keyframe paced over 600 ms: each packet keeps it alive.
  for (bool nack : {true, false}) {
    VideoJitterBuffer jb({.nack = nack});
    Sender s;
    const Frame k = s.next(true, 30 * 116, 120);
    ASSERT_EQ(k.packets.size(), 30u);
    for (size_t i = 0; i < k.packets.size(); ++i) {
      const Timestamp t = at(20 * static_cast<int64_t>(i));
      put(jb, t, k[i]);
      if (i + 1 < k.packets.size()) {
        EXPECT_FALSE(jb.pop(t).has_value());
      }
    }
    expect_frame(jb.pop(at(580)), k);
    EXPECT_EQ(jb.stats().frames_dropped, 0u);
  }
}

TEST(VideoJitterBuffer, DeltaFramesDiscardedUntilAKeyframeAfterADecodeFailure) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false), c = s.next(false), d = s.next(false),
              k = s.next(true), e = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(33), b);
  ASSERT_TRUE(jb.pop(at(33)).has_value());
  jb.on_decode_failure(at(34));  // the decoder refused b
  EXPECT_TRUE(jb.keyframe_needed());
  EXPECT_TRUE(jb.take_keyframe_request(at(34)));
  put(jb, at(66), c);
  put(jb, at(99), d);
  EXPECT_FALSE(jb.pop(at(99)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 2u);
  put(jb, at(132), k);
  expect_frame(jb.pop(at(132)), k);
  put(jb, at(165), e);
  expect_frame(jb.pop(at(165)), e);
  EXPECT_FALSE(jb.take_keyframe_request(at(1000)));
  EXPECT_EQ(jb.stats().decode_failures, 1u);
}

TEST(VideoJitterBuffer, StreamJoinedMidwayAsksForAKeyframe) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame d1 = s.next(false), d2 = s.next(false), k = s.next(true);
  put(jb, at(0), d1);
  EXPECT_FALSE(jb.pop(at(0)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(0)));
  put(jb, at(33), d2);
  EXPECT_FALSE(jb.pop(at(33)).has_value());
  put(jb, at(66), k);
  expect_frame(jb.pop(at(66)), k);
}

TEST(VideoJitterBuffer, AnOutageAsksForAKeyframeInsteadOfNacks) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  // 1.5 s of frames lost, then the stream goes on.
  for (int i = 0; i < 45; ++i) (void)s.next(false);
  const Frame b = s.next(false), k = s.next(true);
  put(jb, at(1500), b);
  EXPECT_TRUE(jb.take_nacks(at(1500)).empty());  // nothing to ask for
  EXPECT_EQ(jb.stats().outages, 1u);
  EXPECT_FALSE(jb.pop(at(1500)).has_value());  // a delta: useless now
  EXPECT_TRUE(jb.take_keyframe_request(at(1500)));
  put(jb, at(1600), k);
  expect_frame(jb.pop(at(1600)), k);
  // A pause without a gap (a paused source) is not an outage.
  const Frame c = s.next(false);
  put(jb, at(4000), c);
  expect_frame(jb.pop(at(4000)), c);
  EXPECT_EQ(jb.stats().outages, 1u);
}

TEST(VideoJitterBuffer, KeyframeRequestsAreRateLimited) {
  VideoJitterBuffer jb;  // RTT 100 ms: one per max(250 ms, 200 ms)
  Sender s;
  const Frame d = s.next(false);
  put(jb, at(0), d);  // a delta first: a keyframe is needed
  EXPECT_TRUE(jb.take_keyframe_request(at(0)));
  EXPECT_FALSE(jb.take_keyframe_request(at(0)));
  EXPECT_EQ(jb.deadline(), base::Deadline(at(250)));
  EXPECT_FALSE(jb.take_keyframe_request(at(249)));
  EXPECT_TRUE(jb.take_keyframe_request(at(250)));
  jb.on_decode_failure(at(260));  // asking already: no extra request
  EXPECT_FALSE(jb.take_keyframe_request(at(260)));
  EXPECT_TRUE(jb.take_keyframe_request(at(500)));
  jb.set_rtt(Duration::millis(200));  // now one per 400 ms
  EXPECT_FALSE(jb.take_keyframe_request(at(899)));
  EXPECT_TRUE(jb.take_keyframe_request(at(900)));
  EXPECT_EQ(jb.stats().keyframe_requests, 4u);
}

TEST(VideoJitterBuffer, LaterCompleteKeyframeMakesAWaitingFrameMoot) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false), k = s.next(true), c = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(33), b[0]);  // b[1], b[2] lost
  put(jb, at(66), k);
  expect_frame(jb.pop(at(66)), k);  // b skipped at once
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_FALSE(jb.take_keyframe_request(at(66)));  // nothing to ask for
  EXPECT_TRUE(jb.take_nacks(at(66)).empty());     // b's packets are of no use now
  put(jb, at(99), c);
  expect_frame(jb.pop(at(99)), c);
  EXPECT_EQ(jb.stats().keyframe_requests, 0u);
}

TEST(VideoJitterBuffer, SequenceAndTimestampWraparound) {
  VideoJitterBuffer jb;
  Sender s(65528, 0xffffffff - 4000);
  std::vector<Frame> frames;
  for (int i = 0; i < 8; ++i) frames.push_back(s.next(i == 0));
  int64_t last = 0;
  for (int i = 0; i < 8; ++i) {
    const Timestamp t = at(33 * i);
    if (i == 2) {
      // Frame 2 holds 65534, 65535, 0: lose 65535 and 0 and repair them.
      ASSERT_EQ(frames[2][0].seq, 65534);
      put(jb, t, frames[2][0]);
      put(jb, t, frames[3][0]);
      EXPECT_EQ(jb.take_nacks(t), (std::vector<uint16_t>{65535, 0}));
      put(jb, t + Duration::millis(5), frames[2][2], true);
      put(jb, t + Duration::millis(6), frames[2][1], true);
      put(jb, t + Duration::millis(6), frames[3][1]);
      put(jb, t + Duration::millis(6), frames[3][2]);
      for (int j : {2, 3}) {
        auto out = jb.pop(t + Duration::millis(6));
        expect_frame(out, frames[j]);
        EXPECT_GT(out->extended_timestamp, last);
        last = out->extended_timestamp;
      }
      ++i;
      continue;
    }
    put(jb, t, frames[i]);
    auto out = jb.pop(t);
    expect_frame(out, frames[i]);
    EXPECT_GT(out->extended_timestamp, last);
    last = out->extended_timestamp;
  }
  EXPECT_EQ(jb.stats().frames_assembled, 8u);
  EXPECT_EQ(jb.stats().frames_dropped, 0u);
  EXPECT_LT(frames[7].ts, frames[0].ts);  // the timestamps did wrap
}

TEST(VideoJitterBuffer, HugeSequenceJumpRestartsWithoutThousandsOfNacks) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  // A lone stray packet 5000 ahead is ignored.
  Packet stray = b[0];
  stray.seq = static_cast<uint16_t>(stray.seq + 5000);
  put(jb, at(10), stray);
  put(jb, at(33), b);
  expect_frame(jb.pop(at(33)), b);
  EXPECT_EQ(jb.stats().packets_discarded, 1u);
  EXPECT_EQ(jb.missing_count(), 0u);
  // Half a frame, then the sender jumps 5000 ahead (a big loss): the first
  // packet after the jump is held, the second confirms it.
  const Frame c = s.next(false);
  put(jb, at(66), c[0]);
  s.jump(5000, 90000);
  const Frame d = s.next(false), k = s.next(true), e = s.next(false);
  put(jb, at(2000), d[0]);
  EXPECT_EQ(jb.stats().stream_restarts, 0u);
  put(jb, at(2000), d[1]);
  EXPECT_EQ(jb.stats().stream_restarts, 1u);
  EXPECT_EQ(jb.missing_count(), 0u);
  EXPECT_TRUE(jb.take_nacks(at(2000)).empty());
  put(jb, at(2000), d[2]);
  EXPECT_FALSE(jb.pop(at(2000)).has_value());  // a delta: needs a keyframe
  EXPECT_TRUE(jb.take_keyframe_request(at(2000)));
  put(jb, at(2100), k);
  expect_frame(jb.pop(at(2100)), k);
  put(jb, at(2133), e);
  expect_frame(jb.pop(at(2133)), e);
  EXPECT_EQ(jb.stats().frames_dropped, 2u);  // c (half) and d (a delta after the restart)
  EXPECT_EQ(jb.stats().nack_requests, 0u);

  // Backward, to a new random place, with a new timeline: the same.
  s.jump(-20000, 123456789);
  const Frame k2 = s.next(true), f2 = s.next(false);
  put(jb, at(3000), k2);
  put(jb, at(3033), f2);
  auto out = jb.pop(at(3033));
  expect_frame(out, k2);
  expect_frame(jb.pop(at(3033)), f2);
  EXPECT_EQ(jb.stats().stream_restarts, 2u);
  EXPECT_EQ(jb.stats().nack_requests, 0u);
}

TEST(VideoJitterBuffer, TimestampJumpBackIsANewTimeline) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true);
  put(jb, at(0), a);
  auto first = jb.pop(at(0));
  ASSERT_TRUE(first.has_value());
  s.jump(0, -90000 * 60);  // the sequence goes on; the timestamps go back a minute
  const Frame k = s.next(true), b = s.next(false);
  put(jb, at(33), k);
  put(jb, at(66), b);
  auto out = jb.pop(at(66));
  expect_frame(out, k);
  EXPECT_GT(out->extended_timestamp, first->extended_timestamp);
  expect_frame(jb.pop(at(66)), b);
  EXPECT_EQ(jb.stats().stream_restarts, 1u);
  EXPECT_EQ(jb.stats().packets_too_late, 0u);
}

TEST(VideoJitterBuffer, PaddingKeepsFramesContinuous) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true);
  s.jump(3, 0);  // three padding packets
  const Frame b = s.next(false);
  s.jump(1, 0);
  const Frame c = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  const uint16_t p0 = static_cast<uint16_t>(a[2].seq + 1);
  jb.insert(at(10), p0, a.ts, false, {});
  jb.insert(at(11), static_cast<uint16_t>(p0 + 2), a.ts, false, {});
  EXPECT_EQ(jb.take_nacks(at(11)), std::vector<uint16_t>{static_cast<uint16_t>(p0 + 1)});
  jb.insert(at(12), static_cast<uint16_t>(p0 + 1), a.ts, false, {});
  put(jb, at(33), b);
  expect_frame(jb.pop(at(33)), b);
  // Padding that comes after the frame behind it.
  put(jb, at(66), c);
  EXPECT_FALSE(jb.pop(at(66)).has_value());
  jb.insert(at(67), static_cast<uint16_t>(b[2].seq + 1), b.ts, false, {});
  expect_frame(jb.pop(at(67)), c);
  EXPECT_EQ(jb.stats().packets_padding, 4u);
  EXPECT_EQ(jb.stats().frames_dropped, 0u);
}

TEST(VideoJitterBuffer, WithoutNackGapsWaitForReorderingThenAskForAKeyframe) {
  VideoJitterBuffer jb({.nack = false});
  Sender s;
  const Frame a = s.next(true), b = s.next(false), c = s.next(false), d = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  // Reordered by 30 ms: fine.
  put(jb, at(100), b[0]);
  put(jb, at(100), b[2]);
  EXPECT_TRUE(jb.take_nacks(at(100)).empty());
  put(jb, at(130), b[1]);
  expect_frame(jb.pop(at(130)), b);
  // Lost: given up 50 ms after the gap was seen.
  put(jb, at(200), c[0]);
  put(jb, at(200), c[2]);
  EXPECT_EQ(jb.deadline(), base::Deadline(at(250)));
  EXPECT_FALSE(jb.pop(at(249)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 0u);
  EXPECT_FALSE(jb.pop(at(250)).has_value());
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(250)));
  EXPECT_TRUE(jb.take_nacks(at(1000)).empty());
  put(jb, at(260), d);
  EXPECT_FALSE(jb.pop(at(260)).has_value());
  EXPECT_EQ(jb.stats().nack_requests, 0u);
}

TEST(VideoJitterBuffer, InvalidPayloadDropsItsFrame) {
  VideoJitterBuffer jb;
  Sender s;
  const Frame a = s.next(true), b = s.next(false);
  put(jb, at(0), a);
  ASSERT_TRUE(jb.pop(at(0)).has_value());
  put(jb, at(33), b[0]);
  const uint8_t bad[] = {0x80};  // X set, extension byte missing (RFC 7741 4.2)
  jb.insert(at(33), b[1].seq, b.ts, false, bad);
  put(jb, at(33), b[2]);
  EXPECT_FALSE(jb.pop(at(33)).has_value());
  EXPECT_EQ(jb.stats().packets_invalid, 1u);
  EXPECT_EQ(jb.stats().frames_dropped, 1u);
  EXPECT_TRUE(jb.take_keyframe_request(at(33)));
  EXPECT_TRUE(jb.take_nacks(at(33)).empty());
}

TEST(VideoJitterBuffer, MemoryIsBounded) {
  const VideoJitterBufferConfig config{.max_frames = 8, .max_packets_per_frame = 16, .max_packets = 40,
                                       .max_missing = 20};
  VideoJitterBuffer jb(config);
  Sender s;
  // Frames whose last packet never comes pile up behind a blocked one.
  for (int i = 0; i < 30; ++i) {
    const Frame f = s.next(true);
    put(jb, at(i), f[0]);
    put(jb, at(i), f[1]);
    EXPECT_LE(jb.frames_buffered(), config.max_frames);
    EXPECT_LE(jb.packets_buffered(), config.max_packets);
  }
  EXPECT_EQ(jb.frames_buffered(), 8u);
  EXPECT_EQ(jb.stats().frames_dropped, 22u);
  // A frame of 30 packets cannot be held: the 17th breaks it, and the rest
  // are too late for it.
  VideoJitterBuffer big(config);
  Sender s2;
  const Frame k = s2.next(true, 30 * 116, 120);
  for (const auto& p : k.packets) {
    put(big, at(0), p);
    EXPECT_LE(big.largest_frame_packets(), config.max_packets_per_frame);
  }
  EXPECT_EQ(big.stats().packets_discarded, 1u);
  EXPECT_EQ(big.stats().packets_too_late, 13u);
  EXPECT_EQ(big.stats().frames_dropped, 1u);
  EXPECT_FALSE(big.pop(at(0)).has_value());
  EXPECT_TRUE(big.take_keyframe_request(at(0)));
  // Many gaps: at most max_missing tracked; the oldest are given up.
  VideoJitterBuffer lossy(config);
  Sender s3;
  for (int i = 0; i < 20; ++i) {
    const Frame f = s3.next(true, 116, 120);  // one packet each, never popped
    s3.jump(15, 0);
    put(lossy, at(i), f[0]);
    EXPECT_LE(lossy.missing_count(), config.max_missing);
  }
  EXPECT_EQ(lossy.missing_count(), 20u);
}

// Advancing the clock to deadline() and calling everything always does
// something (a frame, a NACK, a request, a drop) and moves the deadline
// past that time; nothing is ever due in the past. A sender at 30 fps that
// answers keyframe requests, a network with 8 % loss, up to 40 ms of
// reordering, and RTX repairs (10 % of them lost too) 50-70 ms after a NACK.
TEST(VideoJitterBuffer, DeadlineSaysWhenSomethingHappens) {
  for (bool nack : {true, false}) {
    SCOPED_TRACE(nack);
    VideoJitterBuffer jb({.nack = nack});
    std::mt19937 rng(7);
    Sender s(65000, 0xfff00000);
    std::multimap<int64_t, std::pair<Packet, bool>> network;  // arrival -> packet, rtx
    std::map<uint16_t, Packet> sent;
    constexpr int kFrames = 300;
    int next_frame = 0;
    bool key = true;
    int64_t now = 0, last_ts = 0;
    size_t frames = 0;
    while (next_frame < kFrames || !network.empty()) {
      const int64_t send_at = next_frame < kFrames ? 33 * next_frame : INT64_MAX;
      const int64_t arrive_at = network.empty() ? INT64_MAX : network.begin()->first;
      const auto d = jb.deadline();
      const int64_t wake_at = d.is_set() ? d.value().ms() : INT64_MAX;
      if (send_at <= std::min(arrive_at, wake_at)) {
        now = send_at;
        const Frame f = s.next(key, 200 + rng() % 600);
        key = false;
        ++next_frame;
        for (const auto& p : f.packets) {
          sent[p.seq] = p;
          if (rng() % 100 < 8) continue;  // lost
          network.emplace(now + static_cast<int64_t>(rng() % 40), std::make_pair(p, false));
        }
      } else if (arrive_at <= wake_at) {
        now = arrive_at;
        const auto [p, rtx] = network.begin()->second;
        network.erase(network.begin());
        put(jb, at(now), p, rtx);
        const auto after = jb.deadline();
        EXPECT_TRUE(!after.is_set() || after.value() >= at(now));  // nothing due in the past
      } else {
        ASSERT_GE(wake_at, now);
        now = wake_at;
        const auto before = jb.stats();
        const size_t frames_before = frames, missing_before = jb.missing_count();
        while (auto f = jb.pop(at(now))) {
          EXPECT_GT(f->extended_timestamp, last_ts);
          last_ts = f->extended_timestamp;
          ++frames;
        }
        const auto nacks = jb.take_nacks(at(now));
        for (uint16_t seq : nacks) {
          if (rng() % 100 < 10) continue;
          network.emplace(now + 50 + static_cast<int64_t>(rng() % 20), std::make_pair(sent.at(seq), true));
        }
        const bool asked = jb.take_keyframe_request(at(now));
        if (asked) key = true;
        EXPECT_TRUE(frames > frames_before || !nacks.empty() || asked ||
                    jb.stats().frames_dropped > before.frames_dropped || jb.missing_count() < missing_before)
            << "woken at " << now << " for nothing";
        const auto after = jb.deadline();
        EXPECT_TRUE(!after.is_set() || after.value() > at(now)) << now;
      }
    }
    const auto& st = jb.stats();
    EXPECT_EQ(st.frames_assembled, frames);
    if (nack) {
      // Repairs in time: hardly a frame lost (the last ones may be in flight).
      EXPECT_GT(frames, 290u);
      EXPECT_GT(st.packets_retransmitted, 50u);
    } else {
      // Every loss costs the frames up to the next keyframe, which is asked for.
      EXPECT_GT(frames, 30u);
      EXPECT_GT(st.keyframe_requests, 10u);
      EXPECT_EQ(st.nack_requests, 0u);
    }
  }
}

}  // namespace
}  // namespace wasmrtc::media
