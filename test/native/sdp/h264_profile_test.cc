// H.264 formats in SDP (sdp/h264_profile.h, RFC 6184 section 8.1): the
// profile named by profile-level-id, and which formats are the same (the
// profile and packetization-mode, not the level), as offers and answers
// and setCodecPreferences match them.
#include "sdp/h264_profile.h"

#include <gtest/gtest.h>

#include "sdp/capabilities.h"
#include "sdp/rtp_attributes.h"

namespace wasmrtc::sdp {
namespace {

RtpCodec h264(std::string fmtp) { return RtpCodec{100, "H264", 90000, 1, std::move(fmtp), {}}; }

TEST(H264Profile, ProfileLevelId) {
  struct Case {
    const char* hex;
    H264Profile profile;
    uint8_t level;
  };
  for (const Case& c : {Case{"42e01f", H264Profile::ConstrainedBaseline, 0x1f},
                        Case{"42001f", H264Profile::Baseline, 0x1f},
                        Case{"42c02a", H264Profile::ConstrainedBaseline, 0x2a},
                        Case{"4d001f", H264Profile::Main, 0x1f},
                        Case{"4d8032", H264Profile::ConstrainedBaseline, 0x32},
                        Case{"640032", H264Profile::High, 0x32},
                        Case{"640c1f", H264Profile::ConstrainedHigh, 0x1f},
                        Case{"f4001f", H264Profile::PredictiveHigh444, 0x1f},
                        Case{"", H264Profile::ConstrainedBaseline, 31}}) {
    auto p = parse_h264_profile_level_id(c.hex);
    ASSERT_TRUE(p) << c.hex;
    EXPECT_EQ(p->profile, c.profile) << c.hex;
    EXPECT_EQ(p->level_idc, c.level) << c.hex;
  }
  for (const char* bad : {"42e01", "42e01f0", "zze01f", "58001f" /* Extended without set0 */, "420f1f" /* reserved bits */,
                          "6e001f" /* High 10 */})
    EXPECT_FALSE(parse_h264_profile_level_id(bad)) << bad;
}

TEST(H264Profile, SameFormatIsProfileAndPacketizationMode) {
  const auto cb1 = h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
  const auto cb1_other_level = h264("profile-level-id=42e00b;packetization-mode=1");
  const auto cb0 = h264("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f");
  const auto base1 = h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
  const auto main1 = h264("packetization-mode=1;profile-level-id=4d001f");
  const auto high1 = h264("packetization-mode=1;profile-level-id=640032");
  EXPECT_TRUE(cb1.same_format(cb1_other_level));
  EXPECT_FALSE(cb1.same_format(cb0));
  EXPECT_FALSE(cb1.same_format(base1));
  EXPECT_FALSE(base1.same_format(main1));
  EXPECT_FALSE(main1.same_format(high1));
  // No fmtp: packetization-mode 0, Constrained Baseline.
  EXPECT_TRUE(h264("").same_format(cb0));
  EXPECT_FALSE(h264("").same_format(cb1));
  // The encoding alone (the codec registry's question) ignores fmtp.
  EXPECT_TRUE(cb1.same_encoding(high1));
  // A malformed profile-level-id matches nothing.
  EXPECT_FALSE(h264("packetization-mode=1;profile-level-id=xyz").same_format(h264("packetization-mode=1;profile-level-id=xyz")));
}

TEST(H264Profile, OurOffersCarryBaselineAndConstrainedBaselineInMode1) {
  const auto& video = supported_codecs(MediaKind::Video);
  std::vector<H264Profile> profiles;
  for (const auto& c : video) {
    if (c.name != "H264") continue;
    EXPECT_EQ(c.fmtp_parameter("packetization-mode"), "1");
    EXPECT_EQ(c.fmtp_parameter("level-asymmetry-allowed"), "1");
    profiles.push_back(parse_h264_profile_level_id(*c.fmtp_parameter("profile-level-id"))->profile);
  }
  EXPECT_EQ(profiles, (std::vector<H264Profile>{H264Profile::Baseline, H264Profile::ConstrainedBaseline}));
  // Chromium's packetization-mode 0 formats are not ours.
  EXPECT_FALSE(is_supported(MediaKind::Video, h264("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f"), {}));
  EXPECT_TRUE(is_supported(MediaKind::Video, h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"), {}));
  EXPECT_FALSE(is_supported(MediaKind::Video, h264("packetization-mode=1;profile-level-id=640032"), {}));
}

}  // namespace
}  // namespace wasmrtc::sdp
