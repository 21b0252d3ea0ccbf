#include "ice/transaction.h"

#include <algorithm>

#include "base/random.h"

namespace wasmrtc::ice {

using base::Duration;

RetransmitPolicy server_policy(Duration rto) {
  return RetransmitPolicy{rto, Duration::seconds(3600), 7, rto * 16};
}

RetransmitPolicy check_policy(Duration rto) {
  const Duration cap = std::max(rto, Duration::millis(1600));
  return RetransmitPolicy{rto, cap, 7, cap};
}

RetransmitPolicy consent_policy(Duration rto) {
  const Duration cap = std::max(rto, Duration::seconds(1));
  return RetransmitPolicy{rto, cap, 8, cap};
}

StunTransaction::StunTransaction(base::Bytes request, Route route, base::SocketAddress destination,
                                 base::Timestamp now, RetransmitPolicy policy)
    : request_(std::move(request)),
      route_(route),
      destination_(destination),
      policy_(policy),
      rto_(policy.rto),
      first_sent_(now),
      last_sent_(now) {
  next_ = now + (policy_.max_transmissions > 1 ? rto_ : policy_.last_wait);
}

StunTransaction::Step StunTransaction::on_timeout(base::Timestamp now) {
  if (!next_.is_due(now)) return Step::Wait;
  if (transmissions_ >= policy_.max_transmissions) {
    next_.clear();
    return Step::TimedOut;
  }
  ++transmissions_;
  rto_ = std::min(rto_ * 2, policy_.max_rto);
  next_ = now + (transmissions_ >= policy_.max_transmissions ? policy_.last_wait : rto_);
  if (cancelled_) return Step::Wait;
  last_sent_ = now;
  return Step::Retransmit;
}

stun::TransactionId random_transaction_id(base::Random& random) {
  stun::TransactionId id;
  random.fill(id);
  return id;
}

}  // namespace wasmrtc::ice
