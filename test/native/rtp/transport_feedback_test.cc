// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-
// wide-cc-extensions-01 3.1): exact bytes of a hand-worked message, Chrome's
// feedback as captured, every chunk type with the sizes libwebrtc's own tests
// expect, deltas at their limits, wraparound, malformed FCI; and the receive
// side's generator: losses, reordering, late packets, splitting, counters
// and its memory bound.
#include "rtp/transport_feedback.h"

#include <gtest/gtest.h>

#include <map>

namespace wasmrtc::rtp {
namespace {

using base::Bytes;
using base::Timestamp;
using std::nullopt;
using Arrivals = std::vector<std::optional<int64_t>>;

Bytes hex(std::string_view h) { return *base::from_hex(h); }

Feedback feedback_with_fci(std::string_view fci_hex) {
  return Feedback{rtcp_type::kTransportFeedback, kTransportFeedbackFormat, 1, 2, hex(fci_hex)};
}

// make -> serialize -> parse_rtcp -> parse, which must give `t` back.
Bytes round_trip(const TransportFeedback& t) {
  auto f = make_transport_feedback(t);
  EXPECT_TRUE(f.ok()) << to_string(f.error());
  if (!f) return {};
  auto wire = serialize_rtcp({*f});
  EXPECT_TRUE(wire.ok());
  auto packets = parse_rtcp(*wire);
  EXPECT_TRUE(packets.ok());
  auto back = parse_transport_feedback(std::get<Feedback>(packets->at(0)));
  EXPECT_TRUE(back.ok()) << to_string(back.error());
  if (back) {
    EXPECT_EQ(*back, t);
  }
  return *wire;
}

// The chunks of a made FCI (after the 8 fixed bytes), for `n` chunks.
std::string chunks_hex(const TransportFeedback& t, size_t n) {
  auto f = make_transport_feedback(t);
  if (!f) return "error";
  return base::to_hex(base::ByteView(f->fci).subspan(8, 2 * n));
}

// A feedback with base 0 and reference 0 and these entries.
TransportFeedback with(Arrivals arrivals) {
  TransportFeedback t;
  t.sender_ssrc = 1;
  t.media_ssrc = 2;
  t.arrivals_us = std::move(arrivals);
  return t;
}

// libwebrtc's FeedbackTester: sequence numbers received at seq * delta; lost
// between them. Returns entries from the first one, relative to the first
// arrival floored to 64 ms.
TransportFeedback received_at(std::vector<uint16_t> seqs, int64_t delta_us) {
  Arrivals a;
  for (uint16_t s = seqs.front(); s <= seqs.back(); ++s) a.push_back(std::nullopt);
  const int64_t first = seqs.front() * delta_us;
  const int64_t base = first / 64000 * 64000;
  for (uint16_t s : seqs) a[s - seqs.front()] = s * delta_us - base;
  TransportFeedback t = with(a);
  t.base_sequence = seqs.front();
  t.reference_time = static_cast<int32_t>(first / 64000);
  return t;
}

// ---------------------------------------------------------------------------
// The wire format.

TEST(rtp_TransportFeedback, HandWorkedExampleExactBytes) {
  TransportFeedback t;
  t.sender_ssrc = 0xaabbccdd;
  t.media_ssrc = 0x11223344;
  t.base_sequence = 0xfffe;  // the run wraps: 0xfffe, 0xffff, 0, 1, 2, 3
  t.feedback_count = 7;
  t.reference_time = -2;     // -128 ms
  t.arrivals_us = {1000, nullopt, 3000, 2500, 72500, 72750};
  const Bytes wire = round_trip(t);
  EXPECT_EQ(base::to_hex(wire),
            // V=2 P=0 FMT=15 | PT=205 | length 7 (32 bytes)
            "8fcd0007"
            "aabbccdd"  // SSRC of packet sender
            "11223344"  // SSRC of media source
            "fffe"      // base sequence number
            "0006"      // packet status count: 6
            "fffffe"    // reference time: -2 (24-bit two's complement)
            "07"        // fb pkt. count
            // One two-bit status vector chunk (T=1 S=1), 6 of its 7 symbols used:
            // 11 | 01 00 01 10 10 01 00: small, not received, small, large, large, small, (unused)
            "d1a4"
            "04"        // 0xfffe: +4 ticks   -> 1000 us
                        // 0xffff: not received, no delta
            "08"        // 0x0000: +8 ticks   -> 3000 us
            "fffe"      // 0x0001: -2 ticks   -> 2500 us (arrived before 0x0000)
            "0118"      // 0x0002: +280 ticks -> 72500 us (more than 255: large)
            "01"        // 0x0003: +1 tick    -> 72750 us
            "000000");  // zero padding to 32 bits
}

// Bytes from pion/rtcp's transport_layer_cc_test.go (TestTransportLayerCC_Unmarshal,
// "example1" and "example4"). They have every mark of Chrome's feedback: the
// sender SSRC 0xFA17FA17 is libwebrtc's default for RTCP when it sends no
// media (receiver_reports_ssrc_ in media/engine/webrtc_voice_engine.h), the
// padding is libwebrtc's (P bit, count in the last byte), and the chunk is the
// run-length one libwebrtc's TransportFeedback::LastChunk picks for a run.
TEST(rtp_TransportFeedback, ChromeCaptures) {
  struct Capture {
    const char* wire;
    TransportFeedback expected;
    const char* ours;  // what we send for the same feedback
  };
  const Capture captures[] = {
      {"afcd0005 fa17fa17 43032fa0 00990001 3de80217 2001 94 01",
       {0xfa17fa17, 0x43032fa0, 153, 23, 4057090, {37000}},
       "8fcd0005fa17fa1743032fa0009900013de80217200194" "00"},
      {"afcd0007 fa17fa17 193dd8bb 00040007 10636e01 2007 4c24 2410 0c0c 1000 0003",
       {0xfa17fa17, 0x193dd8bb, 4, 1, 1074030, {19000, 28000, 37000, 41000, 44000, 47000, 51000}},
       "8fcd0007fa17fa17193dd8bb0004000710636e0120074c2424100c0c10" "000000"},
  };
  for (const auto& c : captures) {
    auto packets = parse_rtcp(hex(c.wire));
    ASSERT_TRUE(packets.ok()) << to_string(packets.error());
    auto t = parse_transport_feedback(std::get<Feedback>(packets->at(0)));
    ASSERT_TRUE(t.ok()) << to_string(t.error());
    EXPECT_EQ(*t, c.expected);
    // The same chunks and deltas; only the padding differs (zeros, no P bit:
    // rtcp.h writes no P bit, and libwebrtc takes both).
    EXPECT_EQ(base::to_hex(round_trip(*t)), c.ours);
  }
}

TEST(rtp_TransportFeedback, RunLengthChunks) {
  // 3.1.3 examples: 221 not received; and 24 received with small deltas.
  Arrivals lost(221, nullopt);
  lost.push_back(0);
  EXPECT_EQ(chunks_hex(with(lost), 2), "00dd" "2001");
  Arrivals small;
  for (int i = 0; i < 24; ++i) small.push_back(i * 1000);
  EXPECT_EQ(chunks_hex(with(small), 1), "2018");
  round_trip(with(small));
  // A run of large deltas (symbol 2), 9 long.
  Arrivals large;
  for (int i = 0; i < 9; ++i) large.push_back(-(i + 1) * 250);
  EXPECT_EQ(chunks_hex(with(large), 1), "4009");
  round_trip(with(large));
  // The longest run is 8191: one more takes a second chunk.
  Arrivals longest(8191, 0);
  longest.push_back(0);
  EXPECT_EQ(chunks_hex(with(longest), 2), "3fff" "2001");
  round_trip(with(longest));
}

TEST(rtp_TransportFeedback, StatusVectorChunks) {
  // 3.1.4 example 1: a one-bit vector, not received, 5 received, 3 not, 3
  // received, 2 not (trailing losses are only a value here; libwebrtc ends
  // its feedback on a received packet).
  Arrivals one_bit = {nullopt, 0, 0, 0, 0, 0, nullopt, nullopt, nullopt, 0, 0, 0, nullopt, nullopt};
  EXPECT_EQ(chunks_hex(with(one_bit), 1), "9f1c");
  round_trip(with(one_bit));
  // A two-bit vector: received small, large (negative), not received.
  Arrivals two_bit = {1000, 500, nullopt, 750};
  EXPECT_EQ(chunks_hex(with(two_bit), 1), "d840");  // 11 01 10 00 01 00 00
  round_trip(with(two_bit));
  // The draft's second examples in 3.1.3 (0x6018) and 3.1.4 (0xcd50) use
  // symbol 3 as "received without a delta", which 3.1.1 lists as reserved;
  // libwebrtc rejects such feedback, and so do we.
  EXPECT_EQ(parse_transport_feedback(feedback_with_fci("00000018 00000000 6018 0000")).error(), Error::BadValue);
  EXPECT_EQ(parse_transport_feedback(feedback_with_fci("00000007 00000000 cd50 0101")).error(), Error::BadValue);
}

// libwebrtc's transport_feedback_unittest.cc cases: the sizes it expects
// (header 20 + chunks + deltas, rounded up to 32 bits) are the sizes we make.
TEST(rtp_TransportFeedback, SizesAsLibwebrtc) {
  auto size = [](const TransportFeedback& t) { return round_trip(t).size(); };
  const int64_t kSmall = 4 * 250;
  const int64_t kLarge = 256 * 250;
  EXPECT_EQ(size(received_at({1, 2, 7, 8, 9, 10, 13}, kSmall)), 32u);      // OneBitVector: 20 + 2 + 7
  EXPECT_EQ(size(received_at({1, 2, 7, 8, 9, 10, 13, 14}, kSmall)), 32u);  // FullOneBitVector: 20 + 2 + 8
  EXPECT_EQ(size(received_at({1, 2, 6, 7}, kLarge)), 32u);                 // TwoBitVector: 20 + 2 + 8
  EXPECT_EQ(size(received_at({1, 2, 6, 7, 8}, kLarge)), 36u);              // TwoBitVectorFull: 20 + 4 + 10
  // The first delta is 0 (small), then large ones: a two-bit vector of 7
  // (11 01 10 00 00 00 10 10), and the 8th alone as a run.
  EXPECT_EQ(chunks_hex(received_at({1, 2, 6, 7, 8}, kLarge), 2), "d80a" "4001");
  // MaxRle: 1 received, 8204 lost, 1 received: a one-bit vector (1 + 13
  // lost), a run of 8191 lost, and a run of 1 received. 20 + 6 + 2.
  Arrivals max_rle(8206, nullopt);
  max_rle.front() = 1000;
  max_rle.back() = 2000;
  EXPECT_EQ(size(with(max_rle)), 28u);
  EXPECT_EQ(chunks_hex(with(max_rle), 3), "a000" "1fff" "2001");
  // MinRle: 1 received, 28 lost, 1 received: one-bit vector, run of 15 lost, run of 1.
  Arrivals min_rle(30, nullopt);
  min_rle.front() = 1000;
  min_rle.back() = 2000;
  EXPECT_EQ(chunks_hex(with(min_rle), 3), "a000" "000f" "2001");
  // OneToTwoBitVectorSplit: 8 small, a large, 13 small: the run of 8 small
  // ends at the large one, which starts a two-bit vector with 6 small after
  // it; the last 7 small are a run. 20 + 6 + 21 + 2.
  Arrivals split;
  int64_t t = 1000;
  for (int i = 0; i < 22; ++i) {
    t += i == 8 ? kLarge : 1000;
    split.push_back(t);
  }
  EXPECT_EQ(size(with(split)), 52u);
  EXPECT_EQ(chunks_hex(with(split), 3), "2008" "e555" "2007");
}

TEST(rtp_TransportFeedback, DeltaLimits) {
  // The largest and most negative 16-bit deltas.
  round_trip(with({8191750}));
  round_trip(with({-8192000}));
  round_trip(with({0, 8191750, 0, -8192000}));
  EXPECT_EQ(make_transport_feedback(with({8192000})).error(), Error::TooLarge);
  EXPECT_EQ(make_transport_feedback(with({-8192250})).error(), Error::TooLarge);
  EXPECT_EQ(make_transport_feedback(with({0, nullopt, -8192250})).error(), Error::TooLarge);
  // 255 ticks is small, 256 and -1 are large.
  EXPECT_EQ(make_transport_feedback(with({63750}))->fci.size(), 12u);
  EXPECT_EQ(base::to_hex(make_transport_feedback(with({64000}))->fci), "0000000100000000" "4001" "0100");
  EXPECT_EQ(base::to_hex(make_transport_feedback(with({-250}))->fci), "0000000100000000" "4001" "ffff");
  // Times between ticks are refused rather than rounded.
  EXPECT_EQ(make_transport_feedback(with({100})).error(), Error::BadValue);
}

TEST(rtp_TransportFeedback, ReferenceTimeAndCountLimits) {
  TransportFeedback t = with({0});
  for (int32_t ref : {-0x800000, 0x7fffff, 0, -1}) {
    t.reference_time = ref;
    round_trip(t);
  }
  EXPECT_EQ(parse_transport_feedback(feedback_with_fci("00000001 80000000 2001 00000000"))->reference_time, -0x800000);
  EXPECT_EQ(parse_transport_feedback(feedback_with_fci("00000001 7fffff00 2001 00000000"))->reference_time, 0x7fffff);
  t.reference_time = 0x800000;
  EXPECT_EQ(make_transport_feedback(t).error(), Error::TooLarge);
  t.reference_time = -0x800001;
  EXPECT_EQ(make_transport_feedback(t).error(), Error::TooLarge);
  // 65535 entries fit the 16-bit count; 65536 do not; none is an error.
  Arrivals most(65535, nullopt);
  most.back() = 0;
  round_trip(with(most));
  most.push_back(250);
  EXPECT_EQ(make_transport_feedback(with(most)).error(), Error::TooLarge);
  EXPECT_EQ(make_transport_feedback(with({})).error(), Error::BadValue);
  // feedback_count is a plain byte.
  t = with({0});
  t.feedback_count = 255;
  round_trip(t);
}

TEST(rtp_TransportFeedback, ParseToleratesWhatLibwebrtcTolerates) {
  // A run longer than the status count: only the count is used.
  auto t = parse_transport_feedback(feedback_with_fci("00050002 00000000 2030 0102 0000"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->base_sequence, 5);
  EXPECT_EQ(t->arrivals_us, (Arrivals{250, 750}));
  // Reserved symbols beyond the count in the last two-bit chunk are ignored.
  t = parse_transport_feedback(feedback_with_fci("00000002 00000000 d7ff 0101"));
  ASSERT_TRUE(t.ok()) << to_string(t.error());
  EXPECT_EQ(t->arrivals_us, (Arrivals{250, 500}));
  // Empty runs are allowed, and bytes after the last delta (padding) ignored.
  t = parse_transport_feedback(feedback_with_fci("00000001 00000000 0000 2001 05 000000 ffff"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->arrivals_us, (Arrivals{1250}));
  // Not received needs no delta: one run of 3 lost, then one received.
  t = parse_transport_feedback(feedback_with_fci("00000004 00000000 0003 2001 ff 00"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->arrivals_us, (Arrivals{nullopt, nullopt, nullopt, 63750}));
}

TEST(rtp_TransportFeedback, MalformedFci) {
  auto error = [](std::string_view fci) { return parse_transport_feedback(feedback_with_fci(fci)).error(); };
  EXPECT_EQ(error(""), Error::Truncated);
  EXPECT_EQ(error("00000001 000000"), Error::Truncated);                 // fixed fields cut
  EXPECT_EQ(error("00000000 00000000 2001 00"), Error::BadValue);        // status count 0
  EXPECT_EQ(error("00000001 00000000"), Error::Truncated);               // no chunk at all
  EXPECT_EQ(error("00000001 00000000 20"), Error::Truncated);            // half a chunk
  EXPECT_EQ(error("0000000f 00000000 200e"), Error::Truncated);          // chunks give 14 of 15
  EXPECT_EQ(error("0000000f 00000000 bfff 2001"), Error::Truncated);     // 15 statuses, 14 deltas
  EXPECT_EQ(error("00000002 00000000 2002 01"), Error::Truncated);       // small delta missing
  EXPECT_EQ(error("00000001 00000000 4001 01"), Error::Truncated);       // large delta cut
  EXPECT_EQ(error("00000001 00000000 f000 0000"), Error::BadValue);      // reserved symbol 3, two-bit
  EXPECT_EQ(error("00000003 00000000 c300 0000"), Error::BadValue);      // ... as the third
  EXPECT_EQ(error("00000001 00000000 6001 0000"), Error::BadValue);      // ... in a run
  // Not transport-cc at all.
  Feedback nack = make_nack(1, 2, {5});
  EXPECT_EQ(parse_transport_feedback(nack).error(), Error::BadValue);
  Feedback psfb = feedback_with_fci("00000001 00000000 2001 00");
  psfb.type = rtcp_type::kPayloadFeedback;
  EXPECT_EQ(parse_transport_feedback(psfb).error(), Error::BadValue);
}

// ---------------------------------------------------------------------------
// The generator.

constexpr int64_t kT0 = 10'000'000;  // 10 s: reference 156, +16000 us
Timestamp at(int64_t us) { return Timestamp::from_micros(kT0 + us); }

// Every feedback must serialize within the budget and parse back unchanged.
std::vector<TransportFeedback> build(TransportFeedbackGenerator& g, size_t budget = 1200) {
  auto out = g.build(0xaaaa, 0xbbbb);
  for (const auto& t : out) {
    const Bytes wire = round_trip(t);
    EXPECT_LE(wire.size(), budget);
    EXPECT_TRUE(t.arrivals_us.back().has_value()) << "a feedback ends on a received packet";
  }
  return out;
}

// The absolute arrival a feedback says, when the reference time did not wrap.
int64_t absolute(const TransportFeedback& t, size_t i) { return t.reference_time * int64_t{64000} + *t.arrivals_us[i]; }

TEST(rtp_TransportFeedbackGenerator, ReportsArrivalsFromTheReferenceTime) {
  TransportFeedbackGenerator g;
  EXPECT_FALSE(g.has_pending());
  EXPECT_TRUE(g.build(1, 2).empty());
  g.on_packet(at(0), 10);
  g.on_packet(at(5000), 11);
  g.on_packet(at(10100), 12);  // rounds to the nearest tick: 10000
  EXPECT_TRUE(g.has_pending());
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].sender_ssrc, 0xaaaau);
  EXPECT_EQ(fbs[0].media_ssrc, 0xbbbbu);
  EXPECT_EQ(fbs[0].base_sequence, 10);
  EXPECT_EQ(fbs[0].feedback_count, 0);
  EXPECT_EQ(fbs[0].reference_time, 156);  // floor(10 s / 64 ms)
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, 21000, 26000}));
  EXPECT_FALSE(g.has_pending());
  EXPECT_TRUE(g.build(1, 2).empty());
}

