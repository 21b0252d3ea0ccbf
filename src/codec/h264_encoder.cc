#include "codec/h264_encoder.h"

#include <wels/codec_api.h>

#include <algorithm>

namespace wasmrtc::codec {
namespace {

constexpr uint32_t kMaxDimension = 4096;
// OpenH264 takes frame rates up to 60 (it rejects more).
constexpr float kMaxOpenH264Framerate = 60.0f;

Result<void> check(const VideoEncoderConfig& c) {
  if (c.width < 2 || c.height < 2 || c.width > kMaxDimension || c.height > kMaxDimension)
    return Unexpected(Error::BadResolution);
  if (c.framerate == 0 || c.framerate > 1000) return Unexpected(Error::BadFramerate);
  if (c.bitrate_bps == 0 || c.bitrate_bps > 1'000'000'000) return Unexpected(Error::BadBitrate);
  return {};
}

float openh264_framerate(uint32_t fps) { return std::min(static_cast<float>(fps), kMaxOpenH264Framerate); }

int clamp_bitrate(uint32_t bps) { return static_cast<int>(std::min<uint32_t>(bps, 0x7fffffff)); }

}  // namespace

struct H264Encoder::Impl {
  ISVCEncoder* encoder = nullptr;
  ~Impl() {
    if (encoder) {
      encoder->Uninitialize();
      WelsDestroySVCEncoder(encoder);
    }
  }
};

H264Encoder::H264Encoder(const VideoEncoderConfig& config) : config_(config) {}

H264Encoder::~H264Encoder() = default;

Result<std::unique_ptr<H264Encoder>> H264Encoder::create(const VideoEncoderConfig& config) {
  if (auto r = check(config); !r) return Unexpected(r.error());
  std::unique_ptr<H264Encoder> self(new H264Encoder(config));
  if (auto r = self->init(); !r) return Unexpected(r.error());
  return self;
}

// (Re)creates the encoder for config_: at creation and on a change of
// resolution, as libwebrtc re-runs InitEncode.
Result<void> H264Encoder::init() {
  auto impl = std::make_unique<Impl>();
  if (WelsCreateSVCEncoder(&impl->encoder) != 0 || !impl->encoder) return Unexpected(Error::CodecFailure);
  int trace = WELS_LOG_QUIET;
  impl->encoder->SetOption(ENCODER_OPTION_TRACE_LEVEL, &trace);
  SEncParamExt p;
  if (impl->encoder->GetDefaultParams(&p) != 0) return Unexpected(Error::CodecFailure);
  const int width = static_cast<int>(config_.width & ~1u);
  const int height = static_cast<int>(config_.height & ~1u);
  p.iUsageType = CAMERA_VIDEO_REAL_TIME;
  p.iPicWidth = width;
  p.iPicHeight = height;
  p.iTargetBitrate = clamp_bitrate(config_.bitrate_bps);
  p.iMaxBitrate = UNSPECIFIED_BIT_RATE;
  p.iRCMode = RC_BITRATE_MODE;
  p.fMaxFrameRate = openh264_framerate(config_.framerate);
  p.bEnableFrameSkip = true;  // drop frames rather than overshoot, as VP8's CBR does
  // Keyframes are placed here (interval, requests, resolution changes).
  p.uiIntraPeriod = 0;
  p.iMultipleThreadIdc = 1;  // no threads in src/ (nor in the WASM build)
  p.bEnableDenoise = false;
  p.bEnableBackgroundDetection = false;
  p.bEnableSceneChangeDetect = false;  // an IDR only when we ask for one
  p.bEnableLongTermReference = false;
  p.eSpsPpsIdStrategy = CONSTANT_ID;
  p.bPrefixNalAddingCtrl = false;
  p.iEntropyCodingModeFlag = 0;  // CAVLC: Baseline
  p.iTemporalLayerNum = 1;
  p.iSpatialLayerNum = 1;
  SSpatialLayerConfig& layer = p.sSpatialLayers[0];
  layer.iVideoWidth = width;
  layer.iVideoHeight = height;
  layer.fFrameRate = p.fMaxFrameRate;
  layer.iSpatialBitrate = p.iTargetBitrate;
  layer.iMaxSpatialBitrate = p.iMaxBitrate;
  layer.uiProfileIdc = PRO_BASELINE;
  layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
  if (impl->encoder->InitializeExt(&p) != 0) return Unexpected(Error::CodecFailure);
  int format = videoFormatI420;
  if (impl->encoder->SetOption(ENCODER_OPTION_DATAFORMAT, &format) != 0) return Unexpected(Error::CodecFailure);
  impl_ = std::move(impl);
  keyframe_pending_ = true;
  return {};
}

Result<void> H264Encoder::apply_rates() {
  SBitrateInfo bitrate{};
  bitrate.iLayer = SPATIAL_LAYER_ALL;
  bitrate.iBitrate = clamp_bitrate(config_.bitrate_bps);
  float fps = openh264_framerate(config_.framerate);
  if (impl_->encoder->SetOption(ENCODER_OPTION_BITRATE, &bitrate) != 0 ||
      impl_->encoder->SetOption(ENCODER_OPTION_FRAME_RATE, &fps) != 0)
    return Unexpected(Error::CodecFailure);
  return {};
}

Result<std::optional<EncodedVideo>> H264Encoder::encode(const VideoFrame& frame, bool force_keyframe) {
  if (frame.width != config_.width || frame.height != config_.height) return Unexpected(Error::BadResolution);
  if (!frame.valid()) return Unexpected(Error::BadVideoFrame);
  if (!impl_) return Unexpected(Error::CodecFailure);  // a failed set_resolution
  ++stats_.frames_in;

  // The packed planes, described without a copy; an odd last column or row
  // is left out by the even picture size.
  SSourcePicture pic{};
  uint8_t* data = const_cast<uint8_t*>(frame.i420.data());  // OpenH264 only reads it
  pic.iColorFormat = videoFormatI420;
  pic.iPicWidth = static_cast<int>(frame.width & ~1u);
  pic.iPicHeight = static_cast<int>(frame.height & ~1u);
  pic.iStride[0] = static_cast<int>(frame.width);
  pic.iStride[1] = pic.iStride[2] = static_cast<int>(chroma_size(frame.width));
  pic.pData[0] = data;
  pic.pData[1] = data + frame.y().size();
  pic.pData[2] = data + frame.y().size() + frame.chroma_plane_size();
  pic.uiTimeStamp = timestamp_ms_;
  timestamp_ms_ += 1000 / config_.framerate;

  ++frames_since_keyframe_;
  const bool keyframe = force_keyframe || keyframe_pending_ ||
                        (config_.keyframe_interval > 0 && frames_since_keyframe_ >= config_.keyframe_interval);
  if (keyframe && impl_->encoder->ForceIntraFrame(true) != 0) return Unexpected(Error::CodecFailure);

  SFrameBSInfo info{};
  if (impl_->encoder->EncodeFrame(&pic, &info) != cmResultSuccess) return Unexpected(Error::CodecFailure);
  if (info.eFrameType == videoFrameTypeSkip || info.eFrameType == videoFrameTypeInvalid) {
    // Rate control skipped the frame. A keyframe owed is still owed.
    ++stats_.frames_dropped;
    return std::optional<EncodedVideo>();
  }
  EncodedVideo out;
  for (int l = 0; l < info.iLayerNum; ++l) {
    const SLayerBSInfo& layer = info.sLayerInfo[l];
    size_t bytes = 0;
    for (int n = 0; n < layer.iNalCount; ++n) bytes += static_cast<size_t>(layer.pNalLengthInByte[n]);
    out.data.insert(out.data.end(), layer.pBsBuf, layer.pBsBuf + bytes);  // Annex B, start codes included
  }
  if (out.data.empty()) {
    ++stats_.frames_dropped;
    return std::optional<EncodedVideo>();
  }
  out.keyframe = info.eFrameType == videoFrameTypeIDR;
  if (out.keyframe) {
    keyframe_pending_ = false;
    frames_since_keyframe_ = 0;
  }
  // The slice QP, read from the bitstream (OpenH264 2.3.1 does not report
  // it); -1 if it cannot be read, and then qpSum leaves the frame out.
  out.qp = qp_parser_.parse(out.data).value_or(-1);
  out.width = config_.width;
  out.height = config_.height;
  ++stats_.frames_encoded;
  if (out.keyframe) ++stats_.keyframes;
  if (out.qp >= 0) {
    stats_.qp_sum += static_cast<uint64_t>(out.qp);
    ++stats_.qp_frames;
  }
  stats_.bytes += out.data.size();
  return std::optional<EncodedVideo>(std::move(out));
}

Result<void> H264Encoder::set_rates(uint32_t bitrate_bps, uint32_t framerate) {
  VideoEncoderConfig next = config_;
  next.bitrate_bps = bitrate_bps;
  next.framerate = framerate;
  if (auto r = check(next); !r) return r;
  if (!impl_) return Unexpected(Error::CodecFailure);
  config_ = next;
  return apply_rates();
}

Result<void> H264Encoder::set_resolution(uint32_t width, uint32_t height) {
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
