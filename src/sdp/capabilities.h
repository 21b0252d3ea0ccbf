// What wasmrtc can send and receive over RTP: the codecs and header
// extensions our offers carry and our answers accept (webrtc-pc
// RTCRtpSender.getCapabilities / RTCRtpReceiver.getCapabilities).
// Payload types and extension ids are Chromium's, so mixed sessions read
// alike; only formats the media engine implements are listed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/rtp_attributes.h"

namespace wasmrtc::sdp {

enum class MediaKind : uint8_t { Audio, Video };
std::string_view to_string(MediaKind kind);  // "audio", "video"
std::optional<MediaKind> parse_media_kind(std::string_view text);

// The header extensions we use (RFC 8285 URIs).
inline constexpr std::string_view kExtensionMid = "urn:ietf:params:rtp-hdrext:sdes:mid";            // RFC 8843
inline constexpr std::string_view kExtensionAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";  // RFC 6464
inline constexpr std::string_view kExtensionTransportWideCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

// The codecs of `kind` in our order of preference, with our payload types,
// fmtp and rtcp-fb. RTX (RFC 4588) follows the codec it repairs.
const std::vector<RtpCodec>& supported_codecs(MediaKind kind);
// The header extensions of `kind`, with our ids.
const std::vector<ExtensionMapEntry>& supported_extensions(MediaKind kind);

// Whether `codec` is one of `ours` (payload type aside). RTX counts only
// with an apt naming such a format in `formats`.
bool is_supported(MediaKind kind, const RtpCodec& codec, const std::vector<RtpCodec>& formats,
                  const std::vector<RtpCodec>& ours);
inline bool is_supported(MediaKind kind, const RtpCodec& codec, const std::vector<RtpCodec>& formats) {
  return is_supported(kind, codec, formats, supported_codecs(kind));
}

// The RTP profiles we speak (RFC 5764 section 8, RFC 5124): SAVPF and SAVP
// over UDP/TLS (DTLS-SRTP), and the legacy RTP/SAVPF spelling.
bool is_rtp_proto(std::string_view proto);

}  // namespace wasmrtc::sdp