TEST(rtp_TransportFeedbackGenerator, LostPackets) {
  TransportFeedbackGenerator g;
  g.on_packet(at(0), 10);
  g.on_packet(at(1000), 12);
  g.on_packet(at(2000), 15);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, nullopt, 17000, nullopt, nullopt, 18000}));
  // The next feedback starts right after the last one, with the losses
  // before its first received packet, whose arrival sets the reference.
  g.on_packet(at(100000), 18);
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 16);
  EXPECT_EQ(fbs[0].feedback_count, 1);
  EXPECT_EQ(fbs[0].reference_time, 157);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{nullopt, nullopt, 52000}));
}

TEST(rtp_TransportFeedbackGenerator, ReorderingGivesNegativeDeltas) {
  TransportFeedbackGenerator g;
  g.on_packet(at(3000), 11);
  g.on_packet(at(4000), 13);
  g.on_packet(at(5000), 10);  // later than 11 and 13
  g.on_packet(at(6000), 12);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 10);
  // The reference is 10's arrival (the first in sequence order), so 11 is
  // 2 ms before it and 13 after 12 by -2 ms: large deltas.
  EXPECT_EQ(fbs[0].reference_time, 156);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{21000, 19000, 22000, 20000}));
  auto f = make_transport_feedback(fbs[0]);
  EXPECT_EQ(base::to_hex(base::ByteView(f->fci).subspan(8, 2)), "d980");  // 11 01 10 01 10 00 00: small, large, small, large
  // Negative relative to the reference: the first received packet arrived
  // after later ones by more than its offset in its 64 ms unit.
  // The first received packet in sequence order can arrive after later
  // ones: 21 arrives first, 1 ms into reference unit 156; 20 arrives 15 ms
  // later and sets the reference.
  TransportFeedbackGenerator g3;
  g3.on_packet(at(-15000), 21);
  g3.on_packet(at(0), 20);
  fbs = build(g3);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 20);
  EXPECT_EQ(fbs[0].reference_time, 156);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, 1000}));
  TransportFeedbackGenerator g4;
  g4.on_packet(at(-40000), 31);  // in unit 155, before 30's: negative from the reference
  g4.on_packet(at(0), 30);
  fbs = build(g4);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, -24000}));
  EXPECT_EQ(absolute(fbs[0], 1), kT0 - 40000);
}

