#include "rtp/generic_payload.h"

#include "rtp/balanced_split.h"

namespace wasmrtc::rtp {

Result<GenericPayload> depacketize_generic(base::ByteView payload) {
  if (payload.empty()) return Unexpected(Error::Truncated);
  const uint8_t header = payload[0];
  size_t offset = 1;
  if (header & kGenericExtendedHeader) offset += 2;
  if (payload.size() < offset) return Unexpected(Error::Truncated);
  GenericPayload p;
  p.first_of_frame = header & kGenericFirstPacket;
  p.keyframe = header & kGenericKeyframe;
  p.data = payload.subspan(offset);
  return p;
}

Result<std::vector<base::Bytes>> packetize_generic(base::ByteView frame, bool keyframe, size_t max_payload_size) {
  if (frame.empty() || max_payload_size < 2) return Unexpected(Error::BadValue);
  const auto sizes = balanced_split(frame.size(), max_payload_size - 1);
  std::vector<base::Bytes> out;
  out.reserve(sizes.size());
  size_t pos = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const size_t n = sizes[i];
    base::Bytes b;
    b.reserve(n + 1);
    b.push_back(static_cast<uint8_t>((i == 0 ? kGenericFirstPacket : 0) | (keyframe ? kGenericKeyframe : 0)));
    b.insert(b.end(), frame.begin() + pos, frame.begin() + pos + n);
    pos += n;
    out.push_back(std::move(b));
  }
  return out;
}

Result<GenericAssembledFrame> assemble_generic_frame(std::span<const Vp8RtpPayload> packets) {
  GenericAssembledFrame f;
  if (packets.empty()) return f;
  bool complete = true;
  for (size_t i = 0; i < packets.size(); ++i) {
    auto p = depacketize_generic(packets[i].payload);
    if (!p) return Unexpected(p.error());
    if (i == 0) {
      f.keyframe = p->keyframe;
      complete = complete && p->first_of_frame;
    } else {
      complete = complete && !p->first_of_frame &&
                 packets[i].sequence_number == static_cast<uint16_t>(packets[i - 1].sequence_number + 1);
    }
    const bool last = i + 1 == packets.size();
    complete = complete && packets[i].marker == last;
    f.data.insert(f.data.end(), p->data.begin(), p->data.end());
  }
  f.complete = complete;
  if (!complete) f.data.clear();
  return f;
}

}  // namespace wasmrtc::rtp
