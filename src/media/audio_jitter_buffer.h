// An adaptive jitter buffer for one audio RTP stream.
//
//   media::AudioJitterBuffer jb(std::move(*codec::OpusDecoder::create()));
//   jb.insert(now, packet.sequence_number, packet.timestamp, packet.payload);
//   ...
//   media::AudioFrame f = jb.pull(now);   // every 10 ms, from the audio device
//
// Time is whatever the caller passes: arrival times to insert(), the
// playout time to pull(). Both must come from the same clock.
//
// Playout follows the RTP timestamps (RFC 3550 5.1): a missing stretch is
// recovered from the next packet's in-band FEC when it has some, else
// concealed by the decoder (fading to silence after max_concealment). When
// nothing at all is buffered the buffer conceals without advancing, so a
// packet that is merely late still plays (the delay grows); if it turns out
// to have been lost, or the sender was in DTX, the held time is skipped
// again. Late packets (before what has been played), duplicates and
// undecodable payloads are dropped and counted.
//
// The target delay is a percentile of the packets' relative delays plus one
// pull period, within [min_target_delay, max_target_delay]. The current
// delay is measured against the same reference, from `now` (not from how
// full the buffer is, which swings with each packet). Above target for
// long, 10 ms of decoded audio is dropped (a quiet frame if one comes soon,
// crossfaded); below target, 10 ms of concealment is inserted. Clock drift
// between sender and receiver shows up as exactly such a slow drift, and
// is absorbed the same way. Far above target (a spike that passed, a burst
// after an outage) whole packets are flushed.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/time.h"
#include "codec/audio_decoder.h"
#include "media/audio_frame.h"
#include "media/delay_estimator.h"
#include "media/stats.h"
#include "media/unwrap.h"

namespace wasmrtc::media {

struct AudioJitterBufferConfig {
  base::Duration min_target_delay = base::Duration::millis(20);
  base::Duration max_target_delay = base::Duration::millis(500);
  // Concealment beyond this fades out and then plays silence.
  base::Duration max_concealment = base::Duration::millis(100);
  DelayEstimatorConfig delay = {};
  size_t max_packets = 500;  // bounds memory; a packet beyond is discarded
};

// What insert() did with a packet.
enum class InsertResult {
  Buffered,
  Late,       // its time has been played or concealed already
  Duplicate,  // already buffered or played
  Invalid,    // the decoder cannot read it
  Overflow,   // the buffer holds max_packets already
};

class AudioJitterBuffer {
 public:
  AudioJitterBuffer(std::unique_ptr<codec::AudioDecoder> decoder,
                    AudioJitterBufferConfig config = {});

  InsertResult insert(base::Timestamp arrival, uint16_t sequence_number, uint32_t rtp_timestamp,
                      base::ByteView payload);

  // Exactly 10 ms at the decoder's rate and channel count.
  AudioFrame pull(base::Timestamp now);

  const AudioReceiveStats& stats() const { return stats_; }
  base::Duration target_delay() const;
  // How long the next sample to play has been waiting since a packet that
  // came as fast as the fastest lately would have arrived. Unset before the
  // first packet.
  std::optional<base::Duration> current_delay(base::Timestamp now) const;
  size_t packets_buffered() const { return packets_.size(); }
  uint32_t frame_samples() const { return frame_; }  // per channel, 10 ms

 private:
  struct Packet {
    int64_t seq;  // extended
    base::Timestamp arrival;
    base::Bytes payload;
    int64_t duration;  // RTP ticks
    bool fec;
    bool fec_used = false;
  };
  // Where each sample waiting in pending_ came from.
  enum class Source { Decoded, Concealed, Silent, Inserted };
  struct Segment {
    Source source;
    uint32_t samples;  // per channel
    std::optional<base::Timestamp> arrival;  // of its packet, when decoded
  };

  void reset_stream();
  void adapt(base::Timestamp now);
  void flush(int64_t ticks);
  void fill(uint32_t samples);
  void produce();
  void decode_next();
  void conceal(uint32_t samples, Source source);
  void append(std::span<const int16_t> pcm, Source source, std::optional<base::Timestamp> arrival);
  void drop_frame();
  void emit(base::Timestamp now, AudioFrame& frame);
  void discard_packet(const Packet& p);
  bool was_played(int64_t seq) const;
  void mark_played(int64_t seq);

  int64_t media_us(int64_t ticks) const;
  int64_t us_to_ticks(int64_t us) const;
  int64_t samples_to_ticks(int64_t samples) const;
  int64_t ticks_to_samples(int64_t ticks) const;
  uint32_t pending_samples() const;
  int64_t position() const;  // RTP time of the next sample to emit

  std::unique_ptr<codec::AudioDecoder> decoder_;
  AudioJitterBufferConfig config_;
  uint32_t rate_;
  uint8_t channels_;
  uint32_t clock_;
  uint32_t frame_;  // samples per channel in 10 ms

  Unwrapper<uint16_t> seqs_;
  Unwrapper<uint32_t> timestamps_;
  std::optional<base::Timestamp> latest_arrival_;
  DelayEstimator delay_;
  std::map<int64_t, Packet> packets_;  // by extended RTP timestamp

  bool playing_ = false;
  int64_t next_ts_ = 0;     // RTP time just after the audio in pending_
  int64_t held_ticks_ = 0;  // concealed in an underrun without advancing next_ts_
  int64_t skip_allowance_ = 0;  // ticks above target: how much held time may be skipped
  std::optional<int64_t> last_seq_;  // of the packet decoded last
  std::array<int64_t, 64> played_{};  // recent sequence numbers, to spot duplicates
  size_t played_next_ = 0;
  uint32_t consecutive_late_ = 0;

  std::vector<int16_t> pending_;  // decoded, not yet emitted, interleaved
  std::deque<Segment> segments_;
  std::vector<int16_t> scratch_;
  int64_t concealed_run_ = 0;     // samples of concealment since the last decoded audio
  bool last_emitted_concealed_ = false;

  int above_target_ = 0;          // consecutive pulls above / below target
  int below_target_ = 0;
  bool drop_wanted_ = false;
  int drop_wait_ = 0;
  double normal_energy_ = 0;      // running mean square of normal frames

  int level_frames_ = 0;
  int level_peak_ = 0;
  AudioReceiveStats stats_;
};

}  // namespace wasmrtc::media
