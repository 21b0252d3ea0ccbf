// What a sender keeps to answer NACKs (RFC 4585 section 6.2.1) and what a
// NACK may take from it. A peer controls the NACKs, so each is bounded:
//  - a packet is resent at most once per round trip (a duplicate entry, or
//    the same loss reported again before the repair could arrive, is
//    ignored), as libwebrtc's RTPSender does;
//  - retransmitted bytes stay within a rate (the congestion-control target
//    the caller passes), over a sliding second;
//  - the history keeps `Config::keep` of packets, at most
//    `Config::max_packets`.
// Refusals are counted (refused_repeat(), refused_rate()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "base/time.h"
#include "rtp/packet.h"

namespace wasmrtc::rtp {

class PacketHistory {
 public:
  struct Config {
    base::Duration keep = base::Duration::seconds(1);
    size_t max_packets = 1000;
  };

  PacketHistory() : PacketHistory(Config{}) {}
  explicit PacketHistory(Config config) : config_(config) {}

  // A packet as first sent at `now`.
  void put(base::Timestamp now, RtpPacket packet);
  // The packets to resend for the sequence numbers a NACK lists, in its
  // order: those still kept, not resent within `rtt`, while the bytes
  // resent over the last second stay at or under `max_bps` / 8.
  std::vector<RtpPacket> resend(base::Timestamp now, std::span<const uint16_t> sequence_numbers,
                                base::Duration rtt, uint32_t max_bps);
  void clear();

  size_t size() const { return entries_.size(); }
  uint64_t refused_repeat() const { return refused_repeat_; }
  uint64_t refused_rate() const { return refused_rate_; }
  // Payload bytes resent within the second before `now`.
  size_t resent_bytes(base::Timestamp now);

 private:
  struct Entry {
    base::Timestamp sent;
    RtpPacket packet;
    std::optional<base::Timestamp> resent;
  };
  void expire(base::Timestamp now);

  Config config_;
  std::deque<Entry> entries_;
  std::deque<std::pair<base::Timestamp, size_t>> resends_;  // the last second's
  size_t resends_bytes_ = 0;
  uint64_t refused_repeat_ = 0;
  uint64_t refused_rate_ = 0;
};

}  // namespace wasmrtc::rtp
