#include "codec/h264_syntax.h"

#include "codec/h264_bitstream.h"

namespace wasmrtc::codec {
namespace {

// NAL unit payload without emulation prevention bytes (7.4.1: 00 00 03 ->
// 00 00).
base::Bytes to_rbsp(base::ByteView nal) {
  base::Bytes out;
  out.reserve(nal.size());
  size_t zeros = 0;
  for (uint8_t b : nal) {
    if (zeros >= 2 && b == 3) {
      zeros = 0;
      continue;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

// Reads bits MSB first; every read fails (and stays failed) past the end.
class BitReader {
 public:
  explicit BitReader(base::ByteView data) : data_(data) {}
  bool ok() const { return ok_; }

  uint32_t u(uint32_t n) {
    uint32_t v = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (pos_ >= data_.size() * 8) {
        ok_ = false;
        return 0;
      }
      v = (v << 1) | ((data_[pos_ / 8] >> (7 - pos_ % 8)) & 1);
      ++pos_;
    }
    return v;
  }
  bool flag() { return u(1) != 0; }
  // ue(v), 9.1: at most 31 leading zeros (32-bit values).
  uint32_t ue() {
    uint32_t zeros = 0;
    while (ok_ && u(1) == 0) {
      if (++zeros > 31) {
        ok_ = false;
        return 0;
      }
    }
    if (!ok_) return 0;
    return static_cast<uint32_t>((uint64_t{1} << zeros) - 1 + u(zeros));
  }
  // se(v), 9.1.1.
  int32_t se() {
    const uint32_t k = ue();
    const auto magnitude = static_cast<int32_t>((k + 1) / 2);
    return k % 2 ? magnitude : -magnitude;
  }

 private:
  base::ByteView data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Profiles whose SPS carries chroma format and scaling lists (7.3.2.1.1).
bool high_profile(uint32_t profile_idc) {
  switch (profile_idc) {
    case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118: case 128: case 138: case 139:
    case 134: case 135:
      return true;
    default:
      return false;
  }
}

// scaling_list() (7.3.2.1.1.1): read and dropped.
void skip_scaling_list(BitReader& r, int size) {
  int last = 8, next = 8;
  for (int j = 0; j < size && r.ok(); ++j) {
    if (next != 0) next = (last + r.se() + 256) % 256;
    last = next == 0 ? last : next;
  }
}

constexpr int kMaxLoop = 64;  // reordering or marking commands in one slice header

std::optional<H264Sps> read_sps(base::ByteView rbsp);  // below

}  // namespace

std::optional<int> H264QpParser::parse(base::ByteView annex_b) {
  std::optional<int> qp;
  for (auto nal : split_annex_b(annex_b)) {
    const H264NalType type = h264_nal_type(nal[0]);
    const base::Bytes rbsp = to_rbsp(nal.subspan(1));
    if (type == H264NalType::Sps) {
      if (auto sps = read_sps(rbsp)) sps_[sps->id] = *sps;
    } else if (type == H264NalType::Pps) {
      parse_pps(rbsp);
    } else if ((type == H264NalType::Slice || type == H264NalType::IdrSlice) && !qp) {
      qp = parse_slice(nal[0], rbsp);
      if (!qp) return std::nullopt;
    }
  }
  return qp;
}

namespace {

// seq_parameter_set_data() (7.3.2.1.1).
std::optional<H264Sps> read_sps(base::ByteView rbsp) {
  BitReader r(rbsp);
  H264Sps s;
  const uint32_t profile_idc = r.u(8);
  r.u(8);  // constraint_set flags, reserved bits
  r.u(8);  // level_idc
  s.id = r.ue();
  uint32_t chroma_format_idc = 1;  // 4:2:0 unless a high profile says otherwise
  if (high_profile(profile_idc)) {
    chroma_format_idc = r.ue();
    if (chroma_format_idc == 3) s.separate_colour_plane = r.flag();
    r.ue();    // bit_depth_luma_minus8
    r.ue();    // bit_depth_chroma_minus8
    r.flag();  // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {  // seq_scaling_matrix_present_flag
      for (int i = 0; i < (chroma_format_idc != 3 ? 8 : 12) && r.ok(); ++i)
        if (r.flag()) skip_scaling_list(r, i < 6 ? 16 : 64);
    }
  }
  s.log2_max_frame_num = r.ue() + 4;
  s.pic_order_cnt_type = r.ue();
  if (s.pic_order_cnt_type == 0) {
    s.log2_max_pic_order_cnt_lsb = r.ue() + 4;
  } else if (s.pic_order_cnt_type == 1) {
    s.delta_pic_order_always_zero = r.flag();
    r.se();  // offset_for_non_ref_pic
    r.se();  // offset_for_top_to_bottom_field
    const uint32_t cycle = r.ue();
    if (cycle > 255) return std::nullopt;
    for (uint32_t i = 0; i < cycle && r.ok(); ++i) r.se();
  }
  r.ue();    // max_num_ref_frames
  r.flag();  // gaps_in_frame_num_value_allowed_flag
  const uint32_t width_mbs = r.ue() + 1;    // pic_width_in_mbs_minus1
  const uint32_t height_units = r.ue() + 1;  // pic_height_in_map_units_minus1
  s.frame_mbs_only = r.flag();
  if (!s.frame_mbs_only) r.flag();  // mb_adaptive_frame_field_flag
  r.flag();                         // direct_8x8_inference_flag
  uint32_t crop[4] = {0, 0, 0, 0};  // left, right, top, bottom
  if (r.flag()) {                   // frame_cropping_flag
    for (auto& c : crop) c = r.ue();
  }
  if (!r.ok() || s.id > 31 || s.log2_max_frame_num > 16 || s.pic_order_cnt_type > 2 ||
      s.log2_max_pic_order_cnt_lsb > 16 || width_mbs > 1024 || height_units > 1024)
    return std::nullopt;
  // Crop units (7-19 .. 7-22): chroma samples for 4:2:0 and 4:2:2, luma for
  // 4:4:4 and monochrome; doubled vertically for field coding.
  const uint32_t field = s.frame_mbs_only ? 1 : 2;
  const bool chroma_units = chroma_format_idc == 1 || chroma_format_idc == 2;
  const uint32_t unit_x = chroma_units && !s.separate_colour_plane ? 2 : 1;
  const uint32_t unit_y = (chroma_format_idc == 1 && !s.separate_colour_plane ? 2 : 1) * field;
  const uint32_t full_w = width_mbs * 16;
  const uint32_t full_h = height_units * 16 * field;
  const uint64_t cut_w = uint64_t{unit_x} * (uint64_t{crop[0]} + crop[1]);
  const uint64_t cut_h = uint64_t{unit_y} * (uint64_t{crop[2]} + crop[3]);
  if (cut_w >= full_w || cut_h >= full_h) return std::nullopt;
  s.width = full_w - static_cast<uint32_t>(cut_w);
  s.height = full_h - static_cast<uint32_t>(cut_h);
  return s;
}

}  // namespace

std::optional<H264PictureSize> h264_picture_size(base::ByteView annex_b) {
  for (auto nal : split_annex_b(annex_b)) {
    if (h264_nal_type(nal[0]) != H264NalType::Sps) continue;
    auto s = read_sps(to_rbsp(nal.subspan(1)));
    if (!s) return std::nullopt;
    return H264PictureSize{s->width, s->height};
  }
  return std::nullopt;
}

bool H264QpParser::parse_pps(base::ByteView rbsp) {
  BitReader r(rbsp);
  const uint32_t id = r.ue();
  Pps p;
  p.sps_id = r.ue();
  p.entropy_coding_mode = r.flag();
  p.bottom_field_pic_order_in_frame_present = r.flag();
  p.slice_groups = r.ue() > 0;  // num_slice_groups_minus1: what follows is not read
  if (!p.slice_groups) {
    r.ue();  // num_ref_idx_l0_default_active_minus1
    r.ue();  // num_ref_idx_l1_default_active_minus1
    p.weighted_pred = r.flag();
    p.weighted_bipred_idc = r.u(2);
    p.pic_init_qp = 26 + r.se();
    r.se();  // pic_init_qs_minus26
    r.se();  // chroma_qp_index_offset
    r.flag();  // deblocking_filter_control_present_flag
    r.flag();  // constrained_intra_pred_flag
    p.redundant_pic_cnt_present = r.flag();
  }
  if (!r.ok() || id > 255 || p.sps_id > 31) return false;
  pps_[id] = p;
  return true;
}

std::optional<int> H264QpParser::parse_slice(uint8_t nal_header, base::ByteView rbsp) const {
  BitReader r(rbsp);
  const bool idr = h264_nal_type(nal_header) == H264NalType::IdrSlice;
  const bool reference = (nal_header & 0x60) != 0;  // nal_ref_idc
  r.ue();  // first_mb_in_slice
  const uint32_t slice_type = r.ue() % 5;  // 0 P, 1 B, 2 I, 3 SP, 4 SI
  const bool p_or_sp = slice_type == 0 || slice_type == 3;
  const bool b = slice_type == 1;
  const auto pps_it = pps_.find(r.ue());
  if (!r.ok() || pps_it == pps_.end()) return std::nullopt;
  const Pps& pps = pps_it->second;
  const auto sps_it = sps_.find(pps.sps_id);
  if (sps_it == sps_.end() || pps.slice_groups) return std::nullopt;
  const H264Sps& sps = sps_it->second;
  if (sps.separate_colour_plane) r.u(2);  // colour_plane_id
  r.u(sps.log2_max_frame_num);            // frame_num
  bool field_pic = false;
  if (!sps.frame_mbs_only) {
    field_pic = r.flag();
    if (field_pic) r.flag();  // bottom_field_flag
  }
  if (idr) r.ue();  // idr_pic_id
  if (sps.pic_order_cnt_type == 0) {
    r.u(sps.log2_max_pic_order_cnt_lsb);
    if (pps.bottom_field_pic_order_in_frame_present && !field_pic) r.se();
  } else if (sps.pic_order_cnt_type == 1 && !sps.delta_pic_order_always_zero) {
    r.se();
    if (pps.bottom_field_pic_order_in_frame_present && !field_pic) r.se();
  }
  if (pps.redundant_pic_cnt_present) r.ue();
  if (b) r.flag();  // direct_spatial_mv_pred_flag
  if (p_or_sp || b) {
    if (r.flag()) {  // num_ref_idx_active_override_flag
      r.ue();
      if (b) r.ue();
    }
  }
  // ref_pic_list_modification() (7.3.3.1).
  for (int list = 0; list < (b ? 2 : (slice_type == 2 || slice_type == 4 ? 0 : 1)); ++list) {
    if (!r.flag()) continue;
    for (int n = 0;; ++n) {
      const uint32_t idc = r.ue();
      if (!r.ok() || n > kMaxLoop || idc > 5) return std::nullopt;
      if (idc == 3) break;
      r.ue();  // abs_diff_pic_num_minus1 or long_term_pic_num (or abs_diff_view_idx_minus1)
    }
  }
  if ((pps.weighted_pred && p_or_sp) || (pps.weighted_bipred_idc == 1 && b)) return std::nullopt;  // pred_weight_table
  if (reference) {  // dec_ref_pic_marking() (7.3.3.3)
    if (idr) {
      r.flag();  // no_output_of_prior_pics_flag
      r.flag();  // long_term_reference_flag
    } else if (r.flag()) {  // adaptive_ref_pic_marking_mode_flag
      for (int n = 0;; ++n) {
        const uint32_t op = r.ue();
        if (!r.ok() || n > kMaxLoop || op > 6) return std::nullopt;
        if (op == 0) break;
        if (op == 1 || op == 3) r.ue();  // difference_of_pic_nums_minus1
        if (op == 2) r.ue();             // long_term_pic_num
        if (op == 3 || op == 6) r.ue();  // long_term_frame_idx
        if (op == 4) r.ue();             // max_long_term_frame_idx_plus1
      }
    }
  }
  if (pps.entropy_coding_mode && slice_type != 2 && slice_type != 4) r.ue();  // cabac_init_idc
  const int qp = pps.pic_init_qp + r.se();
  if (!r.ok() || qp < 0 || qp > 51) return std::nullopt;
  return qp;
}

}  // namespace wasmrtc::codec
