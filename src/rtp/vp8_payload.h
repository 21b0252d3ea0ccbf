// The RTP payload format for VP8 (RFC 7741): the payload descriptor every
// packet starts with (section 4.2), the payload header at the start of a
// frame (section 4.3), a packetizer that cuts one encoded frame into RTP
// payloads, a depacketizer for one payload, and the check that a run of
// packets makes up one whole frame (section 4.5).
//
//   rtp::Vp8Packetizer pz(random_picture_id);
//   auto payloads = pz.packetize(frame, 1200);     // marker on the last
//   ...
//   auto p = rtp::depacketize_vp8(packet.payload); // descriptor, first?, key?
//   auto f = rtp::assemble_vp8_frame(packets_of_one_timestamp);
//   if (f && f->complete) decoder.decode(f->data);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "rtp/error.h"

namespace wasmrtc::rtp {

// RFC 7741 section 4.2:
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |X|R|N|S|R| PID | (REQUIRED)
//  X:   |I|L|T|K| RSV   | (OPTIONAL)
//  I:   |M| PictureID   | (OPTIONAL, a second byte when M)
//  L:   |   TL0PICIDX   | (OPTIONAL)
//  T/K: |TID|Y| KEYIDX  | (OPTIONAL)
// Reserved bits are written as zero and ignored on reading.
struct Vp8Descriptor {
  bool non_reference = false;       // N: no other frame depends on this one
  bool start_of_partition = false;  // S
  uint8_t partition_id = 0;         // PID, 0-7 (write: BadValue above)
  std::optional<uint16_t> picture_id = std::nullopt;  // I: 7 bits, or 15 with M
  bool long_picture_id = true;         // M (meaningful only with a picture id)
  std::optional<uint8_t> tl0_pic_idx = std::nullopt;  // L: running index of base-layer frames
  std::optional<uint8_t> temporal_id = std::nullopt;  // T: TID, 0-3
  bool layer_sync = false;             // Y: read and written only with T
  std::optional<uint8_t> key_idx = std::nullopt;      // K: KEYIDX, 0-31

  // Bytes on the wire: 1 to 6.
  size_t size() const;
  bool operator==(const Vp8Descriptor&) const = default;
};

struct ParsedVp8Descriptor {
  Vp8Descriptor descriptor;
  size_t size = 0;  // bytes the descriptor took
};

// Truncated when the fields the flags announce run past the payload.
Result<ParsedVp8Descriptor> parse_vp8_descriptor(base::ByteView payload);
// BadValue: PID > 7, TID > 3, KEYIDX > 31, a 7-bit picture id > 127 or a
// 15-bit one > 32767.
Result<base::Bytes> serialize_vp8_descriptor(const Vp8Descriptor& descriptor);

// RFC 7741 section 4.3: the first three bytes of the first packet of a
// frame (S = 1, PID = 0), which are the VP8 frame tag (RFC 6386 9.1).
//   |Size0|H| VER |P|  |Size1|  |Size2|
struct Vp8PayloadHeader {
  bool keyframe = false;    // P = 0 ("inverse key frame flag")
  uint8_t version = 0;      // VER
  bool show_frame = false;  // H
  uint32_t first_partition_size = 0;  // Size0 + 8 Size1 + 2048 Size2
};
Result<Vp8PayloadHeader> parse_vp8_payload_header(base::ByteView vp8_data);

// One RTP payload, taken apart.
struct Vp8Payload {
  Vp8Descriptor descriptor;
  // S = 1 and PID = 0: this packet starts a frame and carries the payload
  // header.
  bool first_of_frame = false;
  // From the P bit; only meaningful when first_of_frame.
  bool keyframe = false;
  base::ByteView data;  // the VP8 bytes after the descriptor (a view into the input)
};

// Truncated: an empty payload, a descriptor running past the end, or no VP8
// bytes after it (libwebrtc refuses empty ones too).
Result<Vp8Payload> depacketize_vp8(base::ByteView payload);

// What the encoder said about a frame, for its descriptors.
struct Vp8FrameInfo {
  bool non_reference = false;
  std::optional<uint8_t> temporal_id = std::nullopt;  // with temporal layers: T, Y and L are written
  bool layer_sync = false;
  std::optional<uint8_t> key_idx = std::nullopt;
};

// Cuts encoded frames into RTP payloads of at most `max_payload_size`
// bytes, in as few packets as fit and of sizes differing by at most one
// byte (as libwebrtc balances them). Every packet carries a 15-bit picture
// id (M = 1) that advances by one per frame; S = 1 on the first packet
// only (the whole frame is partition 0). With temporal layers, TL0PICIDX
// advances on each base-layer frame (RFC 7741 4.2). The RTP marker goes on
// the last payload (RFC 7741 4.1).
class Vp8Packetizer {
 public:
  // RFC 7741 4.2 leaves the first picture id to the sender; libwebrtc
  // picks a random one, as should callers (from base::Random).
  explicit Vp8Packetizer(uint16_t first_picture_id = 0, uint8_t tl0_pic_idx = 0)
      : picture_id_(first_picture_id & 0x7fff), tl0_pic_idx_(tl0_pic_idx) {}

  // BadValue for an empty frame, a max size that leaves no room after the
  // descriptor, or out-of-range info (TID > 3, KEYIDX > 31).
  Result<std::vector<base::Bytes>> packetize(base::ByteView frame, size_t max_payload_size,
                                             const Vp8FrameInfo& info = {});

  uint16_t next_picture_id() const { return picture_id_; }

 private:
  uint16_t picture_id_;
  uint8_t tl0_pic_idx_;
};

// One received packet of a frame: its RTP sequence number, marker bit and
// payload (a view, valid while the packet lives).
struct Vp8RtpPayload {
  uint16_t sequence_number = 0;
  bool marker = false;
  base::ByteView payload;
};

struct Vp8AssembledFrame {
  base::Bytes data;  // the VP8 bytes of all the packets, in order
  // The first packet starts partition 0 (S = 1, PID = 0), the last has the
  // marker and no other does, sequence numbers have no gap, no packet in
  // between starts a frame, and picture ids (where present) agree.
  bool complete = false;
  bool keyframe = false;  // from the first packet, when it starts the frame
  Vp8Descriptor first;    // the first packet's descriptor
};

// `packets`: one frame's packets in sequence number order (same RTP
// timestamp). An error when any payload is malformed; an incomplete frame is
// no error (complete = false: wait, or ask for a retransmission or keyframe).
Result<Vp8AssembledFrame> assemble_vp8_frame(std::span<const Vp8RtpPayload> packets);

}  // namespace wasmrtc::rtp
