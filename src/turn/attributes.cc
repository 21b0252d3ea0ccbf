#include "turn/attributes.h"

#include <algorithm>
#include <array>
#include <limits>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"

namespace wasmrtc::turn {
namespace {

using stun::Error;
using stun::Unexpected;

// Address family numbers of RFC 8489 section 14.1, reused by section 18.6.
constexpr uint8_t kFamilyIpv4 = 0x01;
constexpr uint8_t kFamilyIpv6 = 0x02;

// A value of exactly 4 bytes, or BadAttributeValue.
stun::Result<base::ByteView> four_bytes(const stun::Message& m, uint16_t type) {
  const stun::Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  if (a->value.size() != 4) return Unexpected(Error::BadAttributeValue);
  return base::ByteView(a->value);
}

// Section 18.6 / 18.8 layout: one byte that matters, three reserved zeros.
void add_byte_and_reserved(stun::Message& m, uint16_t type, uint8_t value) {
  base::ByteWriter w;
  w.u8(value);
  w.zeros(3);
  m.add(type, w.take());
}

// RFC 8489 section 14 and RFC 8445 section 7.1 (what stun/ reads), then
// RFC 8656 section 18's comprehension-required types.
constexpr std::array<uint16_t, 22> kKnown = {
    stun::attr::kMappedAddress,
    stun::attr::kUsername,
    stun::attr::kMessageIntegrity,
    stun::attr::kErrorCode,
    stun::attr::kUnknownAttributes,
    stun::attr::kRealm,
    stun::attr::kNonce,
    stun::attr::kMessageIntegritySha256,
    stun::attr::kPasswordAlgorithm,
    stun::attr::kUserhash,
    stun::attr::kXorMappedAddress,
    stun::attr::kPriority,
    stun::attr::kUseCandidate,
    attr::kChannelNumber,
    attr::kLifetime,
    attr::kXorPeerAddress,
    attr::kData,
    attr::kXorRelayedAddress,
    attr::kRequestedAddressFamily,
    attr::kEvenPort,
    attr::kRequestedTransport,
    attr::kDontFragment,
};

}  // namespace

const std::span<const uint16_t> kKnownComprehensionRequired(kKnown);

void add_channel_number(stun::Message& m, uint16_t channel) {
  base::ByteWriter w;
  w.u16(channel);
  w.u16(0);  // RFFU
  m.add(attr::kChannelNumber, w.take());
}

stun::Result<uint16_t> channel_number(const stun::Message& m) {
  auto v = four_bytes(m, attr::kChannelNumber);
  if (!v) return Unexpected(v.error());
  return *base::ByteReader(*v).u16();
}

void add_lifetime(stun::Message& m, base::Duration lifetime) {
  int64_t s = lifetime.us() / 1000000;
  s = std::clamp<int64_t>(s, 0, std::numeric_limits<uint32_t>::max());
  stun::add_u32(m, attr::kLifetime, static_cast<uint32_t>(s));
}

stun::Result<base::Duration> lifetime(const stun::Message& m) {
  auto s = stun::get_u32(m, attr::kLifetime);
  if (!s) return Unexpected(s.error());
  return base::Duration::seconds(*s);
}

void add_xor_peer_address(stun::Message& m, const base::SocketAddress& peer) {
  stun::add_xor_address(m, attr::kXorPeerAddress, peer);
}

stun::Result<base::SocketAddress> xor_peer_address(const stun::Message& m) {
  return stun::get_xor_address(m, attr::kXorPeerAddress);
}

void add_xor_relayed_address(stun::Message& m, const base::SocketAddress& relayed) {
  stun::add_xor_address(m, attr::kXorRelayedAddress, relayed);
}

stun::Result<base::SocketAddress> xor_relayed_address(const stun::Message& m) {
  return stun::get_xor_address(m, attr::kXorRelayedAddress);
}

void add_data(stun::Message& m, base::ByteView data) { m.add(attr::kData, data); }

stun::Result<base::ByteView> get_data(const stun::Message& m) {
  const stun::Attribute* a = m.find(attr::kData);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  return base::ByteView(a->value);
}

void add_requested_address_family(stun::Message& m, base::AddressFamily family) {
  add_byte_and_reserved(m, attr::kRequestedAddressFamily,
                        family == base::AddressFamily::V4 ? kFamilyIpv4 : kFamilyIpv6);
}

stun::Result<base::AddressFamily> requested_address_family(const stun::Message& m) {
  auto v = four_bytes(m, attr::kRequestedAddressFamily);
  if (!v) return Unexpected(v.error());
  switch ((*v)[0]) {
    case kFamilyIpv4: return base::AddressFamily::V4;
    case kFamilyIpv6: return base::AddressFamily::V6;
    default: return Unexpected(Error::BadAttributeValue);
  }
}

void add_requested_transport(stun::Message& m, uint8_t protocol) {
  add_byte_and_reserved(m, attr::kRequestedTransport, protocol);
}

stun::Result<uint8_t> requested_transport(const stun::Message& m) {
  auto v = four_bytes(m, attr::kRequestedTransport);
  if (!v) return Unexpected(v.error());
  return (*v)[0];
}

}  // namespace wasmrtc::turn
