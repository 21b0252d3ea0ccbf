// The video decoder interface. The caller hands it whole frames, in order,
// as reassembled from RTP; a frame that cannot be decoded leaves the
// decoder waiting for a keyframe, which is the caller's cue to send a PLI
// (RFC 4585 6.3.1).
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "codec/error.h"
#include "codec/video_frame.h"

namespace wasmrtc::codec {

struct VideoDecoderStats {
  uint64_t frames_decoded = 0;   // W3C RTCInboundRtpStreamStats.framesDecoded
  uint64_t keyframes_decoded = 0;  // keyFramesDecoded
  uint64_t errors = 0;           // frames rejected as corrupt or undecodable
  uint64_t skipped = 0;          // delta frames refused while waiting for a keyframe
};

class VideoDecoder {
 public:
  virtual ~VideoDecoder() = default;

  // Decodes one encoded frame. Its size may differ from the last one (the
  // sender changed resolution). Errors: InvalidPayload for corrupt or
  // truncated data (never a crash), NeedsKeyframe for a delta frame while
  // needs_keyframe(). After those, needs_keyframe() holds until a keyframe
  // decodes. NotShown is no failure: the frame was decoded into a
  // reference buffer but is not for display (VP8 altref).
  virtual Result<VideoFrame> decode(base::ByteView frame) = 0;

  // True before the first keyframe and after an error: delta frames are
  // refused until a keyframe arrives. Ask the sender for one.
  virtual bool needs_keyframe() const = 0;

  virtual const VideoDecoderStats& stats() const = 0;
};

}  // namespace wasmrtc::codec
