// The delay-based half of Google congestion control
// (draft-ietf-rmcat-gcc-02 section 5): the slope of the queuing delay over
// the last groups of packets, by least squares over a smoothed
// accumulated delay (libwebrtc's trendline filter, which replaced the
// draft's Kalman filter), compared with an adaptive threshold (section
// 5.4) to say whether the path is over-used, under-used or normal.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "base/time.h"

namespace wasmrtc::cc {

enum class BandwidthUsage { Normal, Underusing, Overusing };

struct TrendlineConfig {
  size_t window = 20;         // groups in the regression
  double smoothing = 0.9;     // of the accumulated delay
  double threshold_gain = 4;  // the slope is scaled by this and the group count
  // Section 5.4: the threshold follows |trend| up slowly (k_u) and down
  // faster (k_d), so a competing TCP flow's standing queue does not starve
  // us, within [6, 600] ms.
  double k_up = 0.0087;
  double k_down = 0.039;
  double initial_threshold_ms = 12.5;
  // Over-use is declared only after it lasted this long and was seen twice.
  base::Duration overuse_time = base::Duration::millis(10);
};

class TrendlineEstimator {
 public:
  explicit TrendlineEstimator(TrendlineConfig c = {}) : config_(c), threshold_ms_(c.initial_threshold_ms) {}

  // One group delta (InterArrival).
  void update(base::Duration arrival_delta, base::Duration send_delta, base::Timestamp arrival);
  BandwidthUsage state() const { return state_; }
  double trend() const { return trend_; }            // ms of delay per ms
  double threshold_ms() const { return threshold_ms_; }

 private:
  void detect(double trend, double send_delta_ms, base::Timestamp now);
  void update_threshold(double modified_trend, base::Timestamp now);

  TrendlineConfig config_;
  std::optional<base::Timestamp> first_arrival_;
  double accumulated_delay_ = 0;
  double smoothed_delay_ = 0;
  std::deque<std::pair<double, double>> points_;  // (ms since first arrival, smoothed delay ms)
  int64_t deltas_ = 0;
  double trend_ = 0;
  double previous_trend_ = 0;
  double threshold_ms_;
  std::optional<base::Timestamp> last_threshold_update_;
  double time_over_using_ms_ = -1;
  int overuse_count_ = 0;
  BandwidthUsage state_ = BandwidthUsage::Normal;
};

}  // namespace wasmrtc::cc