TEST(rtp_TransportFeedbackGenerator, LatePacketIsReportedAgainFromAnEarlierBase) {
  TransportFeedbackGenerator g;
  g.on_packet(at(0), 10);
  g.on_packet(at(1000), 12);
  g.on_packet(at(2000), 13);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, nullopt, 17000, 18000}));
  // 11 arrives after it was reported lost: as libwebrtc does, the next
  // feedback starts at 11 and repeats 12 and 13 with the same times.
  g.on_packet(at(30000), 11);
  g.on_packet(at(31000), 14);
  EXPECT_TRUE(g.has_pending());
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 11);
  EXPECT_EQ(fbs[0].feedback_count, 1);
  EXPECT_EQ(fbs[0].reference_time, 156);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{46000, 17000, 18000, 47000}));
  // A late packet alone also makes a feedback.
  g.on_packet(at(40000), 9);
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 9);
  EXPECT_EQ(fbs[0].arrivals_us.size(), 6u);
  EXPECT_EQ(absolute(fbs[0], 0), kT0 + 40000);
}

TEST(rtp_TransportFeedbackGenerator, DuplicatesIgnored) {
  TransportFeedbackGenerator g;
  g.on_packet(at(0), 10);
  g.on_packet(at(5000), 10);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000}));
  g.on_packet(at(6000), 10);  // a duplicate of a reported packet
  EXPECT_FALSE(g.has_pending());
  EXPECT_TRUE(g.build(1, 2).empty());
}

