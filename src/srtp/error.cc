#include "srtp/error.h"

namespace wasmrtc::srtp {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::UnsupportedProfile: return "UnsupportedProfile";
    case Error::BadKey: return "BadKey";
    case Error::BadPacket: return "BadPacket";
    case Error::AuthFailed: return "AuthFailed";
    case Error::Replayed: return "Replayed";
    case Error::TooOld: return "TooOld";
    case Error::Internal: return "Internal";
  }
  return "Unknown";
}

}  // namespace wasmrtc::srtp
