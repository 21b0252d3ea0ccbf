// The vocabulary of JSEP (RFC 8829) and the W3C RTCPeerConnection
// (webrtc-pc): description types, signaling states, DTLS roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sdp/session_description.h"

namespace wasmrtc::sdp {

// RTCSdpType (webrtc-pc, "RTCSdpType"; RFC 8829 section 4.1.10).
enum class SdpType : uint8_t { Offer, Pranswer, Answer, Rollback };
// "offer", "pranswer", "answer", "rollback"
std::string_view to_string(SdpType type);
std::optional<SdpType> parse_sdp_type(std::string_view text);

// RTCSignalingState (webrtc-pc, "RTCSignalingState"; RFC 8829 section 3.2).
enum class SignalingState : uint8_t {
  Stable,
  HaveLocalOffer,
  HaveRemoteOffer,
  HaveLocalPranswer,
  HaveRemotePranswer,
  Closed,
};
// "stable", "have-local-offer", ... as webrtc-pc spells them.
std::string_view to_string(SignalingState state);

// Our side of the DTLS handshake (RFC 5763 section 5: "active" connects,
// so it is the DTLS client; "passive" is the server).
enum class DtlsRole : uint8_t { Client, Server };
std::string_view to_string(DtlsRole role);  // "client", "server" (RTCDtlsRole)

// An applied description: RTCSessionDescription {type, sdp}.
struct Description {
  SdpType type = SdpType::Offer;
  SessionDescription sdp;

  // The SDP text (CRLF, as browsers give it in localDescription.sdp).
  std::string to_string() const;
  bool operator==(const Description&) const = default;
};

}  // namespace wasmrtc::sdp
