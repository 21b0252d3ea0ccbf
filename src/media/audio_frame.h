// What AudioJitterBuffer::pull returns: always exactly 10 ms.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wasmrtc::media {

enum class AudioFrameKind {
  NotStarted,  // no stream yet, or buffering the target delay: silence
  Normal,      // decoded audio (FEC-recovered and time-stretched included)
  Concealed,   // at least part of it is loss concealment
  Silent,      // concealment that has faded to silence (a long loss, or DTX)
};

std::string_view to_string(AudioFrameKind kind);

struct AudioFrame {
  AudioFrameKind kind = AudioFrameKind::NotStarted;
  uint32_t sample_rate = 48000;
  uint8_t channels = 1;
  std::vector<int16_t> samples;  // interleaved, sample_rate / 100 per channel

  uint32_t samples_per_channel() const {
    return channels == 0 ? 0 : static_cast<uint32_t>(samples.size() / channels);
  }
};

}  // namespace wasmrtc::media
