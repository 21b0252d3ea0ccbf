#include "sdp/jsep_error.h"

namespace wasmrtc::sdp {

std::string_view to_string(JsepErrorCode code) {
  switch (code) {
    case JsepErrorCode::Closed: return "Closed";
    case JsepErrorCode::WrongState: return "WrongState";
    case JsepErrorCode::NoRemoteDescription: return "NoRemoteDescription";
    case JsepErrorCode::NoLocalDescription: return "NoLocalDescription";
    case JsepErrorCode::SdpSyntaxError: return "SdpSyntaxError";
    case JsepErrorCode::MissingIceCredentials: return "MissingIceCredentials";
    case JsepErrorCode::BadIceCredentials: return "BadIceCredentials";
    case JsepErrorCode::MissingFingerprint: return "MissingFingerprint";
    case JsepErrorCode::BadSetup: return "BadSetup";
    case JsepErrorCode::DuplicateMid: return "DuplicateMid";
    case JsepErrorCode::BadBundleGroup: return "BadBundleGroup";
    case JsepErrorCode::MediaSectionsMismatch: return "MediaSectionsMismatch";
    case JsepErrorCode::DescriptionModified: return "DescriptionModified";
    case JsepErrorCode::UnknownMid: return "UnknownMid";
    case JsepErrorCode::BadMLineIndex: return "BadMLineIndex";
    case JsepErrorCode::UfragMismatch: return "UfragMismatch";
    case JsepErrorCode::BadCandidate: return "BadCandidate";
    case JsepErrorCode::DescriptionTooLarge: return "DescriptionTooLarge";
    case JsepErrorCode::TooManyCandidates: return "TooManyCandidates";
    case JsepErrorCode::MissingMidAndIndex: return "MissingMidAndIndex";
  }
  return "Unknown";
}

std::string_view dom_exception_name(JsepErrorCode code) {
  switch (code) {
    case JsepErrorCode::Closed:
    case JsepErrorCode::WrongState:
    case JsepErrorCode::NoRemoteDescription:
    case JsepErrorCode::NoLocalDescription:
      return "InvalidStateError";
    case JsepErrorCode::SdpSyntaxError:
    case JsepErrorCode::UnknownMid:
    case JsepErrorCode::BadMLineIndex:
    case JsepErrorCode::UfragMismatch:
    case JsepErrorCode::BadCandidate:
    case JsepErrorCode::DescriptionTooLarge:
    case JsepErrorCode::TooManyCandidates:
      return "OperationError";
    case JsepErrorCode::MissingIceCredentials:
    case JsepErrorCode::BadIceCredentials:
    case JsepErrorCode::MissingFingerprint:
    case JsepErrorCode::BadSetup:
    case JsepErrorCode::DuplicateMid:
    case JsepErrorCode::BadBundleGroup:
    case JsepErrorCode::MediaSectionsMismatch:
      return "InvalidAccessError";
    case JsepErrorCode::DescriptionModified:
      return "InvalidModificationError";
    case JsepErrorCode::MissingMidAndIndex:
      return "TypeError";
  }
  return "OperationError";
}

std::optional<std::string_view> JsepError::error_detail() const {
  if (code == JsepErrorCode::SdpSyntaxError) return "sdp-syntax-error";
  return std::nullopt;
}

std::string JsepError::to_string() const {
  return std::string(dom_exception_name()) + ": " + message;
}

}  // namespace wasmrtc::sdp
