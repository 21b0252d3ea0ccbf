// libFuzzer target for two parsers of SDP values a remote peer writes:
// a=candidate (ice::Candidate::parse, RFC 8839 section 5.1) and the Opus
// a=fmtp parameters (codec::parse_opus_fmtp, RFC 7587 section 6.1). The
// first input byte picks which. Properties that abort when violated:
//   - a parsed candidate written back with to_sdp() parses to the same;
//   - parsed fmtp written back with to_string() parses to the same, and
//     the encoder configuration it gives stays in Opus's ranges.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/opus_fmtp.h"
#include "ice/candidate.h"
#include "require.h"

namespace {

using namespace wasmrtc;
using fuzz::require;

void candidate(std::string_view text) {
  auto c = ice::Candidate::parse(text);
  if (!c) return;
  auto again = ice::Candidate::parse(c->to_sdp());
  require(again.ok());
  require(*again == *c);
}

void opus_fmtp(std::string_view text) {
  auto f = codec::parse_opus_fmtp(text);
  if (!f) return;
  auto again = codec::parse_opus_fmtp(codec::to_string(*f));
  require(again.ok());
  require(*again == *f);
  const codec::AudioEncoderConfig c = codec::encoder_config_for(*f);
  require(c.channels == 1 || c.channels == 2);
  require(c.ptime_ms == 10 || c.ptime_ms == 20 || c.ptime_ms == 40 || c.ptime_ms == 60);
  require(c.max_playback_rate >= 8000 && c.max_playback_rate <= 48000);
  if (f->maxaveragebitrate && c.bitrate_bps != 0) require(c.bitrate_bps <= *f->maxaveragebitrate);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) opus_fmtp(text);
  else candidate(text);
  return 0;
}
