// libFuzzer target for the VP8 RTP payload format (src/rtp/vp8_payload.h,
// RFC 7741). Properties: no crash; an accepted descriptor serializes to as
// many bytes as it took (less an empty extension byte) and parses back to
// itself; a depacketized payload
// is the input minus its descriptor; a run of arbitrary packets assembles
// or is refused exactly when one of them is malformed, and a complete frame
// holds all their bytes; any frame packetized with any limit and info comes
// back whole through depacketizing and assembly.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "require.h"
#include "rtp/vp8_payload.h"

namespace {

using wasmrtc::fuzz::require;
namespace rtp = wasmrtc::rtp;
namespace base = wasmrtc::base;

void check_payload(base::ByteView payload) {
  auto parsed = rtp::parse_vp8_descriptor(payload);
  auto dp = rtp::depacketize_vp8(payload);
  if (!parsed) {
    require(!dp.ok());
    return;
  }
  // The same size, except an X byte announcing nothing, which is not kept.
  const size_t size = parsed->descriptor.size();
  require(parsed->size <= payload.size());
  require(parsed->size == size || (parsed->size == 2 && size == 1));
  auto wire = rtp::serialize_vp8_descriptor(parsed->descriptor);
  require(wire.ok());
  require(wire->size() == size);
  auto again = rtp::parse_vp8_descriptor(*wire);
  require(again.ok() && again->size == wire->size() && again->descriptor == parsed->descriptor);
  if (!dp) {
    require(parsed->size == payload.size());  // only "nothing after the descriptor"
    return;
  }
  require(dp->descriptor == parsed->descriptor);
  require(dp->data.size() == payload.size() - parsed->size && !dp->data.empty());
  require(dp->first_of_frame ==
          (parsed->descriptor.start_of_partition && parsed->descriptor.partition_id == 0));
  require(!dp->keyframe || dp->first_of_frame);
  if (dp->first_of_frame) (void)rtp::parse_vp8_payload_header(dp->data);
}

// The input as packets: [flags][length][payload...] repeated; flags carry the
// marker bit and a sequence number step (mostly 1, sometimes a gap).
void check_assembly(base::ByteView in) {
  std::vector<rtp::Vp8RtpPayload> packets;
  uint16_t seq = static_cast<uint16_t>(in.empty() ? 0 : in[0] * 257);
  size_t pos = 0, bytes_after_descriptors = 0;
  bool any_bad = false;
  while (pos + 2 <= in.size() && packets.size() < 64) {
    const uint8_t flags = in[pos];
    const size_t len = std::min<size_t>(in[pos + 1], in.size() - pos - 2);
    const base::ByteView payload = in.subspan(pos + 2, len);
    pos += 2 + len;
    seq = static_cast<uint16_t>(seq + ((flags & 0x0e) == 0x0e ? (flags >> 4) : 1));
    packets.push_back({seq, (flags & 1) != 0, payload});
    auto dp = rtp::depacketize_vp8(payload);
    if (dp) {
      bytes_after_descriptors += dp->data.size();
    } else {
      any_bad = true;
    }
  }
  auto frame = rtp::assemble_vp8_frame(packets);
  require(frame.ok() == !any_bad);
  if (!frame) return;
  require(frame->data.size() == bytes_after_descriptors);
  if (frame->complete) {
    require(!packets.empty() && packets.back().marker);
    auto first = rtp::depacketize_vp8(packets.front().payload);
    require(first.ok() && first->first_of_frame && first->keyframe == frame->keyframe);
  }
}

void check_packetizer(base::ByteView in) {
  if (in.size() < 4) return;
  const size_t max = 1 + (in[0] | (in[1] << 8)) % 1500;
  const uint8_t info_bits = in[2];
  const uint16_t first_id = static_cast<uint16_t>(in[3] * 131);
  const base::ByteView frame = in.subspan(4);
  rtp::Vp8FrameInfo info;
  info.non_reference = (info_bits & 1) != 0;
  if (info_bits & 2) info.temporal_id = static_cast<uint8_t>((info_bits >> 2) & 3);
  info.layer_sync = (info_bits & 0x10) != 0;
  if (info_bits & 0x20) info.key_idx = static_cast<uint8_t>(info_bits >> 3 & 0x1f);
  rtp::Vp8Packetizer pz(first_id);
  auto payloads = pz.packetize(frame, max, info);
  if (!payloads) {
    require(frame.empty() || max <= 7);  // a descriptor is at most 6 bytes
    require(pz.next_picture_id() == (first_id & 0x7fff));
    return;
  }
  require(pz.next_picture_id() == ((first_id + 1) & 0x7fff));
  std::vector<rtp::Vp8RtpPayload> packets;
  size_t smallest = SIZE_MAX, largest = 0;
  for (size_t i = 0; i < payloads->size(); ++i) {
    const auto& p = (*payloads)[i];
    require(p.size() <= max);
    smallest = std::min(smallest, p.size());
    largest = std::max(largest, p.size());
    packets.push_back({static_cast<uint16_t>(65530 + i), i + 1 == payloads->size(), p});
  }
  require(largest - smallest <= 1);
  auto f = rtp::assemble_vp8_frame(packets);
  require(f.ok() && f->complete);
  require(f->data.size() == frame.size() &&
          std::equal(f->data.begin(), f->data.end(), frame.begin()));
  require(f->keyframe == ((frame[0] & 1) == 0));
  require(f->first.picture_id == (first_id & 0x7fff));
  require(f->first.temporal_id == info.temporal_id && f->first.key_idx == info.key_idx);
  require(f->first.non_reference == info.non_reference);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const base::ByteView in(data, size);
  check_payload(in);
  check_assembly(in);
  check_packetizer(in);
  return 0;
}
