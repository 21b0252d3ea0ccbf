#include "rtp/telephone_event.h"

#include <algorithm>

namespace wasmrtc::rtp {
namespace {

constexpr uint64_t kMaxSegment = 0xFFFF;  // the 16-bit duration field
// The first packet covers the first audio frame's worth, as libwebrtc's does.
constexpr base::Duration kFirstCovers = base::Duration::millis(20);

uint64_t samples(base::Duration d, uint32_t clock_rate) {
  return static_cast<uint64_t>(std::max<int64_t>(d.us(), 0)) * clock_rate / 1'000'000;
}

}  // namespace

base::Bytes serialize_telephone_event(const TelephoneEvent& e) {
  return base::Bytes{e.event, static_cast<uint8_t>((e.end ? 0x80 : 0) | (e.volume & 0x3F)),
                     static_cast<uint8_t>(e.duration >> 8), static_cast<uint8_t>(e.duration & 0xFF)};
}

Result<TelephoneEvent> parse_telephone_event(base::ByteView payload) {
  if (payload.size() < kTelephoneEventSize) return Unexpected(Error::Truncated);
  if (payload.size() % kTelephoneEventSize != 0) return Unexpected(Error::BadLength);
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;  // the R bit (0x40) is ignored on receipt
  e.volume = payload[1] & 0x3F;
  e.duration = static_cast<uint16_t>(payload[2] << 8 | payload[3]);
  return e;
}

std::optional<uint8_t> dtmf_event_code(char tone) {
  if (tone >= '0' && tone <= '9') return static_cast<uint8_t>(tone - '0');
  if (tone == '*') return 10;
  if (tone == '#') return 11;
  if (tone >= 'A' && tone <= 'D') return static_cast<uint8_t>(12 + tone - 'A');
  if (tone >= 'a' && tone <= 'd') return static_cast<uint8_t>(12 + tone - 'a');
  return std::nullopt;
}

void TelephoneEventSender::start(base::Timestamp now, uint8_t event, base::Duration duration,
                                 uint32_t rtp_timestamp, uint32_t clock_rate) {
  if (active_) {
    // Cut short: what has elapsed is its whole length.
    total_samples_ = std::min(total_samples_, std::max<uint64_t>(samples(now - start_, clock_rate_), 1));
    push_end(pending_);
  }
  active_ = true;
  event_ = event;
  clock_rate_ = clock_rate;
  start_ = now;
  total_samples_ = std::max<uint64_t>(samples(duration, clock_rate), 1);
  segment_start_ = 0;
  timestamp_ = rtp_timestamp;
  first_ = true;
  next_ = now;
}

std::optional<base::Timestamp> TelephoneEventSender::poll_timeout() const {
  if (!pending_.empty()) return start_;
  if (!active_) return std::nullopt;
  return next_;
}

std::vector<TelephoneEventSender::Packet> TelephoneEventSender::poll(base::Timestamp now) {
  std::vector<Packet> out = std::move(pending_);
  pending_.clear();
  while (active_ && next_ <= now) {
    const base::Duration elapsed = std::max(next_ - start_, kFirstCovers);
    const uint64_t done = samples(elapsed, clock_rate_);
    if (done >= total_samples_) {
      push_end(out);
      break;
    }
    // RFC 4733 2.5.1.3: a segment that has reached the field's limit ends
    // with it, and the next one starts where it ended.
    while (done - segment_start_ > kMaxSegment) {
      out.push_back({timestamp_ + static_cast<uint32_t>(segment_start_), first_,
                     TelephoneEvent{event_, false, 10, static_cast<uint16_t>(kMaxSegment)}});
      first_ = false;
      segment_start_ += kMaxSegment;
    }
    out.push_back({timestamp_ + static_cast<uint32_t>(segment_start_), first_,
                   TelephoneEvent{event_, false, 10, static_cast<uint16_t>(done - segment_start_)}});
    first_ = false;
    // Updates every interval; the end exactly when the event ends.
    next_ = std::min(next_ + kUpdateInterval,
                     start_ + base::Duration::micros(static_cast<int64_t>(total_samples_ * 1'000'000 / clock_rate_)));
  }
  return out;
}

void TelephoneEventSender::push_end(std::vector<Packet>& out) {
  while (total_samples_ - segment_start_ > kMaxSegment) {
    out.push_back({timestamp_ + static_cast<uint32_t>(segment_start_), first_,
                   TelephoneEvent{event_, false, 10, static_cast<uint16_t>(kMaxSegment)}});
    first_ = false;
    segment_start_ += kMaxSegment;
  }
  // RFC 4733 2.5.1.4: the final packet, three times (same sequence of
  // timestamps and durations; the caller gives each its own sequence number).
  const TelephoneEvent end{event_, true, 10, static_cast<uint16_t>(total_samples_ - segment_start_)};
  for (int i = 0; i < kEndRepeats; ++i) {
    out.push_back({timestamp_ + static_cast<uint32_t>(segment_start_), first_ && i == 0, end});
  }
  first_ = false;
  active_ = false;
}

}  // namespace wasmrtc::rtp