TEST(rtp_TransportFeedbackGenerator, SequenceNumbersWrap) {
  TransportFeedbackGenerator g;
  g.on_packet(at(0), 65534);
  g.on_packet(at(1000), 0);
  g.on_packet(at(2000), 65535);
  g.on_packet(at(3000), 1);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 65534);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000, 18000, 17000, 19000}));
  g.on_packet(at(4000), 3);
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].base_sequence, 2);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{nullopt, 20000}));
  // Around the wrap many times over.
  uint16_t seq = 3;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 20000; ++i) g.on_packet(at(5000 + round * 20000 + i), ++seq);
    fbs = build(g);
    size_t covered = 0;
    for (const auto& t : fbs) covered += t.arrivals_us.size();
    EXPECT_EQ(covered, 8192u) << "the history keeps the last kMaxSequenceSpan";
    EXPECT_EQ(static_cast<uint16_t>(fbs.back().base_sequence + fbs.back().arrivals_us.size() - 1), seq);
  }
}

TEST(rtp_TransportFeedbackGenerator, ReferenceTimeWrapsAndGoesNegative) {
  TransportFeedbackGenerator g;
  g.on_packet(Timestamp::from_micros(-1000), 1);  // before the caller's epoch
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].reference_time, -1);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{63000}));
  // 2^24 units of 64 ms (~12.4 days) later the field has wrapped.
  const int64_t wrap = (int64_t{1} << 24) * 64000;
  g.on_packet(Timestamp::from_micros(wrap + 5 * 64000 + 300), 2);
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].reference_time, 5);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{250}));
  g.on_packet(Timestamp::from_micros(wrap / 2 + 64000), 3);  // 2^23 + 1 units: the top of the field
  fbs = build(g);
  ASSERT_EQ(fbs.size(), 1u);
  EXPECT_EQ(fbs[0].reference_time, -0x800000 + 1);
}

