// Internal to ice/: one STUN client transaction over an unreliable path,
// retransmitted on a doubling timer (RFC 8489 section 6.2.1). Knows nothing
// of what the request is for; its owner sends the bytes when told to.
#pragma once

#include "base/bytes.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "ice/route.h"
#include "stun/message.h"

namespace wasmrtc::ice {

struct RetransmitPolicy {
  base::Duration rto;        // first retransmission after this (RFC 8489: RTO)
  base::Duration max_rto;    // doubling stops here (not in RFC 8489; keeps checks short)
  int max_transmissions;     // Rc
  base::Duration last_wait;  // after the last transmission (RFC 8489: Rm * RTO)
};

// RFC 8489 section 6.2.1 defaults: Rc = 7, Rm = 16, doubling without a cap.
// Used towards STUN servers (srflx gathering, RFC 8445 section 5.1.1.2).
RetransmitPolicy server_policy(base::Duration rto);
// Connectivity checks (RFC 8445 section 14.3 RTO): 7 transmissions, the
// doubling capped at 1.6 s, so a check gives up after about 9.5 s.
RetransmitPolicy check_policy(base::Duration rto);
// Consent (RFC 7675 section 5.1): eight transmissions, doubling up to 1 s.
// The caller passes an RTO from the pair's measured RTT (RFC 8489 6.2.1
// allows it once the RTT is known).
RetransmitPolicy consent_policy(base::Duration rto);

class StunTransaction {
 public:
  enum class Step { Wait, Retransmit, TimedOut };

  // The first transmission happens at `now` (the caller sends it).
  StunTransaction(base::Bytes request, Route route, base::SocketAddress destination,
                  base::Timestamp now, RetransmitPolicy policy);

  // Call when deadline() is due: Retransmit means send request() again.
  Step on_timeout(base::Timestamp now);
  base::Deadline deadline() const { return next_; }

  // RFC 8445 section 7.3.1.4 "cancel": no more retransmissions, but a
  // response is still accepted until the transaction would have timed out.
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

  const base::Bytes& request() const { return request_; }
  const Route& route() const { return route_; }
  const base::SocketAddress& destination() const { return destination_; }
  base::Timestamp first_sent() const { return first_sent_; }
  base::Timestamp last_sent() const { return last_sent_; }
  int transmissions() const { return transmissions_; }

 private:
  base::Bytes request_;
  Route route_;
  base::SocketAddress destination_;
  RetransmitPolicy policy_;
  base::Duration rto_;
  base::Timestamp first_sent_;
  base::Timestamp last_sent_;
  base::Deadline next_;
  int transmissions_ = 1;
  bool cancelled_ = false;
};

// A fresh random transaction id (RFC 8489 section 5: 96 random bits).
stun::TransactionId random_transaction_id(base::Random& random);

}  // namespace wasmrtc::ice
