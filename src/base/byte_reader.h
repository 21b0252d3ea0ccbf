// Big-endian (network order) reads from a byte view. Every read checks the
// remaining length first: on short input it returns nullopt/false and leaves
// the position unchanged, so a parser can never read past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.h"

namespace wasmrtc::base {

class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}

  std::optional<uint8_t> u8();
  std::optional<uint16_t> u16();
  std::optional<uint32_t> u24();
  std::optional<uint32_t> u32();
  std::optional<uint64_t> u64();

  // The next `n` bytes as a view into the same buffer.
  std::optional<ByteView> bytes(size_t n);

  // Advances by `n`; false (and no move) if fewer than `n` remain.
  bool skip(size_t n);

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  // Everything not yet read.
  ByteView rest() const { return data_.subspan(pos_); }

 private:
  // Reads `n` (<= 8) bytes as a big-endian unsigned number.
  std::optional<uint64_t> read_be(size_t n);

  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace wasmrtc::base
