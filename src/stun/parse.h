// Bytes -> Message, RFC 8489 sections 5, 6 and 14.
#pragma once

#include "base/bytes.h"
#include "stun/error.h"
#include "stun/message.h"

namespace wasmrtc::stun {

// Parses one whole STUN message: `bytes` must be exactly the message (one
// UDP datagram, or one frame cut from a stream). Checks the header, every
// attribute's length and padding, that FINGERPRINT (if any) is last and
// matches. Does not check MESSAGE-INTEGRITY (no key here: see integrity.h)
// and does not reject unknown attributes (see unknown_comprehension_required).
// Never reads outside `bytes`, for any input.
Result<Message> parse(ByteView bytes);

// Cheap test for demultiplexing STUN from DTLS, RTP and RTCP on one port
// (RFC 7983 section 7: first byte 0..3), tightened with the magic cookie
// (RFC 8489 section 5) and a plausible length. True does not mean parse()
// will succeed.
bool looks_like_stun(ByteView bytes);

}  // namespace wasmrtc::stun
