#include "stun/error.h"

namespace wasmrtc::stun {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::Truncated: return "Truncated";
    case Error::BadLeadingBits: return "BadLeadingBits";
    case Error::BadMagicCookie: return "BadMagicCookie";
    case Error::BadLength: return "BadLength";
    case Error::AttributeOverflow: return "AttributeOverflow";
    case Error::BadAttributePadding: return "BadAttributePadding";
    case Error::AttributeAfterFingerprint: return "AttributeAfterFingerprint";
    case Error::BadFingerprint: return "BadFingerprint";
    case Error::AttributeMissing: return "AttributeMissing";
    case Error::BadAttributeValue: return "BadAttributeValue";
    case Error::MissingMessageIntegrity: return "MissingMessageIntegrity";
    case Error::BadMessageIntegrity: return "BadMessageIntegrity";
    case Error::MissingFingerprint: return "MissingFingerprint";
    case Error::MessageTooLong: return "MessageTooLong";
    case Error::BadIntegrityLength: return "BadIntegrityLength";
  }
  return "Unknown";
}

}  // namespace wasmrtc::stun
