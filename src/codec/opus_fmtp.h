// The Opus media type parameters carried in SDP a=fmtp (RFC 7587 6.1), and
// what they mean for our encoder (RFC 7587 7.1, offer/answer).
//
// The parameters describe the side that writes them: stereo, useinbandfec,
// usedtx, maxplaybackrate and maxaveragebitrate say what the writer's
// DECODER prefers, sprop-* describe the writer's own sending. So our
// encoder follows the REMOTE peer's fmtp, and our own fmtp states what our
// decoder wants.
//
//   auto remote = codec::parse_opus_fmtp("minptime=10;useinbandfec=1");
//   auto config = codec::encoder_config_for(*remote, local_preferences);
//   std::string ours = codec::to_string(codec::OpusFmtp::webrtc_default());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codec/audio_encoder.h"
#include "codec/error.h"

namespace wasmrtc::codec {

// Unset fields were absent; booleans absent mean 0, their default (RFC 7587 6.1).
struct OpusFmtp {
  std::optional<uint32_t> maxplaybackrate;       // 8000-48000 Hz
  std::optional<uint32_t> sprop_maxcapturerate;  // 8000-48000 Hz
  std::optional<uint32_t> maxptime;              // ms, 3-120
  std::optional<uint32_t> ptime;                 // ms, 3-120
  std::optional<uint32_t> minptime;              // ms, 3-120
  std::optional<uint32_t> maxaveragebitrate;     // 6000-510000 bit/s
  bool stereo = false;
  bool sprop_stereo = false;
  bool cbr = false;
  bool useinbandfec = false;
  bool usedtx = false;

  // What libwebrtc and the browsers offer: "minptime=10;useinbandfec=1".
  static OpusFmtp webrtc_default();

  bool operator==(const OpusFmtp&) const = default;
};

// Parses "name=value;name=value" (whitespace around items allowed, names
// case-insensitive as in RFC 8866 6.15 practice). Unknown parameters are
// ignored (RFC 7587 6.1 lists all Opus defines; others may come from
// extensions); a known one with a malformed or out-of-range value, or an
// item without '=', is BadFmtp.
Result<OpusFmtp> parse_opus_fmtp(std::string_view fmtp);

// "name=value;..." with set parameters only, booleans only when 1, in the
// order of RFC 7587 6.1. parse_opus_fmtp(to_string(f)) == f.
std::string to_string(const OpusFmtp& fmtp);

// Our encoder configuration for a remote peer that wrote `remote`: FEC if
// its decoder uses in-band FEC, DTX if it wants DTX, 2 channels if stereo=1
// (else 1: the capture side downmixes, as libwebrtc does), a bitrate no
// higher than maxaveragebitrate, the band limited to maxplaybackrate, and a
// packet time within [minptime, maxptime]. Everything else comes from
// `local` (rate of the PCM, preferred ptime and bitrate, expected loss).
AudioEncoderConfig encoder_config_for(const OpusFmtp& remote, AudioEncoderConfig local = {});

}  // namespace wasmrtc::codec
