// The H.264 RTP payload format (rtp/h264_payload.h, RFC 6184 mode 1):
// Annex B splitting, single NAL unit / STAP-A / FU-A packets each way,
// frame start and keyframe detection, whole and broken frames, errors.
#include "rtp/h264_payload.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

// A NAL unit: header byte (NRI 3, `type`), then `n` body bytes; the first
// body byte's top bit is first_mb_in_slice == 0 for slices.
base::Bytes nal(uint8_t type, size_t n, bool first_slice = true) {
  base::Bytes b{static_cast<uint8_t>(0x60 | type)};
  for (size_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(i * 7 + 3));
  if (n > 0) b[1] = first_slice ? 0x88 : 0x44;  // ue(v) 0 starts with bit 1; 0x44: first_mb 1
  return b;
}

base::Bytes annex_b(const std::vector<base::Bytes>& nals, bool short_codes = false) {
  base::Bytes out;
  for (const auto& n : nals) {
    if (!short_codes) out.push_back(0);
    out.insert(out.end(), {0, 0, 1});
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

std::vector<Vp8RtpPayload> views(const std::vector<base::Bytes>& payloads, uint16_t first_seq = 65534) {
  std::vector<Vp8RtpPayload> v;
  for (size_t i = 0; i < payloads.size(); ++i)
    v.push_back(Vp8RtpPayload{static_cast<uint16_t>(first_seq + i), i + 1 == payloads.size(), payloads[i]});
  return v;
}

TEST(H264Payload, SplitsAnnexBWithEitherStartCode) {
  const auto sps = nal(7, 10), pps = nal(8, 4), idr = nal(5, 300);
  for (bool short_codes : {false, true}) {
    auto stream = annex_b({sps, pps, idr}, short_codes);
    stream.push_back(0);  // trailing_zero_8bits
    const auto units = split_annex_b(stream);
    ASSERT_EQ(units.size(), 3u);
    EXPECT_EQ(base::Bytes(units[0].begin(), units[0].end()), sps);
    EXPECT_EQ(base::Bytes(units[1].begin(), units[1].end()), pps);
    EXPECT_EQ(base::Bytes(units[2].begin(), units[2].end()), idr);
  }
  EXPECT_TRUE(split_annex_b(base::Bytes{1, 2, 3}).empty());
}

TEST(H264Payload, KeyframeIsOneStapAThenFuAFragmentsAndRoundTrips) {
  const auto sps = nal(7, 10), pps = nal(8, 4), idr = nal(5, 2500);
  const auto frame = annex_b({sps, pps, idr});
  auto payloads = packetize_h264(frame, 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 4u);  // STAP-A(SPS, PPS) + 3 fragments of the 2499 body bytes
  EXPECT_EQ((*payloads)[0][0] & 0x1f, 24);
  EXPECT_EQ((*payloads)[0].size(), 1 + 2 + sps.size() + 2 + pps.size());
  for (size_t i = 1; i < 4; ++i) {
    const auto& p = (*payloads)[i];
    EXPECT_LE(p.size(), 1000u);
    EXPECT_GE(p.size(), 2u + 833u);  // balanced: 2499 / 3
    EXPECT_EQ(p[0], 0x60 | 28);      // NRI of the IDR, FU-A
    EXPECT_EQ(p[1] & 0x1f, 5);
    EXPECT_EQ(bool(p[1] & 0x80), i == 1);  // S
    EXPECT_EQ(bool(p[1] & 0x40), i == 3);  // E
  }
  auto first = depacketize_h264((*payloads)[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->first_of_frame);
  EXPECT_TRUE(first->keyframe);
  EXPECT_EQ(first->nal_units, 2u);
  auto middle = depacketize_h264((*payloads)[2]);
  ASSERT_TRUE(middle.ok());
  EXPECT_FALSE(middle->first_of_frame);
  EXPECT_TRUE(middle->keyframe);

  auto f = assemble_h264_frame(views(*payloads));  // across the sequence wrap
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->complete);
  EXPECT_TRUE(f->keyframe);
  EXPECT_EQ(f->data, frame);
}

TEST(H264Payload, SmallDeltaFrameIsOneSingleNalUnitPacket) {
  const auto slice = nal(1, 200);
  auto payloads = packetize_h264(annex_b({slice}, true), 1200);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 1u);
  EXPECT_EQ((*payloads)[0], slice);
  auto p = depacketize_h264((*payloads)[0]);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  auto f = assemble_h264_frame(views(*payloads));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->complete);
  EXPECT_FALSE(f->keyframe);
  EXPECT_EQ(f->data, annex_b({slice}));
}

