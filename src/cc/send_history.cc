#include "cc/send_history.h"

namespace wasmrtc::cc {
namespace {

constexpr int64_t kReferenceUnitUs = 64'000;  // the reference time counts 64 ms
constexpr int64_t kReferenceRange = int64_t{1} << 24;

}  // namespace

int64_t SendHistory::unwrap(uint16_t seq) const {
  // Nearest to the newest sent (RFC 3550 A.1 style).
  const int64_t newest = sent_.empty() ? seq : sent_.back().sequence;
  int64_t delta = static_cast<int16_t>(static_cast<uint16_t>(seq - static_cast<uint16_t>(newest)));
  return newest + delta;
}

void SendHistory::prune(base::Timestamp now) {
  while (!sent_.empty() && (sent_.size() > kMaxPackets || now - sent_.front().send_time > kMaxAge)) {
    if (!sent_.front().reported) in_flight_ -= sent_.front().bytes;
    sent_.pop_front();
  }
}

void SendHistory::on_sent(base::Timestamp now, uint16_t transport_sequence, size_t bytes) {
  const int64_t seq = sent_.empty() ? transport_sequence + (int64_t{1} << 16) : unwrap(transport_sequence);
  if (!sent_.empty() && seq != sent_.back().sequence + 1) {
    // The caller numbers packets consecutively; anything else is a new
    // numbering, and the old entries cannot be matched any more.
    sent_.clear();
    in_flight_ = 0;
  }
  sent_.push_back(Sent{seq, now, bytes});
  in_flight_ += bytes;
  prune(now);
}

std::vector<PacketResult> SendHistory::on_feedback(const rtp::TransportFeedback& f) {
  std::vector<PacketResult> out;
  if (sent_.empty()) return out;
  // The 24-bit reference time wraps after 12 days; unwrap it against the
  // previous report so arrival times stay monotonic across the wrap.
  int64_t reference = f.reference_time;
  if (last_reference_) {
    int64_t delta = (reference - *last_reference_) % kReferenceRange;
    if (delta >= kReferenceRange / 2) delta -= kReferenceRange;
    if (delta < -kReferenceRange / 2) delta += kReferenceRange;
    reference = *last_reference_ + delta;
  }
  last_reference_ = reference;
  const int64_t base_us = reference * kReferenceUnitUs;
  const int64_t first = unwrap(f.base_sequence);
  for (size_t i = 0; i < f.arrivals_us.size(); ++i) {
    const int64_t seq = first + static_cast<int64_t>(i);
    const int64_t index = seq - sent_.front().sequence;
    if (index < 0 || index >= static_cast<int64_t>(sent_.size())) continue;
    Sent& s = sent_[static_cast<size_t>(index)];
    const auto& arrival = f.arrivals_us[i];
    if (s.received || (s.reported && !arrival)) continue;
    if (!s.reported) in_flight_ -= s.bytes;
    s.reported = true;
    PacketResult r{seq, s.send_time, s.bytes, std::nullopt};
    if (arrival) {
      s.received = true;
      r.arrival = base::Timestamp::from_micros(base_us + *arrival);
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace wasmrtc::cc
