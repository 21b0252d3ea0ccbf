// Test signals and measurements shared by the codec and media tests: a sine
// generator that keeps its phase across 10 ms frames, and the dominant
// frequency and energy of what came out of a codec or jitter buffer.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace wasmrtc::test {

class Sine {
 public:
  Sine(double hz, uint32_t rate, uint8_t channels, double amplitude = 10000)
      : hz_(hz), rate_(rate), channels_(channels), amplitude_(amplitude) {}

  // The next `samples` per channel, interleaved, every channel the same.
  std::vector<int16_t> next(uint32_t samples) {
    std::vector<int16_t> out;
    out.reserve(static_cast<size_t>(samples) * channels_);
    for (uint32_t i = 0; i < samples; ++i, ++n_) {
      const auto v = static_cast<int16_t>(std::lround(
          amplitude_ * std::sin(2 * M_PI * hz_ * static_cast<double>(n_) / rate_)));
      for (uint8_t c = 0; c < channels_; ++c) out.push_back(v);
    }
    return out;
  }

 private:
  double hz_;
  uint32_t rate_;
  uint8_t channels_;
  double amplitude_;
  uint64_t n_ = 0;
};

// One channel of interleaved PCM.
inline std::vector<double> channel(std::span<const int16_t> pcm, uint8_t channels, uint8_t which) {
  std::vector<double> out;
  out.reserve(pcm.size() / channels);
  for (size_t i = which; i < pcm.size(); i += channels) out.push_back(pcm[i]);
  return out;
}

// Power of `x` at `hz` (Goertzel), normalized by length.
inline double goertzel(std::span<const double> x, double hz, uint32_t rate) {
  const double w = 2 * M_PI * hz / rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (double v : x) {
    const double s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return power / (static_cast<double>(x.size()) * x.size());
}

// The frequency in [lo, hi] with the most power: a 5 Hz scan, then 0.1 Hz
// steps around the best of it.
inline double dominant_frequency(std::span<const double> x, uint32_t rate, double lo = 100,
                                 double hi = 1000) {
  auto scan = [&](double from, double to, double step) {
    double best_hz = from, best = -1;
    for (double f = from; f <= to; f += step) {
      const double p = goertzel(x, f, rate);
      if (p > best) {
        best = p;
        best_hz = f;
      }
    }
    return best_hz;
  };
  const double coarse = scan(lo, hi, 5);
  return scan(coarse - 5, coarse + 5, 0.1);
}

inline double rms(std::span<const double> x) {
  if (x.empty()) return 0;
  double sum = 0;
  for (double v : x) sum += v * v;
  return std::sqrt(sum / static_cast<double>(x.size()));
}

inline double rms(std::span<const int16_t> x) {
  std::vector<double> d(x.begin(), x.end());
  return rms(d);
}

// Energy of the difference between two equally long signals over the
// energy of the reference, in dB (lower: closer).
inline double error_db(std::span<const int16_t> reference, std::span<const int16_t> actual) {
  double ref = 0, err = 0;
  for (size_t i = 0; i < reference.size() && i < actual.size(); ++i) {
    ref += double(reference[i]) * reference[i];
    const double d = double(reference[i]) - actual[i];
    err += d * d;
  }
  return 10 * std::log10((err + 1e-9) / (ref + 1e-9));
}

}  // namespace wasmrtc::test
