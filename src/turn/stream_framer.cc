#include "turn/stream_framer.h"

#include <algorithm>

#include "stun/constants.h"
#include "turn/channel_data.h"
#include "turn/constants.h"

namespace wasmrtc::turn {
namespace {

// Bytes needed at a boundary before the frame's size is known: a STUN
// header up to and including the magic cookie, or a ChannelData header.
constexpr size_t kStunProbe = 8;
constexpr size_t kChannelDataProbe = 4;

struct Boundary {
  FrameKind kind;
  size_t probe;  // header bytes needed to size the frame
};

base::Result<Boundary, FramingError> classify(uint8_t first) {
  if (is_stun_first_byte(first)) return Boundary{FrameKind::Stun, kStunProbe};
  if (is_channel_data_first_byte(first)) return Boundary{FrameKind::ChannelData, kChannelDataProbe};
  return base::Unexpected(FramingError::UnknownFirstByte);
}

uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// The size the frame occupies on the stream, from its first `kind.probe`
// bytes.
base::Result<size_t, FramingError> frame_size(const Boundary& b, const uint8_t* head,
                                              size_t max_frame_size) {
  const size_t length = load_u16(head + 2);
  size_t size;
  if (b.kind == FrameKind::Stun) {
    const uint32_t cookie =
        (uint32_t{head[4]} << 24) | (uint32_t{head[5]} << 16) | (uint32_t{head[6]} << 8) | head[7];
    if (cookie != stun::kMagicCookie) return base::Unexpected(FramingError::BadMagicCookie);
    if (length % 4 != 0) return base::Unexpected(FramingError::BadStunLength);
    size = stun::kHeaderSize + length;
  } else {
    // RFC 8656 section 12.5: padding is not in the length field.
    size = padded_channel_data_size(length);
  }
  if (size > max_frame_size) return base::Unexpected(FramingError::FrameTooLarge);
  return size;
}

void emit(const Boundary& b, base::ByteView frame, std::vector<Frame>& out) {
  Frame f;
  f.kind = b.kind;
  if (b.kind == FrameKind::ChannelData) {
    frame = frame.first(kChannelDataHeaderSize + load_u16(frame.data() + 2));
  }
  f.bytes.assign(frame.begin(), frame.end());
  out.push_back(std::move(f));
}

// Moves up to `want - into.size()` bytes from the front of `from` to `into`.
void top_up(base::Bytes& into, base::ByteView& from, size_t want) {
  if (into.size() >= want) return;
  const size_t n = std::min(want - into.size(), from.size());
  into.insert(into.end(), from.begin(), from.begin() + static_cast<std::ptrdiff_t>(n));
  from = from.subspan(n);
}

}  // namespace

const char* to_string(FramingError e) {
  switch (e) {
    case FramingError::UnknownFirstByte:
      return "neither STUN nor ChannelData at a message boundary";
    case FramingError::BadMagicCookie: return "STUN header without the magic cookie";
    case FramingError::BadStunLength: return "STUN length not a multiple of 4";
    case FramingError::FrameTooLarge: return "message larger than the framing limit";
  }
  return "unknown framing error";
}

base::Result<void, FramingError> StreamFramer::push(base::ByteView in, std::vector<Frame>& out) {
  if (error_) return base::Unexpected(*error_);
  auto fail = [this](FramingError e) -> base::Result<void, FramingError> {
    error_ = e;
    pending_.clear();
    return base::Unexpected(e);
  };

  for (;;) {
    if (!pending_.empty()) {
      // Finish the message an earlier chunk started: first its header...
      auto boundary = classify(pending_[0]);
      if (!boundary) return fail(boundary.error());
      top_up(pending_, in, boundary->probe);
      if (pending_.size() < boundary->probe) return {};
      auto size = frame_size(*boundary, pending_.data(), max_frame_size_);
      if (!size) return fail(size.error());
      // ...then its body.
      top_up(pending_, in, *size);
      if (pending_.size() < *size) return {};
      emit(*boundary, pending_, out);
      pending_.clear();
      continue;
    }
    if (in.empty()) return {};
    // Whole messages straight from the chunk, without copying into pending_.
    auto boundary = classify(in[0]);
    if (!boundary) return fail(boundary.error());
    if (in.size() < boundary->probe) {
      pending_.assign(in.begin(), in.end());
      return {};
    }
    auto size = frame_size(*boundary, in.data(), max_frame_size_);
    if (!size) return fail(size.error());
    if (in.size() < *size) {
      pending_.assign(in.begin(), in.end());
      return {};
    }
    emit(*boundary, in.first(*size), out);
    in = in.subspan(*size);
  }
}

}  // namespace wasmrtc::turn
