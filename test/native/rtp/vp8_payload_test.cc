// VP8 RTP payload format (RFC 7741): descriptors from the bit diagrams of
// section 4.2 and the examples of section 4.6, byte for byte; the payload
// header (4.3); malformed descriptors; the packetizer's sizes, picture ids
// and TL0PICIDX; depacketizing; and frame assembly with gaps, missing ends
// and mixed frames.
#include <gtest/gtest.h>

#include <random>

#include "rtp/vp8_payload.h"

namespace wasmrtc::rtp {
namespace {

base::Bytes bytes(std::initializer_list<uint8_t> b) { return base::Bytes(b); }

struct DescriptorCase {
  const char* name;
  base::Bytes wire;
  Vp8Descriptor descriptor;
};

// RFC 7741 4.6: the descriptors of the examples, drawn there bit by bit.
std::vector<DescriptorCase> rfc_cases() {
  std::vector<DescriptorCase> cases;
  // "Key frame in a single RTP packet": X=1; S=1; PID=0 / I=1 / PictureID=17 (M=0).
  cases.push_back({"keyframe_picture_id_17", bytes({0x90, 0x80, 0x11}),
                   {.start_of_partition = true, .picture_id = 17, .long_picture_id = false}});
  // "Non-discardable VP8 interframe in a single RTP packet, no PictureID": X=0; S=1.
  cases.push_back({"interframe_no_picture_id", bytes({0x10}), {.start_of_partition = true}});
  // "VP8 partitions in separate RTP packets": S=1 PID=0, then S=1 PID=1, with
  // the 15-bit PictureID 4711 (M=1: 1|0010010 01100111).
  cases.push_back({"partition0_picture_id_4711", bytes({0x90, 0x80, 0x92, 0x67}),
                   {.start_of_partition = true, .picture_id = 4711}});
  cases.push_back({"partition1_picture_id_4711", bytes({0x91, 0x80, 0x92, 0x67}),
                   {.start_of_partition = true, .partition_id = 1, .picture_id = 4711}});
  // A continuation of partition 1: S=0.
  cases.push_back({"partition1_continued", bytes({0x81, 0x80, 0x92, 0x67}),
                   {.partition_id = 1, .picture_id = 4711}});
  // Every field: N=1 S=1 / I L T K / M=1 PictureID 0x7fff / TL0PICIDX 5 /
  // TID 2, Y=1, KEYIDX 3.
  cases.push_back({"all_fields", bytes({0xb0, 0xf0, 0xff, 0xff, 0x05, 0xa3}),
                   {.non_reference = true,
                    .start_of_partition = true,
                    .picture_id = 0x7fff,
                    .tl0_pic_idx = 5,
                    .temporal_id = 2,
                    .layer_sync = true,
                    .key_idx = 3}});
  // Temporal layers without KEYIDX (what libwebrtc sends): L and T.
  cases.push_back({"l_and_t", bytes({0x80, 0xe0, 0x80, 0x01, 0xff, 0x40}),
                   {.picture_id = 1, .tl0_pic_idx = 0xff, .temporal_id = 1}});
  // K without T: the TID and Y bits are zero.
  cases.push_back({"k_only", bytes({0x80, 0x10, 0x1f}), {.key_idx = 31}});
  return cases;
}

TEST(Vp8Descriptor, RfcExamplesParseAndSerializeExactly) {
  for (const auto& c : rfc_cases()) {
    SCOPED_TRACE(c.name);
    auto parsed = parse_vp8_descriptor(c.wire);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    EXPECT_EQ(parsed->size, c.wire.size());
    EXPECT_EQ(parsed->descriptor, c.descriptor);
    EXPECT_EQ(c.descriptor.size(), c.wire.size());
    auto wire = serialize_vp8_descriptor(c.descriptor);
    ASSERT_TRUE(wire.ok());
    EXPECT_EQ(base::to_hex(*wire), base::to_hex(c.wire));
  }
}

TEST(Vp8Descriptor, ReservedBitsAndUnusedFieldsAreIgnored) {
  // R bits of the first byte (0x40, 0x08) and RSV of the extension byte.
  auto p = parse_vp8_descriptor(bytes({0xd8 | 0x01, 0x0f, 0xaa}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size, 2u);  // X set, but no field announced
  EXPECT_EQ(p->descriptor, (Vp8Descriptor{.start_of_partition = true, .partition_id = 1}));
  // With K alone, TID and Y "MUST be ignored" (RFC 7741 4.2).
  p = parse_vp8_descriptor(bytes({0x80, 0x10, 0xe5}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->descriptor, (Vp8Descriptor{.key_idx = 5}));
  // With T alone, KEYIDX is ignored.
  p = parse_vp8_descriptor(bytes({0x80, 0x20, 0x5f}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->descriptor, (Vp8Descriptor{.temporal_id = 1}));
}

TEST(Vp8Descriptor, MalformedIsTruncated) {
  for (const auto& wire : {bytes({}), bytes({0x80}), bytes({0x80, 0x80}),
                           bytes({0x80, 0x80, 0x80}), bytes({0x80, 0x40}), bytes({0x80, 0x20}),
                           bytes({0x80, 0x10}), bytes({0x80, 0xf0, 0x81, 0x00, 0x01}),
                           bytes({0x80, 0xc0, 0x12})}) {
    auto p = parse_vp8_descriptor(wire);
    ASSERT_FALSE(p.ok()) << base::to_hex(wire);
    EXPECT_EQ(p.error(), Error::Truncated);
  }
}

TEST(Vp8Descriptor, SerializeRejectsOutOfRangeValues) {
  EXPECT_EQ(serialize_vp8_descriptor({.partition_id = 8}).error(), Error::BadValue);
  EXPECT_EQ(serialize_vp8_descriptor({.temporal_id = 4}).error(), Error::BadValue);
  EXPECT_EQ(serialize_vp8_descriptor({.key_idx = 32}).error(), Error::BadValue);
  EXPECT_EQ(serialize_vp8_descriptor({.picture_id = 128, .long_picture_id = false}).error(),
            Error::BadValue);
  EXPECT_EQ(serialize_vp8_descriptor({.picture_id = 0x8000}).error(), Error::BadValue);
  EXPECT_TRUE(serialize_vp8_descriptor({.picture_id = 127, .long_picture_id = false}).ok());
}

TEST(Vp8PayloadHeader, Fields) {
  // |Size0|H| VER |P|: Size0 2, H 1, VER 0, P 0 (keyframe); Size1 2, Size2 1.
  auto h = parse_vp8_payload_header(bytes({0x50, 0x02, 0x01}));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->keyframe);
  EXPECT_TRUE(h->show_frame);
  EXPECT_EQ(h->version, 0);
  EXPECT_EQ(h->first_partition_size, 2u + 8 * 2 + 2048 * 1);
  h = parse_vp8_payload_header(bytes({0x07, 0x00, 0x00}));  // P=1, VER 3, hidden
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->keyframe);
  EXPECT_FALSE(h->show_frame);
  EXPECT_EQ(h->version, 3);
  EXPECT_EQ(parse_vp8_payload_header(bytes({0x50, 0x02})).error(), Error::Truncated);
}

TEST(Vp8Depacketize, FirstPacketAndKeyframe) {
  // X=1 S=1 PID=0, PictureID 17, then a keyframe's payload header.
  const base::Bytes key = bytes({0x90, 0x80, 0x11, 0x50, 0x02, 0x01, 0x9d});
  auto p = depacketize_vp8(key);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->first_of_frame);
  EXPECT_TRUE(p->keyframe);
  EXPECT_EQ(base::to_hex(base::Bytes(p->data.begin(), p->data.end())), "500201" "9d");
  // The same bytes continuing a partition (S=0): no frame start, no keyframe.
  base::Bytes cont = key;
  cont[0] = 0x80;
  p = depacketize_vp8(cont);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  // A delta frame: P=1.
  p = depacketize_vp8(bytes({0x10, 0x51, 0x02, 0x01}));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  // Partition 1 starting: S=1 but PID 1 is no frame start.
  p = depacketize_vp8(bytes({0x11, 0x50}));
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  // A descriptor and nothing after it.
  EXPECT_EQ(depacketize_vp8(bytes({0x10})).error(), Error::Truncated);
  EXPECT_EQ(depacketize_vp8(bytes({0x90, 0x80, 0x11})).error(), Error::Truncated);
  EXPECT_EQ(depacketize_vp8(bytes({})).error(), Error::Truncated);
}

base::Bytes test_frame(size_t n, bool key = true) {
  base::Bytes f(n);
  for (size_t i = 0; i < n; ++i) f[i] = static_cast<uint8_t>(i * 31 + 7);
  if (n > 0) f[0] = key ? 0x50 : 0x51;  // P bit
  return f;
}

TEST(Vp8Packetizer, SinglePacketExactBytes) {
  Vp8Packetizer pz(4711);
  const base::Bytes frame = test_frame(10);
  auto payloads = pz.packetize(frame, 1200);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 1u);
  base::Bytes expected = bytes({0x90, 0x80, 0x92, 0x67});
  expected.insert(expected.end(), frame.begin(), frame.end());
  EXPECT_EQ(base::to_hex((*payloads)[0]), base::to_hex(expected));
  EXPECT_EQ(pz.next_picture_id(), 4712);
}

TEST(Vp8Packetizer, BalancedSizesWithinTheMaximum) {
  std::mt19937 rng(3);
  for (int round = 0; round < 200; ++round) {
    const size_t len = 1 + rng() % 20000;
    const size_t max = 5 + rng() % 1500;
    Vp8Packetizer pz(static_cast<uint16_t>(rng()));
    const uint16_t id = pz.next_picture_id();
    const base::Bytes frame = test_frame(len);
    auto payloads = pz.packetize(frame, max);
    ASSERT_TRUE(payloads.ok());
    const size_t capacity = max - 4;  // the descriptor: 4 bytes with a 15-bit picture id
    EXPECT_EQ(payloads->size(), (len + capacity - 1) / capacity) << len << " " << max;
    size_t smallest = SIZE_MAX, largest = 0;
    base::Bytes joined;
    for (size_t i = 0; i < payloads->size(); ++i) {
      const auto& p = (*payloads)[i];
      ASSERT_LE(p.size(), max);
      smallest = std::min(smallest, p.size());
      largest = std::max(largest, p.size());
      auto d = depacketize_vp8(p);
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(d->descriptor.start_of_partition, i == 0);
      EXPECT_EQ(d->descriptor.partition_id, 0);
      EXPECT_EQ(d->descriptor.picture_id, id);
      EXPECT_TRUE(d->descriptor.long_picture_id);
      joined.insert(joined.end(), d->data.begin(), d->data.end());
    }
    EXPECT_LE(largest - smallest, 1u) << len << " " << max;
    EXPECT_EQ(joined, frame);
  }
  // 3000 bytes in 1000-byte payloads: four of 750 + 4, not 996+996+996+12.
  Vp8Packetizer pz;
  auto payloads = pz.packetize(test_frame(3000), 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 4u);
  for (const auto& p : *payloads) EXPECT_EQ(p.size(), 754u);
}

TEST(Vp8Packetizer, PictureIdWrapsAt15Bits) {
  Vp8Packetizer pz(0x7ffe);
  for (uint16_t expected : {0x7ffe, 0x7fff, 0x0000, 0x0001}) {
    auto payloads = pz.packetize(test_frame(50), 1200);
    ASSERT_TRUE(payloads.ok());
    auto d = depacketize_vp8((*payloads)[0]);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->descriptor.picture_id, expected);
  }
}

