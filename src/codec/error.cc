#include "codec/error.h"

namespace wasmrtc::codec {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::BadSampleRate: return "BadSampleRate";
    case Error::BadChannels: return "BadChannels";
    case Error::BadPtime: return "BadPtime";
    case Error::BadBitrate: return "BadBitrate";
    case Error::BadLossPercent: return "BadLossPercent";
    case Error::BadFrameSize: return "BadFrameSize";
    case Error::BufferTooSmall: return "BufferTooSmall";
    case Error::InvalidPayload: return "InvalidPayload";
    case Error::CodecFailure: return "CodecFailure";
    case Error::BadFmtp: return "BadFmtp";
    case Error::BadResolution: return "BadResolution";
    case Error::BadFramerate: return "BadFramerate";
    case Error::BadVideoFrame: return "BadVideoFrame";
    case Error::BadTemporalLayers: return "BadTemporalLayers";
    case Error::BadSpeed: return "BadSpeed";
    case Error::NeedsKeyframe: return "NeedsKeyframe";
    case Error::NotShown: return "NotShown";
  }
  return "Unknown";
}

}  // namespace wasmrtc::codec
