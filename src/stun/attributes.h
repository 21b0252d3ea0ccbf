// Typed reading and writing of the non-address attributes of RFC 8489
// section 14 and the ICE attributes of RFC 8445 section 7.1. Readers look
// at the first attribute of the type that counts (Message::find) and return
// AttributeMissing or BadAttributeValue; writers append to the message.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stun/constants.h"
#include "stun/error.h"
#include "stun/message.h"

namespace wasmrtc::stun {

// --- Text attributes. Values are not checked for UTF-8 or prepared. ------

// USERNAME, section 14.3: senders keep it under 509 bytes; receivers accept
// up to 763 for RFC 5389 peers, and so does username().
void add_username(Message& m, std::string_view username);
Result<std::string> username(const Message& m);

// REALM (14.9), NONCE (14.10), SOFTWARE (14.14): fewer than 128 characters,
// up to 763 bytes accepted on reading.
void add_realm(Message& m, std::string_view realm);
Result<std::string> realm(const Message& m);
void add_nonce(Message& m, std::string_view nonce);
Result<std::string> nonce(const Message& m);
void add_software(Message& m, std::string_view software);
Result<std::string> software(const Message& m);

// --- ERROR-CODE, section 14.8. -------------------------------------------

struct ErrorCode {
  uint16_t code = 0;  // 300..699: class * 100 + number
  std::string reason;
};

// Section 14.8's registered codes.
namespace error_code {
inline constexpr uint16_t kTryAlternate = 300;
inline constexpr uint16_t kBadRequest = 400;
inline constexpr uint16_t kUnauthenticated = 401;
inline constexpr uint16_t kUnknownAttribute = 420;
inline constexpr uint16_t kStaleNonce = 438;
inline constexpr uint16_t kServerError = 500;
// RFC 8445 section 7.3.1.1.
inline constexpr uint16_t kRoleConflict = 487;
}  // namespace error_code

// Precondition: 300 <= code <= 699.
void add_error_code(Message& m, uint16_t code, std::string_view reason);
Result<ErrorCode> error_code_of(const Message& m);

// --- UNKNOWN-ATTRIBUTES, section 14.13. ----------------------------------

void add_unknown_attributes(Message& m, std::span<const uint16_t> types);
Result<std::vector<uint16_t>> unknown_attributes(const Message& m);

// The comprehension-required attribute types (section 14: 0x0000-0x7FFF) this
// STUN layer reads. TURN passes a longer list of its own.
extern const std::span<const uint16_t> kKnownComprehensionRequired;

// Section 6.3.1: the comprehension-required types in `m` that are not in
// `understood`, each once, in order of appearance (ignored attributes after
// MESSAGE-INTEGRITY excluded). Non-empty means: answer a request with 420
// and these in UNKNOWN-ATTRIBUTES; drop a response or indication.
std::vector<uint16_t> unknown_comprehension_required(
    const Message& m, std::span<const uint16_t> understood = kKnownComprehensionRequired);

// --- Fixed-size numbers (the ICE attributes and others). ------------------

void add_u32(Message& m, uint16_t type, uint32_t value);
Result<uint32_t> get_u32(const Message& m, uint16_t type);
void add_u64(Message& m, uint16_t type, uint64_t value);
Result<uint64_t> get_u64(const Message& m, uint16_t type);

// RFC 8445 section 7.1: PRIORITY (u32), USE-CANDIDATE (empty),
// ICE-CONTROLLED / ICE-CONTROLLING (u64 tie-breaker).
inline void add_priority(Message& m, uint32_t p) { add_u32(m, attr::kPriority, p); }
inline Result<uint32_t> priority(const Message& m) { return get_u32(m, attr::kPriority); }
inline void add_use_candidate(Message& m) { m.add(attr::kUseCandidate, ByteView()); }
inline bool use_candidate(const Message& m) { return m.has(attr::kUseCandidate); }
inline void add_ice_controlled(Message& m, uint64_t t) { add_u64(m, attr::kIceControlled, t); }
inline Result<uint64_t> ice_controlled(const Message& m) { return get_u64(m, attr::kIceControlled); }
inline void add_ice_controlling(Message& m, uint64_t t) { add_u64(m, attr::kIceControlling, t); }
inline Result<uint64_t> ice_controlling(const Message& m) { return get_u64(m, attr::kIceControlling); }

}  // namespace wasmrtc::stun
