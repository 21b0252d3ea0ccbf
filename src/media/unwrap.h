// Extends wrapping RTP counters to 64 bits (RFC 3550 A.1): each new value
// is taken as the nearest one to the highest seen, so 65535 -> 0 counts up
// and a reordered 65534 after 0 counts down. Starts at 2^bits so that
// going back from the first value never goes negative.
#pragma once

#include <cstdint>
#include <optional>

namespace wasmrtc::media {

template <typename T>  // uint16_t (sequence numbers) or uint32_t (timestamps)
class Unwrapper {
 public:
  static constexpr int64_t kRange = int64_t{1} << (8 * sizeof(T));

  int64_t unwrap(T value) {
    if (!highest_) {
      highest_ = kRange + value;
      return *highest_;
    }
    const T low = static_cast<T>(*highest_);
    // The signed distance, modulo the range: within half the range forward
    // or back.
    int64_t delta = static_cast<int64_t>(static_cast<T>(value - low));
    if (delta >= kRange / 2) delta -= kRange;
    const int64_t extended = *highest_ + delta;
    if (extended > *highest_) highest_ = extended;
    return extended;
  }

  // What unwrap(value) would return, without remembering it.
  int64_t peek(T value) const {
    Unwrapper copy = *this;
    return copy.unwrap(value);
  }

  std::optional<int64_t> highest() const { return highest_; }
  void reset() { highest_.reset(); }

 private:
  std::optional<int64_t> highest_;
};

}  // namespace wasmrtc::media
