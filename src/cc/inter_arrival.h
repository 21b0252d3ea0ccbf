// Groups packets into send bursts and gives the delay variation between
// consecutive groups (draft-ietf-rmcat-gcc-02 section 5.2 "arrival-time
// model"): d(i) = t(i) - t(i-1) - (T(i) - T(i-1)), with t the arrival and T
// the send time of each group's last packet. A group is what left within
// 5 ms of its first packet: the pacer sends a frame as a burst, and the
// burst as a whole is what the path delays.
#pragma once

#include <optional>

#include "base/time.h"

namespace wasmrtc::cc {

struct GroupDelta {
  base::Duration send_delta;     // T(i) - T(i-1)
  base::Duration arrival_delta;  // t(i) - t(i-1)
  base::Timestamp arrival;       // t(i), in the receiver's clock
  int64_t size_delta = 0;        // bytes of group i minus group i-1
};

class InterArrival {
 public:
  static constexpr base::Duration kBurst = base::Duration::millis(5);

  // One acknowledged packet, in send order. Returns the delta between the
  // two groups before this packet when it starts a new group.
  std::optional<GroupDelta> on_packet(base::Timestamp send_time, base::Timestamp arrival, size_t bytes);
  void reset();

 private:
  struct Group {
    base::Timestamp first_send;
    base::Timestamp last_send;
    base::Timestamp first_arrival;
    base::Timestamp last_arrival;
    int64_t bytes = 0;
  };
  bool belongs_to_current(base::Timestamp send_time, base::Timestamp arrival) const;

  std::optional<Group> current_;
  std::optional<Group> previous_;
};

}  // namespace wasmrtc::cc
