#include "sdp/h264_profile.h"

#include <charconv>
#include <string>

#include "sdp/rtp_attributes.h"

namespace wasmrtc::sdp {
namespace {

// profile-iop bits: constraint_set0_flag is the most significant, then
// set1 .. set5, then two reserved zero bits (H.264 7.3.2.1.1). A pattern is
// 8 characters, '1', '0' or 'x' (either).
bool matches(uint8_t iop, std::string_view pattern) {
  for (int i = 0; i < 8; ++i) {
    const bool bit = iop & (0x80 >> i);
    if ((pattern[i] == '1' && !bit) || (pattern[i] == '0' && bit)) return false;
  }
  return true;
}

struct ProfilePattern {
  uint8_t profile_idc;
  std::string_view iop;
  H264Profile profile;
};

// H.264 Annex A.2: Constrained Baseline is a Baseline (66, 0x42) stream
// with constraint_set1, a Main (77, 0x4d) stream with constraint_set0, or
// an Extended (88, 0x58) one with set0 and set1; Constrained High is High
// (100, 0x64) with set4 and set5.
constexpr ProfilePattern kPatterns[] = {
    {0x42, "x1xx0000", H264Profile::ConstrainedBaseline},
    {0x4d, "1xxx0000", H264Profile::ConstrainedBaseline},
    {0x58, "11xx0000", H264Profile::ConstrainedBaseline},
    {0x42, "x0xx0000", H264Profile::Baseline},
    {0x58, "10xx0000", H264Profile::Baseline},
    {0x4d, "0x0x0000", H264Profile::Main},
    {0x64, "00000000", H264Profile::High},
    {0x64, "00001100", H264Profile::ConstrainedHigh},
    {0xf4, "00000000", H264Profile::PredictiveHigh444},
};

}  // namespace

std::optional<H264ProfileLevel> parse_h264_profile_level_id(std::string_view hex) {
  if (hex.empty()) return H264ProfileLevel{};
  if (hex.size() != 6) return std::nullopt;
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), v, 16);
  if (ec != std::errc() || p != hex.data() + hex.size()) return std::nullopt;
  const uint8_t profile_idc = static_cast<uint8_t>(v >> 16);
  const uint8_t iop = static_cast<uint8_t>(v >> 8);
  const uint8_t level_idc = static_cast<uint8_t>(v);
  for (const auto& pattern : kPatterns) {
    if (pattern.profile_idc == profile_idc && matches(iop, pattern.iop)) return H264ProfileLevel{pattern.profile, level_idc};
  }
  return std::nullopt;
}

bool same_h264_format(const RtpCodec& a, const RtpCodec& b) {
  const auto mode = [](const RtpCodec& c) { return c.fmtp_parameter("packetization-mode").value_or("0"); };
  if (mode(a) != mode(b)) return false;
  const auto pa = parse_h264_profile_level_id(a.fmtp_parameter("profile-level-id").value_or(""));
  const auto pb = parse_h264_profile_level_id(b.fmtp_parameter("profile-level-id").value_or(""));
  return pa && pb && pa->profile == pb->profile;
}

}  // namespace wasmrtc::sdp