TEST(Vp8Packetizer, TemporalLayersCarryTl0PicIdx) {
  Vp8Packetizer pz(100, 250);
  struct Step {
    uint8_t tid;
    bool sync;
    bool non_reference;
    uint8_t tl0;
  };
  // 0-2-1-2: TL0PICIDX advances on base frames and wraps at 8 bits.
  for (const Step& s : {Step{0, false, false, 251}, Step{2, true, true, 251},
                        Step{1, true, false, 251}, Step{2, false, true, 251},
                        Step{0, false, false, 252}, Step{0, false, false, 253},
                        Step{0, false, false, 254}, Step{0, false, false, 255},
                        Step{0, false, false, 0}, Step{1, false, false, 0}}) {
    auto payloads = pz.packetize(test_frame(30, false), 1200,
                                 {.non_reference = s.non_reference,
                                  .temporal_id = s.tid,
                                  .layer_sync = s.sync});
    ASSERT_TRUE(payloads.ok());
    auto d = depacketize_vp8((*payloads)[0]);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->descriptor.temporal_id, s.tid);
    EXPECT_EQ(d->descriptor.layer_sync, s.sync);
    EXPECT_EQ(d->descriptor.non_reference, s.non_reference);
    EXPECT_EQ(d->descriptor.tl0_pic_idx, s.tl0);
    EXPECT_FALSE(d->descriptor.key_idx.has_value());
  }
  // I, L, T: 1 + 1 + 2 + 1 + 1 bytes of descriptor.
  auto payloads = pz.packetize(test_frame(1), 7, {.temporal_id = 0});
  ASSERT_TRUE(payloads.ok());
  EXPECT_EQ((*payloads)[0].size(), 7u);
}

