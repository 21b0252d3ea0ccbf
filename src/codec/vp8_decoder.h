// VP8 (RFC 6386) decoder on libvpx. Corrupt or truncated frames are errors,
// after which delta frames are refused until a keyframe arrives (decoding
// them against a broken reference would only show garbage).
//
//   auto dec = codec::Vp8Decoder::create();
//   auto frame = (*dec)->decode(bytes);   // Result<VideoFrame>
//   if (!frame && (*dec)->needs_keyframe()) send_pli();
#pragma once

#include <memory>

#include "codec/video_decoder.h"

namespace wasmrtc::codec {

// What the first bytes of a VP8 frame say (RFC 6386 9.1), without decoding.
struct Vp8FrameHeader {
  bool keyframe = false;
  uint8_t version = 0;
  bool show_frame = false;
  uint32_t first_partition_size = 0;
  uint32_t width = 0;   // keyframes only: 14 bits each
  uint32_t height = 0;
  uint8_t horizontal_scale = 0;
  uint8_t vertical_scale = 0;
};

// InvalidPayload when too short (3 bytes, 10 for a keyframe) or a keyframe
// without the start code 9d 01 2a.
Result<Vp8FrameHeader> parse_vp8_frame_header(base::ByteView frame);

class Vp8Decoder final : public VideoDecoder {
 public:
  static Result<std::unique_ptr<Vp8Decoder>> create();
  ~Vp8Decoder() override;
  Vp8Decoder(const Vp8Decoder&) = delete;
  Vp8Decoder& operator=(const Vp8Decoder&) = delete;

  Result<VideoFrame> decode(base::ByteView frame) override;
  bool needs_keyframe() const override { return needs_keyframe_; }
  const VideoDecoderStats& stats() const override { return stats_; }

 private:
  struct Impl;  // the libvpx context
  Vp8Decoder() = default;
  Result<void> init();
  Result<VideoFrame> fail(Error error);

  std::unique_ptr<Impl> impl_;
  bool needs_keyframe_ = true;
  VideoDecoderStats stats_;
};

}  // namespace wasmrtc::codec
