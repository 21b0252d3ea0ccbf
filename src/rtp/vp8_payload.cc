#include "rtp/vp8_payload.h"

#include "rtp/balanced_split.h"

namespace wasmrtc::rtp {

namespace {

// First byte (RFC 7741 4.2).
constexpr uint8_t kX = 0x80, kN = 0x20, kS = 0x10, kPidMask = 0x07;
// Extension byte.
constexpr uint8_t kI = 0x80, kL = 0x40, kT = 0x20, kK = 0x10;
// PictureID byte.
constexpr uint8_t kM = 0x80;
// TID/Y/KEYIDX byte.
constexpr uint8_t kY = 0x20, kKeyIdxMask = 0x1f;

bool has_extension(const Vp8Descriptor& d) {
  return d.picture_id || d.tl0_pic_idx || d.temporal_id || d.key_idx;
}

}  // namespace

size_t Vp8Descriptor::size() const {
  if (!has_extension(*this)) return 1;
  size_t n = 2;
  if (picture_id) n += long_picture_id ? 2 : 1;
  if (tl0_pic_idx) ++n;
  if (temporal_id || key_idx) ++n;
  return n;
}

Result<ParsedVp8Descriptor> parse_vp8_descriptor(base::ByteView payload) {
  size_t pos = 0;
  auto next = [&]() -> std::optional<uint8_t> {
    if (pos >= payload.size()) return std::nullopt;
    return payload[pos++];
  };
  ParsedVp8Descriptor out;
  Vp8Descriptor& d = out.descriptor;
  auto b0 = next();
  if (!b0) return Unexpected(Error::Truncated);
  d.non_reference = (*b0 & kN) != 0;
  d.start_of_partition = (*b0 & kS) != 0;
  d.partition_id = *b0 & kPidMask;
  if (*b0 & kX) {
    auto ext = next();
    if (!ext) return Unexpected(Error::Truncated);
    if (*ext & kI) {
      auto p0 = next();
      if (!p0) return Unexpected(Error::Truncated);
      d.long_picture_id = (*p0 & kM) != 0;
      uint16_t id = *p0 & 0x7f;
      if (d.long_picture_id) {
        auto p1 = next();
        if (!p1) return Unexpected(Error::Truncated);
        id = static_cast<uint16_t>(id << 8 | *p1);
      }
      d.picture_id = id;
    }
    if (*ext & kL) {
      auto idx = next();
      if (!idx) return Unexpected(Error::Truncated);
      d.tl0_pic_idx = *idx;
    }
    if (*ext & (kT | kK)) {
      auto tk = next();
      if (!tk) return Unexpected(Error::Truncated);
      // TID and Y mean something only with T, KEYIDX only with K.
      if (*ext & kT) {
        d.temporal_id = static_cast<uint8_t>(*tk >> 6);
        d.layer_sync = (*tk & kY) != 0;
      }
      if (*ext & kK) d.key_idx = static_cast<uint8_t>(*tk & kKeyIdxMask);
    }
  }
  out.size = pos;
  return out;
}

Result<base::Bytes> serialize_vp8_descriptor(const Vp8Descriptor& d) {
  if (d.partition_id > 7) return Unexpected(Error::BadValue);
  if (d.temporal_id && *d.temporal_id > 3) return Unexpected(Error::BadValue);
  if (d.key_idx && *d.key_idx > kKeyIdxMask) return Unexpected(Error::BadValue);
  if (d.picture_id && *d.picture_id > (d.long_picture_id ? 0x7fff : 0x7f)) {
    return Unexpected(Error::BadValue);
  }
  base::Bytes out;
  out.reserve(d.size());
  const bool x = has_extension(d);
  out.push_back(static_cast<uint8_t>((x ? kX : 0) | (d.non_reference ? kN : 0) |
                                     (d.start_of_partition ? kS : 0) | d.partition_id));
  if (!x) return out;
  out.push_back(static_cast<uint8_t>((d.picture_id ? kI : 0) | (d.tl0_pic_idx ? kL : 0) |
                                     (d.temporal_id ? kT : 0) | (d.key_idx ? kK : 0)));
  if (d.picture_id) {
    if (d.long_picture_id) {
      out.push_back(static_cast<uint8_t>(kM | *d.picture_id >> 8));
      out.push_back(static_cast<uint8_t>(*d.picture_id & 0xff));
    } else {
      out.push_back(static_cast<uint8_t>(*d.picture_id));
    }
  }
  if (d.tl0_pic_idx) out.push_back(*d.tl0_pic_idx);
  if (d.temporal_id || d.key_idx) {
    uint8_t tk = 0;
    if (d.temporal_id) tk |= static_cast<uint8_t>(*d.temporal_id << 6 | (d.layer_sync ? kY : 0));
    if (d.key_idx) tk |= *d.key_idx;
    out.push_back(tk);
  }
  return out;
}

Result<Vp8PayloadHeader> parse_vp8_payload_header(base::ByteView vp8_data) {
  if (vp8_data.size() < 3) return Unexpected(Error::Truncated);
  Vp8PayloadHeader h;
  h.keyframe = (vp8_data[0] & 0x01) == 0;
  h.version = static_cast<uint8_t>((vp8_data[0] >> 1) & 0x07);
  h.show_frame = (vp8_data[0] & 0x10) != 0;
  h.first_partition_size =
      (vp8_data[0] >> 5) + 8u * vp8_data[1] + 2048u * vp8_data[2];
  return h;
}

Result<Vp8Payload> depacketize_vp8(base::ByteView payload) {
  auto parsed = parse_vp8_descriptor(payload);
  if (!parsed) return Unexpected(parsed.error());
  if (parsed->size >= payload.size()) return Unexpected(Error::Truncated);
  Vp8Payload out;
  out.descriptor = parsed->descriptor;
  out.data = payload.subspan(parsed->size);
  out.first_of_frame = out.descriptor.start_of_partition && out.descriptor.partition_id == 0;
  // The P bit is the first byte's low bit (RFC 7741 4.3); one byte suffices,
  // as in libwebrtc, even if the rest of the header is in the next packet.
  out.keyframe = out.first_of_frame && (out.data[0] & 0x01) == 0;
  return out;
}

Result<std::vector<base::Bytes>> Vp8Packetizer::packetize(base::ByteView frame,
                                                          size_t max_payload_size,
                                                          const Vp8FrameInfo& info) {
  if (frame.empty()) return Unexpected(Error::BadValue);
  Vp8Descriptor d;
  d.non_reference = info.non_reference;
  d.picture_id = picture_id_;
  d.long_picture_id = true;
  d.key_idx = info.key_idx;
  uint8_t tl0 = tl0_pic_idx_;
  if (info.temporal_id) {
    d.temporal_id = info.temporal_id;
    d.layer_sync = info.layer_sync;
    // TL0PICIDX counts base-layer frames; upper layers carry the index of
    // the base frame they follow (RFC 7741 4.2).
    if (*info.temporal_id == 0) ++tl0;
    d.tl0_pic_idx = tl0;
  }
  d.start_of_partition = true;
  auto header = serialize_vp8_descriptor(d);
  if (!header) return Unexpected(header.error());
  if (max_payload_size <= header->size()) return Unexpected(Error::BadValue);
  const auto sizes = balanced_split(frame.size(), max_payload_size - header->size());
  std::vector<base::Bytes> out;
  out.reserve(sizes.size());
  size_t pos = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const size_t n = sizes[i];
    base::Bytes p = *header;
    if (i > 0) p[0] = static_cast<uint8_t>(p[0] & ~kS);  // only the first starts the partition
    p.insert(p.end(), frame.begin() + static_cast<std::ptrdiff_t>(pos),
             frame.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n;
    out.push_back(std::move(p));
  }
  picture_id_ = static_cast<uint16_t>((picture_id_ + 1) & 0x7fff);
  tl0_pic_idx_ = tl0;
  return out;
}

Result<Vp8AssembledFrame> assemble_vp8_frame(std::span<const Vp8RtpPayload> packets) {
  Vp8AssembledFrame out;
  if (packets.empty()) return out;
  bool complete = true;
  std::optional<uint16_t> picture_id;
  for (size_t i = 0; i < packets.size(); ++i) {
    auto p = depacketize_vp8(packets[i].payload);
    if (!p) return Unexpected(p.error());
    const bool last = i + 1 == packets.size();
    if (i == 0) {
      out.first = p->descriptor;
      out.keyframe = p->keyframe;
      complete = complete && p->first_of_frame;
      picture_id = p->descriptor.picture_id;
    } else {
      // A gap, or a packet that starts another frame.
      if (packets[i].sequence_number != static_cast<uint16_t>(packets[i - 1].sequence_number + 1)) {
        complete = false;
      }
      if (p->first_of_frame) complete = false;
      if (p->descriptor.picture_id && picture_id && *p->descriptor.picture_id != *picture_id) {
        complete = false;
      }
    }
    if (packets[i].marker != last) complete = false;
    out.data.insert(out.data.end(), p->data.begin(), p->data.end());
  }
  out.complete = complete;
  return out;
}

}  // namespace wasmrtc::rtp
