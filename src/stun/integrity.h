// MESSAGE-INTEGRITY (RFC 8489 section 14.5), MESSAGE-INTEGRITY-SHA256
// (section 14.6) and FINGERPRINT (section 14.7): checking them on the bytes
// as received, and appending them to an encoded message.
//
// Keys come from credentials.h: the short-term key is the password, the
// long-term key a hash of username, realm and password (section 9.2.2).
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "stun/error.h"

namespace wasmrtc::stun {

using base::ByteView;
using base::Bytes;

// Checks the first MESSAGE-INTEGRITY of `message` (the exact received
// bytes): HMAC-SHA1 with `key` over the message up to that attribute, with
// the header length counting through its end (section 14.5). Attributes
// after it do not matter. Errors: any parse error of the framing,
// MissingMessageIntegrity, BadAttributeValue (not 20 bytes),
// BadMessageIntegrity.
Result<void> check_message_integrity(ByteView message, ByteView key);

// The same for MESSAGE-INTEGRITY-SHA256 (section 14.6), whose value may be
// truncated to 16..32 bytes (a multiple of 4); the check compares that many.
Result<void> check_message_integrity_sha256(ByteView message, ByteView key);

// Checks that FINGERPRINT is the last attribute and matches (section 14.7).
// Errors: framing errors, MissingFingerprint, AttributeAfterFingerprint,
// BadAttributeValue, BadFingerprint.
Result<void> check_fingerprint(ByteView message);

// Append to a complete encoded message (as serialize() makes), rewriting
// its length. Errors: framing errors of `message`, MessageTooLong,
// BadIntegrityLength. On error `message` is unchanged.
Result<void> append_message_integrity(Bytes& message, ByteView key);
Result<void> append_message_integrity_sha256(Bytes& message, ByteView key,
                                             size_t length = 32);
Result<void> append_fingerprint(Bytes& message);

}  // namespace wasmrtc::stun
