// Cuts a TURN byte stream (TCP, TLS, or the WebSocket to wasmrtc-gateway)
// into messages. Over a stream, STUN messages and ChannelData messages
// follow each other with no other delimiting (RFC 8656 section 3.1 and
// RFC 6062's TCP usage): a STUN message is 20 bytes of header plus its
// length field (RFC 8489 section 5), a ChannelData message 4 bytes plus its
// length rounded up to a multiple of 4 (RFC 8656 section 12.5). Chunks may
// split or merge messages arbitrarily.
//
// Anything else at a message boundary means the stream has lost sync and
// cannot be recovered: the framer reports an error and stays broken. It
// buffers at most one partial message, so memory is bounded by
// max_frame_size whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace wasmrtc::turn {

enum class FrameKind : uint8_t { Stun, ChannelData };

struct Frame {
  FrameKind kind = FrameKind::Stun;
  // A whole STUN message, or a ChannelData header and data without the
  // stream padding.
  base::Bytes bytes;
};

enum class FramingError : uint8_t {
  UnknownFirstByte,  // neither STUN (0..3) nor ChannelData (64..79): RFC 8656 section 12, table 3
  BadMagicCookie,    // a STUN header without 0x2112A442 (RFC 8489 section 5)
  BadStunLength,     // a STUN length that is not a multiple of 4 (RFC 8489 section 5)
  FrameTooLarge,     // a message longer than max_frame_size
};
const char* to_string(FramingError e);

class StreamFramer {
 public:
  // The largest message either kind can be: a STUN header plus the largest
  // length that is a multiple of 4 (a ChannelData message is at most
  // 4 + 65536 with padding).
  static constexpr size_t kMaxFrameSize = 20 + 0xFFFC;

  explicit StreamFramer(size_t max_frame_size = kMaxFrameSize) : max_frame_size_(max_frame_size) {}

  // Consumes `chunk` and appends every message it completes to `out`, in
  // stream order. On an error, the frames before the bad boundary are still
  // appended; the framer is broken from then on and every later push
  // returns the same error without reading its input.
  base::Result<void, FramingError> push(base::ByteView chunk, std::vector<Frame>& out);

  // Bytes of a partial message waiting for the rest (< max_frame_size).
  size_t buffered() const { return pending_.size(); }
  std::optional<FramingError> error() const { return error_; }

 private:
  size_t max_frame_size_;
  base::Bytes pending_;
  std::optional<FramingError> error_;
};

}  // namespace wasmrtc::turn
