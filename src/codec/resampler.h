// A streaming sample-rate converter for rational ratios (8 kHz <-> 48 kHz
// for G.711, 12 kHz -> 8 kHz...): polyphase filtering with one windowed-sinc
// low-pass that removes both the images of upsampling and what would alias
// when downsampling (cutoff at 0.45 of the lower rate). Interleaved PCM,
// any channel count; state carries across calls, so 10 ms at a time gives
// the same output as one long call. Each call gives exactly
// in * out_rate / in_rate samples per channel when in_rate divides it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wasmrtc::codec {

class Resampler {
 public:
  Resampler(uint32_t in_rate, uint32_t out_rate, uint8_t channels);

  uint32_t in_rate() const { return in_rate_; }
  uint32_t out_rate() const { return out_rate_; }
  uint8_t channels() const { return channels_; }
  // Appends the output for `in` (frames of channels() values) to `out`.
  void process(std::span<const int16_t> in, std::vector<int16_t>& out);

 private:
  uint32_t in_rate_, out_rate_;
  uint8_t channels_;
  uint32_t up_, down_;          // out/in reduced: L and M
  std::vector<float> taps_;     // in the upsampled domain (rate in * L)
  std::vector<float> history_;  // the input frames the filter still reaches, interleaved
  uint64_t history_start_ = 0;  // absolute index of history_'s first frame
  uint64_t next_output_ = 0;    // absolute index of the next output frame
};

}  // namespace wasmrtc::codec
