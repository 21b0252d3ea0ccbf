// A jitter buffer for one video RTP stream (VP8, RFC 7741; H.264, RFC 6184;
// or the generic format of a registered codec): packets go in as
// they arrive, whole frames come out in RTP timestamp order, and the buffer
// decides for each gap whether to wait, to ask for the missing packets
// again (generic NACK, RFC 4585 6.2.1) or to give up and ask for a keyframe
// (PLI, RFC 4585 6.3.1), from the round-trip time.
//
//   media::VideoJitterBuffer jb({.nack = nack_negotiated});
//   jb.insert(now, p.sequence_number, p.timestamp, p.marker, p.payload);     // or an RTX repair:
//   jb.insert(now, original_seq, p.timestamp, p.marker, rtx_payload, /*retransmission=*/true);
//   jb.set_rtt(rtt);                                   // from each RTCP report block
//   while (auto f = jb.pop(now)) if (!decoder.decode(f->data)) jb.on_decode_failure(now);
//   if (auto seqs = jb.take_nacks(now); !seqs.empty()) send(rtp::make_nack(...seqs));
//   if (jb.take_keyframe_request(now)) send(rtp::make_pli(...));
//   timer.arm(jb.deadline());                          // then call the above again
//
// Like libwebrtc's NackRequester + PacketBuffer + FrameBuffer, simplified
// to one stream of VP8 without layer dependencies:
// - Every sequence number gap is tracked the moment it is seen. With NACK
//   it is asked for at once, then again every max(RTT, min_nack_interval)
//   while missing, at most max_nack_retries times; it is given up when that
//   is spent (and one more interval has passed for the last answer), when it
//   has been missing for the frame wait, or when the frame it belongs to is
//   decided (given out or dropped).
// - A frame is given out when it is complete (rtp::assemble_vp8_frame) and
//   decodable: a keyframe, or a delta frame that starts right after the
//   last frame given out (no sequence number in between is missing, so no
//   whole frame was lost; padding-only packets fill the gaps they occupy).
// - The oldest frame that is not decodable is dropped when a packet it
//   needs was given up, when no packet of it has come for the frame wait (a
//   lost tail with nothing after it), when a later keyframe is complete
//   (then nothing is lost by skipping it), or when it is a delta frame while
//   a keyframe is needed.
// - VP8 delta frames reference earlier frames, so after a drop (or a
//   decoder failure) only a keyframe can be decoded correctly: delta frames
//   are dropped until one comes, and a keyframe is asked for (rate
//   limited) until it does, unless a later keyframe made the drop moot.
//
// Sans-IO: `now` is an input, nothing here reads a clock. Nothing throws;
// malformed payloads, duplicates and late packets are counted and dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "base/bytes.h"
#include "base/time.h"
#include "media/unwrap.h"
#include "rtp/generic_payload.h"
#include "rtp/h264_payload.h"
#include "rtp/vp8_payload.h"

namespace wasmrtc::media {

// How frames are cut into packets: RFC 7741 VP8, RFC 6184 H.264, or the
// generic format of a codec without its own (rtp/generic_payload.h).
enum class VideoPayloadFormat : uint8_t { Vp8, H264, Generic };

struct VideoJitterBufferConfig {
  VideoPayloadFormat format = VideoPayloadFormat::Vp8;

  // NACK negotiated (a=rtcp-fb:<pt> nack, RFC 4585 4.2). Without it gaps are
  // never asked for: a frame with a gap waits reorder_wait (the packet may
  // just be reordered), then is dropped and a keyframe requested.
  bool nack = true;

  // NACK repeat interval: max(RTT, this). A retransmission cannot come back
  // sooner than one RTT, so repeating earlier only duplicates it; the floor
  // keeps a LAN (RTT ~1 ms) from repeating every millisecond, and is
  // libwebrtc's NACK processing period.
  base::Duration min_nack_interval = base::Duration::millis(20);
  // How often one sequence number may be asked for (libwebrtc's
  // kMaxNackRetries). With the default waits the wait ends first (2-5 asks);
  // the limit bounds the feedback when the waits are configured longer.
  int max_nack_retries = 10;

