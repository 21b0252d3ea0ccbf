// Checks JSEP applies to descriptions before it accepts them. Each returns
// the JsepError (with its W3C name) of the first problem found.
#pragma once

#include "sdp/jsep_error.h"
#include "sdp/jsep_types.h"
#include "sdp/session_description.h"

namespace wasmrtc::sdp {

// Gives every m= section without a=mid one ("0", "1", ... by m= line
// index, skipping values in use), as libwebrtc does for legacy peers
// (RFC 8829 section 5.8 otherwise requires a=mid).
void fill_missing_mids(SessionDescription& description);

// RFC 8829 section 5.8: every m= section that is not rejected has ICE
// credentials (RFC 8839 section 5.4) and a fingerprint (RFC 8122
// section 5), directly, at session level, or through its BUNDLE tag; mids
// are unique (RFC 5888 section 4); BUNDLE groups name existing mids
// (RFC 8843 section 7); an answer does not say setup:actpass (RFC 5763
// section 5).
JsepResult<void> validate_remote(const SessionDescription& description, SdpType type);

// RFC 3264 section 6 and RFC 8829 section 5.10: an answer has the offer's
// m= sections, in order, with the same media and mids, and bundles only
// mids the offer bundled (RFC 8843 section 7.3).
JsepResult<void> check_answer_matches_offer(const SessionDescription& offer,
                                            const SessionDescription& answer);

// RFC 3264 section 8 and RFC 8829 section 5.2.2: a later offer keeps every
// m= section of the current negotiation, in order, with its media and mid.
// A section rejected by either side may be recycled (port zero in
// `current_local` or `current_remote`).
JsepResult<void> check_reoffer(const SessionDescription& current_local,
                               const SessionDescription& current_remote,
                               const SessionDescription& offer);

// RFC 8829 section 5.4: what setLocalDescription received must be what
// createOffer/createAnswer made. Accepted changes, as browsers accept
// munging: attributes other than the ones below, candidates, max-message-
// size, bandwidth. Refused: the m= lines (count, media, proto, port zero or
// not), mids, ICE credentials and fingerprints.
JsepResult<void> check_local_modification(const SessionDescription& created,
                                          const SessionDescription& given);

}  // namespace wasmrtc::sdp
