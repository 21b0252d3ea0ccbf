#include "dtls/civil_time.h"

#include <cstdio>

namespace wasmrtc::dtls::detail {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

// Floor division, for dates before 1970.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days from 1970-01-01 to Y-M-D. Counts in a calendar shifted to start in
// March, so the leap day is the last day of the shifted year, and in
// 400-year cycles of 146097 days.
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t cycle = floor_div(y, 400);
  const int64_t year_of_cycle = y - cycle * 400;                           // 0..399
  const int64_t shifted_month = m > 2 ? m - 3 : m + 9;                    // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + d - 1;      // 0..365
  const int64_t day_of_cycle =
      year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100 + day_of_year;
  return cycle * 146097 + day_of_cycle - 719468;  // 719468: 0000-03-01 to 1970-01-01
}

}  // namespace

CivilTime civil_from_unix(int64_t unix_seconds) {
  const int64_t days = floor_div(unix_seconds, kSecondsPerDay);
  const int64_t secs = unix_seconds - days * kSecondsPerDay;
  // Inverse of days_from_civil.
  const int64_t z = days + 719468;
  const int64_t cycle = floor_div(z, 146097);
  const int64_t day_of_cycle = z - cycle * 146097;  // 0..146096
  const int64_t year_of_cycle =
      (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36524 - day_of_cycle / 146096) / 365;
  const int64_t day_of_year =
      day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  t.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  t.year = static_cast<int>(year_of_cycle + cycle * 400 + (t.month <= 2));
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  return t;
}

std::optional<int64_t> unix_from_civil(const CivilTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) ||
      t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 ||
      t.second > 60) {
    return std::nullopt;
  }
  return days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 +
         t.minute * 60 + t.second;
}

std::string x509_time_string(const CivilTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return buf;
}

}  // namespace wasmrtc::dtls::detail
