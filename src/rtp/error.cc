#include "rtp/error.h"

namespace wasmrtc::rtp {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::Truncated: return "Truncated";
    case Error::BadVersion: return "BadVersion";
    case Error::BadPadding: return "BadPadding";
    case Error::BadExtension: return "BadExtension";
    case Error::BadExtensionId: return "BadExtensionId";
    case Error::BadLength: return "BadLength";
    case Error::TooLarge: return "TooLarge";
    case Error::NotNegotiated: return "NotNegotiated";
    case Error::BadValue: return "BadValue";
  }
  return "Unknown";
}

}  // namespace wasmrtc::rtp
