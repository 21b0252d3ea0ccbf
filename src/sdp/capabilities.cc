#include "sdp/capabilities.h"

#include <algorithm>

#include "sdp/text.h"

namespace wasmrtc::sdp {

std::string_view to_string(MediaKind kind) { return kind == MediaKind::Audio ? "audio" : "video"; }

std::optional<MediaKind> parse_media_kind(std::string_view text) {
  if (text == "audio") return MediaKind::Audio;
  if (text == "video") return MediaKind::Video;
  return std::nullopt;
}

namespace {
constexpr std::string_view kH264Fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=";
}  // namespace

const std::vector<RtpCodec>& supported_codecs(MediaKind kind) {
  // RFC 7587 section 7: opus is always "opus/48000/2"; minptime and
  // useinbandfec as Chromium offers them (we decode in-band FEC).
  // RFC 4733 telephone-event for DTMF (webrtc-pc section 7), at Opus's
  // clock rate (the one we send with) and at 8 kHz, with Chromium's payload
  // types and, as Chromium, no fmtp (events 0-15, RFC 4733 section 7.1.1).
  static const std::vector<RtpCodec> audio = {
      RtpCodec{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", {"transport-cc"}},
      // G.711 (RFC 3551 section 4.5.14) at its static payload types, as
      // Chromium lists them after opus.
      RtpCodec{0, "PCMU", 8000, 1, "", {}},
      RtpCodec{8, "PCMA", 8000, 1, "", {}},
      RtpCodec{110, "telephone-event", 48000, 1, "", {}},
      RtpCodec{126, "telephone-event", 8000, 1, "", {}},
  };
  // RFC 7741 VP8 with RTX (RFC 4588) for NACK repair, PLI (RFC 4585) and
  // FIR (RFC 5104); transport-cc (draft-holmer-rmcat-transport-wide-cc-
  // extensions-01) feeds our bandwidth estimator, and goog-remb
  // (draft-alvestrand-rmcat-remb) is accepted from peers that send it.
  // Chromium's order.
  static const std::vector<RtpCodec> video = {
      RtpCodec{96, "VP8", 90000, 1, "", {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}},
      RtpCodec{97, "rtx", 90000, 1, "apt=96", {}},
      // RFC 6184 H.264 in packetization-mode 1 (FU-A, STAP-A), Baseline and
      // Constrained Baseline at level 3.1, at Chromium's payload types
      // (our encoder writes Constrained Baseline, which satisfies both).
      RtpCodec{102, "H264", 90000, 1, std::string(kH264Fmtp) + "42001f",
               {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}},
      RtpCodec{103, "rtx", 90000, 1, "apt=102", {}},
      RtpCodec{106, "H264", 90000, 1, std::string(kH264Fmtp) + "42e01f",
               {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}},
      RtpCodec{107, "rtx", 90000, 1, "apt=106", {}},
  };
  return kind == MediaKind::Audio ? audio : video;
}

const std::vector<ExtensionMapEntry>& supported_extensions(MediaKind kind) {
  static const std::vector<ExtensionMapEntry> audio = {
      {1, std::string(kExtensionAudioLevel), std::nullopt},
      {3, std::string(kExtensionTransportWideCc), std::nullopt},
      {4, std::string(kExtensionMid), std::nullopt},
  };
  // Chromium's ids: 3 for transport-cc, 4 for mid.
  static const std::vector<ExtensionMapEntry> video = {
      {3, std::string(kExtensionTransportWideCc), std::nullopt},
      {4, std::string(kExtensionMid), std::nullopt},
  };
  return kind == MediaKind::Audio ? audio : video;
}

bool is_supported(MediaKind kind, const RtpCodec& codec, const std::vector<RtpCodec>& formats,
                  const std::vector<RtpCodec>& ours) {
  if (text::iequals(codec.name, "rtx")) {
    if (kind != MediaKind::Video) return false;
    auto apt = codec.fmtp_parameter("apt");
    auto pt = apt ? text::parse_uint<uint8_t>(*apt) : std::nullopt;
    if (!pt) return false;
    return std::any_of(formats.begin(), formats.end(), [&](const RtpCodec& f) {
      return f.payload_type == *pt && !text::iequals(f.name, "rtx") && is_supported(kind, f, formats, ours);
    });
  }
  return std::any_of(ours.begin(), ours.end(), [&](const RtpCodec& c) { return c.same_format(codec); });
}

bool is_rtp_proto(std::string_view proto) {
  return proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" || proto == "RTP/SAVPF" ||
         proto == "TCP/TLS/RTP/SAVPF";
}

}  // namespace wasmrtc::sdp
