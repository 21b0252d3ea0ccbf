#include "media/audio_jitter_buffer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace wasmrtc::media {

namespace {

using base::Duration;
using base::Timestamp;

// Hysteresis around the target: the buffer can only move in 10 ms steps, so
// it acts when 10 ms off would not overshoot, and a little earlier when
// below (late packets are worse than a little extra delay).
constexpr Duration kAccelerateAbove = Duration::millis(15);
constexpr Duration kDecelerateBelow = Duration::millis(5);
constexpr int kAcceleratePulls = 10;  // 100 ms above target before dropping
constexpr int kDeceleratePulls = 5;   // 50 ms below target before inserting
// Far above target, dropping 10 ms at a time would take seconds: flush.
constexpr Duration kFlushAbove = Duration::millis(200);
// A frame this much quieter than the running average is dropped at once;
// otherwise the buffer waits this many pulls for one.
constexpr double kQuietRatio = 0.25;
constexpr int kMaxDropWait = 20;
// Concealment fades to silence over the last stretch before max_concealment.
constexpr Duration kFadeOut = Duration::millis(20);
// A timestamp further ahead than the time since the last packet plus this
// is not a pause in the same stream: the sender restarted (or it is noise).
constexpr Duration kStreamJump = Duration::seconds(10);
// So many late packets in a row mean the stream jumped backwards.
constexpr uint32_t kMaxConsecutiveLate = 10;

}  // namespace

AudioJitterBuffer::AudioJitterBuffer(std::unique_ptr<codec::AudioDecoder> decoder,
                                     AudioJitterBufferConfig config)
    : decoder_(std::move(decoder)),
      config_(config),
      rate_(decoder_->sample_rate()),
      channels_(decoder_->channels()),
      clock_(decoder_->rtp_clock_rate()),
      frame_(rate_ / 100),
      delay_(config.delay) {}

// --- time conversions (RTP ticks at clock_, samples at rate_, microseconds)

int64_t AudioJitterBuffer::media_us(int64_t ticks) const {
  return ticks / clock_ * 1000000 + ticks % clock_ * 1000000 / clock_;
}

int64_t AudioJitterBuffer::us_to_ticks(int64_t us) const {
  return us / 1000000 * clock_ + us % 1000000 * clock_ / 1000000;
}

int64_t AudioJitterBuffer::samples_to_ticks(int64_t samples) const {
  return samples * clock_ / rate_;
}

int64_t AudioJitterBuffer::ticks_to_samples(int64_t ticks) const { return ticks * rate_ / clock_; }

uint32_t AudioJitterBuffer::pending_samples() const {
  return static_cast<uint32_t>(pending_.size() / channels_);
}

int64_t AudioJitterBuffer::position() const {
  return next_ts_ - samples_to_ticks(pending_samples());
}

Duration AudioJitterBuffer::target_delay() const {
  // One pull period on top: a packet is needed up to 10 ms before its
  // first sample plays, when what is left of the previous one runs out.
  const Duration wanted = delay_.relative_delay() + Duration::millis(10);
  return std::clamp(wanted, config_.min_target_delay, config_.max_target_delay);
}

std::optional<Duration> AudioJitterBuffer::current_delay(Timestamp now) const {
  const auto reference = delay_.reference_transit_us();
  if (!reference) return std::nullopt;
  int64_t pos;
  if (playing_) {
    pos = position();
  } else if (!packets_.empty()) {
    pos = packets_.begin()->first;
  } else {
    return std::nullopt;
  }
  return Duration::micros(now.us() - media_us(pos) - *reference);
}

// --- insert

