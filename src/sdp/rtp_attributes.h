// The RTP attributes of an audio or video m= section, typed: rtpmap and
// fmtp (RFC 8866 sections 6.6 and 6.15), rtcp-fb (RFC 4585 section 4.2),
// extmap (RFC 8285 section 5), ssrc and ssrc-group (RFC 5576), msid
// (RFC 8830) and rtcp-rsize (RFC 5506). Reading tolerates what it does not
// understand (it is skipped); writing lays lines out as Chromium does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/media_description.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// One payload format: a=rtpmap:<pt> <name>/<clock>[/<channels>] with its
// a=fmtp and a=rtcp-fb lines.
struct RtpCodec {
  uint8_t payload_type = 0;
  std::string name;  // as written ("opus", "VP8", "rtx"); compare case-insensitively
  uint32_t clock_rate = 0;
  uint16_t channels = 1;
  std::string fmtp;                   // parameters as written, "" when absent
  std::vector<std::string> feedback;  // "nack", "nack pli", "transport-cc", ...

  // Same encoding: name (case-insensitive), clock rate and channels.
  bool same_encoding(const RtpCodec& other) const;
  // Same format: the same encoding, and for H.264 the same profile and
  // packetization-mode (sdp/h264_profile.h), whose streams differ.
  bool same_format(const RtpCodec& other) const;
  // The fmtp parameter `key` ("apt" for rtx), if present.
  std::optional<std::string> fmtp_parameter(std::string_view key) const;
  bool operator==(const RtpCodec&) const = default;
};

// a=extmap:<id>[/<direction>] <uri> (RFC 8285 section 5).
struct ExtensionMapEntry {
  uint16_t id = 0;
  std::string uri;
  std::optional<Direction> direction;
  bool operator==(const ExtensionMapEntry&) const = default;
};

// a=msid:<stream id> [<track id>] (RFC 8830 section 2). "-" means no stream.
struct Msid {
  std::string stream_id;
  std::optional<std::string> track_id;
  bool operator==(const Msid&) const = default;
};

// a=ssrc-group:<semantics> <ssrc>... (RFC 5576 section 4.2).
struct SsrcGroup {
  std::string semantics;  // "FID" (RFC 5576 section 4.2, for RTX), "SIM"
  std::vector<uint32_t> ssrcs;
  bool operator==(const SsrcGroup&) const = default;
};

// The payload formats in m= line order. Static payload types without an
// rtpmap (RFC 3551 table 4: 0 PCMU, 8 PCMA, 9 G722, 13 CN) get their
// defaults; other formats without a valid rtpmap are skipped.
std::vector<RtpCodec> rtp_codecs(const MediaDescription& m);
std::vector<ExtensionMapEntry> extension_maps(const MediaDescription& m);
// a=msid lines; without them the legacy "a=ssrc:<n> msid:<stream> <track>".
std::vector<Msid> msids(const MediaDescription& m);
// Every SSRC in a=ssrc lines, in order, without duplicates.
std::vector<uint32_t> ssrcs(const MediaDescription& m);
std::vector<SsrcGroup> ssrc_groups(const MediaDescription& m);
// "a=ssrc:<n> cname:<cname>" for the first SSRC that has one.
std::optional<std::string> ssrc_cname(const MediaDescription& m);
bool rtcp_rsize(const MediaDescription& m);

// Writes m.formats and the rtpmap, rtcp-fb and fmtp lines of `codecs`.
void add_codecs(MediaDescription& m, const std::vector<RtpCodec>& codecs);
void add_extension_maps(MediaDescription& m, const std::vector<ExtensionMapEntry>& extensions);

}  // namespace wasmrtc::sdp
