#include "cc/aimd_rate_control.h"

#include <algorithm>
#include <cmath>

namespace wasmrtc::cc {
namespace {

constexpr double kPacketBits = 1200 * 8;
constexpr double kFrameRate = 30;

}  // namespace

void AimdRateControl::set_bounds(uint32_t min_bps, uint32_t max_bps) {
  // The bounds limit growth, not the level: a connection whose senders
  // can use little for a while (none started yet, a small track) keeps
  // what it learned of the path for when they can use more.
  min_bps_ = min_bps;
  max_bps_ = std::max(min_bps, max_bps);
  rate_bps_ = std::max(rate_bps_, min_bps_);
}

void AimdRateControl::cap(uint32_t bps) { rate_bps_ = std::clamp(std::min(rate_bps_, bps), min_bps_, max_bps_); }

// About one packet of a 30 fps stream per response time (RTT + 100 ms).
double AimdRateControl::additive_increase_bps(base::Duration since_last) const {
  const double bits_per_frame = rate_bps_ / kFrameRate;
  const double packets_per_frame = std::ceil(bits_per_frame / kPacketBits);
  const double packet_bits = bits_per_frame / packets_per_frame;
  const double response_s = (rtt_ + base::Duration::millis(100)).us() / 1e6;
  const double rate = std::max(4000.0, packet_bits / response_s);
  return rate * since_last.us() / 1e6;
}

uint32_t AimdRateControl::update(base::Timestamp now, BandwidthUsage usage, std::optional<uint32_t> acknowledged_bps) {
  switch (usage) {
    case BandwidthUsage::Overusing: state_ = State::Decrease; break;
    case BandwidthUsage::Underusing: state_ = State::Hold; break;
    case BandwidthUsage::Normal:
      if (state_ == State::Hold || state_ == State::Decrease) state_ = State::Increase;
      break;
  }
  const base::Duration since_last = last_change_ ? std::min(now - *last_change_, base::Duration::seconds(1))
                                                 : base::Duration::zero();
  double rate = rate_bps_;
  if (acknowledged_bps && capacity_bps_) {
    // Far above where the path saturated before: it has changed.
    const double sigma = std::sqrt(capacity_variance_ * *capacity_bps_);
    if (*acknowledged_bps > *capacity_bps_ + 3 * sigma) capacity_bps_.reset();
  }
  switch (state_) {
    case State::Hold: break;
    case State::Increase:
      if (capacity_bps_) {
        rate += additive_increase_bps(since_last);
      } else {
        const double alpha = std::pow(startup_ ? kStartupGrowth : 1.08, since_last.us() / 1e6);
        rate += std::max(rate * (alpha - 1), 1000.0 * since_last.us() / 1e6);
      }
      break;
    case State::Decrease: {
      startup_ = false;
      const double base_rate = acknowledged_bps ? *acknowledged_bps : rate;
      rate = std::min(rate, kBeta * base_rate);
      if (acknowledged_bps) {
        // Exponential average of the capacity and its normalized variance.
        const double x = *acknowledged_bps;
        if (!capacity_bps_) {
          capacity_bps_ = x;
        } else {
          const double alpha = 0.05;
          const double err = *capacity_bps_ - x;
          capacity_bps_ = (1 - alpha) * *capacity_bps_ + alpha * x;
          capacity_variance_ = std::clamp((1 - alpha) * capacity_variance_ + alpha * err * err / std::max(*capacity_bps_, 1.0),
                                          0.4, 2.5);
        }
      }
      state_ = State::Hold;
      break;
    }
  }
  // Never run far ahead of what the path has shown it delivers: 1.5x the
  // acknowledged rate (libwebrtc's bound), so an application-limited
  // stream does not build an estimate it never tested.
  if (acknowledged_bps && state_ == State::Increase)
    rate = std::min(rate, std::max<double>(1.5 * *acknowledged_bps + 10'000, rate_bps_));
  last_change_ = now;
  // Growth stops at the maximum; a level already above it stays.
  rate = std::max(std::min<double>(rate, max_bps_), std::min<double>(rate, rate_bps_));
  rate_bps_ = static_cast<uint32_t>(std::max<double>(rate, min_bps_));
  return rate_bps_;
}

}  // namespace wasmrtc::cc
