#include "codec/resampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace wasmrtc::codec {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr uint32_t kTapsPerPhase = 24;  // filter length in input (or output) samples
}  // namespace

Resampler::Resampler(uint32_t in_rate, uint32_t out_rate, uint8_t channels)
    : in_rate_(in_rate), out_rate_(out_rate), channels_(channels ? channels : 1) {
  const uint32_t g = std::gcd(in_rate, out_rate);
  up_ = out_rate / g;
  down_ = in_rate / g;
  // Windowed sinc (Blackman) at the upsampled rate in * L; cutoff 0.45 of
  // the lower rate, gain L to make up for the zeros upsampling inserts.
  const uint32_t n = kTapsPerPhase * std::max(up_, down_) + 1;
  const double upsampled = static_cast<double>(in_rate) * up_;
  const double fc = 0.45 * std::min(in_rate, out_rate) / upsampled;  // cycles per sample
  taps_.resize(n);
  const double mid = (n - 1) / 2.0;
  for (uint32_t k = 0; k < n; ++k) {
    const double x = k - mid;
    const double sinc = x == 0 ? 2 * fc : std::sin(2 * kPi * fc * x) / (kPi * x);
    const double w = 0.42 - 0.5 * std::cos(2 * kPi * k / (n - 1)) + 0.08 * std::cos(4 * kPi * k / (n - 1));
    taps_[k] = static_cast<float>(sinc * w * up_);
  }
}

void Resampler::process(std::span<const int16_t> in, std::vector<int16_t>& out) {
  const size_t frames = in.size() / channels_;
  if (up_ == down_) {
    out.insert(out.end(), in.begin(), in.begin() + frames * channels_);
    return;
  }
  for (size_t i = 0; i < frames * channels_; ++i) history_.push_back(in[i]);
  const uint64_t available = history_start_ + history_.size() / channels_;  // input frames so far
  const uint64_t n = taps_.size();
  // Output frame o sits at o * M in the upsampled domain; input frame j at
  // j * L. It needs every j with 0 <= o*M - j*L < n, the newest being
  // floor(o*M / L).
  while ((next_output_ * down_) / up_ < available) {
    const uint64_t t = next_output_ * down_;
    const uint64_t newest = t / up_;
    for (uint8_t c = 0; c < channels_; ++c) {
      float acc = 0;
      for (uint64_t j = newest;; --j) {
        const uint64_t k = t - j * up_;
        if (k >= n) break;
        if (j >= history_start_) acc += taps_[k] * history_[(j - history_start_) * channels_ + c];
        if (j == 0) break;
      }
      out.push_back(static_cast<int16_t>(std::clamp(std::lround(acc), -32768L, 32767L)));
    }
    ++next_output_;
  }
  // Keep what the next outputs still reach.
  const uint64_t reach = (n + up_ - 1) / up_ + 1;
  const uint64_t keep_from = available > reach ? available - reach : 0;
  if (keep_from > history_start_) {
    history_.erase(history_.begin(), history_.begin() + (keep_from - history_start_) * channels_);
    history_start_ = keep_from;
  }
}

}  // namespace wasmrtc::codec
