// NTP timestamps (RFC 3550 section 4) from a caller-supplied Unix time, and
// the compact 16.16 form of LSR/DLSR (section 6.4.1).
#include "rtp/ntp.h"

#include <gtest/gtest.h>

namespace wasmrtc::rtp {
namespace {

TEST(rtp_Ntp, FromUnixMicros) {
  EXPECT_EQ(NtpTime::from_unix_micros(0), NtpTime(2208988800u, 0));
  // 2023-11-14 22:13:20.25 UTC.
  const NtpTime t = NtpTime::from_unix_micros(int64_t{1700000000} * 1000000 + 250000);
  EXPECT_EQ(t.seconds(), 0xe8fe6f80u);
  EXPECT_EQ(t.fraction(), 0x40000000u);
  EXPECT_EQ(t.value(), 0xe8fe6f8040000000ull);
  EXPECT_EQ(t.to_unix_micros(), int64_t{1700000000} * 1000000 + 250000);
  // 1 us is 4294.967296 units of 2^-32 s: rounds to 4295.
  EXPECT_EQ(NtpTime::from_unix_micros(1).fraction(), 4295u);
  EXPECT_EQ(NtpTime::from_unix_micros(1).to_unix_micros(), 1);
  // Before the Unix epoch: one microsecond earlier than 1970.
  const NtpTime before = NtpTime::from_unix_micros(-1);
  EXPECT_EQ(before.seconds(), 2208988799u);
  EXPECT_EQ(before.to_unix_micros(), -1);
}

TEST(rtp_Ntp, CompactForm) {
  EXPECT_EQ(NtpTime(0x12345678u, 0x9abcdef0u).compact(), 0x56789abcu);
  EXPECT_EQ(compact_ntp_to_duration(0x10000), base::Duration::seconds(1));
  EXPECT_EQ(compact_ntp_to_duration(0x8000), base::Duration::millis(500));
  EXPECT_EQ(compact_ntp_to_duration(1), base::Duration::micros(15));  // 15.26 us
  EXPECT_EQ(duration_to_compact_ntp(base::Duration::millis(500)), 0x8000u);
  EXPECT_EQ(duration_to_compact_ntp(base::Duration::millis(1250)), 81920u);
  EXPECT_EQ(duration_to_compact_ntp(base::Duration::micros(-5)), 0u);
  EXPECT_EQ(duration_to_compact_ntp(base::Duration::seconds(100000)), 0xFFFFFFFFu);
}

}  // namespace
}  // namespace wasmrtc::rtp
