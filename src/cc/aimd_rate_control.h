// Turns the over-use detector's signal into a rate (draft-ietf-rmcat-gcc-02
// section 5.5): increase while the path is normal, multiplicatively until
// we have seen where the path's capacity is and additively (about a packet
// per response time) near it; on over-use drop to beta (0.85) of what was
// acknowledged; hold while under-used, letting the queues drain.
#pragma once

#include <cstdint>
#include <optional>

#include "base/time.h"
#include "cc/trendline.h"

namespace wasmrtc::cc {

class AimdRateControl {
 public:
  static constexpr double kBeta = 0.85;

  AimdRateControl(uint32_t start_bps, uint32_t min_bps, uint32_t max_bps)
      : rate_bps_(start_bps), min_bps_(min_bps), max_bps_(max_bps) {}

  // The detector's state after a feedback report, with the acknowledged
  // rate of that moment.
  uint32_t update(base::Timestamp now, BandwidthUsage usage, std::optional<uint32_t> acknowledged_bps);
  void set_rtt(base::Duration rtt) { rtt_ = rtt; }
  void set_bounds(uint32_t min_bps, uint32_t max_bps);
  // Another estimate (loss) lowered the rate: start increasing from there.
  void cap(uint32_t bps);
  uint32_t bps() const { return rate_bps_; }
  bool near_capacity() const { return capacity_bps_.has_value(); }
  // Before the first over-use: growing at kStartupGrowth a second.
  bool in_startup() const { return startup_; }
  // Without probing (libwebrtc probes at 3x and 6x its start rate), the
  // first seconds grow fast until the path first pushes back; then 8 %/s.
  static constexpr double kStartupGrowth = 1.5;

 private:
  enum class State { Hold, Increase, Decrease };
  double additive_increase_bps(base::Duration since_last) const;

  uint32_t rate_bps_;
  uint32_t min_bps_;
  uint32_t max_bps_;
  State state_ = State::Increase;
  bool startup_ = true;
  std::optional<base::Timestamp> last_change_;
  base::Duration rtt_ = base::Duration::millis(200);
  // Where over-use happened, averaged (section 5.5 "near max"), with its
  // variance: far above it the path has changed and we search again.
  std::optional<double> capacity_bps_;
  double capacity_variance_ = 0.4;
};

}  // namespace wasmrtc::cc
