// wasmrtc's generic RTP payload format: how frames of a codec that has no
// payload format of its own (a user codec, issue 13) travel over RTP, so
// that NACK/RTX, PLI and the video jitter buffer work for it unchanged.
// The layout is libwebrtc's "generic" packetization (its
// RtpPacketizerGeneric), so captures read alike.
//
// Every packet of a frame carries the frame's RTP timestamp (RFC 3550 5.1)
// and starts with one header byte:
//
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |  reserved |E|S|K|   (bit 7 = K, the least significant)
//       +-+-+-+-+-+-+-+-+
//   K (0x01): the frame is a keyframe (decodable alone), on every packet;
//   S (0x02): this packet starts the frame;
//   E (0x04): two bytes follow the header (a 15-bit frame id in libwebrtc);
//             we do not write them, and skip them when reading.
//   Reserved bits are written as zero and ignored on reading.
//
// A frame of any size is split over as few packets as fit the payload size,
// of sizes differing by at most one byte; the RTP marker bit goes on the
// last (RFC 3550 5.1, as RFC 7741 4.1 does for VP8). A receiver has a whole
// frame when it holds a run of packets of one timestamp with no sequence
// gap, S on the first, the marker on the last and on no other.
//
//   auto payloads = rtp::packetize_generic(frame, keyframe, 1200);
//   auto p = rtp::depacketize_generic(packet.payload);   // S?, K?, bytes
//   auto f = rtp::assemble_generic_frame(packets_of_one_timestamp);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "rtp/error.h"
#include "rtp/vp8_payload.h"

namespace wasmrtc::rtp {

inline constexpr uint8_t kGenericKeyframe = 0x01;
inline constexpr uint8_t kGenericFirstPacket = 0x02;
inline constexpr uint8_t kGenericExtendedHeader = 0x04;

struct GenericPayload {
  bool first_of_frame = false;
  bool keyframe = false;
  base::ByteView data;  // the frame's bytes in this packet (a view into the input)
};

// Truncated: empty, or E set with fewer than two bytes after the header.
Result<GenericPayload> depacketize_generic(base::ByteView payload);

// BadValue for an empty frame or a payload size that leaves no room after
// the header byte.
Result<std::vector<base::Bytes>> packetize_generic(base::ByteView frame, bool keyframe, size_t max_payload_size);

struct GenericAssembledFrame {
  base::Bytes data;
  bool complete = false;  // see the file comment
  bool keyframe = false;  // from the first packet
};

// `packets`: one frame's packets in sequence number order (one RTP
// timestamp; Vp8RtpPayload is the payload-format-neutral view). An error
// when a payload is malformed; an incomplete frame is no error.
Result<GenericAssembledFrame> assemble_generic_frame(std::span<const Vp8RtpPayload> packets);

}  // namespace wasmrtc::rtp
