// STUN numbers from the IANA registries of RFC 8489 section 18, plus the
// ICE attributes of RFC 8445 section 16.1. Methods and attribute types are
// plain uint16_t so TURN (RFC 8656) can add its own in the same style
// without touching this file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmrtc::stun {

// RFC 8489 section 5.
inline constexpr uint32_t kMagicCookie = 0x2112A442;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kTransactionIdSize = 12;
inline constexpr size_t kAttributeHeaderSize = 4;

// Methods (12 bits), RFC 8489 section 18.2 and RFC 8656 section 17.
namespace method {
inline constexpr uint16_t kBinding = 0x001;
inline constexpr uint16_t kAllocate = 0x003;
inline constexpr uint16_t kRefresh = 0x004;
inline constexpr uint16_t kSend = 0x006;
inline constexpr uint16_t kData = 0x007;
inline constexpr uint16_t kCreatePermission = 0x008;
inline constexpr uint16_t kChannelBind = 0x009;
}  // namespace method

// Attribute types, RFC 8489 section 18.3.
namespace attr {
// Comprehension-required range (0x0000-0x7FFF).
inline constexpr uint16_t kMappedAddress = 0x0001;
inline constexpr uint16_t kUsername = 0x0006;
inline constexpr uint16_t kMessageIntegrity = 0x0008;
inline constexpr uint16_t kErrorCode = 0x0009;
inline constexpr uint16_t kUnknownAttributes = 0x000A;
inline constexpr uint16_t kRealm = 0x0014;
inline constexpr uint16_t kNonce = 0x0015;
inline constexpr uint16_t kMessageIntegritySha256 = 0x001C;
inline constexpr uint16_t kPasswordAlgorithm = 0x001D;
inline constexpr uint16_t kUserhash = 0x001E;
inline constexpr uint16_t kXorMappedAddress = 0x0020;
// RFC 8445 section 16.1.
inline constexpr uint16_t kPriority = 0x0024;
inline constexpr uint16_t kUseCandidate = 0x0025;

// Comprehension-optional range (0x8000-0xFFFF).
inline constexpr uint16_t kPasswordAlgorithms = 0x8002;
inline constexpr uint16_t kAlternateDomain = 0x8003;
inline constexpr uint16_t kSoftware = 0x8022;
inline constexpr uint16_t kAlternateServer = 0x8023;
inline constexpr uint16_t kFingerprint = 0x8028;
// RFC 8445 section 16.1.
inline constexpr uint16_t kIceControlled = 0x8029;
inline constexpr uint16_t kIceControlling = 0x802A;
}  // namespace attr

// RFC 8489 section 14: types below 0x8000 must be understood by the
// receiver, or it answers 420 (Unknown Attribute).
constexpr bool is_comprehension_required(uint16_t type) { return type < 0x8000; }

// PASSWORD-ALGORITHM values, RFC 8489 section 18.5.
namespace password_algorithm {
inline constexpr uint16_t kMd5 = 0x0001;
inline constexpr uint16_t kSha256 = 0x0002;
}  // namespace password_algorithm

// FINGERPRINT is the CRC-32 XORed with this, RFC 8489 section 14.7.
inline constexpr uint32_t kFingerprintXor = 0x5354554E;

}  // namespace wasmrtc::stun
