// The rate the path actually delivered: bytes of acknowledged packets over
// a sliding window of their arrival times. Over-use cuts the estimate to a
// fraction of this (draft-ietf-rmcat-gcc-02 section 5.5), never of what we
// merely wished to send.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "base/time.h"

namespace wasmrtc::cc {

class AcknowledgedBitrate {
 public:
  static constexpr base::Duration kWindow = base::Duration::millis(500);
  // Less than this much arrival time says too little about the rate.
  static constexpr base::Duration kMinSpan = base::Duration::millis(150);

  void on_acknowledged(base::Timestamp arrival, size_t bytes);
  std::optional<uint32_t> bps() const;

 private:
  std::deque<std::pair<base::Timestamp, size_t>> packets_;  // by arrival
  size_t bytes_ = 0;
};

}  // namespace wasmrtc::cc
