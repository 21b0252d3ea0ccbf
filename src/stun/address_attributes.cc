#include "stun/address_attributes.h"

#include <array>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::stun {
namespace {

constexpr uint8_t kFamilyIpv4 = 0x01;
constexpr uint8_t kFamilyIpv6 = 0x02;

// The XOR pad of section 14.2: magic cookie then transaction id.
std::array<uint8_t, 16> xor_pad(const TransactionId& id) {
  std::array<uint8_t, 16> pad{};
  pad[0] = static_cast<uint8_t>(kMagicCookie >> 24);
  pad[1] = static_cast<uint8_t>(kMagicCookie >> 16);
  pad[2] = static_cast<uint8_t>(kMagicCookie >> 8);
  pad[3] = static_cast<uint8_t>(kMagicCookie);
  for (size_t i = 0; i < id.size(); ++i) pad[4 + i] = id[i];
  return pad;
}

// XORs the port and address of an encoded address value in place.
void apply_xor(Bytes& value, const TransactionId& id) {
  auto pad = xor_pad(id);
  value[2] ^= pad[0];
  value[3] ^= pad[1];
  for (size_t i = 4; i < value.size(); ++i) value[i] ^= pad[i - 4];
}

}  // namespace

Bytes encode_address(const SocketAddress& address) {
  base::ByteWriter w;
  w.u8(0);
  w.u8(address.ip.is_v4() ? kFamilyIpv4 : kFamilyIpv6);
  w.u16(address.port);
  w.bytes(address.ip.bytes());
  return w.take();
}

Result<SocketAddress> decode_address(ByteView value) {
  base::ByteReader r(value);
  // The first byte is reserved: senders write 0, receivers ignore it.
  r.skip(1);
  auto family = r.u8();
  auto port = r.u16();
  if (!family || !port) return Unexpected(Error::BadAttributeValue);
  size_t size;
  if (*family == kFamilyIpv4) {
    size = 4;
  } else if (*family == kFamilyIpv6) {
    size = 16;
  } else {
    return Unexpected(Error::BadAttributeValue);
  }
  if (r.remaining() != size) return Unexpected(Error::BadAttributeValue);
  auto ip = base::IpAddress::from_bytes(r.rest());
  if (!ip) return Unexpected(Error::BadAttributeValue);
  return SocketAddress{*ip, *port};
}

Bytes encode_xor_address(const SocketAddress& address, const TransactionId& id) {
  Bytes v = encode_address(address);
  apply_xor(v, id);
  return v;
}

Result<SocketAddress> decode_xor_address(ByteView value, const TransactionId& id) {
  // Check the layout before un-XORing, so `value` of any size is safe.
  auto plain = decode_address(value);
  if (!plain) return plain;
  Bytes v(value.begin(), value.end());
  apply_xor(v, id);
  return decode_address(v);
}

void add_address(Message& m, uint16_t type, const SocketAddress& address) {
  m.add(type, encode_address(address));
}

Result<SocketAddress> get_address(const Message& m, uint16_t type) {
  const Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  return decode_address(a->value);
}

void add_xor_address(Message& m, uint16_t type, const SocketAddress& address) {
  m.add(type, encode_xor_address(address, m.transaction_id));
}

Result<SocketAddress> get_xor_address(const Message& m, uint16_t type) {
  const Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  return decode_xor_address(a->value, m.transaction_id);
}

}  // namespace wasmrtc::stun
