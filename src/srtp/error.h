// What can go wrong protecting or unprotecting a packet.
#pragma once

#include <string_view>

#include "base/result.h"

namespace wasmrtc::srtp {

enum class Error {
  UnsupportedProfile,  // a profile the linked libsrtp cannot do (or unknown)
  BadKey,              // key or salt of the wrong length for the profile
  BadPacket,           // too short or not RTP/RTCP (version 2) at all
  AuthFailed,          // the authentication tag does not match (RFC 3711 3.3 step 5)
  Replayed,            // this index was seen already (RFC 3711 3.3.2)
  TooOld,              // older than the replay window
  Internal,            // libsrtp said something else (logged)
};

std::string_view to_string(Error error);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::srtp
