// Why a text is not a session description, and on which line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace wasmrtc::sdp {

enum class ParseErrorCode {
  Empty,              // no lines at all
  BadLine,            // not "<type>=<value>" with a letter as type (RFC 8866 section 5)
  UnknownLineType,    // a type letter RFC 8866 does not define (section 5: reject, not ignore)
  UnexpectedLine,     // a known line in the wrong place, or repeated where only one is allowed
  MissingVersion,     // the first line is not v= (RFC 8866 section 5.1)
  BadVersion,         // v= other than 0
  MissingOrigin,      // the second line is not o= (section 5.2)
  BadOrigin,          // o= without six fields, or a non-numeric sess-id / sess-version
  MissingSessionName, // the third line is not s= (section 5.3)
  MissingTiming,      // no t= before the first m= (section 5.9)
  BadTiming,          // t= without two numbers
  BadConnection,      // c= without three fields (section 5.7)
  BadBandwidth,       // b= not "<type>:<number>" (section 5.8)
  BadMedia,           // m= without media, port, proto and a format (section 5.14)
  BadPort,            // m= port or port count not a number in 0..65535
  BadAttribute,       // "a=" or "a=:value": no attribute name (section 5.13)
  BadAttributeValue,  // a known attribute with a malformed value (detail names it)
};

std::string_view to_string(ParseErrorCode code);

struct ParseError {
  ParseErrorCode code = ParseErrorCode::Empty;
  size_t line = 0;      // 1-based line number (what RTCError.sdpLineNumber reports)
  std::string detail;   // e.g. the attribute name for BadAttributeValue

  // "BadOrigin at line 2" / "BadAttributeValue (setup) at line 12".
  std::string to_string() const;
  bool operator==(const ParseError&) const = default;
};

template <typename T>
using ParseResult = base::Result<T, ParseError>;

}  // namespace wasmrtc::sdp