  // How long a missing packet (and a frame that stopped receiving packets)
  // is waited for with NACK: nack_rounds NACK intervals plus wait_margin.
  // Several rounds, because a retransmission can be lost too and because a
  // libwebrtc sender ignores a repeated NACK that comes sooner than its own
  // RTT estimate after it last resent that packet; libwebrtc's receiver
  // itself asks up to 10 times before it wants a keyframe. The margin
  // covers the sender's pacer queue and network jitter. Bounded by
  // [min_wait, max_wait]: the floor covers jitter at tiny RTTs; the ceiling
  // is where waiting freezes the picture longer than a keyframe round trip
  // would (RTT 100 ms: 450 ms; RTT 20 ms: 200 ms; RTT >= 240 ms: 1 s).
  // Measured against libwebrtc through 5 % loss and 50 ms each way: two
  // rounds (250 ms) gave up 12 % of the frames, most for a keyframe.
  int nack_rounds = 4;
  base::Duration min_wait = base::Duration::millis(200);
  base::Duration max_wait = base::Duration::seconds(1);
  base::Duration wait_margin = base::Duration::millis(50);
  // Without NACK (and for the head of the very first frame, which no NACK
  // can name): how long a gap may be reordering before it counts as a loss.
  // Reordering on real paths is a few ms; 50 ms is generous and still
  // short enough for the keyframe request to matter.
  base::Duration reorder_wait = base::Duration::millis(50);
  // Silence this long followed by a sequence gap is an outage: the buffer
  // starts over and asks for a keyframe instead of NACKing the gap. At 30
  // fps a second is 30 lost frames, more than NACK repairs in time.
  base::Duration outage = base::Duration::seconds(1);

  // Keyframe requests (PLI) while one is needed: at most one per
  // max(min_keyframe_request_interval, 2 RTT). A keyframe takes at least a
  // round trip to come after the request, and a large one is paced out and
  // may need a NACK repair (one more round trip); asking again sooner makes
  // the sender encode another, expensive keyframe. The floor is what
  // libwebrtc uses in spirit (it repeats every 200-300 ms while waiting).
  base::Duration min_keyframe_request_interval = base::Duration::millis(250);