TEST(H264Payload, SecondSliceOfAPictureDoesNotStartAFrame) {
  const auto a = nal(1, 900), b = nal(1, 900, /*first_slice=*/false);
  auto payloads = packetize_h264(annex_b({a, b}), 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 2u);
  EXPECT_TRUE(depacketize_h264((*payloads)[0])->first_of_frame);
  EXPECT_FALSE(depacketize_h264((*payloads)[1])->first_of_frame);
  EXPECT_TRUE(assemble_h264_frame(views(*payloads))->complete);
  // Starting at the second slice: not a whole frame.
  const std::vector<base::Bytes> tail{(*payloads)[1]};
  auto f = assemble_h264_frame(views(tail));
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->complete);
  EXPECT_TRUE(f->data.empty());
}

TEST(H264Payload, IncompleteFrames) {
  const auto frame = annex_b({nal(5, 3000)});
  auto payloads = packetize_h264(frame, 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 4u);
  // A fragment missing in the middle (sequence gap).
  auto v = views(*payloads);
  v.erase(v.begin() + 1);
  EXPECT_FALSE(assemble_h264_frame(v)->complete);
  // The end fragment missing, the marker on the one before.
  const std::vector<base::Bytes> head{(*payloads)[0], (*payloads)[1], (*payloads)[2]};
  auto w = views(head);
  EXPECT_FALSE(assemble_h264_frame(w)->complete);
  // A marker in the middle.
  auto m = views(*payloads);
  m[1].marker = true;
  EXPECT_FALSE(assemble_h264_frame(m)->complete);
  // A start fragment again before the end of the one open.
  const std::vector<base::Bytes> twice{(*payloads)[0], (*payloads)[0], (*payloads)[3]};
  auto again = views(twice);
  EXPECT_FALSE(assemble_h264_frame(again)->complete);
}

TEST(H264Payload, Errors) {
  EXPECT_EQ(depacketize_h264(base::Bytes{}).error(), Error::Truncated);
  EXPECT_EQ(depacketize_h264(base::Bytes{0x78}).error(), Error::Truncated);               // STAP-A, nothing
  EXPECT_EQ(depacketize_h264(base::Bytes{0x78, 0x00}).error(), Error::Truncated);         // half a size
  EXPECT_EQ(depacketize_h264(base::Bytes{0x78, 0x00, 0x05, 0x67}).error(), Error::Truncated);  // runs past
  EXPECT_EQ(depacketize_h264(base::Bytes{0x78, 0x00, 0x00}).error(), Error::Truncated);   // empty unit
  EXPECT_EQ(depacketize_h264(base::Bytes{0x7c, 0x85}).error(), Error::Truncated);         // FU-A, no bytes
  EXPECT_EQ(depacketize_h264(base::Bytes{0x7c, 0xc5, 0x01}).error(), Error::BadValue);    // S and E
  for (uint8_t type : {0, 25, 26, 27, 29, 30, 31})
    EXPECT_EQ(depacketize_h264(base::Bytes{static_cast<uint8_t>(0x60 | type), 1, 2}).error(), Error::BadValue) << int(type);
  EXPECT_EQ(packetize_h264(base::Bytes{1, 2, 3}, 1000).error(), Error::BadValue);  // no start code
  EXPECT_EQ(packetize_h264(annex_b({nal(1, 10)}), 2).error(), Error::BadValue);
  EXPECT_EQ(assemble_h264_frame(views({base::Bytes{0x7c, 0xc5, 0x01}})).error(), Error::BadValue);
}

TEST(H264Payload, EveryPayloadFitsAtAnySize) {
  const auto frame = annex_b({nal(7, 12), nal(8, 5), nal(6, 40), nal(5, 5000), nal(5, 777, false)});
  for (size_t max = 3; max <= 1300; max += 37) {
    auto payloads = packetize_h264(frame, max);
    ASSERT_TRUE(payloads.ok()) << max;
    for (const auto& p : *payloads) EXPECT_LE(p.size(), max);
    auto f = assemble_h264_frame(views(*payloads));
    ASSERT_TRUE(f.ok()) << max;
    EXPECT_TRUE(f->complete) << max;
    EXPECT_EQ(f->data, frame) << max;
  }
}

}  // namespace
}  // namespace wasmrtc::rtp
