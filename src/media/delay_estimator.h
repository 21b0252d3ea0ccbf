// How much delay a jitter buffer needs, from packet arrival times.
//
// Each packet's transit is its arrival time minus its media time (RTP
// timestamp in microseconds), as in RFC 3550 6.4.1; only differences of
// transits mean anything, since the two clocks have unrelated origins.
// The reference is the smallest transit over a short window (the packet
// that came fastest lately); a packet's relative delay is how much later
// than that it came. The target delay covers a percentile of the relative
// delays over a longer history.
//
// Why two windows: the reference must be recent, or a sender clock
// running slower than ours (transits growing) would make every packet look
// late by the drift accumulated over the window; the history must be long,
// or the buffer forgets a jitter spike as soon as it has passed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "base/time.h"

namespace wasmrtc::media {

struct DelayEstimatorConfig {
  base::Duration reference_window = base::Duration::seconds(2);
  base::Duration history = base::Duration::seconds(10);
  double percentile = 0.95;
  size_t max_entries = 1000;  // bounds memory whatever the packet rate
};

class DelayEstimator {
 public:
  explicit DelayEstimator(DelayEstimatorConfig config = {});

  // A packet with media time `media_us` (RTP timestamp / clock rate) arrived.
  void on_packet(base::Timestamp arrival, int64_t media_us);

  // The smallest transit over the reference window: a packet with media
  // time m that came as fast as that arrived at m + reference. Unset
  // before the first packet.
  std::optional<int64_t> reference_transit_us() const;

  // The configured percentile of the relative delays in the history.
  base::Duration relative_delay() const { return relative_delay_; }

  void reset();

 private:
  struct Entry {
    int64_t arrival_us;
    int64_t value_us;
  };
  void update_percentile();

  DelayEstimatorConfig config_;
  std::deque<Entry> transits_;        // within reference_window
  std::deque<Entry> relative_delays_; // within history
  int64_t latest_arrival_us_ = 0;
  base::Duration relative_delay_;
};

}  // namespace wasmrtc::media
