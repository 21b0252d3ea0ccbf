// libFuzzer target for the RTCP parser (src/rtp/rtcp.h, RFC 3550 6.4-6.6,
// RFC 4585, RFC 5506). Properties: no crash; an accepted datagram
// serializes, and that parses back to the same packets; NACK feedback
// decodes and re-encodes to the same set of sequence numbers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "require.h"
#include "rtp/rtcp.h"

namespace {

using wasmrtc::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wasmrtc;
  auto packets = rtp::parse_rtcp(base::ByteView(data, size));
  if (!packets) return 0;
  for (const auto& p : *packets) {
    const auto* f = std::get_if<rtp::Feedback>(&p);
    if (!f) continue;
    if (auto lost = rtp::nack_sequence_numbers(*f)) {
      auto again = rtp::nack_sequence_numbers(rtp::make_nack(f->sender_ssrc, f->media_ssrc, *lost));
      require(again.has_value());
      auto a = *lost;
      auto b = *again;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      a.erase(std::unique(a.begin(), a.end()), a.end());
      b.erase(std::unique(b.begin(), b.end()), b.end());
      require(a == b);
    }
  }
  auto wire = rtp::serialize_rtcp(*packets);
  if (!wire) return 0;  // e.g. a body whose padding left it off a word boundary
  auto again = rtp::parse_rtcp(*wire);
  require(again.ok() && *again == *packets);
  return 0;
}
