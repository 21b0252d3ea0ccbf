#include "cc/inter_arrival.h"

namespace wasmrtc::cc {

bool InterArrival::belongs_to_current(base::Timestamp send_time, base::Timestamp arrival) const {
  if (send_time - current_->first_send <= kBurst) return true;
  // A burst that the network delivered together although it was sent
  // apart (a queue emptied at once) is one group too: arrived within the
  // burst time and earlier than its send spacing would say (libwebrtc's
  // InterArrival::BelongsToBurst).
  const base::Duration arrival_delta = arrival - current_->last_arrival;
  const base::Duration send_delta = send_time - current_->last_send;
  return arrival_delta < send_delta && arrival_delta <= kBurst && arrival - current_->first_arrival < base::Duration::millis(100);
}

std::optional<GroupDelta> InterArrival::on_packet(base::Timestamp send_time, base::Timestamp arrival, size_t bytes) {
  if (!current_) {
    current_ = Group{send_time, send_time, arrival, arrival, static_cast<int64_t>(bytes)};
    return std::nullopt;
  }
  // Reordered in sending (a retransmission stamped late): not part of the model.
  if (send_time < current_->first_send) return std::nullopt;
  if (belongs_to_current(send_time, arrival)) {
    if (send_time > current_->last_send) current_->last_send = send_time;
    if (arrival > current_->last_arrival) current_->last_arrival = arrival;
    current_->bytes += static_cast<int64_t>(bytes);
    return std::nullopt;
  }
  std::optional<GroupDelta> out;
  if (previous_) {
    GroupDelta d;
    d.send_delta = current_->last_send - previous_->last_send;
    d.arrival_delta = current_->last_arrival - previous_->last_arrival;
    d.arrival = current_->last_arrival;
    d.size_delta = current_->bytes - previous_->bytes;
    // A receiver clock that jumped (or packets delivered far out of order)
    // says nothing about queues: start over.
    if (d.arrival_delta < base::Duration::zero() && -d.arrival_delta > base::Duration::seconds(3)) {
      reset();
      return std::nullopt;
    }
    out = d;
  }
  previous_ = current_;
  current_ = Group{send_time, send_time, arrival, arrival, static_cast<int64_t>(bytes)};
  return out;
}

void InterArrival::reset() {
  current_.reset();
  previous_.reset();
}

}  // namespace wasmrtc::cc