TEST(rtp_TransportFeedbackGenerator, SplitsWhenThePacketIsFull) {
  TransportFeedbackGenerator g;
  for (int i = 0; i < 3000; ++i) g.on_packet(at(i * 1000), static_cast<uint16_t>(100 + i));
  auto fbs = build(g);
  // Runs of small deltas: ~1180 one-byte deltas per 1200-byte packet.
  ASSERT_EQ(fbs.size(), 3u);
  uint16_t next = 100;
  for (size_t k = 0; k < fbs.size(); ++k) {
    EXPECT_EQ(fbs[k].feedback_count, k);
    EXPECT_EQ(fbs[k].base_sequence, next);
    next = static_cast<uint16_t>(next + fbs[k].arrivals_us.size());
    EXPECT_EQ(absolute(fbs[k], 0), kT0 + (fbs[k].base_sequence - 100) * 1000);
  }
  EXPECT_EQ(next, 3100);
  EXPECT_EQ(make_transport_feedback(fbs[0])->fci.size() + 12, 1200u);

  // Every other packet lost: one-bit vectors (7 received in 14), and a
  // 200-byte budget: 20 + 20 chunks + 140 deltas each.
  TransportFeedbackGenerator small(200);
  for (int i = 0; i < 1000; i += 2) small.on_packet(at(i * 1000), static_cast<uint16_t>(i));
  fbs = build(small, 200);
  ASSERT_EQ(fbs.size(), 4u);
  EXPECT_EQ(fbs[0].arrivals_us.size(), 279u);
  EXPECT_EQ(fbs[1].arrivals_us.size(), 280u);
  size_t covered = 0;
  for (const auto& t : fbs) covered += t.arrivals_us.size();
  EXPECT_EQ(covered, 999u);

  // The smallest budget still takes a run of losses and one packet with a
  // large delta (its arrival 63.9 ms into its 64 ms unit: 256 ticks).
  TransportFeedbackGenerator tiny(0);
  tiny.on_packet(at(0), 1);
  build(tiny, 28);
  tiny.on_packet(at(47900), 100);
  tiny.on_packet(at(47950), 101);   // +0 ticks: small
  tiny.on_packet(at(247950), 102);  // +200 ms: large, one byte too many
  fbs = build(tiny, 28);
  ASSERT_EQ(fbs.size(), 2u);
  EXPECT_EQ(fbs[0].base_sequence, 2);
  EXPECT_EQ(fbs[0].arrivals_us.size(), 100u);
  EXPECT_EQ(fbs[0].arrivals_us[98], 64000);
  EXPECT_EQ(make_transport_feedback(fbs[0])->fci.size() + 12, 28u);
  EXPECT_EQ(fbs[1].base_sequence, 102);
}

