// What can go wrong configuring a codec, encoding or decoding.
#pragma once

#include <string_view>

#include "base/result.h"

namespace wasmrtc::codec {

enum class Error {
  BadSampleRate,    // PCM rate the codec cannot take (Opus: 8, 12, 16, 24 or 48 kHz)
  BadChannels,      // not 1 or 2 channels
  BadPtime,         // packet time the codec cannot produce (Opus: 10, 20, 40, 60 ms)
  BadBitrate,       // audio: outside 6-510 kbit/s (RFC 7587 6.1, maxaveragebitrate); video: 0 or above 1 Gbit/s
  BadLossPercent,   // expected loss above 100 %
  BadFrameSize,     // PCM not exactly 10 ms, or a duration Opus cannot produce (2.5 ms steps, <= 120 ms)
  BufferTooSmall,   // the output span cannot hold the decoded samples
  InvalidPayload,   // not a valid packet of the codec (Opus: RFC 6716 3.4)
  CodecFailure,     // the codec library reported an internal error
  BadFmtp,          // an a=fmtp parameter with a malformed or out-of-range value
  BadResolution,    // video: 0, or above VP8's 14-bit 16383 (RFC 6386 9.1)
  BadFramerate,     // video: frame rate 0 or above 1000
  BadVideoFrame,    // video: pixel buffer size does not match width and height
  BadTemporalLayers,// video: temporal layer count not 1-3
  BadSpeed,         // video: VP8 realtime cpu_used outside -16..16
  NeedsKeyframe,    // video: a delta frame before any keyframe, or after an error, is not decoded
  NotShown,         // video: a hidden frame (VP8 altref, RFC 6386 9.1) decoded, nothing to display
};

std::string_view to_string(Error error);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::codec
