// Everything that can go wrong in the STUN layer, one value per cause.
#pragma once

#include <string_view>

#include "base/result.h"

namespace wasmrtc::stun {

enum class Error {
  // Parsing: RFC 8489 sections 5, 6 and 14.
  Truncated,                  // shorter than 20 bytes or than its length field says
  BadLeadingBits,             // the two most significant bits are not zero (section 5)
  BadMagicCookie,             // bytes 4-7 are not 0x2112A442 (section 5)
  BadLength,                  // length not a multiple of 4, or bytes beyond it
  AttributeOverflow,          // an attribute value runs past the end of the message
  BadAttributePadding,        // a value fits but its padding to 4 bytes does not (section 14)
  AttributeAfterFingerprint,  // FINGERPRINT is not the last attribute (section 14.7)
  BadFingerprint,             // FINGERPRINT does not match the CRC-32 (section 14.7)
  // Reading attributes.
  AttributeMissing,           // no attribute of the asked-for type
  BadAttributeValue,          // the attribute is there but malformed for its type
  // Checking credentials and fingerprints.
  MissingMessageIntegrity,    // no MESSAGE-INTEGRITY(-SHA256) to check
  BadMessageIntegrity,        // the HMAC does not match (sections 14.5, 14.6)
  MissingFingerprint,         // no FINGERPRINT to check
  // Building.
  MessageTooLong,             // would not fit a 16-bit length field
  BadIntegrityLength,         // MESSAGE-INTEGRITY-SHA256 truncation not 16..32, multiple of 4
};

std::string_view to_string(Error error);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::stun