TEST(rtp_TransportFeedbackGenerator, SplitsWhenADeltaDoesNotFit) {
  TransportFeedbackGenerator g;
  g.on_packet(at(0), 10);
  g.on_packet(at(9'000'000), 11);  // 9 s later: more than 8191.75 ms
  g.on_packet(at(9'001'000), 12);
  auto fbs = build(g);
  ASSERT_EQ(fbs.size(), 2u);
  EXPECT_EQ(fbs[0].base_sequence, 10);
  EXPECT_EQ(fbs[0].arrivals_us, (Arrivals{16000}));
  EXPECT_EQ(fbs[1].base_sequence, 11);
  EXPECT_EQ(fbs[1].feedback_count, 1);
  EXPECT_EQ(absolute(fbs[1], 0), kT0 + 9'000'000);
  EXPECT_EQ(absolute(fbs[1], 1), kT0 + 9'001'000);
  // Backwards too: 20 arrives 9 s after 21.
  TransportFeedbackGenerator back;
  back.on_packet(at(0), 21);
  back.on_packet(at(9'000'000), 20);
  fbs = build(back);
  ASSERT_EQ(fbs.size(), 2u);
  EXPECT_EQ(fbs[0].base_sequence, 20);
  EXPECT_EQ(fbs[1].base_sequence, 21);
}