  // Memory bounds. Frames: 1 s of waiting at 120 fps. Packets: a 1080p
  // keyframe is ~250 packets of 1200 bytes; 1024 per frame admits ~1.2 MB
  // frames; 2048 in all (~2.4 MB, libwebrtc's packet buffer size) bounds the
  // WASM heap. Over a bound, the oldest frame is dropped (a frame that
  // would pass max_packets_per_frame is dropped when it is the oldest).
  size_t max_frames = 128;
  size_t max_packets_per_frame = 1024;
  size_t max_packets = 2048;
  // Missing sequence numbers tracked (libwebrtc's kMaxNackPackets). Beyond,
  // the oldest are given up. A jump of more than this many sequence numbers
  // (either way) could not be NACKed in full: it is a stream restart or a
  // loss too big to repair, handled by dropping everything and asking for a
  // keyframe (once a second packet confirms it, see insert()).
  size_t max_missing = 1000;
};

// A whole frame to decode.
struct AssembledFrame {
  uint32_t rtp_timestamp = 0;
  // The RTP timestamp extended to 64 bits (RFC 3550 A.1), congruent to it
  // modulo 2^32; strictly increasing from one frame given out to the next,
  // across wraparound and stream restarts.
  int64_t extended_timestamp = 0;
  base::Bytes data;  // the encoded frame (payload descriptors or headers removed)
  bool keyframe = false;
  base::Timestamp first_packet;  // arrival of its first packet to arrive
  base::Timestamp last_packet;   // arrival of the packet that completed it
  uint16_t first_sequence_number = 0;
  uint16_t last_sequence_number = 0;  // the one with the marker bit
  size_t packets = 0;
  size_t retransmitted_packets = 0;  // of those, repairs (RTX)
  rtp::Vp8Descriptor descriptor;     // VP8: the first packet's picture id, temporal layer, N
};

// Counters only grow. Each insert() is counted in packets_received and, at
// most, one of duplicated, too_late, invalid, padding, discarded.
struct VideoJitterBufferStats {
  uint64_t packets_received = 0;       // insert() calls
  uint64_t packets_retransmitted = 0;  // retransmissions that filled a gap (repaired)
  uint64_t packets_duplicated = 0;     // already buffered
  uint64_t packets_too_late = 0;       // for a frame already given out or dropped
  uint64_t packets_invalid = 0;        // not a payload of the format (RFC 7741 4.2); its frame is dropped
  uint64_t packets_padding = 0;        // empty payloads: padding only (RFC 3550 5.1)
  uint64_t packets_discarded = 0;      // over a memory bound, or an unconfirmed jump
  uint64_t frames_assembled = 0;       // given out by pop()
  uint64_t keyframes_assembled = 0;
  uint64_t frames_dropped = 0;         // frames we had packets of that were never given out
  uint64_t nack_requests = 0;          // sequence numbers asked for, repeats included
  uint64_t nack_packets = 0;           // take_nacks() calls that returned some: one RTCP NACK each (W3C nackCount)
  uint64_t keyframe_requests = 0;      // take_keyframe_request() == true (W3C pliCount)
  uint64_t decode_failures = 0;        // on_decode_failure() calls
  uint64_t stream_restarts = 0;        // huge sequence or timestamp jumps
  uint64_t outages = 0;                // silence then a gap: restarted from a keyframe
};

class VideoJitterBuffer {
 public:
  explicit VideoJitterBuffer(VideoJitterBufferConfig config = {});

  // One RTP packet of the stream: an original, or one repaired from RTX
  // (RFC 4588 4: the original sequence number and payload) with
  // retransmission = true. An empty payload is a padding-only packet: it
  // takes a sequence number and no frame. A packet more than max_missing
  // sequence numbers away from the highest seen is held: if the next such
  // packet continues from it, the stream restarted (or lost that much) and
  // everything starts over from the held one; otherwise it was a stray.
  void insert(base::Timestamp now, uint16_t sequence_number, uint32_t rtp_timestamp, bool marker,
              base::ByteView payload, bool retransmission = false);

  // The latest round-trip time (RFC 3550 6.4.1: A - LSR - DLSR). Before the
  // first, 100 ms is assumed (libwebrtc's default). Clamped to [0, 10 s].
  void set_rtt(base::Duration rtt);
  base::Duration rtt() const { return rtt_; }

  // The next frame to decode, in RTP timestamp order, or nothing yet.
  std::optional<AssembledFrame> pop(base::Timestamp now);
  // Sequence numbers to NACK now, oldest first: gaps seen since the last
  // call, and repeats. Always empty without config.nack.
  std::vector<uint16_t> take_nacks(base::Timestamp now);
  // True when a PLI should be sent now (rate limited).
  bool take_keyframe_request(base::Timestamp now);
  // The decoder refused a frame or reported corruption: only a keyframe can
  // repair the picture, so delta frames are dropped until one comes, and
  // one is asked for.
  void on_decode_failure(base::Timestamp now);

  // When to call pop / take_nacks / take_keyframe_request again; already due
  // (the latest `now` seen) when a frame can be given out. Unset when
  // nothing is pending.
  base::Deadline deadline() const;

  const VideoJitterBufferStats& stats() const { return stats_; }
  const VideoJitterBufferConfig& config() const { return config_; }
  // The current waits, from the RTT (see the config).
  base::Duration nack_interval() const;
  base::Duration frame_wait() const;
  base::Duration keyframe_request_interval() const;

