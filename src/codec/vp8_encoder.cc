#include "codec/vp8_encoder.h"

#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include <algorithm>
#include <utility>

namespace wasmrtc::codec {

namespace {

constexpr uint32_t kMaxDimension = 16383;  // 14 bits in the keyframe header (RFC 6386 9.1)
constexpr uint32_t kRtpClock = 90000;      // video RTP clock (RFC 7741 4.1); libvpx timebase

enum Buffer : uint8_t { kLast = 1, kGolden = 2, kAltref = 4 };

// One step of a temporal layer pattern: which layer, which reference
// buffers it may read and which it overwrites.
struct LayerStep {
  uint8_t layer;
  uint8_t reads;
  uint8_t writes;
};

// libwebrtc's patterns (DefaultTemporalLayers), expressed with libvpx's
// three buffers. The base layer reads and writes only `last`, so any upper
// layer can be dropped; the top layer of three writes nothing.
constexpr LayerStep kTwoLayers[] = {
    {0, kLast, kLast},
    {1, kLast | kGolden, kGolden},
};
constexpr LayerStep kThreeLayers[] = {
    {0, kLast, kLast},
    {2, kLast | kGolden, 0},
    {1, kLast | kGolden, kGolden},
    {2, kLast | kGolden, 0},
};

std::span<const LayerStep> pattern(uint8_t layers) {
  if (layers == 2) return kTwoLayers;
  if (layers == 3) return kThreeLayers;
  return {};
}

// Cumulative share of the bitrate up to each layer: libwebrtc's 60/40 and
// 40/20/40 splits.
uint32_t layer_share_percent(uint8_t layers, uint8_t layer) {
  static constexpr uint32_t kTwo[] = {60, 100};
  static constexpr uint32_t kThree[] = {40, 60, 100};
  return layers == 2 ? kTwo[layer] : layers == 3 ? kThree[layer] : 100;
}

vpx_enc_frame_flags_t step_flags(const LayerStep& s) {
  vpx_enc_frame_flags_t f = 0;
  if (!(s.reads & kLast)) f |= VP8_EFLAG_NO_REF_LAST;
  if (!(s.reads & kGolden)) f |= VP8_EFLAG_NO_REF_GF;
  if (!(s.reads & kAltref)) f |= VP8_EFLAG_NO_REF_ARF;
  if (!(s.writes & kLast)) f |= VP8_EFLAG_NO_UPD_LAST;
  if (!(s.writes & kGolden)) f |= VP8_EFLAG_NO_UPD_GF;
  if (!(s.writes & kAltref)) f |= VP8_EFLAG_NO_UPD_ARF;
  // Entropy learnt from a frame the receiver may drop must not be relied on.
  if (s.layer > 0) f |= VP8_EFLAG_NO_UPD_ENTROPY;
  return f;
}

// libwebrtc's LibvpxVp8Encoder::MaxIntraTarget: a keyframe may take up to
// half the optimal buffer's worth of bits, as a percentage of an average
// frame, and never less than three frames' worth. Caps the keyframe burst.
unsigned max_intra_target_pct(uint32_t optimal_buffer_ms, uint32_t framerate) {
  const uint32_t pct = optimal_buffer_ms / 2 * framerate / 10;
  return std::max<uint32_t>(pct, 300);
}

// libwebrtc raises complexity (slower, better) below CIF on desktop.
int speed_for(const VideoEncoderConfig& c) {
  if (static_cast<uint64_t>(c.width) * c.height < 352 * 288 && c.cpu_used < -4) return -4;
  return c.cpu_used;
}

// The target in kbit/s, split over the temporal layers (cumulative, and
// strictly increasing as libvpx requires).
void set_rate_fields(vpx_codec_enc_cfg_t& cfg, const VideoEncoderConfig& c) {
  const uint32_t kbps = std::max<uint32_t>(c.temporal_layers, c.bitrate_bps / 1000);
  cfg.rc_target_bitrate = kbps;
  if (c.temporal_layers > 1) {
    for (uint8_t l = 0; l < c.temporal_layers; ++l) {
      cfg.ts_target_bitrate[l] = std::max<uint32_t>(
          l + 1u, kbps * layer_share_percent(c.temporal_layers, l) / 100);
    }
  }
}

Result<void> check(const VideoEncoderConfig& c) {
  if (c.width == 0 || c.height == 0 || c.width > kMaxDimension || c.height > kMaxDimension) {
    return Unexpected(Error::BadResolution);
  }
  if (c.framerate == 0 || c.framerate > 1000) return Unexpected(Error::BadFramerate);
  if (c.bitrate_bps == 0 || c.bitrate_bps > 1'000'000'000) return Unexpected(Error::BadBitrate);
  if (c.temporal_layers < 1 || c.temporal_layers > 3) return Unexpected(Error::BadTemporalLayers);
  if (c.cpu_used < -16 || c.cpu_used > 16) return Unexpected(Error::BadSpeed);
  return {};
}

}  // namespace

struct Vp8Encoder::Impl {
  vpx_codec_ctx_t ctx{};
  vpx_codec_enc_cfg_t cfg{};
  bool initialized = false;
  ~Impl() {
    if (initialized) vpx_codec_destroy(&ctx);
  }
};

Result<std::unique_ptr<Vp8Encoder>> Vp8Encoder::create(const VideoEncoderConfig& config) {
  if (auto r = check(config); !r) return Unexpected(r.error());
  std::unique_ptr<Vp8Encoder> self(new Vp8Encoder(config));
  if (auto r = self->init(); !r) return Unexpected(r.error());
  return self;
}

Vp8Encoder::Vp8Encoder(const VideoEncoderConfig& config) : config_(config) {}

Vp8Encoder::~Vp8Encoder() = default;

// (Re)creates the libvpx encoder for config_: at creation and on a change
// of resolution, as libwebrtc re-runs InitEncode.
Result<void> Vp8Encoder::init() {
  auto impl = std::make_unique<Impl>();
  vpx_codec_enc_cfg_t& cfg = impl->cfg;
  if (vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  cfg.g_w = config_.width;
  cfg.g_h = config_.height;
  cfg.g_timebase = {1, static_cast<int>(kRtpClock)};
  cfg.g_threads = 1;  // no threads in src/ (and none in the WASM build of libvpx)
  cfg.g_lag_in_frames = 0;  // real time: a frame out for each frame in
  cfg.g_pass = VPX_RC_ONE_PASS;
  const bool layered = config_.temporal_layers > 1;
  // Dropping upper layers must not break the entropy of the base layer.
  cfg.g_error_resilient = (config_.error_resilient || layered) ? VPX_ERROR_RESILIENT_DEFAULT : 0;
  cfg.rc_end_usage = VPX_CBR;
  cfg.rc_resize_allowed = 0;
  cfg.rc_dropframe_thresh = 30;  // libwebrtc's frame dropping threshold
  cfg.rc_min_quantizer = 2;      // libwebrtc's range (qpMax 56 on the 0-63 scale)
  cfg.rc_max_quantizer = 56;
  cfg.rc_undershoot_pct = 100;
  cfg.rc_overshoot_pct = 15;
  cfg.rc_buf_initial_sz = 500;
  cfg.rc_buf_optimal_sz = 600;
  cfg.rc_buf_sz = 1000;
  // Keyframes are placed here (keyframe_interval, requests, resolution
  // changes), so that a temporal pattern restarts at each.
  cfg.kf_mode = VPX_KF_DISABLED;
  if (layered) {
    const auto steps = pattern(config_.temporal_layers);
    cfg.ts_number_layers = config_.temporal_layers;
    cfg.ts_periodicity = static_cast<unsigned>(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) cfg.ts_layer_id[i] = steps[i].layer;
    for (unsigned l = 0; l < cfg.ts_number_layers; ++l) {
      cfg.ts_rate_decimator[l] = 1u << (cfg.ts_number_layers - 1 - l);
    }
  }
  set_rate_fields(cfg, config_);
  impl->ctx = {};
  if (vpx_codec_enc_init(&impl->ctx, vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  impl->initialized = true;
  vpx_codec_ctx_t* ctx = &impl->ctx;
  if (vpx_codec_control(ctx, VP8E_SET_CPUUSED, speed_for(config_)) != VPX_CODEC_OK ||
      // Skip encoding of macroblocks that barely changed (libwebrtc: 1).
      vpx_codec_control(ctx, VP8E_SET_STATIC_THRESHOLD, 1u) != VPX_CODEC_OK ||
      vpx_codec_control(ctx, VP8E_SET_NOISE_SENSITIVITY, 0u) != VPX_CODEC_OK ||
      vpx_codec_control(ctx, VP8E_SET_TOKEN_PARTITIONS,
                        static_cast<int>(VP8_ONE_TOKENPARTITION)) != VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  impl_ = std::move(impl);
  if (auto r = apply_rates(); !r) {
    impl_.reset();
    return r;
  }
  keyframe_pending_ = true;
  pattern_index_ = 0;
  buffer_layer_ = {};
  return {};
}

Result<void> Vp8Encoder::apply_rates() {
  vpx_codec_enc_cfg_t& cfg = impl_->cfg;
  set_rate_fields(cfg, config_);
  if (vpx_codec_enc_config_set(&impl_->ctx, &cfg) != VPX_CODEC_OK ||
      vpx_codec_control(&impl_->ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT,
                        max_intra_target_pct(cfg.rc_buf_optimal_sz, config_.framerate)) !=
          VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  return {};
}

Result<std::optional<EncodedVideo>> Vp8Encoder::encode(const VideoFrame& frame,
                                                       bool force_keyframe) {
  if (frame.width != config_.width || frame.height != config_.height) {
    return Unexpected(Error::BadResolution);
  }
  if (!frame.valid()) return Unexpected(Error::BadVideoFrame);
  if (!impl_) return Unexpected(Error::CodecFailure);  // a failed set_resolution
  ++stats_.frames_in;

  // The packed planes, described for libvpx without a copy. (vpx_img_wrap
  // would assume even strides for odd widths.)
  vpx_image_t img;
  uint8_t* data = const_cast<uint8_t*>(frame.i420.data());  // libvpx only reads it
  if (vpx_img_wrap(&img, VPX_IMG_FMT_I420, frame.width, frame.height, 1, data) == nullptr) {
    return Unexpected(Error::CodecFailure);
  }
  const int chroma_w = static_cast<int>(chroma_size(frame.width));
  img.stride[VPX_PLANE_Y] = static_cast<int>(frame.width);
  img.stride[VPX_PLANE_U] = chroma_w;
  img.stride[VPX_PLANE_V] = chroma_w;
  img.planes[VPX_PLANE_Y] = data;
  img.planes[VPX_PLANE_U] = data + frame.y().size();
  img.planes[VPX_PLANE_V] = data + frame.y().size() + frame.chroma_plane_size();

  ++frames_since_keyframe_;
  const bool keyframe = force_keyframe || keyframe_pending_ ||
                        (config_.keyframe_interval > 0 &&
                         frames_since_keyframe_ >= config_.keyframe_interval);
  const auto steps = pattern(config_.temporal_layers);
  if (keyframe) pattern_index_ = 0;
  vpx_enc_frame_flags_t flags = 0;
  LayerStep step{0, kLast | kGolden | kAltref, kLast};
  if (!steps.empty()) {
    step = steps[pattern_index_ % steps.size()];
    pattern_index_ = static_cast<uint32_t>((pattern_index_ + 1) % steps.size());
    flags = step_flags(step);
    if (vpx_codec_control(&impl_->ctx, VP8E_SET_TEMPORAL_LAYER_ID,
                          static_cast<int>(step.layer)) != VPX_CODEC_OK) {
      return Unexpected(Error::CodecFailure);
    }
  }
  if (keyframe) flags = VPX_EFLAG_FORCE_KF;

  const uint32_t duration = kRtpClock / config_.framerate;
  if (vpx_codec_encode(&impl_->ctx, &img, pts_, duration, flags, VPX_DL_REALTIME) !=
      VPX_CODEC_OK) {
    return Unexpected(Error::CodecFailure);
  }
  pts_ += duration;

  EncodedVideo out;
  bool any = false;
  vpx_codec_iter_t iter = nullptr;
  while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&impl_->ctx, &iter)) {
    if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
    const auto* bytes = static_cast<const uint8_t*>(pkt->data.frame.buf);
    out.data.insert(out.data.end(), bytes, bytes + pkt->data.frame.sz);
    out.keyframe = out.keyframe || (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    any = true;
  }
  if (!any || out.data.empty()) {
    // Rate control dropped the frame. A keyframe owed is still owed.
    ++stats_.frames_dropped;
    return std::optional<EncodedVideo>();
  }
  keyframe_pending_ = false;
  int qp = 0;
  // The 0-127 quantizer index, the scale libwebrtc reports as qpSum.
  if (vpx_codec_control(&impl_->ctx, VP8E_GET_LAST_QUANTIZER, &qp) != VPX_CODEC_OK) qp = 0;
  out.qp = qp;
  out.width = config_.width;
  out.height = config_.height;
  if (out.keyframe) {
    frames_since_keyframe_ = 0;
    buffer_layer_ = {};  // a keyframe rewrites every buffer, on the base layer
    out.temporal_id = 0;
  } else {
    out.temporal_id = step.layer;
    bool sync = step.layer > 0;
    for (int b = 0; b < 3; ++b) {
      if ((step.reads & (1 << b)) && buffer_layer_[b] != 0) sync = false;
    }
    out.layer_sync = sync;
    out.non_reference = step.writes == 0;
    for (int b = 0; b < 3; ++b) {
      if (step.writes & (1 << b)) buffer_layer_[b] = step.layer;
    }
  }
  ++stats_.frames_encoded;
  if (out.keyframe) ++stats_.keyframes;
  stats_.qp_sum += static_cast<uint64_t>(out.qp);
  ++stats_.qp_frames;
  stats_.bytes += out.data.size();
  return std::optional<EncodedVideo>(std::move(out));
}

Result<void> Vp8Encoder::set_rates(uint32_t bitrate_bps, uint32_t framerate) {
  VideoEncoderConfig next = config_;
  next.bitrate_bps = bitrate_bps;
  next.framerate = framerate;
  if (auto r = check(next); !r) return r;
  if (!impl_) return Unexpected(Error::CodecFailure);
  config_ = next;
  return apply_rates();
}

Result<void> Vp8Encoder::set_resolution(uint32_t width, uint32_t height) {
  VideoEncoderConfig next = config_;
  next.width = width;
  next.height = height;
  if (auto r = check(next); !r) return r;
  if (impl_ && width == config_.width && height == config_.height) return {};
  config_ = next;
  impl_.reset();
  return init();
}

}  // namespace wasmrtc::codec
