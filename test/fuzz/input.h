// The byte cursor the fuzz targets that script a sequence of operations
// read their input with: past the end every read gives zeros, so any input
// is a whole script.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace wasmrtc::fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // `n` bytes, big-endian.
  uint32_t be(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | byte();
    return v;
  }
  // Up to `n` bytes (fewer at the end).
  base::ByteView take(size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    base::ByteView v(data_ + pos_, n);
    pos_ += n;
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace wasmrtc::fuzz
