// Internal to ice/: consent freshness (RFC 7675) and liveness of the
// selected pair. Only timing lives here; the agent sends the Binding
// requests (section 5.1) this asks for and reports what it hears.
//
//  - consent: refreshed by each authenticated success response to our
//    requests; lost failed_timeout (30 s, section 5.1) after the last one,
//    after which no more data may be sent.
//  - liveness (W3C "disconnected"): anything authenticated heard from the
//    peer on the pair (responses, its own checks, data). Silence for
//    disconnected_timeout -> Disconnected; when the pair has been quiet for
//    two fifths of that and no request is outstanding, a request goes out
//    at once rather than at the next interval, so a healthy idle (or lossy)
//    pair is not reported disconnected between two 4-6 s requests.
#pragma once

#include "base/random.h"
#include "base/time.h"
#include "ice/agent.h"

namespace wasmrtc::ice {

class Consent {
 public:
  explicit Consent(const Config& config) : config_(config) {}

  // A pair was selected: it has just been checked, so consent is fresh.
  void start(base::Timestamp now, base::Random& random);
  void stop() { active_ = false; }
  bool active() const { return active_; }

  void heard(base::Timestamp now);    // authenticated traffic from the peer
  void granted(base::Timestamp now);  // a success response to a consent request

  bool request_due(base::Timestamp now, bool outstanding) const;
  void request_sent(base::Timestamp now, base::Random& random);

  bool disconnected(base::Timestamp now) const;
  bool expired(base::Timestamp now) const;
  // The next instant any of the above may change.
  base::Deadline deadline(base::Timestamp now, bool outstanding) const;

 private:
  base::Timestamp quiet_at() const;
  // Section 5.1: uniformly in [0.8, 1.2] times the interval.
  base::Duration randomised_interval(base::Random& random) const;

  const Config& config_;
  bool active_ = false;
  base::Timestamp last_consent_;
  base::Timestamp last_heard_;
  base::Timestamp last_request_;
  base::Timestamp next_request_;
};

}  // namespace wasmrtc::ice
