#include "base/byte_writer.h"

#include <utility>

namespace wasmrtc::base {

void ByteWriter::put_be(uint64_t v, size_t n) {
  for (size_t i = n; i > 0; --i) {
    buf_.push_back(static_cast<uint8_t>(v >> (8 * (i - 1))));
  }
}

void ByteWriter::u8(uint8_t v) { buf_.push_back(v); }
void ByteWriter::u16(uint16_t v) { put_be(v, 2); }
void ByteWriter::u24(uint32_t v) { put_be(v & 0xffffff, 3); }
void ByteWriter::u32(uint32_t v) { put_be(v, 4); }
void ByteWriter::u64(uint64_t v) { put_be(v, 8); }

void ByteWriter::bytes(ByteView v) { buf_.insert(buf_.end(), v.begin(), v.end()); }

void ByteWriter::zeros(size_t n) { buf_.resize(buf_.size() + n, 0); }

bool ByteWriter::patch_u16(size_t offset, uint16_t v) {
  if (offset > buf_.size() || buf_.size() - offset < 2) return false;
  buf_[offset] = static_cast<uint8_t>(v >> 8);
  buf_[offset + 1] = static_cast<uint8_t>(v);
  return true;
}

bool ByteWriter::patch_u32(size_t offset, uint32_t v) {
  if (offset > buf_.size() || buf_.size() - offset < 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    buf_[offset + i] = static_cast<uint8_t>(v >> (8 * (3 - i)));
  }
  return true;
}

Bytes ByteWriter::take() {
  Bytes out = std::move(buf_);
  buf_.clear();
  return out;
}

}  // namespace wasmrtc::base
