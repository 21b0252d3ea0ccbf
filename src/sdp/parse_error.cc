#include "sdp/parse_error.h"

namespace wasmrtc::sdp {

std::string_view to_string(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::Empty: return "Empty";
    case ParseErrorCode::BadLine: return "BadLine";
    case ParseErrorCode::UnknownLineType: return "UnknownLineType";
    case ParseErrorCode::UnexpectedLine: return "UnexpectedLine";
    case ParseErrorCode::MissingVersion: return "MissingVersion";
    case ParseErrorCode::BadVersion: return "BadVersion";
    case ParseErrorCode::MissingOrigin: return "MissingOrigin";
    case ParseErrorCode::BadOrigin: return "BadOrigin";
    case ParseErrorCode::MissingSessionName: return "MissingSessionName";
    case ParseErrorCode::MissingTiming: return "MissingTiming";
    case ParseErrorCode::BadTiming: return "BadTiming";
    case ParseErrorCode::BadConnection: return "BadConnection";
    case ParseErrorCode::BadBandwidth: return "BadBandwidth";
    case ParseErrorCode::BadMedia: return "BadMedia";
    case ParseErrorCode::BadPort: return "BadPort";
    case ParseErrorCode::BadAttribute: return "BadAttribute";
    case ParseErrorCode::BadAttributeValue: return "BadAttributeValue";
  }
  return "Unknown";
}

std::string ParseError::to_string() const {
  std::string out(sdp::to_string(code));
  if (!detail.empty()) out += " (" + detail + ")";
  out += " at line " + std::to_string(line);
  return out;
}

}  // namespace wasmrtc::sdp