TEST(rtp_TransportFeedbackGenerator, FeedbackCountWraps) {
  TransportFeedbackGenerator g;
  for (int i = 0; i < 300; ++i) {
    g.on_packet(at(i * 50000), static_cast<uint16_t>(i));
    auto fbs = build(g);
    ASSERT_EQ(fbs.size(), 1u);
    EXPECT_EQ(fbs[0].feedback_count, static_cast<uint8_t>(i));
  }
}

TEST(rtp_TransportFeedbackGenerator, MemoryIsBounded) {
  // Fed for 100 s at 1000 packets/s with feedback every 100 ms: about the
  // last 500 ms are kept.
  TransportFeedbackGenerator g;
  size_t most = 0;
  for (int i = 0; i < 100000; ++i) {
    g.on_packet(at(i * 1000), static_cast<uint16_t>(i));
    if (i % 100 == 99) build(g);
    most = std::max(most, g.history_size());
  }
  EXPECT_LE(most, 700u);
  // A packet from before the history is dropped, not reported with its
  // forgotten neighbours as lost.
  g.on_packet(at(100'000'000), static_cast<uint16_t>(100000 - 2000));
  EXPECT_FALSE(g.has_pending());
  // Never built: the history stops at kMaxSequenceSpan and the feedback
  // covers the newest packets.
  TransportFeedbackGenerator idle;
  for (int i = 0; i < 50000; ++i) idle.on_packet(at(i * 100), static_cast<uint16_t>(i * 2));
  EXPECT_LE(idle.history_size(), 8192u);
  auto fbs = build(idle);
  ASSERT_FALSE(fbs.empty());
  EXPECT_EQ(fbs.front().base_sequence, static_cast<uint16_t>(99998 - 8191));
  // Gaps age out like arrivals: a packet 600 ms after its gap was reported is dropped.
  TransportFeedbackGenerator gaps;
  gaps.on_packet(at(0), 1);
  gaps.on_packet(at(1000), 3);
  build(gaps);
  gaps.on_packet(at(100000), 2);  // 99 ms late: still reported
  EXPECT_TRUE(gaps.has_pending());
  build(gaps);
  gaps.on_packet(at(700000), 5);
  build(gaps);
  gaps.on_packet(at(701000), 4);  // its gap was seen at 700 ms: reported
  EXPECT_TRUE(gaps.has_pending());
  build(gaps);
  gaps.on_packet(at(1'400'000), 7);
  build(gaps);
  gaps.on_packet(at(1'401'000), 1);  // long gone
  EXPECT_FALSE(gaps.has_pending());
}

