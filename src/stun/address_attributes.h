// MAPPED-ADDRESS (RFC 8489 section 14.1), XOR-MAPPED-ADDRESS (14.2) and
// ALTERNATE-SERVER (14.15). The value codecs take any attribute type so
// TURN can use them for XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS.
#pragma once

#include <cstdint>

#include "base/socket_address.h"
#include "stun/error.h"
#include "stun/message.h"

namespace wasmrtc::stun {

using base::SocketAddress;

// Section 14.1: 0, family (1 = IPv4, 2 = IPv6), port, 4 or 16 address bytes.
Bytes encode_address(const SocketAddress& address);
Result<SocketAddress> decode_address(ByteView value);

// Section 14.2: the same layout with the port XORed with the top 16 bits of
// the magic cookie and the address with the cookie (IPv4) or the cookie
// followed by the transaction id (IPv6).
Bytes encode_xor_address(const SocketAddress& address, const TransactionId& id);
Result<SocketAddress> decode_xor_address(ByteView value, const TransactionId& id);

// Any plain / XOR address attribute of `type` in a message.
void add_address(Message& m, uint16_t type, const SocketAddress& address);
Result<SocketAddress> get_address(const Message& m, uint16_t type);
void add_xor_address(Message& m, uint16_t type, const SocketAddress& address);
Result<SocketAddress> get_xor_address(const Message& m, uint16_t type);

inline void add_mapped_address(Message& m, const SocketAddress& a) {
  add_address(m, attr::kMappedAddress, a);
}
inline Result<SocketAddress> mapped_address(const Message& m) {
  return get_address(m, attr::kMappedAddress);
}
inline void add_xor_mapped_address(Message& m, const SocketAddress& a) {
  add_xor_address(m, attr::kXorMappedAddress, a);
}
inline Result<SocketAddress> xor_mapped_address(const Message& m) {
  return get_xor_address(m, attr::kXorMappedAddress);
}
inline void add_alternate_server(Message& m, const SocketAddress& a) {
  add_address(m, attr::kAlternateServer, a);
}
inline Result<SocketAddress> alternate_server(const Message& m) {
  return get_address(m, attr::kAlternateServer);
}

}  // namespace wasmrtc::stun
