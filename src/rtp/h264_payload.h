// The RTP payload format for H.264 (RFC 6184) in packetization-mode 1,
// non-interleaved (section 6.3), what WebRTC endpoints use: single NAL
// unit packets (section 5.6), STAP-A aggregation (5.7.1) and FU-A
// fragmentation (5.8). Frames go in and come out in Annex B byte-stream
// form (ITU-T H.264 Annex B: each NAL unit after a 00 00 00 01 start
// code), which encoders write and decoders read.
//
//   auto payloads = rtp::packetize_h264(annex_b_frame, 1200);  // marker on the last
//   auto p = rtp::depacketize_h264(packet.payload);            // starts a frame? keyframe?
//   auto f = rtp::assemble_h264_frame(packets_of_one_timestamp);
//   if (f && f->complete) decoder.decode(f->data);
//
// H.264 has no "start of frame" bit. A packet starts a frame (an access
// unit, H.264 7.4.1.2.3) when its first NAL unit is one that only begins
// an access unit (an access unit delimiter, SPS, PPS or SEI) or the first
// slice of a picture (first_mb_in_slice = 0, the first field of the slice
// header, H.264 7.3.3). A frame is a keyframe when it carries an IDR slice
// or a sequence parameter set (libwebrtc counts an SPS as the start of a
// keyframe too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "codec/h264_bitstream.h"
#include "rtp/error.h"
#include "rtp/vp8_payload.h"

namespace wasmrtc::rtp {

// The NAL unit types and Annex B splitting are the codec's facts
// (codec/h264_bitstream.h, header-only); the payload format uses them.
using codec::H264NalType;
using codec::split_annex_b;

struct H264Payload {
  bool first_of_frame = false;  // see the file comment
  bool keyframe = false;        // an IDR slice or an SPS in this packet
  // The NAL units this packet holds whole (single NAL unit, STAP-A), or
  // none for a FU-A fragment.
  size_t nal_units = 0;
};

// Truncated: empty, an aggregation unit whose size runs past the end, an
// empty NAL unit, a FU-A without its FU header or with no bytes. BadValue:
// a packet type not allowed in packetization-mode 1 (STAP-B, MTAP, FU-B,
// reserved 0 and 30-31), or a FU-A with both S and E set (RFC 6184 5.8).
Result<H264Payload> depacketize_h264(base::ByteView payload);

// Cuts one Annex B frame into payloads of at most `max_payload_size` bytes:
// runs of small NAL units that fit together go in one STAP-A (an SPS and a
// PPS before an IDR), a NAL unit that fits alone in a single NAL unit
// packet, and a larger one in FU-A fragments of balanced sizes. BadValue for
// a frame with no NAL unit or a size that leaves no room for a FU-A byte.
Result<std::vector<base::Bytes>> packetize_h264(base::ByteView frame, size_t max_payload_size);

struct H264AssembledFrame {
  base::Bytes data;        // Annex B, a 4-byte start code before each NAL unit
  bool complete = false;   // see assemble_h264_frame
  bool keyframe = false;   // an IDR slice or an SPS in it
};

// `packets`: one frame's packets in sequence number order (one RTP
// timestamp). Complete when the first starts a frame, the marker is on the
// last and on no other, sequence numbers have no gap, and FU-A fragments
// run from S to E with nothing between. An error when a payload is
// malformed; an incomplete frame is no error.
Result<H264AssembledFrame> assemble_h264_frame(std::span<const Vp8RtpPayload> packets);

}  // namespace wasmrtc::rtp
