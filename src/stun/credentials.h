// Keys for MESSAGE-INTEGRITY(-SHA256), RFC 8489 section 9.
//
// The RFC runs usernames, realms and passwords through the OpaqueString
// profile (RFC 8265; SASLprep, RFC 4013, in RFC 5389). This layer does not:
// callers pass strings already prepared. For the ASCII credentials ICE uses
// (RFC 8445 section 5.3) preparation changes nothing.
#pragma once

#include <string_view>

#include "base/bytes.h"
#include "crypto/hash.h"

namespace wasmrtc::stun {

// Short-term credentials, section 9.1.1: the key is the password itself.
base::Bytes short_term_key(std::string_view password);

// Long-term credentials, section 9.2.2, default (MD5) password algorithm:
// key = MD5(username ":" realm ":" password). This is also TURN's key.
base::Bytes long_term_key(std::string_view username, std::string_view realm,
                          std::string_view password);

// Section 9.2.2 with the SHA-256 password algorithm (section 18.5):
// key = SHA-256(username ":" realm ":" password).
base::Bytes long_term_key_sha256(std::string_view username, std::string_view realm,
                                 std::string_view password);

// USERHASH, section 14.4: SHA-256(username ":" realm).
crypto::Sha256Digest userhash(std::string_view username, std::string_view realm);

}  // namespace wasmrtc::stun
