// H.264 (ITU-T H.264) encoder on OpenH264, set up as libwebrtc sets it up
// for real-time video: Constrained Baseline (CAVLC, no B frames), one
// slice per picture, constant-bitrate rate control with frame skipping,
// SPS and PPS before every IDR picture, one thread. Frames come out in
// Annex B form for rtp::packetize_h264 (RFC 6184 packetization-mode 1).
//
// H.264 codes 4:2:0 pictures of even width and height: a frame of odd size
// is encoded without its last column or row (as libwebrtc crops).
// Temporal layers are not used (one layer, temporal_id 0).
//
//   auto enc = codec::H264Encoder::create({.width = 640, .height = 480});
//   auto out = (*enc)->encode(frame, /*force_keyframe=*/false);
//   if (out && *out) packetize_h264((*out)->data, ...);
#pragma once

#include <memory>

#include "codec/h264_syntax.h"
#include "codec/video_encoder.h"

namespace wasmrtc::codec {

class H264Encoder final : public VideoEncoder {
 public:
  // BadResolution below 2x2 or above 4096 on a side (OpenH264's maximum),
  // BadFramerate, BadBitrate; CodecFailure when OpenH264 refuses anyway.
  static Result<std::unique_ptr<H264Encoder>> create(const VideoEncoderConfig& config);
  ~H264Encoder() override;
  H264Encoder(const H264Encoder&) = delete;
  H264Encoder& operator=(const H264Encoder&) = delete;

  const VideoEncoderConfig& config() const override { return config_; }
  Result<std::optional<EncodedVideo>> encode(const VideoFrame& frame, bool force_keyframe = false) override;
  Result<void> set_rates(uint32_t bitrate_bps, uint32_t framerate) override;
  Result<void> set_resolution(uint32_t width, uint32_t height) override;
  const VideoEncoderStats& stats() const override { return stats_; }

 private:
  struct Impl;  // the OpenH264 encoder
  explicit H264Encoder(const VideoEncoderConfig& config);
  Result<void> init();
  Result<void> apply_rates();

  VideoEncoderConfig config_;
  std::unique_ptr<Impl> impl_;
  VideoEncoderStats stats_;
  int64_t timestamp_ms_ = 0;
  uint64_t frames_since_keyframe_ = 0;
  bool keyframe_pending_ = true;
  H264QpParser qp_parser_;  // qp of each frame, from its slice header
};

}  // namespace wasmrtc::codec
