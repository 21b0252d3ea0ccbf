// The telephone-event payload format (RFC 4733): DTMF named events on an
// audio stream, and the sender side of an event's packets.
//
// An event is a run of RTP packets that share the event's timestamp (its
// start), each saying how long the event has lasted so far; the first one
// carries the marker bit, the last one the E bit, sent three times
// (RFC 4733 section 2.5.1). An event longer than 16 bits of duration is
// split into segments, each with its own timestamp (section 2.5.1.3).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/time.h"
#include "rtp/error.h"

namespace wasmrtc::rtp {

// RFC 4733 section 2.3: event (8 bits), E, R, volume (6 bits), duration (16 bits).
struct TelephoneEvent {
  uint8_t event = 0;
  bool end = false;
  uint8_t volume = 10;  // -dBm0, 0..63; RFC 4733 2.5.2.2 suggests about 10 for DTMF
  uint16_t duration = 0;  // in the RTP clock

  bool operator==(const TelephoneEvent&) const = default;
};

inline constexpr size_t kTelephoneEventSize = 4;

// RFC 4733 section 2.3: one 4-byte event block. Receivers see several
// blocks in one payload only with redundancy; parse reads the first and
// requires the length to be a whole number of blocks. Fuzz target
// telephone_event_fuzz.
base::Bytes serialize_telephone_event(const TelephoneEvent& e);
Result<TelephoneEvent> parse_telephone_event(base::ByteView payload);

// RFC 4733 section 3.2 (table 7): '0'-'9' are 0-9, '*' 10, '#' 11, 'A'-'D'
// 12-15 (lower case too). nullopt for anything else.
std::optional<uint8_t> dtmf_event_code(char tone);

// One DTMF event at a time, as packets due at given times. The caller owns
// the RTP stream (SSRC, sequence numbers, the media clock): it asks for the
// packets at `poll_timeout()` and sends each with `timestamp` and `marker`.
class TelephoneEventSender {
 public:
  // libwebrtc sends an update every 50 ms (RFC 4733 2.5.1.2: "every 50 ms
  // or the packet interval of the audio codec").
  static constexpr base::Duration kUpdateInterval = base::Duration::millis(50);
  static constexpr int kEndRepeats = 3;

  struct Packet {
    uint32_t timestamp = 0;
    bool marker = false;
    TelephoneEvent event;
  };

  // Starts `event` for `duration` (> 0) at `now`, whose media-clock time is
  // `rtp_timestamp`; `clock_rate` is the telephone-event format's (the
  // audio codec's). An event still going is cut short: its end goes first.
  void start(base::Timestamp now, uint8_t event, base::Duration duration, uint32_t rtp_timestamp,
             uint32_t clock_rate);
  bool active() const { return active_; }
  // When the next packet is due (none when idle). Audio is not sent while
  // an event is active (RFC 4733 2.5.1.2 lets the event replace it; libwebrtc
  // does so).
  std::optional<base::Timestamp> poll_timeout() const;
  // The packets due at `now`, in order.
  std::vector<Packet> poll(base::Timestamp now);

 private:
  void push_end(std::vector<Packet>& out);

  std::vector<Packet> pending_;   // the end of an event cut short, due at once
  bool active_ = false;
  uint8_t event_ = 0;
  uint32_t clock_rate_ = 8000;
  base::Timestamp start_;
  uint64_t total_samples_ = 0;    // the whole event, in the RTP clock
  uint64_t segment_start_ = 0;    // samples from the event's start to this segment's
  uint32_t timestamp_ = 0;        // the event's first segment's
  bool first_ = true;
  base::Timestamp next_;
};

}  // namespace wasmrtc::rtp