InsertResult AudioJitterBuffer::insert(Timestamp arrival, uint16_t sequence_number,
                                       uint32_t rtp_timestamp, base::ByteView payload) {
  auto samples = decoder_->packet_samples(payload);
  const int64_t duration = samples ? samples_to_ticks(*samples) : 0;
  if (duration <= 0) {
    ++stats_.packets_invalid;
    return InsertResult::Invalid;
  }

  if (const auto highest = timestamps_.highest()) {
    const int64_t jump_us = media_us(timestamps_.peek(rtp_timestamp)) - media_us(*highest);
    const int64_t elapsed_us =
        latest_arrival_ ? std::max<int64_t>(0, (arrival - *latest_arrival_).us()) : 0;
    if (jump_us > elapsed_us + kStreamJump.us()) reset_stream();
  }
  int64_t seq = seqs_.unwrap(sequence_number);
  int64_t ts = timestamps_.unwrap(rtp_timestamp);

  if (playing_ && ts < next_ts_) {
    if (was_played(seq)) {
      ++stats_.packets_duplicated;
      return InsertResult::Duplicate;
    }
    if (++consecutive_late_ < kMaxConsecutiveLate) {
      // Too late to play, but just what the target delay must learn from.
      delay_.on_packet(arrival, media_us(ts));
      ++stats_.packets_discarded;
      return InsertResult::Late;
    }
    // Not late: the stream went back in time. Start over from this packet.
    reset_stream();
    seq = seqs_.unwrap(sequence_number);
    ts = timestamps_.unwrap(rtp_timestamp);
  }
  if (!latest_arrival_ || arrival > *latest_arrival_) latest_arrival_ = arrival;

  if (auto it = packets_.find(ts); it != packets_.end()) {
    // Same media time twice: a retransmission, or one of two that cannot both play.
    ++stats_.packets_duplicated;
    return InsertResult::Duplicate;
  }
  if (packets_.size() >= config_.max_packets) {
    ++stats_.packets_discarded;
    return InsertResult::Overflow;
  }
  consecutive_late_ = 0;
  const bool fec = decoder_->has_fec(payload);
  if (fec) ++stats_.fec_packets_received;
  packets_.emplace(ts, Packet{seq, arrival, base::Bytes(payload.begin(), payload.end()), duration, fec});
  delay_.on_packet(arrival, media_us(ts));
  return InsertResult::Buffered;
}

void AudioJitterBuffer::reset_stream() {
  for (const auto& [ts, p] : packets_) discard_packet(p);
  packets_.clear();
  seqs_.reset();
  timestamps_.reset();
  latest_arrival_.reset();
  delay_.reset();
  playing_ = false;
  next_ts_ = 0;
  held_ticks_ = 0;
  last_seq_.reset();
  played_.fill(0);  // extended sequence numbers start at 2^16: 0 never matches
  consecutive_late_ = 0;
  pending_.clear();
  segments_.clear();
  concealed_run_ = 0;
  above_target_ = below_target_ = 0;
  drop_wanted_ = false;
  drop_wait_ = 0;
  ++stats_.stream_resets;
}

void AudioJitterBuffer::discard_packet(const Packet& p) {
  if (p.fec && !p.fec_used) ++stats_.fec_packets_discarded;
}

bool AudioJitterBuffer::was_played(int64_t seq) const {
  return std::find(played_.begin(), played_.end(), seq) != played_.end();
}

void AudioJitterBuffer::mark_played(int64_t seq) {
  played_[played_next_] = seq;
  played_next_ = (played_next_ + 1) % played_.size();
}

// --- pull

AudioFrame AudioJitterBuffer::pull(Timestamp now) {
  AudioFrame frame;
  frame.sample_rate = rate_;
  frame.channels = channels_;
  frame.samples.assign(static_cast<size_t>(frame_) * channels_, 0);

  if (!playing_) {
    // Initial buffering: wait until the first packet has waited the target.
    const auto delay = current_delay(now);
    if (!delay || *delay < target_delay()) return frame;
    playing_ = true;
    next_ts_ = packets_.begin()->first;
    held_ticks_ = 0;
  }

  adapt(now);
  fill(frame_);
  if (drop_wanted_) {
    // Only from audio at hand: never conceal just to have something to drop.
    while (pending_samples() < 2 * frame_) {
      while (!packets_.empty() && packets_.begin()->first < next_ts_) {
        ++stats_.packets_discarded;
        discard_packet(packets_.begin()->second);
        packets_.erase(packets_.begin());
      }
      if (packets_.empty()) break;
      produce();
    }
    if (pending_samples() >= 2 * frame_) {
      double energy = 0;
      for (size_t i = 0; i < static_cast<size_t>(frame_) * channels_; ++i) {
        energy += double(pending_[i]) * pending_[i];
      }
      energy /= static_cast<double>(frame_) * channels_;
      if (energy <= kQuietRatio * normal_energy_ || ++drop_wait_ > kMaxDropWait) drop_frame();
    }
  }
  emit(now, frame);
  return frame;
}