TEST(rtp_TransportFeedbackGenerator, RandomRunsRoundTripAndTellTheTruth) {
  // A deterministic pseudo-random walk: small forward steps, reordering,
  // duplicates, losses, pauses; every report must match what arrived.
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  TransportFeedbackGenerator g(300);
  std::map<int64_t, int64_t> first_arrival;  // unwrapped sequence -> us
  int64_t seq = 65000;
  int64_t now = 0;
  size_t reported = 0;
  size_t feedbacks = 0;
  for (int i = 0; i < 20000; ++i) {
    const uint32_t r = next();
    now += (r % 7 == 0) ? 300000 : r % 3000;
    const int64_t s = seq + static_cast<int64_t>(r % 13) - 4;
    seq = std::max(seq, s);
    g.on_packet(Timestamp::from_micros(now), static_cast<uint16_t>(s));
    first_arrival.emplace(s, now);
    if (r % 17 == 0) {
      for (const auto& t : build(g, 300)) {
        ++feedbacks;
        // Unwrap the base near the current highest.
        const int64_t base = seq + static_cast<int16_t>(static_cast<uint16_t>(t.base_sequence - static_cast<uint16_t>(seq)));
        for (size_t k = 0; k < t.arrivals_us.size(); ++k) {
          auto it = first_arrival.find(base + static_cast<int64_t>(k));
          if (!t.arrivals_us[k]) {
            EXPECT_TRUE(it == first_arrival.end()) << "reported lost but arrived: " << base + k;
            continue;
          }
          ASSERT_TRUE(it != first_arrival.end()) << "reported received, never sent: " << base + k;
          ++reported;
          const int64_t error = t.reference_time * int64_t{64000} + *t.arrivals_us[k] - it->second;
          EXPECT_LE(std::abs(error), 125);
        }
      }
      EXPECT_FALSE(g.has_pending());
    }
  }
  EXPECT_GT(feedbacks, 1000u);
  EXPECT_GT(reported, 10000u);
}

}  // namespace
}  // namespace wasmrtc::rtp
