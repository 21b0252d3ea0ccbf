#include "turn/request_timer.h"

namespace wasmrtc::turn {

RequestTimer::RequestTimer(bool reliable, base::Timestamp now, base::Duration initial_rto)
    : reliable_(reliable), initial_rto_(initial_rto), rto_(initial_rto) {
  deadline_ = now + (reliable_ ? kReliableTimeout : rto_);
}

RequestTimer::Step RequestTimer::on_timeout(base::Timestamp now) {
  if (now < deadline_) return Step::Wait;
  if (reliable_ || transmissions_ >= kRc) return Step::GiveUp;
  ++transmissions_;
  if (transmissions_ == kRc) {
    // Section 6.2.1: after the last transmission wait Rm * RTO (the first RTO).
    deadline_ = now + initial_rto_ * kRm;
  } else {
    rto_ = rto_ * 2;
    deadline_ = now + rto_;
  }
  return Step::Retransmit;
}

}  // namespace wasmrtc::turn
