#include "base/byte_reader.h"

namespace wasmrtc::base {

std::optional<uint64_t> ByteReader::read_be(size_t n) {
  if (remaining() < n) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += n;
  return v;
}

std::optional<uint8_t> ByteReader::u8() {
  auto v = read_be(1);
  if (!v) return std::nullopt;
  return static_cast<uint8_t>(*v);
}

std::optional<uint16_t> ByteReader::u16() {
  auto v = read_be(2);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<uint32_t> ByteReader::u24() {
  auto v = read_be(3);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint32_t> ByteReader::u32() {
  auto v = read_be(4);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> ByteReader::u64() { return read_be(8); }

std::optional<ByteView> ByteReader::bytes(size_t n) {
  if (remaining() < n) return std::nullopt;
  ByteView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

bool ByteReader::skip(size_t n) {
  if (remaining() < n) return false;
  pos_ += n;
  return true;
}

}  // namespace wasmrtc::base