  // What is held, for tests and the memory bounds.
  size_t frames_buffered() const { return frames_.size(); }
  size_t packets_buffered() const { return packet_count_; }
  size_t largest_frame_packets() const;
  size_t missing_count() const { return missing_.size(); }
  bool keyframe_needed() const { return need_keyframe_; }

 private:
  struct Packet {
    bool marker = false;
    bool valid = false;  // a VP8 payload
    bool first_of_frame = false;
    bool keyframe = false;
    bool retransmission = false;
    base::Bytes payload;
  };
  struct Frame {
    uint32_t rtp_timestamp = 0;
    base::Timestamp first_packet;
    base::Timestamp last_packet;
    std::map<int64_t, Packet> packets;  // by extended sequence number
    std::optional<int64_t> start;       // lowest packet with S = 1, PID = 0 (RFC 7741 4.2)
    std::optional<int64_t> end;         // lowest packet with the marker (RFC 7741 4.1)
    bool keyframe = false;              // the start packet's P bit (RFC 7741 4.3)
    bool broken = false;                // an invalid payload, or over max_packets_per_frame
    size_t retransmitted = 0;
  };
  struct Missing {
    base::Timestamp since;                 // when the gap was seen
    std::optional<base::Timestamp> asked;  // last NACK
    int retries = 0;                       // NACKs sent
  };
  struct Held {  // a packet after a huge jump, until a second one confirms it
    base::Timestamp arrival;
    uint16_t sequence_number;
    uint32_t rtp_timestamp;
    bool marker;
    base::Bytes payload;
  };
  enum class Drop { Moot, Broken, DeltaWithoutKeyframe, Lost, Stalled, Overflow, Restart };

  void accept(base::Timestamp now, uint16_t sequence_number, uint32_t rtp_timestamp, bool marker,
              base::ByteView payload, bool retransmission);
  void restart();
  void rebase_timestamps(uint32_t first);
  void update(base::Timestamp now);
  void expire_missing(base::Timestamp now);
  void settle(base::Timestamp now);
  std::optional<Drop> drop_reason(const Frame& f) const;  // those that do not depend on time
  bool stalled(const Frame& f, base::Timestamp now) const;
  base::Duration stall_wait(const Frame& f) const;
  bool complete(const Frame& f) const;
  bool decodable(const Frame& f) const;
  bool later_keyframe_complete() const;
  bool lost_for_good(const Frame& f) const;
  void drop_front(Drop why);
  void decided(int64_t timestamp, int64_t last_sequence);
  void add_missing(base::Timestamp now, int64_t from, int64_t to);

  VideoJitterBufferConfig config_;
  base::Duration rtt_ = base::Duration::millis(100);
  std::optional<base::Timestamp> last_now_;
  std::optional<base::Timestamp> last_arrival_;  // of the last original packet

  Unwrapper<uint16_t> sequences_;
  Unwrapper<uint32_t> timestamps_;
  int64_t timestamp_base_ = 0;   // added to the unwrapped timestamp; moves at restarts
  bool rebase_timestamps_ = false;
  std::optional<int64_t> highest_timestamp_;  // extended, with the base
  std::optional<int64_t> highest_sequence_;
  std::optional<Held> held_;

  std::map<int64_t, Frame> frames_;  // by extended RTP timestamp
  size_t packet_count_ = 0;
  std::map<int64_t, Missing> missing_;  // by extended sequence number
  std::set<int64_t> abandoned_;  // missing sequence numbers given up on, not yet decided
  std::set<int64_t> padding_;    // padding sequence numbers past the last decided one

  // The last frame given out or dropped: nothing at or before it is useful.
  std::optional<int64_t> decided_timestamp_;
  std::optional<int64_t> decided_sequence_;  // its last packet, then past any padding
  bool need_keyframe_ = true;  // delta frames cannot be decoded (start, drop, decode failure)
  bool asking_ = false;        // a keyframe request is wanted until a keyframe is given out
  std::optional<base::Timestamp> last_keyframe_request_;

  VideoJitterBufferStats stats_;
};

}  // namespace wasmrtc::media
