#include "stun/integrity.h"

#include <array>

#include "crypto/constant_time.h"
#include "crypto/crc32.h"
#include "crypto/hash.h"
#include "stun/constants.h"
#include "stun/wire.h"

namespace wasmrtc::stun {
namespace {

constexpr size_t kSha1Size = 20;
constexpr size_t kMaxBody = 0xFFFC;  // largest 16-bit length that is a multiple of 4

// The header of `message` with its length field replaced by `length`:
// sections 14.5-14.7 hash as if the message ended right after the attribute.
std::array<uint8_t, kHeaderSize> header_with_length(ByteView message, size_t length) {
  std::array<uint8_t, kHeaderSize> h{};
  for (size_t i = 0; i < kHeaderSize; ++i) h[i] = message[i];
  wire::store_u16(h.data() + 2, static_cast<uint16_t>(length));
  return h;
}

const wire::RawAttribute* find_first(const std::vector<wire::RawAttribute>& attrs,
                                     uint16_t type) {
  for (const wire::RawAttribute& a : attrs) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

bool valid_sha256_length(size_t n) { return n >= 16 && n <= 32 && n % 4 == 0; }

void append_attribute(Bytes& message, uint16_t type, ByteView value) {
  uint8_t h[4];
  wire::store_u16(h, type);
  wire::store_u16(h + 2, static_cast<uint16_t>(value.size()));
  message.insert(message.end(), h, h + 4);
  message.insert(message.end(), value.begin(), value.end());
  // Every value written here is a multiple of 4 bytes: no padding.
}

// Validates `message` and checks that `extra` more bytes still fit.
Result<void> check_room(const Bytes& message, size_t extra) {
  auto raw = wire::split(message);
  if (!raw) return Unexpected(raw.error());
  if (message.size() - kHeaderSize + extra > kMaxBody) return Unexpected(Error::MessageTooLong);
  return {};
}

}  // namespace

Result<void> check_message_integrity(ByteView message, ByteView key) {
  auto raw = wire::split(message);
  if (!raw) return Unexpected(raw.error());
  const wire::RawAttribute* mi = find_first(*raw, attr::kMessageIntegrity);
  if (mi == nullptr) return Unexpected(Error::MissingMessageIntegrity);
  if (mi->value.size() != kSha1Size) return Unexpected(Error::BadAttributeValue);
  auto header = header_with_length(message, mi->offset + kAttributeHeaderSize + kSha1Size - kHeaderSize);
  auto mac = crypto::hmac_sha1(key, {header, message.subspan(kHeaderSize, mi->offset - kHeaderSize)});
  if (!crypto::constant_time_equal(mac, mi->value)) return Unexpected(Error::BadMessageIntegrity);
  return {};
}

Result<void> check_message_integrity_sha256(ByteView message, ByteView key) {
  auto raw = wire::split(message);
  if (!raw) return Unexpected(raw.error());
  const wire::RawAttribute* mi = find_first(*raw, attr::kMessageIntegritySha256);
  if (mi == nullptr) return Unexpected(Error::MissingMessageIntegrity);
  const size_t n = mi->value.size();
  if (!valid_sha256_length(n)) return Unexpected(Error::BadAttributeValue);
  auto header = header_with_length(message, mi->offset + kAttributeHeaderSize + n - kHeaderSize);
  auto mac = crypto::hmac_sha256(key, {header, message.subspan(kHeaderSize, mi->offset - kHeaderSize)});
  if (!crypto::constant_time_equal(ByteView(mac).first(n), mi->value)) {
    return Unexpected(Error::BadMessageIntegrity);
  }
  return {};
}

Result<void> check_fingerprint(ByteView message) {
  auto raw = wire::split(message);
  if (!raw) return Unexpected(raw.error());
  const wire::RawAttribute* fp = find_first(*raw, attr::kFingerprint);
  if (fp == nullptr) return Unexpected(Error::MissingFingerprint);
  if (fp != &raw->back()) return Unexpected(Error::AttributeAfterFingerprint);
  if (fp->value.size() != 4) return Unexpected(Error::BadAttributeValue);
  uint32_t expected = crypto::crc32(message.first(fp->offset)) ^ kFingerprintXor;
  if (wire::load_u32(fp->value.data()) != expected) return Unexpected(Error::BadFingerprint);
  return {};
}

Result<void> append_message_integrity(Bytes& message, ByteView key) {
  const size_t added = kAttributeHeaderSize + kSha1Size;
  if (auto r = check_room(message, added); !r) return r;
  auto header = header_with_length(message, message.size() - kHeaderSize + added);
  auto mac = crypto::hmac_sha1(key, {header, ByteView(message).subspan(kHeaderSize)});
  for (size_t i = 0; i < kHeaderSize; ++i) message[i] = header[i];
  append_attribute(message, attr::kMessageIntegrity, mac);
  return {};
}

Result<void> append_message_integrity_sha256(Bytes& message, ByteView key, size_t length) {
  if (!valid_sha256_length(length)) return Unexpected(Error::BadIntegrityLength);
  const size_t added = kAttributeHeaderSize + length;
  if (auto r = check_room(message, added); !r) return r;
  auto header = header_with_length(message, message.size() - kHeaderSize + added);
  auto mac = crypto::hmac_sha256(key, {header, ByteView(message).subspan(kHeaderSize)});
  for (size_t i = 0; i < kHeaderSize; ++i) message[i] = header[i];
  append_attribute(message, attr::kMessageIntegritySha256, ByteView(mac).first(length));
  return {};
}

Result<void> append_fingerprint(Bytes& message) {
  const size_t added = kAttributeHeaderSize + 4;
  if (auto r = check_room(message, added); !r) return r;
  wire::store_u16(message.data() + 2, static_cast<uint16_t>(message.size() - kHeaderSize + added));
  uint32_t crc = crypto::crc32(message) ^ kFingerprintXor;
  const uint8_t value[4] = {static_cast<uint8_t>(crc >> 24), static_cast<uint8_t>(crc >> 16),
                            static_cast<uint8_t>(crc >> 8), static_cast<uint8_t>(crc)};
  append_attribute(message, attr::kFingerprint, value);
  return {};
}

}  // namespace wasmrtc::stun
