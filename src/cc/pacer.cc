#include "cc/pacer.h"

namespace wasmrtc::cc {

void PacingBudget::on_sent(base::Timestamp now, size_t bytes, uint32_t rate_bps) {
  // Idle time earns at most kBurst of credit: after a pause a frame's
  // first packets leave together, the rest at the rate.
  base::Timestamp from = next_ && *next_ > now - kBurst ? *next_ : now - kBurst;
  const uint32_t rate = rate_bps > rate_bps_ ? rate_bps : rate_bps_;
  next_ = from + base::Duration::micros(static_cast<int64_t>(bytes * 8 * 1e6 / rate));
}

}  // namespace wasmrtc::cc