TEST(Vp8Packetizer, BadInput) {
  Vp8Packetizer pz;
  EXPECT_EQ(pz.packetize({}, 1200).error(), Error::BadValue);
  EXPECT_EQ(pz.packetize(test_frame(10), 4).error(), Error::BadValue);  // descriptor only
  EXPECT_TRUE(pz.packetize(test_frame(10), 5).ok());                    // one byte each
  EXPECT_EQ(pz.packetize(test_frame(10), 1200, {.temporal_id = 4}).error(), Error::BadValue);
  EXPECT_EQ(pz.packetize(test_frame(10), 1200, {.key_idx = 32}).error(), Error::BadValue);
  EXPECT_EQ(pz.next_picture_id(), 1) << "a failed frame takes no picture id";
}

class Vp8Assemble : public testing::Test {
 protected:
  void SetUp() override {
    frame_ = test_frame(4000);
    Vp8Packetizer pz(9);
    auto p = pz.packetize(frame_, 1000);
    ASSERT_TRUE(p.ok());
    payloads_ = std::move(*p);
    ASSERT_EQ(payloads_.size(), 5u);
    auto next = pz.packetize(test_frame(2000, false), 1000);
    ASSERT_TRUE(next.ok());
    next_frame_ = std::move(*next);
  }

  std::vector<Vp8RtpPayload> packets(uint16_t first_seq, std::vector<size_t> which) {
    std::vector<Vp8RtpPayload> out;
    for (size_t i : which) {
      out.push_back({static_cast<uint16_t>(first_seq + i), i + 1 == payloads_.size(),
                     payloads_[i]});
    }
    return out;
  }