void AudioJitterBuffer::adapt(Timestamp now) {
  const auto delay = current_delay(now);
  if (!delay) {
    skip_allowance_ = held_ticks_;
    return;
  }
  const Duration excess = *delay - target_delay();
  skip_allowance_ = std::max<int64_t>(0, us_to_ticks(excess.us()));
  if (excess > kFlushAbove) {
    flush(us_to_ticks(excess.us()));
    return;
  }
  if (excess > kAccelerateAbove) {
    ++above_target_;
    below_target_ = 0;
  } else if (excess < -kDecelerateBelow) {
    ++below_target_;
    above_target_ = 0;
  } else {
    above_target_ = below_target_ = 0;
  }
  if (above_target_ >= kAcceleratePulls) {
    drop_wanted_ = true;
  } else if (above_target_ == 0) {
    drop_wanted_ = false;
    drop_wait_ = 0;
  }
  if (below_target_ >= kDeceleratePulls) {
    below_target_ = 0;
    conceal(frame_, Source::Inserted);
  }
}

// Drops the packets that would play within the next `ticks` of RTP time.
void AudioJitterBuffer::flush(int64_t ticks) {
  const int64_t until = next_ts_ + ticks;
  int64_t next = next_ts_;
  while (!packets_.empty()) {
    auto it = packets_.begin();
    if (it->first + it->second.duration > until) break;
    next = std::max(next, it->first + it->second.duration);
    stats_.removed_samples_for_acceleration += ticks_to_samples(it->second.duration);
    ++stats_.packets_discarded;
    discard_packet(it->second);
    packets_.erase(it);
  }
  // Up to the next packet, or to `until` when there is a gap before it;
  // with nothing buffered, no further than what was flushed.
  if (!packets_.empty()) next = std::max(next, std::min(packets_.begin()->first, until));
  next_ts_ = next;
  held_ticks_ = 0;
  above_target_ = below_target_ = 0;
  drop_wanted_ = false;
  drop_wait_ = 0;
}

void AudioJitterBuffer::fill(uint32_t samples) {
  while (pending_samples() < samples) produce();
}

// Appends the audio at next_ts_: decoded, recovered or concealed.
void AudioJitterBuffer::produce() {
  // Packets overtaken by concealment or a flush can never play.
  while (!packets_.empty() && packets_.begin()->first < next_ts_) {
    ++stats_.packets_discarded;
    discard_packet(packets_.begin()->second);
    packets_.erase(packets_.begin());
  }
  if (packets_.empty()) {
    // Underrun: conceal without advancing, so a packet that is just late
    // still plays (the delay grows by what was held).
    conceal(frame_, Source::Concealed);
    held_ticks_ += samples_to_ticks(frame_);
    return;
  }
  Packet& p = packets_.begin()->second;
  int64_t gap = packets_.begin()->first - next_ts_;
  if (gap > 0 && held_ticks_ > 0) {
    // What was held was a loss or a pause (DTX), not lateness: skip it
    // again, but only down to the target delay.
    const int64_t skip = std::min({gap, held_ticks_, skip_allowance_});
    held_ticks_ = 0;
    next_ts_ += skip;
    gap -= skip;
  }
  if (gap == 0) {
    decode_next();
    return;
  }
  // Audio is missing before p. A sequence number gap says packets were
  // lost; without one the sender paused (DTX) and there is nothing to recover.
  const bool lost = !last_seq_ || p.seq - *last_seq_ > 1;
  // Opus LBRR repeats the packet just before, at that packet's duration
  // (RFC 6716 4.2.4): usable when exactly that much is missing.
  if (p.fec && lost && gap == p.duration && gap <= samples_to_ticks(rate_ / 1000 * 120)) {
    const auto samples = static_cast<uint32_t>(ticks_to_samples(gap));
    scratch_.resize(static_cast<size_t>(samples) * channels_);
    if (auto n = decoder_->decode_fec(p.payload, samples, scratch_); n.ok()) {
      append(std::span<const int16_t>(scratch_).first(static_cast<size_t>(*n) * channels_),
             Source::Decoded, p.arrival);
      next_ts_ += gap;
      p.fec_used = true;
      ++stats_.packets_recovered_with_fec;
      concealed_run_ = 0;
      return;
    }
  }
  int64_t chunk = std::min(samples_to_ticks(frame_), gap);
  // Several packets lost: conceal up to the one the FEC can still recover.
  if (p.fec && lost && gap > p.duration) chunk = std::min(chunk, gap - p.duration);
  conceal(static_cast<uint32_t>(ticks_to_samples(chunk)), Source::Concealed);
  next_ts_ += chunk;
}

