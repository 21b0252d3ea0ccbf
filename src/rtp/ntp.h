// NTP timestamps as RTCP uses them (RFC 3550 section 4): seconds since
// 1900-01-01 00:00 UTC in 32.32 fixed point, and the "compact" middle 32 bits
// (16.16) that LSR and DLSR carry (section 6.4.1); and durations as RTP
// timestamp ticks.
//
// Nothing here reads a clock: the caller converts its own wall clock, given
// as microseconds since the Unix epoch, with NtpTime::from_unix_micros().
// The seconds field wraps in 2036 (era 1); conversions work modulo 2^32 s,
// as RFC 3550 section 4 allows ("wrap-around ... will not matter").
#pragma once

#include <cstdint>

#include "base/time.h"

namespace wasmrtc::rtp {

class NtpTime {
 public:
  // 1900-01-01 to 1970-01-01: 70 years with 17 leap days.
  static constexpr uint64_t kUnixEpochOffsetSeconds = 2208988800u;

  constexpr NtpTime() = default;
  constexpr explicit NtpTime(uint64_t value) : value_(value) {}
  constexpr NtpTime(uint32_t seconds, uint32_t fraction)
      : value_(uint64_t{seconds} << 32 | fraction) {}

  // `us` microseconds since 1970-01-01 00:00 UTC; the fraction is rounded
  // to the nearest 1/2^32 s.
  static constexpr NtpTime from_unix_micros(int64_t us) {
    int64_t secs = us / 1000000;
    int64_t rem = us % 1000000;
    if (rem < 0) {
      rem += 1000000;
      secs -= 1;
    }
    const uint64_t fraction = ((static_cast<uint64_t>(rem) << 32) + 500000) / 1000000;
    const uint64_t seconds = static_cast<uint64_t>(secs) + kUnixEpochOffsetSeconds;
    return NtpTime(static_cast<uint32_t>(seconds), static_cast<uint32_t>(fraction));
  }

  // The inverse, rounded to the nearest microsecond, for times in era 0
  // (1900-2036).
  constexpr int64_t to_unix_micros() const {
    const int64_t secs = static_cast<int64_t>(seconds()) - static_cast<int64_t>(kUnixEpochOffsetSeconds);
    const int64_t frac_us = static_cast<int64_t>((uint64_t{fraction()} * 1000000 + (uint64_t{1} << 31)) >> 32);
    return secs * 1000000 + frac_us;
  }

  constexpr uint64_t value() const { return value_; }
  constexpr uint32_t seconds() const { return static_cast<uint32_t>(value_ >> 32); }
  constexpr uint32_t fraction() const { return static_cast<uint32_t>(value_); }
  // RFC 3550 section 6.4.1, LSR: "the middle 32 bits out of 64 in the NTP
  // timestamp", i.e. 16.16 fixed point seconds.
  constexpr uint32_t compact() const { return static_cast<uint32_t>(value_ >> 16); }

  constexpr auto operator<=>(const NtpTime&) const = default;

 private:
  uint64_t value_ = 0;
};

// A compact (16.16) NTP interval, e.g. DLSR or a round-trip time, as a
// Duration, rounded to the nearest microsecond.
constexpr base::Duration compact_ntp_to_duration(uint32_t compact) {
  return base::Duration::micros(static_cast<int64_t>((uint64_t{compact} * 1000000 + 32768) >> 16));
}

// A non-negative Duration as compact NTP units (1/65536 s), rounded to the
// nearest unit and saturated at 0xFFFFFFFF (about 18 hours); negative is 0.
constexpr uint32_t duration_to_compact_ntp(base::Duration d) {
  if (d.us() <= 0) return 0;
  const uint64_t us = static_cast<uint64_t>(d.us());
  if (us >= uint64_t{0xFFFFFFFF} * 1000000 / 65536) return 0xFFFFFFFF;
  return static_cast<uint32_t>(((us << 16) + 500000) / 1000000);
}

// RTP timestamp units in `d` at `clock_rate` Hz, rounded toward minus
// infinity, modulo 2^32 (RTP timestamps wrap; RFC 3550 section 5.1). Exact
// for any duration: only the product modulo 2^32 is needed, so unsigned
// wrap-around does no harm.
constexpr uint32_t rtp_ticks(base::Duration d, uint32_t clock_rate) {
  int64_t secs = d.us() / 1000000;
  int64_t rem = d.us() % 1000000;
  if (rem < 0) {
    rem += 1000000;
    secs -= 1;
  }
  const uint64_t whole = static_cast<uint64_t>(secs) * clock_rate;
  const uint64_t part = static_cast<uint64_t>(rem) * clock_rate / 1000000;
  return static_cast<uint32_t>(whole + part);
}

}  // namespace wasmrtc::rtp