  base::Bytes frame_;
  std::vector<base::Bytes> payloads_;
  std::vector<base::Bytes> next_frame_;
};

TEST_F(Vp8Assemble, WholeFrame) {
  for (uint16_t seq : {uint16_t{100}, uint16_t{65533}}) {  // and across the wrap
    auto f = assemble_vp8_frame(packets(seq, {0, 1, 2, 3, 4}));
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(f->complete) << seq;
    EXPECT_TRUE(f->keyframe);
    EXPECT_EQ(f->data, frame_);
    EXPECT_EQ(f->first.picture_id, 9);
  }
}

TEST_F(Vp8Assemble, IncompleteFrames) {
  for (const auto& which : {std::vector<size_t>{1, 2, 3, 4}, std::vector<size_t>{0, 1, 2, 3},
                            std::vector<size_t>{0, 1, 3, 4}, std::vector<size_t>{0}}) {
    auto f = assemble_vp8_frame(packets(7, which));
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE(f->complete) << which.size() << " packets from " << which[0];
  }
  // Missing the first: no keyframe to report either.
  auto f = assemble_vp8_frame(packets(7, {1, 2, 3, 4}));
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->keyframe);
  // A marker in the middle.
  auto ps = packets(7, {0, 1, 2, 3, 4});
  ps[2].marker = true;
  EXPECT_FALSE(assemble_vp8_frame(ps)->complete);
  // The next frame's first packet in the middle, numbers consecutive.
  ps = packets(7, {0, 1, 2, 3, 4});
  ps[2].payload = next_frame_[0];
  EXPECT_FALSE(assemble_vp8_frame(ps)->complete);
  // Another frame's continuation (a different picture id).
  ps = packets(7, {0, 1, 2, 3, 4});
  ps[2].payload = next_frame_[1];
  EXPECT_FALSE(assemble_vp8_frame(ps)->complete);
  // Nothing at all.
  auto empty = assemble_vp8_frame({});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->complete);
}

TEST_F(Vp8Assemble, MalformedPayloadIsAnError) {
  auto ps = packets(7, {0, 1, 2, 3, 4});
  const base::Bytes bad = bytes({0x80, 0x80});
  ps[3].payload = bad;
  auto f = assemble_vp8_frame(ps);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Error::Truncated);
}

}  // namespace
}  // namespace wasmrtc::rtp
