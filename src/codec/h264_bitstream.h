// The H.264 byte stream (ITU-T H.264 Annex B): NAL units, each after a
// 00 00 01 or 00 00 00 01 start code, as encoders write them and decoders
// read them, and the NAL unit types (Table 7-1) that matter for real-time
// video. Header-only and free of any codec library, so that the RTP
// payload format (rtp/h264_payload.h, RFC 6184) reads the same facts the
// codec does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace wasmrtc::codec {

// H.264 Table 7-1 nal_unit_type values (1-23), and RFC 6184 Table 1's
// packet types that share the field (24-29).
enum class H264NalType : uint8_t {
  Slice = 1,
  IdrSlice = 5,
  Sei = 6,
  Sps = 7,
  Pps = 8,
  AccessUnitDelimiter = 9,
  StapA = 24,
  FuA = 28,
};

inline H264NalType h264_nal_type(uint8_t header) { return static_cast<H264NalType>(header & 0x1f); }

// The NAL units of an Annex B byte stream, without their start codes, in
// order. Bytes before the first start code, trailing_zero_8bits (B.1) and
// empty NAL units are left out.
inline std::vector<base::ByteView> split_annex_b(base::ByteView s) {
  std::vector<std::pair<size_t, size_t>> starts;  // (start code begins, NAL unit begins)
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
      starts.emplace_back(i > 0 && s[i - 1] == 0 ? i - 1 : i, i + 3);
      i += 2;
    }
  }
  std::vector<base::ByteView> out;
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t from = starts[k].second;
    size_t to = k + 1 < starts.size() ? starts[k + 1].first : s.size();
    while (to > from && s[to - 1] == 0) --to;
    if (to > from) out.push_back(s.subspan(from, to - from));
  }
  return out;
}

}  // namespace wasmrtc::codec
