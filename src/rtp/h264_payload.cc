#include "rtp/h264_payload.h"

#include <algorithm>

#include "rtp/balanced_split.h"

namespace wasmrtc::rtp {
namespace {

constexpr uint8_t kTypeMask = 0x1f;
constexpr uint8_t kNriMask = 0x60;
constexpr uint8_t kForbiddenBit = 0x80;
constexpr uint8_t kFuStart = 0x80;
constexpr uint8_t kFuEnd = 0x40;
constexpr size_t kStapAHeader = 1;
constexpr size_t kAggregationSize = 2;  // the NAL unit size field before each unit of a STAP-A
constexpr size_t kFuAHeader = 2;        // FU indicator + FU header
constexpr uint8_t kStartCode[] = {0, 0, 0, 1};

H264NalType nal_type(uint8_t header) { return codec::h264_nal_type(header); }

bool is_keyframe_nal(H264NalType t) { return t == H264NalType::IdrSlice || t == H264NalType::Sps; }

// Whether a NAL unit (its header byte and what follows) begins an access
// unit (H.264 7.4.1.2.3). For a slice, first_mb_in_slice is the first
// field after the header, ue(v): zero is the single bit 1.
bool starts_access_unit(uint8_t header, base::ByteView rest) {
  switch (nal_type(header)) {
    case H264NalType::AccessUnitDelimiter:
    case H264NalType::Sps:
    case H264NalType::Pps:
    case H264NalType::Sei:
      return true;
    case H264NalType::Slice:
    case H264NalType::IdrSlice:
      return !rest.empty() && (rest[0] & 0x80);
    default:
      return false;
  }
}

}  // namespace

Result<H264Payload> depacketize_h264(base::ByteView payload) {
  if (payload.empty()) return Unexpected(Error::Truncated);
  H264Payload p;
  const uint8_t header = payload[0];
  const H264NalType type = nal_type(header);
  const uint8_t raw = header & kTypeMask;
  if (raw >= 1 && raw <= 23) {  // single NAL unit packet (RFC 6184 5.6)
    p.nal_units = 1;
    p.first_of_frame = starts_access_unit(header, payload.subspan(1));
    p.keyframe = is_keyframe_nal(type);
    return p;
  }
  if (type == H264NalType::StapA) {  // RFC 6184 5.7.1
    size_t pos = kStapAHeader;
    if (pos >= payload.size()) return Unexpected(Error::Truncated);
    while (pos < payload.size()) {
      if (pos + kAggregationSize > payload.size()) return Unexpected(Error::Truncated);
      const size_t n = (size_t{payload[pos]} << 8) | payload[pos + 1];
      pos += kAggregationSize;
      if (n == 0 || pos + n > payload.size()) return Unexpected(Error::Truncated);
      const uint8_t h = payload[pos];
      if (p.nal_units == 0) p.first_of_frame = starts_access_unit(h, payload.subspan(pos + 1, n - 1));
      p.keyframe = p.keyframe || is_keyframe_nal(nal_type(h));
      ++p.nal_units;
      pos += n;
    }
    return p;
  }
  if (type == H264NalType::FuA) {  // RFC 6184 5.8
    if (payload.size() <= kFuAHeader) return Unexpected(Error::Truncated);
    const uint8_t fu = payload[1];
    if ((fu & kFuStart) && (fu & kFuEnd)) return Unexpected(Error::BadValue);
    const uint8_t original = static_cast<uint8_t>((header & (kForbiddenBit | kNriMask)) | (fu & kTypeMask));
    p.keyframe = is_keyframe_nal(nal_type(original));
    p.first_of_frame = (fu & kFuStart) && starts_access_unit(original, payload.subspan(kFuAHeader));
    return p;
  }
  return Unexpected(Error::BadValue);  // STAP-B, MTAP16/24, FU-B, reserved
}

Result<std::vector<base::Bytes>> packetize_h264(base::ByteView frame, size_t max_payload_size) {
  const auto nals = split_annex_b(frame);
  if (nals.empty() || max_payload_size <= kFuAHeader) return Unexpected(Error::BadValue);
  std::vector<base::Bytes> out;
  size_t i = 0;
  while (i < nals.size()) {
    const base::ByteView nal = nals[i];
    if (nal.size() > max_payload_size) {
      // FU-A: the NAL header's F and NRI go into the FU indicator, its type
      // into the FU header; the fragments carry what follows the header.
      const uint8_t indicator = static_cast<uint8_t>((nal[0] & (kForbiddenBit | kNriMask)) | 28);
      const base::ByteView body = nal.subspan(1);
      const auto sizes = balanced_split(body.size(), max_payload_size - kFuAHeader);
      size_t pos = 0;
      for (size_t k = 0; k < sizes.size(); ++k) {
        base::Bytes b;
        b.reserve(kFuAHeader + sizes[k]);
        b.push_back(indicator);
        uint8_t fu = nal[0] & kTypeMask;
        if (k == 0) fu |= kFuStart;
        if (k + 1 == sizes.size()) fu |= kFuEnd;
        b.push_back(fu);
        b.insert(b.end(), body.begin() + pos, body.begin() + pos + sizes[k]);
        pos += sizes[k];
        out.push_back(std::move(b));
      }
      ++i;
      continue;
    }
    // As many of the following NAL units as fit with this one in a STAP-A.
    size_t j = i;
    size_t stap = kStapAHeader;
    while (j < nals.size() && nals[j].size() <= 0xffff && stap + kAggregationSize + nals[j].size() <= max_payload_size) {
      stap += kAggregationSize + nals[j].size();
      ++j;
    }
    if (j - i >= 2) {
      uint8_t nri = 0;
      for (size_t k = i; k < j; ++k) nri = std::max<uint8_t>(nri, nals[k][0] & kNriMask);
      base::Bytes b;
      b.reserve(stap);
      b.push_back(static_cast<uint8_t>(nri | 24));  // F = 0: we never send a NAL unit marked broken
      for (size_t k = i; k < j; ++k) {
        b.push_back(static_cast<uint8_t>(nals[k].size() >> 8));
        b.push_back(static_cast<uint8_t>(nals[k].size()));
        b.insert(b.end(), nals[k].begin(), nals[k].end());
      }
      out.push_back(std::move(b));
      i = j;
    } else {
      out.emplace_back(nal.begin(), nal.end());
      ++i;
    }
  }
  return out;
}

Result<H264AssembledFrame> assemble_h264_frame(std::span<const Vp8RtpPayload> packets) {
  H264AssembledFrame f;
  if (packets.empty()) return f;
  bool complete = true;
  bool in_fragment = false;  // between a FU-A S and its E
  for (size_t i = 0; i < packets.size(); ++i) {
    const base::ByteView payload = packets[i].payload;
    auto p = depacketize_h264(payload);
    if (!p) return Unexpected(p.error());
    f.keyframe = f.keyframe || p->keyframe;
    if (i == 0) {
      complete = complete && p->first_of_frame;
    } else {
      complete = complete && packets[i].sequence_number == static_cast<uint16_t>(packets[i - 1].sequence_number + 1);
    }
    complete = complete && packets[i].marker == (i + 1 == packets.size());
    const uint8_t header = payload[0];
    if (nal_type(header) == H264NalType::FuA) {
      const uint8_t fu = payload[1];
      if (fu & kFuStart) {
        complete = complete && !in_fragment;
        f.data.insert(f.data.end(), std::begin(kStartCode), std::end(kStartCode));
        f.data.push_back(static_cast<uint8_t>((header & (kForbiddenBit | kNriMask)) | (fu & kTypeMask)));
        in_fragment = true;
      } else {
        complete = complete && in_fragment;
      }
      f.data.insert(f.data.end(), payload.begin() + kFuAHeader, payload.end());
      if (fu & kFuEnd) in_fragment = false;
      continue;
    }
    complete = complete && !in_fragment;
    if (nal_type(header) == H264NalType::StapA) {
      size_t pos = kStapAHeader;
      while (pos < payload.size()) {  // sizes checked by depacketize_h264
        const size_t n = (size_t{payload[pos]} << 8) | payload[pos + 1];
        pos += kAggregationSize;
        f.data.insert(f.data.end(), std::begin(kStartCode), std::end(kStartCode));
        f.data.insert(f.data.end(), payload.begin() + pos, payload.begin() + pos + n);
        pos += n;
      }
    } else {
      f.data.insert(f.data.end(), std::begin(kStartCode), std::end(kStartCode));
      f.data.insert(f.data.end(), payload.begin(), payload.end());
    }
  }
  complete = complete && !in_fragment;
  f.complete = complete;
  if (!complete) f.data.clear();
  return f;
}

}  // namespace wasmrtc::rtp
