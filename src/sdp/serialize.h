// SessionDescription to text, as browsers write it: one line per field in
// RFC 8866 section 5 order (v o s i u e p c b t r z k a, then each m= with
// i c b k a), every line ending in CRLF, attributes in their stored order.
// For a description parse() accepted, the output equals the input up to
// line endings, skipped empty lines and collapsed spaces.
#pragma once

#include <string>

#include "sdp/session_description.h"

namespace wasmrtc::sdp {

std::string serialize(const SessionDescription& description);
// One m= section with its lines (CRLF-terminated).
std::string serialize(const MediaDescription& media);

}  // namespace wasmrtc::sdp