void AudioJitterBuffer::decode_next() {
  auto node = packets_.extract(packets_.begin());
  Packet& p = node.mapped();
  const int64_t samples = ticks_to_samples(p.duration);
  scratch_.resize(static_cast<size_t>(samples) * channels_);
  auto n = decoder_->decode(p.payload, scratch_);
  mark_played(p.seq);
  last_seq_ = p.seq;
  held_ticks_ = 0;
  if (!n) {
    // Readable headers, unreadable frames: the packet is lost after all.
    ++stats_.packets_invalid;
    for (int64_t done = 0; done < p.duration;) {
      const int64_t chunk = std::min(samples_to_ticks(frame_), p.duration - done);
      conceal(static_cast<uint32_t>(ticks_to_samples(chunk)), Source::Concealed);
      done += chunk;
    }
    next_ts_ += p.duration;
    return;
  }
  append(std::span<const int16_t>(scratch_).first(static_cast<size_t>(*n) * channels_),
         Source::Decoded, p.arrival);
  next_ts_ += p.duration;
  discard_packet(p);  // its FEC, if any and unused, is no longer needed
  concealed_run_ = 0;
}

void AudioJitterBuffer::conceal(uint32_t samples, Source source) {
  if (samples == 0) return;
  std::vector<int16_t> out(static_cast<size_t>(samples) * channels_, 0);
  const int64_t max_run = ticks_to_samples(us_to_ticks(config_.max_concealment.us()));
  if (concealed_run_ < max_run) {
    // Always 10 ms from the decoder (a duration every codec can conceal),
    // of which the first `samples` are used.
    scratch_.assign(static_cast<size_t>(frame_) * channels_, 0);
    if (auto n = decoder_->conceal(frame_, scratch_); n.ok()) {
      const size_t used = std::min<size_t>(out.size(), static_cast<size_t>(*n) * channels_);
      std::copy_n(scratch_.begin(), used, out.begin());
    }
    // Fade to silence before max_concealment: a long loss must not buzz.
    const int64_t fade = std::max<int64_t>(1, ticks_to_samples(us_to_ticks(kFadeOut.us())));
    const int64_t fade_start = max_run - fade;
    for (uint32_t i = 0; i < samples; ++i) {
      const int64_t run = concealed_run_ + i;
      if (run < fade_start) continue;
      const double gain = std::max(0.0, static_cast<double>(max_run - run) / fade);
      for (uint8_t c = 0; c < channels_; ++c) {
        auto& s = out[static_cast<size_t>(i) * channels_ + c];
        s = static_cast<int16_t>(std::lround(s * gain));
      }
    }
  } else if (source == Source::Concealed) {
    source = Source::Silent;
  }
  concealed_run_ += samples;
  append(out, source, std::nullopt);
}

