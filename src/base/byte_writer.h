// Appends big-endian (network order) values to an owned buffer. Earlier
// fields can be patched once later content is known, e.g. the STUN message
// length (RFC 8489 section 5), which counts attributes written after it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace wasmrtc::base {

class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(Bytes initial) : buf_(std::move(initial)) {}

  void u8(uint8_t v);
  void u16(uint16_t v);
  // Writes the low 24 bits of `v`.
  void u24(uint32_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(ByteView v);
  void zeros(size_t n);

  // Overwrite a value written earlier. False (and no change) if the field
  // would not lie wholly inside what has been written.
  bool patch_u16(size_t offset, uint16_t v);
  bool patch_u32(size_t offset, uint32_t v);

  size_t size() const { return buf_.size(); }
  const Bytes& data() const { return buf_; }
  ByteView view() const { return buf_; }
  // Moves the buffer out; the writer is empty afterwards.
  Bytes take();

 private:
  void put_be(uint64_t v, size_t n);

  Bytes buf_;
};

}  // namespace wasmrtc::base
