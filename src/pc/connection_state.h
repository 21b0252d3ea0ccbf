// The aggregate states of webrtc-pc section 4.3.3 for one BUNDLE transport
// (WebRTC with max-bundle and rtcp-mux has exactly one ICE and one DTLS
// transport per connection).
#pragma once

#include <string_view>

#include "dtls/events.h"
#include "ice/agent.h"

namespace wasmrtc::pc {

// RTCPeerConnectionState (webrtc-pc 4.3.3, table "RTCPeerConnectionState
// enum"), from the ICE transport's state and the DTLS transport's state.
// `closed` is the connection's [[IsClosed]].
std::string_view connection_state(bool closed, ice::State ice, dtls::State dtls);

// RTCIceConnectionState for one ICE transport: the transport's own state,
// but "new" until checks start (the agent reports Checking itself).
// "completed" only on the controlling side, as in Chromium (whose aggregate
// state needs the controlling role): webrtc-pc 4.3.3 leaves it to the agent,
// and pages written for Chromium wait for "connected" on the answerer.
std::string_view ice_connection_state(bool closed, ice::State ice, bool controlling);

}  // namespace wasmrtc::pc
