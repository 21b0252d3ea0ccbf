// The TURN attributes of RFC 8656 section 18, read from and written to a
// stun::Message in the style of stun/attributes.h: readers return
// AttributeMissing or BadAttributeValue (stun::Error), writers append.
#pragma once

#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "base/ip_address.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "stun/error.h"
#include "stun/message.h"
#include "turn/constants.h"

namespace wasmrtc::turn {

// CHANNEL-NUMBER, section 18.1: the number, then two reserved bytes.
void add_channel_number(stun::Message& m, uint16_t channel);
stun::Result<uint16_t> channel_number(const stun::Message& m);

// LIFETIME, section 18.2: whole seconds. Durations are rounded down to a
// second and capped at 2^32 - 1 seconds.
void add_lifetime(stun::Message& m, base::Duration lifetime);
stun::Result<base::Duration> lifetime(const stun::Message& m);

// XOR-PEER-ADDRESS (18.3) and XOR-RELAYED-ADDRESS (18.5): encoded like
// XOR-MAPPED-ADDRESS (RFC 8489 section 14.2).
void add_xor_peer_address(stun::Message& m, const base::SocketAddress& peer);
stun::Result<base::SocketAddress> xor_peer_address(const stun::Message& m);
void add_xor_relayed_address(stun::Message& m, const base::SocketAddress& relayed);
stun::Result<base::SocketAddress> xor_relayed_address(const stun::Message& m);

// DATA, section 18.4. The view points into `m`.
void add_data(stun::Message& m, base::ByteView data);
// (Named get_data because turn::Data is the event type.)
stun::Result<base::ByteView> get_data(const stun::Message& m);

// REQUESTED-ADDRESS-FAMILY, section 18.6: family (1 = IPv4, 2 = IPv6), then
// three reserved bytes.
void add_requested_address_family(stun::Message& m, base::AddressFamily family);
stun::Result<base::AddressFamily> requested_address_family(const stun::Message& m);

// REQUESTED-TRANSPORT, section 18.8: protocol number, three reserved bytes.
void add_requested_transport(stun::Message& m, uint8_t protocol);
stun::Result<uint8_t> requested_transport(const stun::Message& m);

// The comprehension-required types a TURN client understands: the STUN
// ones plus section 18's, for stun::unknown_comprehension_required().
extern const std::span<const uint16_t> kKnownComprehensionRequired;

}  // namespace wasmrtc::turn
