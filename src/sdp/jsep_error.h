// Errors of the JSEP layer, each with the name the W3C API rejects with.
//
// Which name, and why:
// - Wrong signaling state, closed session, addIceCandidate before any
//   remote description: InvalidStateError (webrtc-pc, "set the
//   RTCSessionDescription" and addIceCandidate).
// - Text that is not SDP: an RTCError, whose name is "OperationError",
//   with errorDetail "sdp-syntax-error" and sdpLineNumber (webrtc-pc,
//   setLocal/RemoteDescription: "not valid SDP syntax"). Chromium rejects
//   with an RTCError too; before Chromium grew RTCError it used
//   InvalidAccessError here.
// - Well-formed SDP that JSEP does not allow (no ice-ufrag/ice-pwd, no
//   fingerprint, duplicate mids, an answer whose m= lines do not match the
//   offer, setup:actpass in an answer, a BUNDLE group naming an unknown
//   mid): InvalidAccessError (webrtc-pc: "If the content of description is
//   invalid"). This is what Chromium gives: libwebrtc reports these as
//   RTCErrorType::INVALID_PARAMETER and Blink maps that to
//   InvalidAccessError.
// - setLocalDescription with text changed since createOffer/createAnswer
//   in a way RFC 8829 section 5.4 forbids: InvalidModificationError.
// - addIceCandidate with an unknown mid, an out-of-range m-line index, a
//   ufrag that matches no m= section, or a line that is not a candidate:
//   OperationError (webrtc-pc, addIceCandidate).
// - addIceCandidate with neither sdpMid nor sdpMLineIndex: a TypeError
//   (an ECMAScript error, not a DOMException).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace wasmrtc::sdp {

enum class JsepErrorCode {
  // InvalidStateError
  Closed,               // the session is closed
  WrongState,           // this description type is not allowed in this signaling state
  NoRemoteDescription,  // addIceCandidate before any remote description
  NoLocalDescription,   // a local candidate before any local description
  // OperationError (RTCError, errorDetail "sdp-syntax-error")
  SdpSyntaxError,
  // InvalidAccessError
  MissingIceCredentials,   // an m= section without ice-ufrag/ice-pwd (RFC 8839 section 5.4)
  BadIceCredentials,       // ice-ufrag/ice-pwd of the wrong length or characters
  MissingFingerprint,      // an m= section without a=fingerprint (RFC 8122 section 5; RFC 8829 section 5.8)
  BadSetup,                // a=setup:actpass in an answer (RFC 5763 section 5)
  DuplicateMid,            // two m= sections with one mid (RFC 5888 section 4)
  BadBundleGroup,          // a BUNDLE group names a mid no m= section has, or one the offer did not bundle
  MediaSectionsMismatch,   // an answer's m= lines differ from the offer's, or a re-offer drops/reorders them
  // InvalidModificationError
  DescriptionModified,     // setLocalDescription text is not what createOffer/createAnswer made
  // OperationError
  UnknownMid,              // no m= section has this mid
  BadMLineIndex,           // sdpMLineIndex past the last m= section
  UfragMismatch,           // usernameFragment matches no ice-ufrag of the m= section
  BadCandidate,            // not "candidate:..." text
  DescriptionTooLarge,     // a remote description over kMaxDescriptionBytes or kMaxMediaSections
  TooManyCandidates,       // an m= section holds kMaxRemoteCandidates remote candidates already
  // TypeError
  MissingMidAndIndex,      // neither sdpMid nor sdpMLineIndex
};

std::string_view to_string(JsepErrorCode code);
// "InvalidStateError", "OperationError", "InvalidAccessError",
// "InvalidModificationError", or "TypeError".
std::string_view dom_exception_name(JsepErrorCode code);

struct JsepError {
  JsepErrorCode code = JsepErrorCode::WrongState;
  std::string message;  // for DOMException.message
  std::optional<size_t> sdp_line_number;  // RTCError.sdpLineNumber, for SdpSyntaxError

  std::string_view dom_exception_name() const { return sdp::dom_exception_name(code); }
  // RTCError.errorDetail: "sdp-syntax-error" for SdpSyntaxError, else nullopt.
  std::optional<std::string_view> error_detail() const;
  // "InvalidStateError: <message>"
  std::string to_string() const;
};

template <typename T>
using JsepResult = base::Result<T, JsepError>;

}  // namespace wasmrtc::sdp
