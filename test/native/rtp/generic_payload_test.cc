// The generic RTP payload format (rtp/generic_payload.h): the header byte
// each way, balanced packet sizes with S on the first only and K on all,
// reading a libwebrtc extended header, whole and broken frames, errors.
#include "rtp/generic_payload.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

base::Bytes frame_of(size_t n) {
  base::Bytes f(n);
  for (size_t i = 0; i < n; ++i) f[i] = static_cast<uint8_t>(i * 13 + 1);
  return f;
}

std::vector<Vp8RtpPayload> views(const std::vector<base::Bytes>& payloads, uint16_t first_seq = 65534) {
  std::vector<Vp8RtpPayload> v;
  for (size_t i = 0; i < payloads.size(); ++i)
    v.push_back(Vp8RtpPayload{static_cast<uint16_t>(first_seq + i), i + 1 == payloads.size(), payloads[i]});
  return v;
}

TEST(GenericPayload, SplitsBalancedAndMarksFirstAndKeyframe) {
  const auto frame = frame_of(2500);
  auto payloads = packetize_generic(frame, true, 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 3u);  // 999 bytes of frame per packet at most
  size_t total = 0;
  for (size_t i = 0; i < payloads->size(); ++i) {
    const auto& p = (*payloads)[i];
    EXPECT_LE(p.size(), 1000u);
    EXPECT_GE(p.size(), 834u);  // 2500 / 3 = 833.3: sizes differ by at most one
    EXPECT_EQ(p[0], (i == 0 ? kGenericFirstPacket : 0) | kGenericKeyframe);
    total += p.size() - 1;
  }
  EXPECT_EQ(total, frame.size());
  auto f = assemble_generic_frame(views(*payloads));  // across the sequence wrap
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->complete);
  EXPECT_TRUE(f->keyframe);
  EXPECT_EQ(f->data, frame);
}

TEST(GenericPayload, DeltaFrameInOnePacket) {
  const auto frame = frame_of(10);
  auto payloads = packetize_generic(frame, false, 1200);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 1u);
  EXPECT_EQ((*payloads)[0][0], kGenericFirstPacket);
  auto p = depacketize_generic((*payloads)[0]);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  EXPECT_EQ(base::Bytes(p->data.begin(), p->data.end()), frame);
}

TEST(GenericPayload, ReadsTheExtendedHeaderAndIgnoresReservedBits) {
  const base::Bytes payload{0xf0 | kGenericExtendedHeader | kGenericFirstPacket, 0x80, 0x01, 0xaa, 0xbb};
  auto p = depacketize_generic(payload);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->first_of_frame);
  EXPECT_FALSE(p->keyframe);
  EXPECT_EQ(base::Bytes(p->data.begin(), p->data.end()), (base::Bytes{0xaa, 0xbb}));
  EXPECT_EQ(depacketize_generic(base::Bytes{kGenericExtendedHeader, 0x80}).error(), Error::Truncated);
  EXPECT_EQ(depacketize_generic(base::Bytes{}).error(), Error::Truncated);
}

TEST(GenericPayload, IncompleteFramesAreNotWhole) {
  auto payloads = packetize_generic(frame_of(3000), false, 1000);
  ASSERT_TRUE(payloads.ok());
  ASSERT_EQ(payloads->size(), 4u);
  auto v = views(*payloads, 100);
  // A gap in the sequence numbers.
  auto gap = v;
  gap.erase(gap.begin() + 1);
  EXPECT_FALSE(assemble_generic_frame(gap)->complete);
  // The first packet missing (the run starts without S).
  EXPECT_FALSE(assemble_generic_frame(std::span(v).subspan(1))->complete);
  // No marker on the last.
  EXPECT_FALSE(assemble_generic_frame(std::span(v).first(3))->complete);
  // A second start in the middle.
  auto twice = *payloads;
  twice[2][0] |= kGenericFirstPacket;
  EXPECT_FALSE(assemble_generic_frame(views(twice, 100))->complete);
  EXPECT_TRUE(assemble_generic_frame(v)->complete);
}

TEST(GenericPayload, BadInput) {
  EXPECT_EQ(packetize_generic(base::Bytes{}, false, 1000).error(), Error::BadValue);
  EXPECT_EQ(packetize_generic(frame_of(5), false, 1).error(), Error::BadValue);
  EXPECT_EQ(assemble_generic_frame(views({base::Bytes{}})).error(), Error::Truncated);
}

}  // namespace
}  // namespace wasmrtc::rtp
