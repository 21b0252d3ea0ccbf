// Spreads what we send over time instead of bursting each video frame onto
// the path at once (a keyframe can be 50 packets): packets leave at a
// pacing rate (2.5x the target, as libwebrtc, so a frame still leaves
// within a fraction of its frame interval) with a small burst allowance.
// Audio goes first and is never held back; retransmissions go before new
// video, so a repair is not queued behind the frames that depend on it.
// When the queue holds more than kMaxQueueTime at the pacing rate, the
// rate rises to drain it in that time: an estimate that fell must not
// turn into seconds of latency.
//
// Sans-IO: the caller enqueues, then pops what may leave `now`, and comes
// back at deadline().
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "base/time.h"

namespace wasmrtc::cc {

enum class PacketPriority { Audio = 0, Retransmission = 1, Video = 2 };

// The timing, apart from what is queued.
class PacingBudget {
 public:
  static constexpr base::Duration kBurst = base::Duration::millis(5);

  void set_rate(uint32_t bps) { rate_bps_ = bps == 0 ? 1 : bps; }
  uint32_t rate_bps() const { return rate_bps_; }
  bool may_send(base::Timestamp now) const { return !next_ || *next_ <= now; }
  // `bytes` left at `now` at `rate_bps` (at least the configured rate).
  void on_sent(base::Timestamp now, size_t bytes, uint32_t rate_bps);
  std::optional<base::Timestamp> next_send() const { return next_; }

 private:
  uint32_t rate_bps_ = 1'000'000;
  std::optional<base::Timestamp> next_;
};

template <typename Packet>
class Pacer {
 public:
  static constexpr base::Duration kMaxQueueTime = base::Duration::seconds(2);
  static constexpr double kPacingFactor = 2.5;

  void set_target(uint32_t target_bps) { budget_.set_rate(static_cast<uint32_t>(target_bps * kPacingFactor)); }
  uint32_t pacing_bps() const { return budget_.rate_bps(); }

  // Past this many queued bytes (8 s at 1 Mbit/s; the drain rate clears
  // kMaxQueueTime's worth long before) enqueue() refuses: whatever a peer's
  // feedback asks for, the queue cannot grow without bound.
  static constexpr size_t kMaxQueuedBytes = 1024 * 1024;

  // False (the packet dropped, counted) when the queue is full.
  bool enqueue(base::Timestamp now, PacketPriority priority, size_t bytes, Packet packet) {
    if (bytes_ + bytes > kMaxQueuedBytes) {
      ++dropped_;
      return false;
    }
    queues_[static_cast<size_t>(priority)].push_back(Queued{now, bytes, std::move(packet)});
    bytes_ += bytes;
    return true;
  }
  uint64_t dropped() const { return dropped_; }

  // The next packet allowed to leave now, highest priority first.
  std::optional<Packet> pop(base::Timestamp now) {
    for (size_t p = 0; p < queues_.size(); ++p) {
      auto& q = queues_[p];
      if (q.empty()) continue;
      if (p != static_cast<size_t>(PacketPriority::Audio) && !budget_.may_send(now)) return std::nullopt;
      Queued item = std::move(q.front());
      q.pop_front();
      bytes_ -= item.bytes;
      budget_.on_sent(now, item.bytes, drain_rate(now));
      return std::move(item.packet);
    }
    return std::nullopt;
  }

  std::optional<base::Timestamp> deadline() const {
    if (!queues_[0].empty()) return queues_[0].front().enqueued;
    if (bytes_ == 0) return std::nullopt;
    std::optional<base::Timestamp> first;
    for (const auto& q : queues_)
      if (!q.empty() && (!first || q.front().enqueued < *first)) first = q.front().enqueued;
    const auto next = budget_.next_send();
    return next && first && *next > *first ? next : first;
  }

  // Drops the queued packets of `priority` that `pred` selects; returns how many.
  template <typename Pred>
  size_t remove_if(PacketPriority priority, Pred pred) {
    auto& q = queues_[static_cast<size_t>(priority)];
    size_t removed = 0;
    for (auto it = q.begin(); it != q.end();) {
      if (pred(it->packet)) {
        bytes_ -= it->bytes;
        it = q.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  size_t queued_bytes() const { return bytes_; }
  // How long what is queued takes to leave at the pacing rate.
  base::Duration queue_time() const {
    return base::Duration::micros(static_cast<int64_t>(bytes_ * 8 * 1e6 / budget_.rate_bps()));
  }
  void clear() {
    for (auto& q : queues_) q.clear();
    bytes_ = 0;
  }

 private:
  struct Queued {
    base::Timestamp enqueued;
    size_t bytes;
    Packet packet;
  };

  uint32_t drain_rate(base::Timestamp now) const {
    std::optional<base::Timestamp> oldest;
    for (const auto& q : queues_)
      if (!q.empty() && (!oldest || q.front().enqueued < *oldest)) oldest = q.front().enqueued;
    uint32_t rate = budget_.rate_bps();
    if (!oldest) return rate;
    const base::Duration left = std::max(kMaxQueueTime - (now - *oldest), base::Duration::millis(100));
    const double needed = bytes_ * 8 * 1e6 / static_cast<double>(left.us());
    return needed > rate ? static_cast<uint32_t>(needed) : rate;
  }

  std::array<std::deque<Queued>, 3> queues_;
  size_t bytes_ = 0;
  uint64_t dropped_ = 0;
  PacingBudget budget_;
};

}  // namespace wasmrtc::cc
