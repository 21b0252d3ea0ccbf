// Pixel format conversions for video I/O at the JS edge: RGBA (what a
// canvas, an ImageData or wrtc's nonstandard RTCVideoSink/Source hand
// around) to and from I420 (what the codecs take).
//
// BT.601 limited range ("studio swing": Y 16-235, U/V 16-240), the matrix
// libyuv's ABGRToI420 and I420ToABGR use, which are what wrtc's
// rgbaToI420 and i420ToRgba call; values agree with libyuv within rounding.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "codec/error.h"
#include "codec/video_frame.h"

namespace wasmrtc::codec {

// `rgba`: width * height * 4 bytes, R G B A per pixel, rows packed (alpha
// ignored). Each chroma sample averages its 2x2 block (fewer pixels at an
// odd edge). BadResolution for a zero size, BadVideoFrame for a size mismatch.
Result<VideoFrame> rgba_to_i420(base::ByteView rgba, uint32_t width, uint32_t height);

// width * height * 4 bytes, R G B A, alpha 255. BadVideoFrame when the
// frame's buffer does not match its size.
Result<base::Bytes> i420_to_rgba(const VideoFrame& frame);

}  // namespace wasmrtc::codec
