#include "ice/consent.h"

#include <algorithm>

namespace wasmrtc::ice {

using base::Duration;
using base::Timestamp;

Duration Consent::randomised_interval(base::Random& random) const {
  const int64_t base_us = config_.consent_interval.us();
  const int64_t spread = base_us * 4 / 10;  // 0.8 .. 1.2
  const auto span = static_cast<uint32_t>(std::clamp<int64_t>(spread, 1, UINT32_MAX));
  return Duration::micros(base_us * 8 / 10 + random.uniform(span + 1));
}

void Consent::start(Timestamp now, base::Random& random) {
  active_ = true;
  last_consent_ = now;
  last_heard_ = now;
  last_request_ = now;
  next_request_ = now + randomised_interval(random);
}

Timestamp Consent::quiet_at() const {
  // Two fifths of disconnected_timeout: time for a few retransmissions
  // before the pair would be reported disconnected.
  return last_heard_ + config_.disconnected_timeout * 2 / 5;
}

void Consent::heard(Timestamp now) {
  if (active_) last_heard_ = std::max(last_heard_, now);
}

void Consent::granted(Timestamp now) {
  if (!active_) return;
  last_consent_ = std::max(last_consent_, now);
  heard(now);
}

bool Consent::request_due(Timestamp now, bool outstanding) const {
  if (!active_) return false;
  if (now >= next_request_) return true;
  return !outstanding && now >= quiet_at() && now >= last_request_ + config_.stun_rto;
}

void Consent::request_sent(Timestamp now, base::Random& random) {
  last_request_ = now;
  next_request_ = now + randomised_interval(random);
}

bool Consent::disconnected(Timestamp now) const {
  return active_ && now - last_heard_ > config_.disconnected_timeout;
}

bool Consent::expired(Timestamp now) const {
  return active_ && now - last_consent_ >= config_.failed_timeout;
}

base::Deadline Consent::deadline(Timestamp now, bool outstanding) const {
  base::Deadline d;
  if (!active_) return d;
  d.merge(next_request_);
  if (!outstanding) {
    d.merge(std::max(quiet_at(), last_request_ + config_.stun_rto));
  }
  // One microsecond past the limit: disconnected() is a strict comparison.
  const Timestamp disconnect_at = last_heard_ + config_.disconnected_timeout + Duration::micros(1);
  if (disconnect_at > now) d.merge(disconnect_at);
  const Timestamp expire_at = last_consent_ + config_.failed_timeout;
  if (expire_at > now) d.merge(expire_at);
  return d;
}

}  // namespace wasmrtc::ice
