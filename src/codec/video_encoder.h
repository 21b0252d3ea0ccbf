// The video encoder interface: what VP8 implements now and another codec
// (VP9, H.264, a user codec) could implement later. The media layer feeds
// it raw frames at the capture rate and gets one encoded frame back per
// call, or nothing when rate control drops the frame.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "codec/error.h"
#include "codec/video_frame.h"

namespace wasmrtc::codec {

struct VideoEncoderConfig {
  uint32_t width = 640;
  uint32_t height = 480;
  uint32_t framerate = 30;           // frames per second the caller means to feed
  uint32_t bitrate_bps = 1'000'000;  // target, constant bitrate
  // Frames between automatic keyframes; 0: keyframes only at the start, on
  // request (PLI/FIR from the remote) and on a resolution change, as
  // libwebrtc does for real-time video.
  uint32_t keyframe_interval = 0;
  // 1: every frame on one layer. 2 or 3: a temporal scalability pattern
  // (libwebrtc's 0-1-0-1 and 0-2-1-2) whose upper-layer frames a receiver or
  // SFU may drop without breaking the ones below (RFC 7741 4.2, TID).
  uint8_t temporal_layers = 1;
  // Realtime speed (libvpx VP8E_SET_CPUUSED): more negative is faster and
  // worse; libwebrtc uses -6 on desktop, -4 below CIF.
  int cpu_used = -6;
  // Frames decodable without the entropy context of earlier ones, so a loss
  // spoils less (libvpx g_error_resilient). Forced on with temporal layers.
  bool error_resilient = false;
};

// One encoded frame: the bytes of one RTP frame (VP8: RFC 6386 section 9).
struct EncodedVideo {
  base::Bytes data;
  bool keyframe = false;
  uint32_t width = 0;   // of the frame encoded
  uint32_t height = 0;
  // Quantizer the frame was coded with, on the codec's own scale (VP8:
  // 0-127; H.264: 0-51, each the scale of W3C
  // RTCOutboundRtpStreamStats.qpSum); -1 when it cannot be known.
  int qp = 0;
  uint8_t temporal_id = 0;  // 0 without temporal layers
  // Refers only to frames of the base layer since the last keyframe: a
  // receiver that dropped this frame's layer may start decoding it again
  // here (RFC 7741 4.2, Y bit).
  bool layer_sync = false;
  // No later frame refers to this one: losing it costs only itself
  // (RFC 7741 4.2, N bit). The top layer of a three-layer pattern.
  bool non_reference = false;
};

// Counters for W3C RTCOutboundRtpStreamStats.
struct VideoEncoderStats {
  uint64_t frames_in = 0;        // frames given to encode()
  uint64_t frames_encoded = 0;   // framesEncoded
  uint64_t frames_dropped = 0;   // dropped by rate control
  uint64_t keyframes = 0;        // keyFramesEncoded
  uint64_t qp_sum = 0;           // qpSum
  uint64_t qp_frames = 0;        // frames whose qp is known: qpSum exists only if > 0
  uint64_t bytes = 0;            // encoded bytes, before packetization
};

class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;

  virtual const VideoEncoderConfig& config() const = 0;

  // A frame of exactly config().width x height. Returns the encoded frame,
  // or nullopt when rate control dropped it to stay within the bitrate.
  // `force_keyframe`: answer a PLI/FIR (RFC 4585 6.3.1, RFC 5104 4.3.1).
  virtual Result<std::optional<EncodedVideo>> encode(const VideoFrame& frame,
                                                     bool force_keyframe = false) = 0;

  // A new bandwidth estimate or capture rate; takes effect from the next frame.
  virtual Result<void> set_rates(uint32_t bitrate_bps, uint32_t framerate) = 0;

  // A new input resolution (a resized window or track, a lower one under
  // congestion). The next frame is a keyframe at the new size.
  virtual Result<void> set_resolution(uint32_t width, uint32_t height) = 0;

  virtual const VideoEncoderStats& stats() const = 0;
};

}  // namespace wasmrtc::codec
