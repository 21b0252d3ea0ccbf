#include "cc/acknowledged_bitrate.h"

namespace wasmrtc::cc {

void AcknowledgedBitrate::on_acknowledged(base::Timestamp arrival, size_t bytes) {
  // Arrivals come in feedback order, nearly sorted; a late one joins at
  // the end, which only blurs the window edge slightly.
  packets_.emplace_back(arrival, bytes);
  bytes_ += bytes;
  const base::Timestamp newest = arrival > packets_.front().first ? arrival : packets_.front().first;
  while (!packets_.empty() && newest - packets_.front().first > kWindow) {
    bytes_ -= packets_.front().second;
    packets_.pop_front();
  }
}

std::optional<uint32_t> AcknowledgedBitrate::bps() const {
  if (packets_.size() < 2) return std::nullopt;
  const base::Duration span = packets_.back().first - packets_.front().first;
  if (span < kMinSpan) return std::nullopt;
  // The first packet's bytes arrived before the window started.
  const double bits = static_cast<double>(bytes_ - packets_.front().second) * 8;
  return static_cast<uint32_t>(bits * 1e6 / static_cast<double>(span.us()));
}

}  // namespace wasmrtc::cc
