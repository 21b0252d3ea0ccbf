// H.264 in SDP (RFC 6184 section 8.1): which of its formats are the same.
// Two H.264 formats are the same when their packetization-mode and their
// profile agree (the level may differ: it is negotiated, section 8.2.2),
// as libwebrtc decides; the profile is what profile-level-id's profile_idc
// and profile-iop bytes name (H.264 Annex A.2: constraint_set1 makes a
// Baseline stream Constrained Baseline, and so on).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wasmrtc::sdp {

struct RtpCodec;

enum class H264Profile : uint8_t {
  ConstrainedBaseline,
  Baseline,
  Main,
  ConstrainedHigh,
  High,
  PredictiveHigh444,
};

struct H264ProfileLevel {
  H264Profile profile = H264Profile::ConstrainedBaseline;
  uint8_t level_idc = 31;  // level 3.1
};

// profile-level-id: six hex digits (profile_idc, profile-iop, level_idc).
// Absent (empty): Constrained Baseline level 3.1, as libwebrtc reads it.
// nullopt for anything malformed or a profile we cannot name.
std::optional<H264ProfileLevel> parse_h264_profile_level_id(std::string_view hex);

// For two H.264 formats (the caller has compared name and clock rate):
// the same packetization-mode (default 0) and the same profile.
bool same_h264_format(const RtpCodec& a, const RtpCodec& b);

}  // namespace wasmrtc::sdp
