// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-
// wide-cc-extensions-01 section 3.1): RTPFB (PT=205) with FMT=15, reporting
// for a run of transport-wide sequence numbers whether each packet arrived
// and when. Byte-compatible with libwebrtc, which is what Chrome and
// @roamhq/wrtc send and expect.
//
//   // The receiver: every RTP packet with the transport-wide-cc extension.
//   rtp::TransportFeedbackGenerator gen;
//   gen.on_packet(now, transport_sequence);
//   for (const auto& t : gen.build(local_ssrc, remote_media_ssrc))   // every 50-250 ms
//     send(rtp::make_transport_feedback(t));                          // Result<Feedback>
//
//   // The sender: from a parsed RTCP datagram.
//   auto t = rtp::parse_transport_feedback(feedback);                 // Result<TransportFeedback>
//
// On the wire (after the RFC 4585 common header and the two SSRCs):
//
//   | base sequence number (16) | packet status count (16) |
//   | reference time (24, signed, 64 ms)  | fb pkt. count (8) |
//   | packet chunks, 16 bits each ...                        |
//   | recv deltas, 8 bits (small) or 16 bits (large) ...     | zero padding |
//
// Chunks carry one status symbol per packet (3.1.1: 0 not received, 1
// received with a small delta, 2 received with a large or negative delta,
// 3 reserved): a run-length chunk (3.1.3) repeats one symbol up to 8191
// times; a status vector chunk (3.1.4) lists 14 one-bit or 7 two-bit
// symbols. Deltas (3.1.5) are in 250 us ticks, each from the previous
// received packet's time, the first from the reference time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "base/time.h"
#include "rtp/error.h"
#include "rtp/rtcp.h"

namespace wasmrtc::rtp {

inline constexpr uint8_t kTransportFeedbackFormat = 15;

// One feedback message, as values rather than chunks: the chunk layout is
// derived when serializing (make_transport_feedback), the way libwebrtc
// chooses it.
struct TransportFeedback {
  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  uint16_t base_sequence = 0;
  uint8_t feedback_count = 0;          // feedback packet count, wraps
  int32_t reference_time = 0;          // the 24-bit signed field, in units of 64 ms
  // One entry per packet from base_sequence on (packet status count entries):
  // the arrival time in µs relative to reference_time*64 ms (a multiple of 250 µs), or nullopt when not received.
  std::vector<std::optional<int64_t>> arrivals_us;
  bool operator==(const TransportFeedback&) const = default;
};

inline constexpr int64_t kTransportFeedbackDeltaUs = 250;            // 3.1.5: one delta tick
inline constexpr int64_t kTransportFeedbackReferenceUs = 64000;      // 3.1: one reference time unit
inline constexpr size_t kTransportFeedbackMaxStatusCount = 0xFFFF;   // the 16-bit packet status count

// From an RTCP Feedback (rtcp.h) with type RTPFB and format 15. Errors:
// BadValue for another type/format, a packet status count of 0 (libwebrtc
// refuses empty feedback too) or the reserved symbol 3 among the counted
// statuses; Truncated when the FCI ends inside the fixed fields, the chunks
// (fewer statuses than the count) or the deltas. Statuses a last chunk holds
// beyond the count, and bytes after the last delta (padding), are ignored,
// as libwebrtc does.
Result<TransportFeedback> parse_transport_feedback(const Feedback& f);

// To an RTCP Feedback, the FCI zero-padded to 32 bits. Chunks are chosen as
// libwebrtc chooses them (run-length for runs, one-bit vectors while no
// large delta needs saying, two-bit vectors otherwise), so sizes match its.
// Errors: BadValue when arrivals_us is empty or holds a time that is not a
// multiple of 250 µs; TooLarge when a delta between consecutive received
// packets does not fit 16 signed bits of ticks (-8192 ms .. 8191.75 ms),
// there are more than 65535 entries, or reference_time is outside 24 signed
// bits.
//
// libwebrtc pads with the RTCP P bit and a count in the last byte instead;
// it parses zero padding without the P bit as well (its
// TransportFeedbackPaddingBackwardsCompatibility test).
Result<Feedback> make_transport_feedback(const TransportFeedback& t);

// The receive side (what libwebrtc's RemoteEstimatorProxy does): records the transport-wide sequence number
// and arrival time of each RTP packet (any media SSRC in the BUNDLE) and builds feedback for everything not yet reported.
//
// Like libwebrtc:
// - A feedback message starts at the first sequence number not yet reported
//   (received or not) and ends at a received packet; its reference time is
//   the arrival of its first received packet, floored to 64 ms (so that
//   packet's delta is 0..256 ticks and later, earlier-arriving packets get
//   negative deltas). Times are rounded to the nearest 250 µs.
// - A packet that arrives after its sequence number was reported (as lost)
//   moves the start of the next feedback back to it: that feedback has an
//   earlier base sequence and reports again, truthfully, the packets after it
//   that the previous one already covered. libwebrtc's sender
//   (TransportFeedbackAdapter) forgets packets once reported received, so the
//   repeats are ignored there, and takes the late arrival of one it had as
//   lost.
// Unlike libwebrtc, a packet older than the history (see below) is dropped
// rather than reported with the packets around it as lost.
//
// Memory is bounded: reported packets (and reported gaps) are forgotten once
// 500 ms older than the newest arrival, and the history never spans more than
// kMaxSequenceSpan sequence numbers (older ones are dropped even if not yet
// reported, when build() is not called for a long time).
class TransportFeedbackGenerator {
 public:
  static constexpr size_t kMaxPacketBytes = 1200;                         // default RTCP packet budget
  static constexpr base::Duration kHistory = base::Duration::millis(500);  // libwebrtc's back window
  static constexpr int64_t kMaxSequenceSpan = 8192;

  // `max_packet_bytes`: the largest RTCP packet (header included) one
  // feedback may serialize to; build() splits beyond it. At least 28, what a
  // run of losses and one received packet with a large delta can take.
  explicit TransportFeedbackGenerator(size_t max_packet_bytes = kMaxPacketBytes);

  void on_packet(base::Timestamp arrival, uint16_t transport_sequence);   // unwraps internally; duplicates ignored
  // Feedback covering the packets since the last call (lost ones as nullopt), split into several packets when
  // the deltas or the count don't fit one (max ~ what fits a 1200-byte RTCP packet), feedback_count incrementing.
  // Empty when nothing new arrived.
  std::vector<TransportFeedback> build(uint32_t sender_ssrc, uint32_t media_ssrc);
  bool has_pending() const;

  // Sequence numbers currently remembered (received or gaps): the memory
  // bound, for tests.
  size_t history_size() const { return history_.size(); }

 private:
  struct Entry {
    int64_t time_us = 0;    // arrival; for a gap, when the gap was first seen
    bool received = false;
  };
  int64_t unwrap(uint16_t sequence);
  void drop_front(int64_t new_begin);
  void prune(int64_t newest_us);

  size_t max_packet_bytes_;
  std::optional<int64_t> highest_;            // highest unwrapped sequence number seen
  std::deque<Entry> history_;                  // sequence numbers begin_ .. begin_ + size - 1
  int64_t begin_ = 0;
  int64_t floor_ = std::numeric_limits<int64_t>::min();  // older sequence numbers are ignored
  int64_t next_to_report_ = 0;
  int64_t newest_us_ = std::numeric_limits<int64_t>::min();
  uint8_t feedback_count_ = 0;
};

}  // namespace wasmrtc::rtp
