// H.264 (ITU-T H.264) decoder on OpenH264 (Cisco's, from Debian's source
// package), for the Constrained Baseline, Baseline and Main streams WebRTC
// peers send. Frames come in Annex B form, as rtp::assemble_h264_frame
// gives them. As Vp8Decoder: corrupt data is an error, after which delta
// frames are refused until a keyframe (an IDR picture) arrives.
//
//   auto dec = codec::H264Decoder::create();
//   auto frame = (*dec)->decode(annex_b);   // Result<VideoFrame>
//   if (!frame && (*dec)->needs_keyframe()) send_pli();
#pragma once

#include <memory>

#include "codec/video_decoder.h"

namespace wasmrtc::codec {

class H264Decoder final : public VideoDecoder {
 public:
  static Result<std::unique_ptr<H264Decoder>> create();
  ~H264Decoder() override;
  H264Decoder(const H264Decoder&) = delete;
  H264Decoder& operator=(const H264Decoder&) = delete;

  // InvalidPayload for data OpenH264 cannot decode or that holds no NAL
  // unit; NeedsKeyframe for a frame without an IDR slice while
  // needs_keyframe(); NotShown when the data completed no picture (only
  // parameter sets, say).
  Result<VideoFrame> decode(base::ByteView frame) override;
  bool needs_keyframe() const override { return needs_keyframe_; }
  const VideoDecoderStats& stats() const override { return stats_; }

 private:
  struct Impl;  // the OpenH264 decoder
  H264Decoder() = default;
  Result<void> init();
  Result<VideoFrame> fail(Error error);

  std::unique_ptr<Impl> impl_;
  bool needs_keyframe_ = true;
  VideoDecoderStats stats_;
};

}  // namespace wasmrtc::codec
