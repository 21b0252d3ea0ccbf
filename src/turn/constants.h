// TURN numbers (RFC 8656) that the STUN layer does not carry: attribute
// types (section 18), error codes (section 19), the channel number range
// (section 12) and the lifetimes the protocol fixes (sections 6, 9, 12).
// Method numbers live in stun/constants.h (stun::method::kAllocate, ...).
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/time.h"

namespace wasmrtc::turn {

// RFC 8656 section 18, table 5.
namespace attr {
inline constexpr uint16_t kChannelNumber = 0x000C;
inline constexpr uint16_t kLifetime = 0x000D;
inline constexpr uint16_t kXorPeerAddress = 0x0012;
inline constexpr uint16_t kData = 0x0013;
inline constexpr uint16_t kXorRelayedAddress = 0x0016;
inline constexpr uint16_t kRequestedAddressFamily = 0x0017;
inline constexpr uint16_t kEvenPort = 0x0018;
inline constexpr uint16_t kRequestedTransport = 0x0019;
inline constexpr uint16_t kDontFragment = 0x001A;
inline constexpr uint16_t kReservationToken = 0x0022;
inline constexpr uint16_t kAdditionalAddressFamily = 0x8000;
inline constexpr uint16_t kAddressErrorCode = 0x8001;
inline constexpr uint16_t kIcmp = 0x8004;
}  // namespace attr

// RFC 8656 section 19 (the STUN ones, 300/400/401/420/438/500, are in
// stun::error_code).
namespace error_code {
inline constexpr uint16_t kForbidden = 403;
inline constexpr uint16_t kAllocationMismatch = 437;
inline constexpr uint16_t kAddressFamilyNotSupported = 440;
inline constexpr uint16_t kWrongCredentials = 441;
inline constexpr uint16_t kUnsupportedTransportProtocol = 442;
inline constexpr uint16_t kPeerAddressFamilyMismatch = 443;
inline constexpr uint16_t kAllocationQuotaReached = 486;
inline constexpr uint16_t kInsufficientCapacity = 508;
}  // namespace error_code

// REQUESTED-TRANSPORT protocol number: UDP, the only one RFC 8656
// section 18.8 allows.
inline constexpr uint8_t kProtocolUdp = 17;

// RFC 8656 section 12, table 2: the channel numbers a client may bind.
inline constexpr uint16_t kMinChannel = 0x4000;
inline constexpr uint16_t kMaxChannel = 0x4FFF;
constexpr bool is_valid_channel(uint16_t number) {
  return number >= kMinChannel && number <= kMaxChannel;
}

// The ChannelData header: channel number and length (section 12.4).
inline constexpr size_t kChannelDataHeaderSize = 4;

// Section 6: the lifetime the server uses when the client asks for none
// (or for less).
inline constexpr base::Duration kDefaultLifetime = base::Duration::seconds(600);
// Section 9: "The Permission Lifetime MUST be 300 seconds".
inline constexpr base::Duration kPermissionLifetime = base::Duration::seconds(300);
// Section 12: "A channel binding lasts for 10 minutes unless refreshed."
inline constexpr base::Duration kChannelLifetime = base::Duration::seconds(600);

}  // namespace wasmrtc::turn
