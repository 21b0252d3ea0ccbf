// Which m= sections share a transport under BUNDLE (RFC 8843).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sdp/session_description.h"

namespace wasmrtc::sdp {

// The m= section whose transport attributes apply to section `index`: the
// first section of its BUNDLE group that is neither rejected nor
// bundle-only (the "tagged" section, RFC 8843 sections 7.2 and 7.3), or
// `index` itself when it is not bundled.
size_t transport_section(const SessionDescription& description, size_t index);

// The sections on the same transport as `index`: the non-rejected members
// of its BUNDLE group, in m= line order, or just `index`.
std::vector<size_t> bundled_sections(const SessionDescription& description, size_t index);

// The ICE credentials of section `index`: its own or the session-level
// ones (RFC 8839 section 5.4), else those of its BUNDLE tag (a bundle-only
// section need not repeat them).
std::optional<IceCredentials> transport_credentials(const SessionDescription& description, size_t index);

// The section that describes the transport in use: the data channel
// section if it is not rejected, else the first section that is not.
std::optional<size_t> primary_section(const SessionDescription& description);

}  // namespace wasmrtc::sdp