void AudioJitterBuffer::append(std::span<const int16_t> pcm, Source source,
                               std::optional<Timestamp> arrival) {
  const auto samples = static_cast<uint32_t>(pcm.size() / channels_);
  if (samples == 0) return;
  pending_.insert(pending_.end(), pcm.begin(), pcm.end());
  if (!segments_.empty() && segments_.back().source == source &&
      segments_.back().arrival == arrival) {
    segments_.back().samples += samples;
  } else {
    segments_.push_back({source, samples, arrival});
  }
}

// Removes the next 10 ms, crossfading into what follows so the cut does
// not click. Precondition: 20 ms pending.
void AudioJitterBuffer::drop_frame() {
  const size_t frame = static_cast<size_t>(frame_) * channels_;
  const uint32_t overlap = std::max<uint32_t>(1, rate_ / 400);  // 2.5 ms
  for (uint32_t i = 0; i < overlap; ++i) {
    const double w = (i + 0.5) / overlap;
    for (uint8_t c = 0; c < channels_; ++c) {
      const size_t k = static_cast<size_t>(i) * channels_ + c;
      pending_[frame + k] =
          static_cast<int16_t>(std::lround(pending_[k] * (1 - w) + pending_[frame + k] * w));
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(frame));
  for (uint32_t left = frame_; left > 0;) {
    Segment& s = segments_.front();
    const uint32_t take = std::min(left, s.samples);
    s.samples -= take;
    left -= take;
    if (s.samples == 0) segments_.pop_front();
  }
  stats_.removed_samples_for_acceleration += frame_;
  drop_wanted_ = false;
  drop_wait_ = 0;
  above_target_ = 0;
}

void AudioJitterBuffer::emit(Timestamp now, AudioFrame& frame) {
  const size_t n = static_cast<size_t>(frame_) * channels_;
  std::copy_n(pending_.begin(), n, frame.samples.begin());
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(n));

  const double target_s = static_cast<double>(target_delay().us()) / 1e6;
  uint32_t concealed = 0, silent = 0;
  for (uint32_t left = frame_; left > 0;) {
    Segment& s = segments_.front();
    const uint32_t take = std::min(left, s.samples);
    switch (s.source) {
      case Source::Decoded:
        stats_.jitter_buffer_emitted_count += take;
        stats_.jitter_buffer_delay += static_cast<double>((now - *s.arrival).us()) / 1e6 * take;
        stats_.jitter_buffer_target_delay += target_s * take;
        last_emitted_concealed_ = false;
        break;
      case Source::Concealed:
      case Source::Silent:
        concealed += take;
        if (s.source == Source::Silent) silent += take;
        if (!last_emitted_concealed_) ++stats_.concealment_events;
        last_emitted_concealed_ = true;
        break;
      case Source::Inserted:
        stats_.inserted_samples_for_deceleration += take;
        break;
    }
    s.samples -= take;
    left -= take;
    if (s.samples == 0) segments_.pop_front();
  }
  stats_.total_samples_received += frame_;
  stats_.concealed_samples += concealed;
  stats_.silent_concealed_samples += silent;
  frame.kind = silent == frame_     ? AudioFrameKind::Silent
               : concealed > 0      ? AudioFrameKind::Concealed
                                    : AudioFrameKind::Normal;

  int peak = 0;
  double energy = 0;
  for (int16_t s : frame.samples) {
    peak = std::max(peak, std::abs(static_cast<int>(s)));
    energy += double(s) * s;
  }
  peak = std::min(peak, 32767);
  // webrtc-stats totalAudioEnergy, computed per 10 ms frame from its peak as
  // libwebrtc does; audioLevel is the peak over ~100 ms, decaying.
  const double level = peak / 32767.0;
  stats_.total_audio_energy += level * level * 0.01;
  stats_.total_samples_duration += 0.01;
  level_peak_ = std::max(level_peak_, peak);
  if (++level_frames_ >= 10) {
    stats_.audio_level = level_peak_ / 32767.0;
    level_frames_ = 0;
    level_peak_ >>= 2;
  }
  if (frame.kind == AudioFrameKind::Normal) {
    energy /= static_cast<double>(n);
    normal_energy_ = normal_energy_ == 0 ? energy : 0.95 * normal_energy_ + 0.05 * energy;
  }
}

}  // namespace wasmrtc::media
