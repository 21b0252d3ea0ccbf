#include "cc/trendline.h"

#include <algorithm>
#include <cmath>

namespace wasmrtc::cc {
namespace {

constexpr int64_t kMaxDeltas = 60;        // the gain stops growing after this many groups
constexpr double kMaxAdaptOffsetMs = 15;  // a spike this far over the threshold does not move it
constexpr double kMinThresholdMs = 6;
constexpr double kMaxThresholdMs = 600;

// Least-squares slope of y over x.
std::optional<double> slope(const std::deque<std::pair<double, double>>& points) {
  double sx = 0, sy = 0;
  for (const auto& [x, y] : points) {
    sx += x;
    sy += y;
  }
  const double mx = sx / points.size(), my = sy / points.size();
  double num = 0, den = 0;
  for (const auto& [x, y] : points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  if (den == 0) return std::nullopt;
  return num / den;
}

}  // namespace

void TrendlineEstimator::update(base::Duration arrival_delta, base::Duration send_delta, base::Timestamp arrival) {
  const double delta_ms = (arrival_delta - send_delta).us() / 1000.0;
  deltas_ = std::min(deltas_ + 1, int64_t{1000});
  if (!first_arrival_) first_arrival_ = arrival;
  accumulated_delay_ += delta_ms;
  smoothed_delay_ = config_.smoothing * smoothed_delay_ + (1 - config_.smoothing) * accumulated_delay_;
  points_.emplace_back((arrival - *first_arrival_).us() / 1000.0, smoothed_delay_);
  if (points_.size() > config_.window) points_.pop_front();
  double trend = trend_;
  if (points_.size() == config_.window)
    if (auto s = slope(points_)) trend = *s;
  detect(trend, send_delta.us() / 1000.0, arrival);
}

void TrendlineEstimator::detect(double trend, double send_delta_ms, base::Timestamp now) {
  if (deltas_ < 2) {
    state_ = BandwidthUsage::Normal;
    return;
  }
  const double modified = static_cast<double>(std::min(deltas_, kMaxDeltas)) * trend * config_.threshold_gain;
  if (modified > threshold_ms_) {
    time_over_using_ms_ = time_over_using_ms_ < 0 ? send_delta_ms / 2 : time_over_using_ms_ + send_delta_ms;
    ++overuse_count_;
    // Over-use needs to last and to still be growing: one late group is
    // jitter, not a queue.
    if (time_over_using_ms_ > config_.overuse_time.us() / 1000.0 && overuse_count_ > 1 && trend >= previous_trend_) {
      time_over_using_ms_ = 0;
      overuse_count_ = 0;
      state_ = BandwidthUsage::Overusing;
    }
  } else if (modified < -threshold_ms_) {
    time_over_using_ms_ = -1;
    overuse_count_ = 0;
    state_ = BandwidthUsage::Underusing;
  } else {
    time_over_using_ms_ = -1;
    overuse_count_ = 0;
    state_ = BandwidthUsage::Normal;
  }
  previous_trend_ = trend;
  trend_ = trend;
  update_threshold(modified, now);
}

void TrendlineEstimator::update_threshold(double modified, base::Timestamp now) {
  if (!last_threshold_update_) last_threshold_update_ = now;
  if (std::fabs(modified) > threshold_ms_ + kMaxAdaptOffsetMs) {
    last_threshold_update_ = now;
    return;
  }
  const double k = std::fabs(modified) < threshold_ms_ ? config_.k_down : config_.k_up;
  const double dt_ms = std::clamp<double>((now - *last_threshold_update_).us() / 1000.0, 0, 100);
  threshold_ms_ += k * (std::fabs(modified) - threshold_ms_) * dt_ms;
  threshold_ms_ = std::clamp(threshold_ms_, kMinThresholdMs, kMaxThresholdMs);
  last_threshold_update_ = now;
}

}  // namespace wasmrtc::cc
