// VP8 (RFC 6386) encoder on libvpx, in realtime mode with the settings
// libwebrtc uses for real-time communication: constant bitrate, no lag,
// one thread, frame dropping under pressure, a cap on keyframe size.
//
//   auto enc = codec::Vp8Encoder::create({.width = 640, .height = 480});
//   auto out = (*enc)->encode(frame, /*force_keyframe=*/false);
//   if (out && *out) packetize((*out)->data, ...);
#pragma once

#include <array>
#include <memory>

#include "codec/video_encoder.h"

namespace wasmrtc::codec {

class Vp8Encoder final : public VideoEncoder {
 public:
  // Errors name the field at fault (BadResolution, BadFramerate, BadBitrate,
  // BadTemporalLayers, BadSpeed); CodecFailure when libvpx refuses anyway.
  static Result<std::unique_ptr<Vp8Encoder>> create(const VideoEncoderConfig& config);
  ~Vp8Encoder() override;
  Vp8Encoder(const Vp8Encoder&) = delete;
  Vp8Encoder& operator=(const Vp8Encoder&) = delete;

  const VideoEncoderConfig& config() const override { return config_; }
  Result<std::optional<EncodedVideo>> encode(const VideoFrame& frame,
                                             bool force_keyframe = false) override;
  Result<void> set_rates(uint32_t bitrate_bps, uint32_t framerate) override;
  Result<void> set_resolution(uint32_t width, uint32_t height) override;
  const VideoEncoderStats& stats() const override { return stats_; }

 private:
  struct Impl;  // the libvpx context and configuration
  explicit Vp8Encoder(const VideoEncoderConfig& config);
  Result<void> init();
  Result<void> apply_rates();

  VideoEncoderConfig config_;
  std::unique_ptr<Impl> impl_;
  VideoEncoderStats stats_;
  int64_t pts_ = 0;                  // 90 kHz
  uint64_t frames_since_keyframe_ = 0;  // input frames since the last keyframe
  bool keyframe_pending_ = true;     // the first frame, or after set_resolution
  uint32_t pattern_index_ = 0;       // position in the temporal layer pattern
  // The temporal layer that last wrote each reference buffer (last, golden,
  // altref): a frame is a layer sync when it reads only base-layer ones.
  std::array<uint8_t, 3> buffer_layer_{};
};

}  // namespace wasmrtc::codec
