// Clock-free time. Nothing in src/ reads a clock: the embedder passes `now`
// into every protocol object, so tests can run faster than real time
// (STYLE.md, "Time is a parameter"). A Timestamp counts microseconds from
// an epoch the caller chooses; only differences between Timestamps mean
// anything.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

namespace wasmrtc::base {

class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration micros(int64_t us) { return Duration(us); }
  static constexpr Duration millis(int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1000000); }
  static constexpr Duration zero() { return Duration(0); }

  constexpr int64_t us() const { return us_; }
  // Whole milliseconds, rounded toward zero.
  constexpr int64_t ms() const { return us_ / 1000; }

  constexpr Duration operator+(Duration o) const { return Duration(us_ + o.us_); }
  constexpr Duration operator-(Duration o) const { return Duration(us_ - o.us_); }
  constexpr Duration operator-() const { return Duration(-us_); }
  constexpr Duration operator*(int64_t k) const { return Duration(us_ * k); }
  // Integer division, rounded toward zero; `k` must not be 0.
  constexpr Duration operator/(int64_t k) const { return Duration(us_ / k); }
  constexpr Duration& operator+=(Duration o) { us_ += o.us_; return *this; }
  constexpr Duration& operator-=(Duration o) { us_ -= o.us_; return *this; }

  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp from_micros(int64_t us) { return Timestamp(us); }
  static constexpr Timestamp from_millis(int64_t ms) { return Timestamp(ms * 1000); }

  constexpr int64_t us() const { return us_; }
  constexpr int64_t ms() const { return us_ / 1000; }

  constexpr Timestamp operator+(Duration d) const { return Timestamp(us_ + d.us()); }
  constexpr Timestamp operator-(Duration d) const { return Timestamp(us_ - d.us()); }
  constexpr Duration operator-(Timestamp o) const { return Duration::micros(us_ - o.us_); }
  constexpr Timestamp& operator+=(Duration d) { us_ += d.us(); return *this; }

  constexpr auto operator<=>(const Timestamp&) const = default;

 private:
  constexpr explicit Timestamp(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// An optional wake-up time: what a sans-IO object reports as "call my
// timeout(now) no later than this". Unset means "no timer pending".
class Deadline {
 public:
  constexpr Deadline() = default;
  constexpr Deadline(Timestamp at) : at_(at) {}  // NOLINT: implicit on purpose
  static constexpr Deadline none() { return Deadline(); }

  constexpr bool is_set() const { return at_.has_value(); }
  constexpr const std::optional<Timestamp>& get() const { return at_; }
  // Precondition: is_set().
  constexpr Timestamp value() const { return *at_; }

  constexpr void set(Timestamp at) { at_ = at; }
  constexpr void clear() { at_.reset(); }

  // True when set and `now` has reached it.
  constexpr bool is_due(Timestamp now) const { return at_ && *at_ <= now; }

  // If due, clears it and returns true: a one-shot timer firing.
  constexpr bool expire_if_due(Timestamp now) {
    if (!is_due(now)) return false;
    at_.reset();
    return true;
  }

  // Time left until the deadline (zero or negative when due); nullopt when unset.
  constexpr std::optional<Duration> remaining(Timestamp now) const {
    if (!at_) return std::nullopt;
    return *at_ - now;
  }

  // Keeps the earlier of this and `other` (an unset side never wins).
  constexpr Deadline& merge(Deadline other) {
    if (other.at_ && (!at_ || *other.at_ < *at_)) at_ = other.at_;
    return *this;
  }

  constexpr bool operator==(const Deadline&) const = default;

 private:
  std::optional<Timestamp> at_;
};

// The earlier of two deadlines; unset only if both are.
constexpr Deadline earliest(Deadline a, Deadline b) { return a.merge(b); }

}  // namespace wasmrtc::base
