#include "turn/request_timer.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasmrtc::turn {
namespace {

using base::Duration;
using base::Timestamp;

// RFC 8489 section 6.2.1's example: sends at 0, 500, 1500, 3500, 7500,
// 15500 and 31500 ms; failure at 39500 ms.
TEST(TurnRequestTimer, DatagramSchedule) {
  const Timestamp start = Timestamp::from_millis(1000);
  RequestTimer t(false, start);
  std::vector<int64_t> sends = {0};
  int64_t gave_up_at = -1;
  for (int i = 0; i < 20 && gave_up_at < 0; ++i) {
    const Timestamp at = t.deadline();
    EXPECT_EQ(t.on_timeout(at - Duration::millis(1)), RequestTimer::Step::Wait);
    switch (t.on_timeout(at)) {
      case RequestTimer::Step::Retransmit: sends.push_back((at - start).ms()); break;
      case RequestTimer::Step::GiveUp: gave_up_at = (at - start).ms(); break;
      case RequestTimer::Step::Wait: FAIL();
    }
  }
  EXPECT_EQ(sends, (std::vector<int64_t>{0, 500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_EQ(gave_up_at, 39500);
  EXPECT_EQ(t.transmissions(), RequestTimer::kRc);
}

// Section 6.2.2: reliable transports, no retransmission, 39.5 s.
TEST(TurnRequestTimer, StreamOnlyTimesOut) {
  const Timestamp start = Timestamp::from_millis(0);
  RequestTimer t(true, start);
  EXPECT_EQ(t.deadline(), start + Duration::millis(39500));
  EXPECT_EQ(t.on_timeout(start + Duration::millis(39499)), RequestTimer::Step::Wait);
  EXPECT_EQ(t.on_timeout(start + Duration::millis(39500)), RequestTimer::Step::GiveUp);
  EXPECT_EQ(t.transmissions(), 1);
}

}  // namespace
}  // namespace wasmrtc::turn
