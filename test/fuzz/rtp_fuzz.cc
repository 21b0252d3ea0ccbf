// libFuzzer target for the RTP packet parser (src/rtp, RFC 3550 5.1 and
// RFC 8285). Properties: no crash; an accepted packet serializes, and what
// it serializes to parses back to the same packet.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "require.h"
#include "rtp/packet.h"

namespace {

using wasmrtc::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wasmrtc;
  auto p = rtp::parse_rtp(base::ByteView(data, size));
  if (!p) return 0;
  auto wire = rtp::serialize(*p);
  require(wire.ok());
  auto again = rtp::parse_rtp(*wire);
  require(again.ok());
  // The form may change (a one-byte block that only had empty ids, say), the
  // content may not.
  again->two_byte_extensions = p->two_byte_extensions;
  require(*again == *p);
  return 0;
}
