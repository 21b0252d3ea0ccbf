#include "media/delay_estimator.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace wasmrtc::media {

DelayEstimator::DelayEstimator(DelayEstimatorConfig config) : config_(config) {}

void DelayEstimator::on_packet(base::Timestamp arrival, int64_t media_us) {
  const int64_t arrival_us = arrival.us();
  // Windows end at the latest arrival seen, so an arrival time that goes
  // backwards (a caller's bug, or a fuzzer) cannot empty them.
  if (transits_.empty() || arrival_us > latest_arrival_us_) latest_arrival_us_ = arrival_us;

  transits_.push_back({arrival_us, arrival_us - media_us});
  while (transits_.size() > config_.max_entries ||
         (transits_.size() > 1 &&
          transits_.front().arrival_us < latest_arrival_us_ - config_.reference_window.us())) {
    transits_.pop_front();
  }
  const int64_t relative = arrival_us - media_us - *reference_transit_us();

  relative_delays_.push_back({arrival_us, relative});
  while (relative_delays_.size() > config_.max_entries ||
         (relative_delays_.size() > 1 &&
          relative_delays_.front().arrival_us < latest_arrival_us_ - config_.history.us())) {
    relative_delays_.pop_front();
  }
  update_percentile();
}

std::optional<int64_t> DelayEstimator::reference_transit_us() const {
  if (transits_.empty()) return std::nullopt;
  int64_t lowest = transits_.front().value_us;
  for (const auto& e : transits_) lowest = std::min(lowest, e.value_us);
  return lowest;
}

void DelayEstimator::update_percentile() {
  std::vector<int64_t> values;
  values.reserve(relative_delays_.size());
  for (const auto& e : relative_delays_) values.push_back(e.value_us);
  const double rank = std::ceil(config_.percentile * static_cast<double>(values.size())) - 1;
  const size_t k = static_cast<size_t>(std::clamp(rank, 0.0, static_cast<double>(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(k), values.end());
  relative_delay_ = base::Duration::micros(values[k]);
}

void DelayEstimator::reset() {
  transits_.clear();
  relative_delays_.clear();
  relative_delay_ = base::Duration::zero();
}

}  // namespace wasmrtc::media
