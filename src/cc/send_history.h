// What we sent with a transport-wide sequence number
// (draft-holmer-rmcat-transport-wide-cc-extensions-01), so that feedback
// about those numbers becomes (send time, arrival time, size) per packet:
// the input of both the delay-based and the loss-based estimators.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "base/time.h"
#include "rtp/transport_feedback.h"

namespace wasmrtc::cc {

struct PacketResult {
  int64_t sequence = 0;  // unwrapped transport-wide sequence number
  base::Timestamp send_time;
  size_t bytes = 0;
  std::optional<base::Timestamp> arrival;  // in the receiver's clock; none when reported lost
};

class SendHistory {
 public:
  // Feedback older than this is of no use to the estimators; it also bounds memory.
  static constexpr base::Duration kMaxAge = base::Duration::seconds(2);
  static constexpr size_t kMaxPackets = 8192;

  void on_sent(base::Timestamp now, uint16_t transport_sequence, size_t bytes);
  // The packets a feedback report covers that we still remember, in
  // sequence order; each reported once as received (a packet first
  // reported lost may be reported received later).
  std::vector<PacketResult> on_feedback(const rtp::TransportFeedback& f);
  // Bytes sent and not yet reported on.
  size_t bytes_in_flight() const { return in_flight_; }

 private:
  struct Sent {
    int64_t sequence;
    base::Timestamp send_time;
    size_t bytes;
    bool reported = false;   // received, or lost: in flight no more
    bool received = false;
  };
  int64_t unwrap(uint16_t seq) const;
  void prune(base::Timestamp now);

  std::deque<Sent> sent_;  // by sequence, contiguous
  size_t in_flight_ = 0;
  std::optional<int64_t> last_reference_;  // 24-bit reference time, unwrapped
};

}  // namespace wasmrtc::cc
