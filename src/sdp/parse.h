// Text to SessionDescription (RFC 8866 sections 5 and 9).
//
// Tolerant where peers differ harmlessly: CRLF or bare LF line ends, empty
// lines skipped, runs of spaces between fields, session-level lines in any
// order after s=, unknown attributes kept. Strict where RFC 8866 is: v=, o=,
// s= first and in that order, a t= line, well-formed c=/b=/m= lines, no
// unknown line types (section 5: such a description must be rejected),
// and the typed attributes (mid, setup, fingerprint, group, sctp-port,
// max-message-size, sctpmap, ice-ufrag, ice-pwd) well-formed. a=candidate
// values are not checked here: src/ice parses them.
#pragma once

#include <string_view>

#include "sdp/parse_error.h"
#include "sdp/session_description.h"

namespace wasmrtc::sdp {

ParseResult<SessionDescription> parse(std::string_view text);

}  // namespace wasmrtc::sdp
