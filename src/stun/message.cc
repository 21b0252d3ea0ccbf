#include "stun/message.h"

#include <utility>

namespace wasmrtc::stun {

uint16_t encode_message_type(uint16_t method, MessageClass message_class) {
  const uint16_t m = method & 0x0FFF;
  const uint16_t c = static_cast<uint16_t>(message_class);
  // M11..M7 C1 M6..M4 C0 M3..M0
  return static_cast<uint16_t>((m & 0x000F) | ((c & 0x1) << 4) | ((m & 0x0070) << 1) |
                               ((c & 0x2) << 7) | ((m & 0x0F80) << 2));
}

void decode_message_type(uint16_t type, uint16_t& method, MessageClass& message_class) {
  method = static_cast<uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
  message_class = static_cast<MessageClass>(((type >> 4) & 0x1) | ((type >> 7) & 0x2));
}

std::vector<const Attribute*> Message::effective_attributes() const {
  std::vector<const Attribute*> out;
  bool after_integrity = false;
  bool after_integrity_sha256 = false;
  for (const Attribute& a : attributes) {
    bool counts;
    if (a.type == attr::kFingerprint) {
      counts = true;
    } else if (a.type == attr::kMessageIntegritySha256) {
      counts = !after_integrity_sha256;
    } else {
      counts = !after_integrity && !after_integrity_sha256;
    }
    if (!counts) continue;
    out.push_back(&a);
    if (a.type == attr::kMessageIntegrity) after_integrity = true;
    if (a.type == attr::kMessageIntegritySha256) after_integrity_sha256 = true;
  }
  return out;
}

const Attribute* Message::find(uint16_t type) const {
  for (const Attribute* a : effective_attributes()) {
    if (a->type == type) return a;
  }
  return nullptr;
}

void Message::add(uint16_t type, ByteView value) {
  attributes.push_back(Attribute{type, Bytes(value.begin(), value.end()), {}});
}

void Message::add(uint16_t type, Bytes&& value) {
  attributes.push_back(Attribute{type, std::move(value), {}});
}

}  // namespace wasmrtc::stun
