#include "rtp/packet_history.h"

#include <algorithm>

namespace wasmrtc::rtp {

namespace {
constexpr base::Duration kRateWindow = base::Duration::seconds(1);
// A round trip shorter than this still spaces resends of one packet (a
// loss reported twice in one RTCP burst is one loss).
constexpr base::Duration kMinResendInterval = base::Duration::millis(5);
}  // namespace

void PacketHistory::put(base::Timestamp now, RtpPacket packet) {
  entries_.push_back(Entry{now, std::move(packet), std::nullopt});
  expire(now);
}

void PacketHistory::expire(base::Timestamp now) {
  while (!entries_.empty() &&
         (entries_.size() > config_.max_packets || now - entries_.front().sent > config_.keep)) {
    entries_.pop_front();
  }
}

size_t PacketHistory::resent_bytes(base::Timestamp now) {
  while (!resends_.empty() && now - resends_.front().first >= kRateWindow) {
    resends_bytes_ -= resends_.front().second;
    resends_.pop_front();
  }
  return resends_bytes_;
}

std::vector<RtpPacket> PacketHistory::resend(base::Timestamp now, std::span<const uint16_t> sequence_numbers,
                                             base::Duration rtt, uint32_t max_bps) {
  expire(now);
  std::vector<RtpPacket> out;
  const size_t budget = max_bps / 8;
  const base::Duration interval = std::max(rtt, kMinResendInterval);
  for (uint16_t seq : sequence_numbers) {
    if (entries_.empty()) break;
    // Packets are put in sequence order: try the place seq would have.
    auto it = entries_.end();
    const auto offset = static_cast<uint16_t>(seq - entries_.front().packet.sequence_number);
    if (offset < entries_.size() && entries_[offset].packet.sequence_number == seq) {
      it = entries_.begin() + offset;
    } else {
      it = std::find_if(entries_.begin(), entries_.end(),
                        [&](const Entry& e) { return e.packet.sequence_number == seq; });
    }
    if (it == entries_.end()) continue;
    if (it->resent && now - *it->resent < interval) {
      ++refused_repeat_;
      continue;
    }
    const size_t bytes = it->packet.payload.size();
    if (resent_bytes(now) + bytes > budget) {
      ++refused_rate_;
      continue;
    }
    it->resent = now;
    resends_.emplace_back(now, bytes);
    resends_bytes_ += bytes;
    out.push_back(it->packet);
  }
  return out;
}

void PacketHistory::clear() {
  entries_.clear();
  resends_.clear();
  resends_bytes_ = 0;
}

}  // namespace wasmrtc::rtp
