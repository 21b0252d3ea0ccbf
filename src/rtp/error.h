// What can be wrong with an RTP or RTCP packet.
#pragma once

#include <string_view>

#include "base/result.h"

namespace wasmrtc::rtp {

enum class Error {
  Truncated,          // shorter than its header, CSRC list, extension or length field says
  BadVersion,         // version field is not 2 (RFC 3550 5.1)
  BadPadding,         // P bit set but the padding count is 0 or larger than the payload
  BadExtension,       // header extension elements run past the extension block (RFC 8285 4)
  BadExtensionId,     // id 0 with a length, id 15 in one-byte form, or an id out of range to write
  BadLength,          // RTCP length field does not fit the compound packet (RFC 3550 6.4)
  TooLarge,           // a value that does not fit its field when serializing
  NotNegotiated,      // a header extension with no a=extmap id in the ExtensionMap (RFC 8285 5)
  BadValue,           // a value outside its defined range, e.g. an empty MID or audio level > 127
};

std::string_view to_string(Error error);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::rtp
