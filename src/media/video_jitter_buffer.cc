#include "media/video_jitter_buffer.h"

#include <algorithm>
#include <limits>

namespace wasmrtc::media {

namespace {

using base::Duration;
using base::Timestamp;

// A packet at the head of the sequence whose timestamp is this far behind
// the last frame decided cannot be a late part of a recent frame: the
// sender's timeline restarted (a new encoder, a switched source). 5 s at the
// 90 kHz video clock (RFC 7741 4.1); a new random timestamp lands this close
// behind with probability ~1e-4.
constexpr int64_t kTimestampRestartTicks = 5 * 90000;
constexpr int64_t kTimestampRange = int64_t{1} << 32;
constexpr Duration kMaxRtt = Duration::seconds(10);

}  // namespace

VideoJitterBuffer::VideoJitterBuffer(VideoJitterBufferConfig config) : config_(config) {
  // Keep the config usable whatever it says: the deadline logic needs
  // intervals > 0, and the jump logic a threshold inside half the 16-bit
  // sequence space.
  config_.min_nack_interval = std::max(config_.min_nack_interval, Duration::millis(1));
  config_.max_nack_retries = std::max(config_.max_nack_retries, 1);
  config_.max_wait = std::max(config_.max_wait, Duration::millis(1));
  config_.min_wait = std::clamp(config_.min_wait, Duration::millis(1), config_.max_wait);
  config_.wait_margin = std::max(config_.wait_margin, Duration::zero());
  config_.reorder_wait = std::clamp(config_.reorder_wait, Duration::millis(1), config_.max_wait);
  config_.min_keyframe_request_interval =
      std::max(config_.min_keyframe_request_interval, Duration::millis(1));
  config_.max_frames = std::max<size_t>(config_.max_frames, 1);
  config_.max_packets_per_frame = std::max<size_t>(config_.max_packets_per_frame, 1);
  config_.max_packets = std::max<size_t>(config_.max_packets, 1);
  config_.max_missing = std::clamp<size_t>(config_.max_missing, 1, 16384);
}

void VideoJitterBuffer::set_rtt(Duration rtt) { rtt_ = std::clamp(rtt, Duration::zero(), kMaxRtt); }

Duration VideoJitterBuffer::nack_interval() const { return std::max(rtt_, config_.min_nack_interval); }

Duration VideoJitterBuffer::frame_wait() const {
  if (!config_.nack) return config_.reorder_wait;
  return std::clamp(nack_interval() * std::max(config_.nack_rounds, 1) + config_.wait_margin, config_.min_wait, config_.max_wait);
}

Duration VideoJitterBuffer::keyframe_request_interval() const {
  return std::max(config_.min_keyframe_request_interval, rtt_ * 2);
}

size_t VideoJitterBuffer::largest_frame_packets() const {
  size_t n = 0;
  for (const auto& [ts, f] : frames_) n = std::max(n, f.packets.size());
  return n;
}

// ---- input

void VideoJitterBuffer::insert(Timestamp now, uint16_t sequence_number, uint32_t rtp_timestamp,
                               bool marker, base::ByteView payload, bool retransmission) {
  ++stats_.packets_received;
  if (highest_sequence_) {
    const int64_t jump = sequences_.peek(sequence_number) - *highest_sequence_;
    const auto limit = static_cast<int64_t>(config_.max_missing);
    if (jump > limit || jump < -limit) {
      // A repair is an answer to our NACK, never the start of a new stream.
      if (retransmission) {
        ++stats_.packets_discarded;
        update(now);
        return;
      }
      // One packet this far away may be a stray (an ancient duplicate, a
      // corrupt header); a second one near it confirms a restart or a big
      // loss, which no NACK can repair.
      if (held_ && held_->sequence_number != sequence_number &&
          std::abs(static_cast<int16_t>(sequence_number - held_->sequence_number)) <= limit) {
        Held first = std::move(*held_);
        held_.reset();
        restart();
        accept(first.arrival, first.sequence_number, first.rtp_timestamp, first.marker, first.payload,
               false);
        accept(now, sequence_number, rtp_timestamp, marker, payload, false);
      } else {
        if (held_) ++stats_.packets_discarded;
        held_ = Held{now, sequence_number, rtp_timestamp, marker, base::Bytes(payload.begin(), payload.end())};
      }
      update(now);
      return;
    }
  }
  if (held_) {
    // The stream went on where it was: the held packet was a stray.
    ++stats_.packets_discarded;
    held_.reset();
  }
  if (!retransmission && highest_sequence_ && last_arrival_ && now - *last_arrival_ >= config_.outage &&
      sequences_.peek(sequence_number) > *highest_sequence_ + 1) {
    // Nothing arrived for a long time and packets are missing: an outage.
    // What was lost is mostly older than the sender keeps for NACKs, and
    // asking for all of it would queue the repairs ahead of the keyframe
    // that is needed anyway. Start over from a keyframe.
    ++stats_.outages;
    restart();
  }
  if (!retransmission) last_arrival_ = now;
  accept(now, sequence_number, rtp_timestamp, marker, payload, retransmission);
  update(now);
}

// Everything pending belongs to a stream that is gone: drop it and start
// again as at the beginning, needing a keyframe.
void VideoJitterBuffer::restart() {
  ++stats_.stream_restarts;
  while (!frames_.empty()) drop_front(Drop::Restart);
  missing_.clear();
  abandoned_.clear();
  padding_.clear();
  highest_sequence_.reset();
  decided_sequence_.reset();
  // The new stream's timestamps are re-anchored above all the old ones.
  rebase_timestamps_ = true;
  need_keyframe_ = true;
  asking_ = true;
}

// A new timeline starts more than half a wrap above everything before it,
// so that its frames, reordered ones included, sort after the old ones;
// and a whole number of wraps away, so that extended timestamps stay
// congruent to the RTP timestamps.
void VideoJitterBuffer::rebase_timestamps(uint32_t first) {
  rebase_timestamps_ = false;
  timestamps_.reset();
  if (!highest_timestamp_) return;
  const int64_t raw = timestamps_.peek(first);
  // The least k with raw + k * range > highest + range / 2.
  const int64_t need = *highest_timestamp_ + kTimestampRange / 2 - raw;
  const int64_t wraps = need >= 0 ? need / kTimestampRange : -((-need + kTimestampRange - 1) / kTimestampRange);
  timestamp_base_ = (wraps + 1) * kTimestampRange;
}

void VideoJitterBuffer::add_missing(Timestamp now, int64_t from, int64_t to) {
  for (int64_t s = from; s <= to; ++s) missing_.emplace(s, Missing{now, std::nullopt, 0});
  // Past the bound the oldest are given up; their frames will be dropped.
  while (missing_.size() > config_.max_missing) {
    abandoned_.insert(missing_.begin()->first);
    missing_.erase(missing_.begin());
  }
  while (abandoned_.size() > config_.max_missing) abandoned_.erase(abandoned_.begin());
}

void VideoJitterBuffer::accept(Timestamp now, uint16_t sequence_number, uint32_t rtp_timestamp,
                               bool marker, base::ByteView payload, bool retransmission) {
  const int64_t seq = sequences_.unwrap(sequence_number);
  if (rebase_timestamps_) rebase_timestamps(rtp_timestamp);
  int64_t ts = timestamps_.unwrap(rtp_timestamp) + timestamp_base_;
  const bool head = !highest_sequence_ || seq > *highest_sequence_;
  if (head && highest_sequence_ && decided_timestamp_ && ts < *decided_timestamp_ - kTimestampRestartTicks) {
    // The sequence goes on but the timeline jumped back: a new timeline.
    restart();
    rebase_timestamps(rtp_timestamp);
    ts = timestamps_.unwrap(rtp_timestamp) + timestamp_base_;
  }
  highest_timestamp_ = std::max(highest_timestamp_.value_or(ts), ts);

  // It came: stop asking for it (and it no longer dooms its frame).
  bool lacked = missing_.erase(seq) > 0;
  lacked = abandoned_.erase(seq) > 0 || lacked;
  // Padding carries the timestamp of a frame sent before (libwebrtc: the
  // last one), so only its sequence number says whether it is late.
  const bool too_late = (decided_sequence_ && seq <= *decided_sequence_) ||
                        (!payload.empty() && decided_timestamp_ && ts <= *decided_timestamp_);
  if (head) {
    // RFC 4585 6.2.1: a gap is a loss to report as soon as it is seen. Not
    // after a late packet: what lies between belongs to a decided frame.
    if (highest_sequence_ && !too_late && seq > *highest_sequence_ + 1) {
      add_missing(now, *highest_sequence_ + 1, seq - 1);
    }
    highest_sequence_ = seq;
  }

  if (payload.empty()) {
    // Padding only (RFC 3550 5.1; libwebrtc probes bandwidth with these on
    // the media SSRC when RTX is not negotiated): it takes a sequence
    // number, so frames on either side of it are still continuous.
    ++stats_.packets_padding;
    if (!decided_sequence_ || seq > *decided_sequence_) {
      padding_.insert(seq);
      while (padding_.size() > config_.max_missing) padding_.erase(padding_.begin());
      if (decided_sequence_) decided(*decided_timestamp_, *decided_sequence_);
    }
    return;
  }
  if (too_late) {
    ++stats_.packets_too_late;
    return;
  }

  // What the payload format says of the packet: starts a frame? keyframe?
  std::optional<std::pair<bool, bool>> parsed;
  if (config_.format == VideoPayloadFormat::Generic) {
    if (auto g = rtp::depacketize_generic(payload)) parsed.emplace(g->first_of_frame, g->keyframe);
  } else if (config_.format == VideoPayloadFormat::H264) {
    if (auto h = rtp::depacketize_h264(payload)) parsed.emplace(h->first_of_frame, h->keyframe);
  } else if (auto vp8 = rtp::depacketize_vp8(payload)) {
    parsed.emplace(vp8->first_of_frame, vp8->keyframe);
  }
  auto [it, fresh] = frames_.try_emplace(ts);
  Frame& f = it->second;
  if (fresh) {
    f.rtp_timestamp = rtp_timestamp;
    f.first_packet = now;
  }
  if (f.packets.count(seq)) {
    ++stats_.packets_duplicated;
    return;
  }
  f.last_packet = now;
  if (f.packets.size() >= config_.max_packets_per_frame) {
    // It can no longer complete; it goes when it is the oldest.
    ++stats_.packets_discarded;
    f.broken = true;
  } else {
    Packet p;
    p.marker = marker;
    p.retransmission = retransmission;
    if (parsed) {
      p.valid = true;
      p.first_of_frame = parsed->first;
      p.keyframe = parsed->second;
      p.payload.assign(payload.begin(), payload.end());
      if (p.first_of_frame && (!f.start || seq < *f.start)) {
        f.start = seq;
        if (config_.format != VideoPayloadFormat::H264) f.keyframe = p.keyframe;
      }
      // H.264 has no keyframe flag: any packet of the access unit may carry
      // the IDR slice or the SPS (and several packets may start it).
      if (config_.format == VideoPayloadFormat::H264 && p.keyframe) f.keyframe = true;
      if (marker && (!f.end || seq < *f.end)) f.end = seq;
    } else {
      // Kept (empty) so that its duplicates are recognized.
      ++stats_.packets_invalid;
      f.broken = true;
    }
    if (retransmission && lacked) {
      ++stats_.packets_retransmitted;
      ++f.retransmitted;
    }
    f.packets.emplace(seq, std::move(p));
    ++packet_count_;
  }
  while (frames_.size() > config_.max_frames || packet_count_ > config_.max_packets) {
    drop_front(Drop::Overflow);
  }
}

// ---- decisions

bool VideoJitterBuffer::complete(const Frame& f) const {
  if (f.broken || !f.start || !f.end || f.packets.empty()) return false;
  // Sequence numbers from the start to the marker, none missing.
  return f.packets.begin()->first == *f.start && f.packets.rbegin()->first == *f.end &&
         static_cast<int64_t>(f.packets.size()) == *f.end - *f.start + 1;
}

bool VideoJitterBuffer::decodable(const Frame& f) const {
  if (!complete(f)) return false;
  if (f.keyframe) return true;
  // A delta frame needs the one just before it: nothing missing in between.
  return !need_keyframe_ && decided_sequence_ && *f.start == *decided_sequence_ + 1;
}

bool VideoJitterBuffer::later_keyframe_complete() const {
  if (frames_.size() < 2) return false;
  for (auto it = std::next(frames_.begin()); it != frames_.end(); ++it) {
    if (it->second.keyframe && complete(it->second)) return true;
  }
  return false;
}

// A sequence number the frame needs was given up: its own packets, and for
// a delta frame also any between the last decided frame and it.
bool VideoJitterBuffer::lost_for_good(const Frame& f) const {
  if (abandoned_.empty()) return false;
  int64_t low = std::numeric_limits<int64_t>::min();
  if (f.start && f.keyframe) {
    low = *f.start;
  } else if (decided_sequence_) {
    low = *decided_sequence_ + 1;
  }
  const int64_t high = f.end ? *f.end : std::numeric_limits<int64_t>::max();
  auto a = abandoned_.lower_bound(low);
  return a != abandoned_.end() && *a <= high;
}

std::optional<VideoJitterBuffer::Drop> VideoJitterBuffer::drop_reason(const Frame& f) const {
  if (later_keyframe_complete()) return Drop::Moot;
  if (f.broken) return Drop::Broken;
  if (need_keyframe_ && f.start && !f.keyframe) return Drop::DeltaWithoutKeyframe;
  if (lost_for_good(f)) return Drop::Lost;
  return std::nullopt;
}

// No packet of the frame for this long: its tail (or everything after it)
// is lost and no later packet revealed the gap. Before anything was
// decided, a frame without its first packet lacks packets from before the
// first one we saw, which no NACK can name: only reordering brings them.
Duration VideoJitterBuffer::stall_wait(const Frame& f) const {
  if (!f.start && !decided_sequence_) return std::min(config_.reorder_wait, frame_wait());
  return frame_wait();
}

bool VideoJitterBuffer::stalled(const Frame& f, Timestamp now) const {
  return now - f.last_packet >= stall_wait(f);
}

void VideoJitterBuffer::update(Timestamp now) {
  if (!last_now_ || now > *last_now_) last_now_ = now;
  expire_missing(now);
  settle(now);
}

void VideoJitterBuffer::expire_missing(Timestamp now) {
  const Duration wait = frame_wait();
  const Duration interval = nack_interval();
  for (auto it = missing_.begin(); it != missing_.end();) {
    const Missing& e = it->second;
    const bool old = now - e.since >= wait;
    // The last NACK had its round trip to be answered.
    const bool spent = config_.nack && e.retries >= config_.max_nack_retries && e.asked &&
                       now - *e.asked >= interval;
    if (old || spent) {
      abandoned_.insert(it->first);
      it = missing_.erase(it);
    } else {
      ++it;
    }
  }
  while (abandoned_.size() > config_.max_missing) abandoned_.erase(abandoned_.begin());
}

// Drops the oldest frames while they cannot be given out and waiting for
// them is over.
void VideoJitterBuffer::settle(Timestamp now) {
  while (!frames_.empty()) {
    const Frame& f = frames_.begin()->second;
    if (decodable(f)) return;
    auto why = drop_reason(f);
    if (!why && stalled(f, now)) why = Drop::Stalled;
    if (!why) return;
    drop_front(*why);
  }
}

void VideoJitterBuffer::drop_front(Drop why) {
  auto it = frames_.begin();
  ++stats_.frames_dropped;
  const int64_t ts = it->first;
  const int64_t last = it->second.packets.empty() ? ts : it->second.packets.rbegin()->first;
  packet_count_ -= it->second.packets.size();
  const bool has_packets = !it->second.packets.empty();
  frames_.erase(it);
  // Delta frames after it reference what is lost: skip to a keyframe, and
  // ask for one unless a complete one is already here.
  need_keyframe_ = true;
  if (why != Drop::Moot) asking_ = true;
  if (has_packets) decided(ts, last);
}

// A frame was given out or dropped: nothing before it is useful any more.
void VideoJitterBuffer::decided(int64_t timestamp, int64_t last_sequence) {
  decided_timestamp_ = std::max(decided_timestamp_.value_or(timestamp), timestamp);
  int64_t seq = std::max(decided_sequence_.value_or(last_sequence), last_sequence);
  // Padding right after it continues it.
  while (!padding_.empty() && *padding_.begin() <= seq + 1) {
    seq = std::max(seq, *padding_.begin());
    padding_.erase(padding_.begin());
  }
  decided_sequence_ = seq;
  missing_.erase(missing_.begin(), missing_.upper_bound(seq));
  abandoned_.erase(abandoned_.begin(), abandoned_.upper_bound(seq));
}

// ---- output

std::optional<AssembledFrame> VideoJitterBuffer::pop(Timestamp now) {
  update(now);
  while (!frames_.empty() && decodable(frames_.begin()->second)) {
    auto it = frames_.begin();
    const Frame& f = it->second;
    std::vector<rtp::Vp8RtpPayload> views;
    views.reserve(f.packets.size());
    for (const auto& [seq, p] : f.packets) {
      views.push_back(rtp::Vp8RtpPayload{static_cast<uint16_t>(seq), p.marker, p.payload});
    }
    bool complete = false;
    base::Bytes data;
    rtp::Vp8Descriptor descriptor;
    if (config_.format == VideoPayloadFormat::Generic) {
      if (auto g = rtp::assemble_generic_frame(views); g && g->complete) {
        complete = true;
        data = std::move(g->data);
      }
    } else if (config_.format == VideoPayloadFormat::H264) {
      if (auto h = rtp::assemble_h264_frame(views); h && h->complete) {
        complete = true;
        data = std::move(h->data);
      }
    } else if (auto v = rtp::assemble_vp8_frame(views); v && v->complete) {
      complete = true;
      data = std::move(v->data);
      descriptor = v->first;
    }
    if (!complete) {
      // Whole by sequence numbers but not one frame (a second start, picture
      // ids that disagree, a marker in the middle): corrupt.
      drop_front(Drop::Broken);
      settle(now);
      continue;
    }
    AssembledFrame out;
    out.rtp_timestamp = f.rtp_timestamp;
    out.extended_timestamp = it->first;
    out.data = std::move(data);
    out.keyframe = f.keyframe;
    out.first_packet = f.first_packet;
    out.last_packet = f.last_packet;
    out.first_sequence_number = static_cast<uint16_t>(*f.start);
    out.last_sequence_number = static_cast<uint16_t>(*f.end);
    out.packets = f.packets.size();
    out.retransmitted_packets = f.retransmitted;
    out.descriptor = descriptor;
    const int64_t end = *f.end;
    packet_count_ -= f.packets.size();
    frames_.erase(it);
    ++stats_.frames_assembled;
    if (out.keyframe) {
      ++stats_.keyframes_assembled;
      need_keyframe_ = false;
      asking_ = false;
    }
    decided(out.extended_timestamp, end);
    return out;
  }
  return std::nullopt;
}

std::vector<uint16_t> VideoJitterBuffer::take_nacks(Timestamp now) {
  update(now);
  std::vector<uint16_t> out;
  if (!config_.nack) return out;
  const Duration interval = nack_interval();
  for (auto& [seq, e] : missing_) {
    if (e.retries >= config_.max_nack_retries) continue;
    if (e.asked && now - *e.asked < interval) continue;
    e.asked = now;
    ++e.retries;
    out.push_back(static_cast<uint16_t>(seq));
  }
  if (!out.empty()) {
    stats_.nack_requests += out.size();
    ++stats_.nack_packets;
  }
  return out;
}

bool VideoJitterBuffer::take_keyframe_request(Timestamp now) {
  update(now);
  if (!asking_) return false;
  // A complete keyframe is here (pop gives it out next): no need.
  if (!frames_.empty() && frames_.begin()->second.keyframe && decodable(frames_.begin()->second)) {
    return false;
  }
  if (last_keyframe_request_ && now - *last_keyframe_request_ < keyframe_request_interval()) return false;
  last_keyframe_request_ = now;
  ++stats_.keyframe_requests;
  return true;
}

void VideoJitterBuffer::on_decode_failure(Timestamp now) {
  ++stats_.decode_failures;
  need_keyframe_ = true;
  asking_ = true;
  update(now);
}

base::Deadline VideoJitterBuffer::deadline() const {
  base::Deadline d;
  if (!last_now_) return d;
  const Timestamp due = *last_now_;
  if (!frames_.empty()) {
    const Frame& f = frames_.begin()->second;
    if (decodable(f) || drop_reason(f)) return base::Deadline(due);
    d.merge(base::Deadline(f.last_packet + stall_wait(f)));
  }
  const Duration wait = frame_wait();
  const Duration interval = nack_interval();
  for (const auto& [seq, e] : missing_) {
    d.merge(base::Deadline(e.since + wait));
    if (!config_.nack) continue;
    // The next NACK, or after the last one, when it is given up.
    d.merge(base::Deadline(e.asked ? *e.asked + interval : e.since));
  }
  if (asking_) {
    d.merge(base::Deadline(last_keyframe_request_ ? *last_keyframe_request_ + keyframe_request_interval()
                                                  : due));
  }
  return d;
}

}  // namespace wasmrtc::media
