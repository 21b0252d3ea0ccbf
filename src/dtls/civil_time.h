// Internal: Unix time <-> the proleptic Gregorian UTC calendar, for X.509
// validity dates (RFC 5280 section 4.1.2.5). src/ reads no clock: callers
// pass the time in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wasmrtc::dtls::detail {

struct CivilTime {
  int year = 1970;
  int month = 1;   // 1..12
  int day = 1;     // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
};

CivilTime civil_from_unix(int64_t unix_seconds);
// nullopt when a field is out of range (month 13, February 30th, ...).
std::optional<int64_t> unix_from_civil(const CivilTime& t);
// "YYYYMMDDhhmmss", the form mbedtls_x509write_crt_set_validity takes.
std::string x509_time_string(const CivilTime& t);

}  // namespace wasmrtc::dtls::detail
