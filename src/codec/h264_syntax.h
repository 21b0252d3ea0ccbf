// What an H.264 bitstream says of itself that the codec library does not
// tell us. The picture size a keyframe's SPS gives (7.4.2.1.1, with its
// frame cropping), for encoded-transform metadata as VP8's frame tag gives
// it; and the quantizer a picture was coded with, read from its bitstream:
// QP = 26 + pic_init_qp_minus26 (PPS, H.264 7.4.2.2) + slice_qp_delta
// (slice header, 7.4.3), the value webrtc-stats qpSum adds up for H.264
// (libwebrtc reads it the same way; OpenH264 2.3.1 does not report it).
// The parser keeps the sequence and picture parameter sets it has seen
// (each frame's IDR brings them), then reads the first slice header of each
// frame up to slice_qp_delta (7.3.3), through the fields whose presence the
// parameter sets decide.
//
//   codec::H264QpParser qp;
//   if (auto q = qp.parse(annex_b_frame)) stats.qp_sum += *q;
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "base/bytes.h"

namespace wasmrtc::codec {

// What a sequence parameter set (7.3.2.1.1) says that slice headers and
// the picture size depend on.
struct H264Sps {
  uint32_t id = 0;
  bool separate_colour_plane = false;
  uint32_t log2_max_frame_num = 4;
  uint32_t pic_order_cnt_type = 0;
  uint32_t log2_max_pic_order_cnt_lsb = 4;
  bool delta_pic_order_always_zero = false;
  bool frame_mbs_only = true;
  uint32_t width = 0;  // luma samples, after frame cropping
  uint32_t height = 0;
};

struct H264PictureSize {
  uint32_t width = 0;
  uint32_t height = 0;
};
// From the first SPS of an Annex B frame (a keyframe has one); nullopt when
// there is none or it is malformed.
std::optional<H264PictureSize> h264_picture_size(base::ByteView annex_b);

class H264QpParser {
 public:
  // The QP of the frame's first slice; nullopt when it has no slice, names a
  // parameter set not seen, is malformed, or uses what this reader does not
  // follow (slice groups, weighted prediction: neither is in Constrained
  // Baseline). Parameter sets in the frame are kept for later frames.
  std::optional<int> parse(base::ByteView annex_b);

 private:
  struct Pps {
    uint32_t sps_id = 0;
    bool entropy_coding_mode = false;
    bool bottom_field_pic_order_in_frame_present = false;
    bool slice_groups = false;
    bool weighted_pred = false;
    uint32_t weighted_bipred_idc = 0;
    int pic_init_qp = 26;
    bool redundant_pic_cnt_present = false;
  };
  bool parse_pps(base::ByteView rbsp);
  std::optional<int> parse_slice(uint8_t nal_header, base::ByteView rbsp) const;

  std::map<uint32_t, H264Sps> sps_;  // ids 0-31 (7.4.2.1.1)
  std::map<uint32_t, Pps> pps_;  // ids 0-255 (7.4.2.2)
};

}  // namespace wasmrtc::codec
