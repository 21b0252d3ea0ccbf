#include "rtp/rtcp_scheduler.h"

#include <algorithm>

namespace wasmrtc::rtp {
namespace {

base::Duration clamp_interval(base::Duration d) {
  return std::clamp(d, kMinReportInterval, kMaxReportInterval);
}

}  // namespace

base::Duration RtcpScheduler::randomized(base::Duration interval, base::Random& random) {
  // interval/2 + interval * u, u = r / 2^32 in [0, 1). The clamped
  // interval is below 2^32 us, so the product fits in 64 bits.
  const uint64_t us = static_cast<uint64_t>(clamp_interval(interval).us());
  const uint64_t r = random.next_u32();
  return base::Duration::micros(static_cast<int64_t>(us / 2 + ((us * r) >> 32)));
}

RtcpScheduler::RtcpScheduler(base::Duration interval, base::Random& random, base::Timestamp now)
    : interval_(clamp_interval(interval)), random_(random) {
  next_regular_ = now + randomized(interval_, random_) / 2;
}

base::Deadline RtcpScheduler::poll_timeout() const {
  return base::earliest(base::Deadline(next_regular_), early_);
}

bool RtcpScheduler::handle_timeout(base::Timestamp now) {
  if (now >= next_regular_) {
    // RFC 3550 6.3.6: on expiry send, then compute the next interval from now.
    next_regular_ = now + randomized(interval_, random_);
    early_.clear();
    allow_early_ = true;
    return true;
  }
  if (early_.expire_if_due(now)) return true;
  return false;
}

bool RtcpScheduler::request_early_report(base::Timestamp now) {
  if (early_.is_set()) return true;  // already pending
  if (!allow_early_) return false;
  allow_early_ = false;
  early_.set(now);
  return true;
}

void RtcpScheduler::set_interval(base::Duration interval, base::Timestamp now) {
  interval_ = clamp_interval(interval);
  // From 5 s (audio) to 1 s (video): do not wait out the long interval.
  const base::Timestamp latest = now + interval_ * 3 / 2;
  if (next_regular_ > latest) next_regular_ = now + randomized(interval_, random_);
}

}  // namespace wasmrtc::rtp
