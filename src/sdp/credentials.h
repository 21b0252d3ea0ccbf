// Random values a session description needs: ICE credentials and the o=
// session id. Randomness is an input (base::Random), so tests are
// deterministic; production passes a cryptographic source.
#pragma once

#include <string>

#include "base/random.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// RFC 8839 section 5.4: the ufrag carries at least 24 random bits and the
// password at least 128. Like Chromium: 4 ice-chars (24 bits) and 24
// ice-chars (144 bits).
IceCredentials generate_ice_credentials(base::Random& random);

// RFC 8829 section 5.2.1 (after RFC 3264 section 5): a random 64-bit
// sess-id with the top bit clear, in decimal.
std::string generate_session_id(base::Random& random);

}  // namespace wasmrtc::sdp
