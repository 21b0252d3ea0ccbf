// libFuzzer target for the generic RTP payload format
// (src/rtp/generic_payload.h), the format of user codecs' frames.
// Properties: no crash; a depacketized payload is the input minus its one
// or three header bytes; a run of arbitrary packets assembles or is refused
// exactly when one of them is malformed, and a complete frame holds all
// their bytes; any frame packetized with any limit comes back whole.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "input.h"
#include "require.h"
#include "rtp/generic_payload.h"

namespace {
using wasmrtc::fuzz::require;
namespace rtp = wasmrtc::rtp;
namespace base = wasmrtc::base;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasmrtc::fuzz::Input in(data, size);
  // Packets: [flags][length] then the payload; flags give the marker and
  // a sequence step.
  std::vector<base::Bytes> payloads;
  std::vector<rtp::Vp8RtpPayload> run;
  uint16_t seq = static_cast<uint16_t>(in.be(2));
  bool any_malformed = false;
  size_t bytes = 0;
  while (!in.empty() && payloads.size() < 64) {
    const uint8_t flags = in.byte();
    const auto p = in.take(in.byte());
    payloads.emplace_back(p.begin(), p.end());
    auto d = rtp::depacketize_generic(payloads.back());
    if (d) {
      const size_t header = (payloads.back()[0] & rtp::kGenericExtendedHeader) ? 3 : 1;
      require(d->data.size() == payloads.back().size() - header);
      require(d->first_of_frame == bool(payloads.back()[0] & rtp::kGenericFirstPacket));
      bytes += d->data.size();
    } else {
      any_malformed = true;
    }
    seq = static_cast<uint16_t>(seq + ((flags & 2) ? 2 : 1));
    run.push_back(rtp::Vp8RtpPayload{seq, bool(flags & 1), {}});
  }
  for (size_t i = 0; i < run.size(); ++i) run[i].payload = payloads[i];
  auto f = rtp::assemble_generic_frame(run);
  require(f.ok() != any_malformed || run.empty());
  if (f && f->complete) require(f->data.size() == bytes);

  // Round trip: the input itself as a frame, under a limit from it.
  if (size > 0) {
    const size_t limit = 2 + data[0] % 200;
    auto packets = rtp::packetize_generic(base::ByteView(data, size), data[size - 1] & 1, limit);
    require(packets.ok());
    std::vector<rtp::Vp8RtpPayload> back;
    for (size_t i = 0; i < packets->size(); ++i) {
      require((*packets)[i].size() <= limit);
      back.push_back(rtp::Vp8RtpPayload{static_cast<uint16_t>(65530 + i), i + 1 == packets->size(), (*packets)[i]});
    }
    auto whole = rtp::assemble_generic_frame(back);
    require(whole.ok() && whole->complete && whole->keyframe == bool(data[size - 1] & 1));
    require(whole->data == base::Bytes(data, data + size));
  }
  return 0;
}
