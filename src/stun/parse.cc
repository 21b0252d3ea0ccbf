#include "stun/parse.h"

#include "crypto/crc32.h"
#include "stun/wire.h"

namespace wasmrtc::stun {
namespace wire {

Result<std::vector<RawAttribute>> split(base::ByteView message) {
  if (message.size() < kHeaderSize) return Unexpected(Error::Truncated);
  const uint8_t* p = message.data();
  // Section 5: "The most significant 2 bits of every STUN message MUST be zeroes."
  if ((p[0] & 0xC0) != 0) return Unexpected(Error::BadLeadingBits);
  if (load_u32(p + 4) != kMagicCookie) return Unexpected(Error::BadMagicCookie);
  const size_t length = load_u16(p + 2);
  if (message.size() < kHeaderSize + length) return Unexpected(Error::Truncated);
  if (message.size() > kHeaderSize + length) return Unexpected(Error::BadLength);

  // Section 5 makes the length a multiple of 4 because every attribute is
  // padded to 4 bytes (section 14). Walking the attributes first tells the
  // two faults apart: a last attribute without its padding is
  // BadAttributePadding, 1-3 stray bytes after whole attributes BadLength.
  std::vector<RawAttribute> out;
  size_t pos = kHeaderSize;
  while (pos < message.size()) {
    if (message.size() - pos < kAttributeHeaderSize) return Unexpected(Error::BadLength);
    RawAttribute a;
    a.type = load_u16(p + pos);
    a.offset = pos;
    const size_t value_len = load_u16(p + pos + 2);
    const size_t value_pos = pos + kAttributeHeaderSize;
    const size_t left = message.size() - value_pos;
    if (value_len > left) return Unexpected(Error::AttributeOverflow);
    // Section 14: values are padded to a multiple of 4 bytes.
    const size_t pad = (4 - value_len % 4) % 4;
    if (value_len + pad > left) return Unexpected(Error::BadAttributePadding);
    a.value = message.subspan(value_pos, value_len);
    a.padding = message.subspan(value_pos + value_len, pad);
    out.push_back(a);
    pos = value_pos + value_len + pad;
  }
  return out;
}

}  // namespace wire

Result<Message> parse(ByteView bytes) {
  auto raw = wire::split(bytes);
  if (!raw) return Unexpected(raw.error());

  Message msg;
  decode_message_type(wire::load_u16(bytes.data()), msg.method, msg.message_class);
  for (size_t i = 0; i < kTransactionIdSize; ++i) msg.transaction_id[i] = bytes[8 + i];

  const std::vector<wire::RawAttribute>& attrs = *raw;
  msg.attributes.reserve(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) {
    const wire::RawAttribute& a = attrs[i];
    if (a.type == attr::kFingerprint) {
      // Section 14.7: FINGERPRINT is last, and covers everything before it.
      if (i + 1 != attrs.size()) return Unexpected(Error::AttributeAfterFingerprint);
      if (a.value.size() != 4) return Unexpected(Error::BadAttributeValue);
      uint32_t expected = crypto::crc32(bytes.first(a.offset)) ^ kFingerprintXor;
      if (wire::load_u32(a.value.data()) != expected) return Unexpected(Error::BadFingerprint);
    }
    Attribute out;
    out.type = a.type;
    out.value.assign(a.value.begin(), a.value.end());
    for (size_t k = 0; k < a.padding.size(); ++k) out.padding[k] = a.padding[k];
    msg.attributes.push_back(std::move(out));
  }
  return msg;
}

bool looks_like_stun(ByteView bytes) {
  if (bytes.size() < kHeaderSize) return false;
  if (bytes[0] > 3) return false;
  if (wire::load_u32(bytes.data() + 4) != kMagicCookie) return false;
  size_t length = wire::load_u16(bytes.data() + 2);
  return length % 4 == 0 && bytes.size() >= kHeaderSize + length;
}

}  // namespace wasmrtc::stun
