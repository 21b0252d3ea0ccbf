// A STUN message (RFC 8489 section 5): class, method, transaction id and an
// ordered list of attributes kept as raw type + value. Typed views of the
// values live in attributes.h and address_attributes.h; bytes <-> Message
// in parse.h and serialize.h.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "stun/constants.h"

namespace wasmrtc::stun {

using base::ByteView;
using base::Bytes;

// The two class bits C1 C0 of the message type, RFC 8489 section 5.
enum class MessageClass : uint8_t {
  Request = 0b00,
  Indication = 0b01,
  SuccessResponse = 0b10,
  ErrorResponse = 0b11,
};

using TransactionId = std::array<uint8_t, kTransactionIdSize>;

// RFC 8489 section 5, figure 3: the 12 method bits and 2 class bits
// interleaved into the 14-bit message type.
uint16_t encode_message_type(uint16_t method, MessageClass message_class);
void decode_message_type(uint16_t type, uint16_t& method, MessageClass& message_class);

struct Attribute {
  uint16_t type = 0;
  Bytes value;
  // Padding after the value as received. RFC 8489 section 14 says receivers
  // ignore its content, but keeping it lets a parsed message serialize back
  // byte for byte (RFC 5769 section 2.1 pads with spaces), so the original
  // MESSAGE-INTEGRITY still matches. Built attributes pad with zeros. Only
  // the first padding_size() bytes are used.
  std::array<uint8_t, 3> padding{};

  size_t padding_size() const { return (4 - value.size() % 4) % 4; }
};

struct Message {
  MessageClass message_class = MessageClass::Request;
  uint16_t method = method::kBinding;
  TransactionId transaction_id{};
  // In wire order. May include MESSAGE-INTEGRITY and FINGERPRINT when the
  // message was parsed; serialize() writes them back verbatim.
  std::vector<Attribute> attributes;

  Message() = default;
  Message(MessageClass cls, uint16_t m, const TransactionId& id)
      : message_class(cls), method(m), transaction_id(id) {}

  uint16_t message_type() const { return encode_message_type(method, message_class); }

  // The first attribute of `type` that counts. RFC 8489 sections 14.5 and
  // 14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
  // FINGERPRINT count, and after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT;
  // anything else there is ignored. nullptr if none.
  const Attribute* find(uint16_t type) const;
  bool has(uint16_t type) const { return find(type) != nullptr; }

  // The attributes that count, in order (the same rule as find()).
  std::vector<const Attribute*> effective_attributes() const;

  // Appends an attribute with zero padding.
  void add(uint16_t type, ByteView value);
  void add(uint16_t type, Bytes&& value);
};

}  // namespace wasmrtc::stun
