// When to retransmit a STUN request and when to give up on it
// (RFC 8489 section 6.2), as a sans-IO timer the client polls.
//
// Over a datagram path (section 6.2.1): the first RTO is 500 ms and doubles
// after each retransmission; Rc = 7 transmissions in all, then Rm = 16 times
// the first RTO of silence after the last one. With the defaults requests
// go out at 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s, and the transaction
// fails at 39.5 s.
// Over a stream (section 6.2.2) the transport is reliable: no
// retransmission, and the transaction fails after Ti = 39.5 s.
#pragma once

#include <cstdint>

#include "base/time.h"

namespace wasmrtc::turn {

class RequestTimer {
 public:
  static constexpr base::Duration kInitialRto = base::Duration::millis(500);
  static constexpr int kRc = 7;
  static constexpr int kRm = 16;
  static constexpr base::Duration kReliableTimeout = base::Duration::millis(39500);

  enum class Step : uint8_t {
    Wait,        // not due yet
    Retransmit,  // send the request again now
    GiveUp,      // the transaction failed (timeout)
  };

  // Starts timing a request first sent at `now`.
  RequestTimer(bool reliable, base::Timestamp now, base::Duration initial_rto = kInitialRto);

  base::Timestamp deadline() const { return deadline_; }
  int transmissions() const { return transmissions_; }

  // Call at or after deadline(); earlier calls return Wait.
  Step on_timeout(base::Timestamp now);

 private:
  bool reliable_;
  base::Duration initial_rto_;
  base::Duration rto_;
  int transmissions_ = 1;
  base::Timestamp deadline_;
};

}  // namespace wasmrtc::turn
