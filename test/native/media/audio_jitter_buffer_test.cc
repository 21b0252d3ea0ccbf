// The audio jitter buffer, driven by a simulated clock: an Opus sender
// encodes a 440 Hz tone into RTP payloads, a network model decides when
// (or whether) each arrives, and the test pulls 10 ms every 10 ms and
// measures what comes out.
#include "media/audio_jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "codec/signal.h"

namespace wasmrtc::media {
namespace {

using base::Duration;
using base::Timestamp;

struct Sent {
  uint16_t seq;
  uint32_t ts;
  base::Bytes payload;
  int64_t send_us;
};

struct StreamOptions {
  double seconds = 5;
  codec::AudioEncoderConfig encoder = {};
  uint16_t first_seq = 1000;
  uint32_t first_ts = 123456;
  // Sender clock speed relative to ours: 1.01 sends 1 % more audio per second.
  double clock_ratio = 1.0;
  // Amplitude modulation (a syllable rate): keeps a voice activity detector
  // from taking the steady tone for background noise.
  double am_hz = 0;
};

std::vector<Sent> make_stream(const StreamOptions& o) {
  auto enc = codec::OpusEncoder::create(o.encoder);
  EXPECT_TRUE(enc.ok());
  test::Sine tone(440, o.encoder.sample_rate, o.encoder.channels);
  std::vector<Sent> out;
  uint16_t seq = o.first_seq;
  uint32_t ts = o.first_ts;
  const int frames = static_cast<int>(o.seconds * 100);
  uint64_t n = 0;
  for (int i = 0; i < frames; ++i) {
    auto pcm = tone.next((*enc)->frame_samples());
    if (o.am_hz > 0) {
      for (size_t k = 0; k < pcm.size(); k += o.encoder.channels, ++n) {
        const double gain = 0.6 + 0.4 * std::sin(2 * M_PI * o.am_hz * n / o.encoder.sample_rate);
        for (size_t c = 0; c < o.encoder.channels; ++c) {
          pcm[k + c] = static_cast<int16_t>(pcm[k + c] * gain);
        }
      }
    }
    auto r = (*enc)->encode(pcm);
    if (!r.ok() || !r->has_value()) continue;
    // The packet leaves when its last 10 ms have been captured, by the sender's clock.
    const auto send_us = static_cast<int64_t>((i + 1) * 10000 / o.clock_ratio);
    out.push_back({seq++, ts, std::move((*r)->payload), send_us});
    ts += (*r)->samples;
  }
  return out;
}

// When packet i (sent at send_us) arrives, or nullopt if lost.
using Network = std::function<std::optional<int64_t>(size_t i, int64_t send_us)>;

Network fixed_delay(int64_t us) {
  return [us](size_t, int64_t send) { return send + us; };
}

struct Output {
  std::vector<int16_t> pcm;  // mono: channel 0 of every frame pulled after start
  std::vector<AudioFrameKind> kinds;
  std::vector<Duration> targets;  // after each pull
};

// Pulls every 10 ms from t = 0 for `duration`, inserting each packet at its
// arrival time. `on_pull` sees the buffer after each pull.
Output run(AudioJitterBuffer& jb, const std::vector<Sent>& sent, const Network& network,
           Duration duration, const std::function<void(int64_t now_us)>& on_pull = {}) {
  struct Arrival {
    int64_t at;
    size_t index;
  };
  std::vector<Arrival> arrivals;
  for (size_t i = 0; i < sent.size(); ++i) {
    if (auto at = network(i, sent[i].send_us)) arrivals.push_back({*at, i});
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  Output out;
  size_t next = 0;
  for (int64_t now = 0; now < duration.us(); now += 10000) {
    for (; next < arrivals.size() && arrivals[next].at <= now; ++next) {
      const Sent& p = sent[arrivals[next].index];
      jb.insert(Timestamp::from_micros(arrivals[next].at), p.seq, p.ts, p.payload);
    }
    AudioFrame f = jb.pull(Timestamp::from_micros(now));
    EXPECT_EQ(f.samples_per_channel(), jb.frame_samples());
    EXPECT_EQ(f.samples.size(), static_cast<size_t>(jb.frame_samples()) * f.channels);
    out.kinds.push_back(f.kind);
    out.targets.push_back(jb.target_delay());
    if (f.kind != AudioFrameKind::NotStarted) {
      for (size_t i = 0; i < f.samples.size(); i += f.channels) out.pcm.push_back(f.samples[i]);
    }
    if (on_pull) on_pull(now);
  }
  return out;
}

std::unique_ptr<codec::AudioDecoder> opus(uint32_t rate = 48000, uint8_t channels = 1) {
  return std::move(*codec::OpusDecoder::create(rate, channels));
}

double frequency(const std::vector<int16_t>& pcm, size_t from, size_t count, uint32_t rate = 48000) {
  std::vector<double> x(pcm.begin() + static_cast<ptrdiff_t>(from),
                        pcm.begin() + static_cast<ptrdiff_t>(std::min(pcm.size(), from + count)));
  return test::dominant_frequency(x, rate);
}

size_t count(const std::vector<AudioFrameKind>& kinds, AudioFrameKind k, size_t from = 0) {
  return static_cast<size_t>(std::count(kinds.begin() + static_cast<ptrdiff_t>(from), kinds.end(), k));
}

TEST(media_AudioJitterBuffer, NotStartedUntilThereIsAudio) {
  AudioJitterBuffer jb(opus(16000, 2));
  EXPECT_EQ(jb.frame_samples(), 160u);
  for (int i = 0; i < 5; ++i) {
    AudioFrame f = jb.pull(Timestamp::from_millis(10 * i));
    EXPECT_EQ(f.kind, AudioFrameKind::NotStarted);
    EXPECT_EQ(f.sample_rate, 16000u);
    EXPECT_EQ(f.channels, 2);
    ASSERT_EQ(f.samples.size(), 320u);
    EXPECT_TRUE(std::all_of(f.samples.begin(), f.samples.end(), [](int16_t s) { return s == 0; }));
  }
  EXPECT_EQ(jb.stats().total_samples_received, 0u);
  EXPECT_FALSE(jb.current_delay(Timestamp::from_millis(50)).has_value());
}

TEST(media_AudioJitterBuffer, CleanPathPlaysContinuousTone) {
  auto sent = make_stream({.seconds = 5});
  AudioJitterBuffer jb(opus());
  auto out = run(jb, sent, fixed_delay(30000), Duration::seconds(5) + Duration::millis(100));

  // Starts once the first packet has waited the 20 ms minimum target.
  const size_t started = count(out.kinds, AudioFrameKind::NotStarted);
  EXPECT_GE(started, 4u);
  EXPECT_LE(started, 8u);
  EXPECT_EQ(count(out.kinds, AudioFrameKind::NotStarted, started), 0u);
  // Then nothing but decoded audio while packets keep coming.
  const size_t playing = out.kinds.size() - started - 10;
  for (size_t i = started; i < started + playing; ++i) {
    ASSERT_EQ(out.kinds[i], AudioFrameKind::Normal) << "frame " << i;
  }
  EXPECT_NEAR(frequency(out.pcm, 4800, 96000), 440, 1);
  EXPECT_NEAR(test::rms(std::span<const int16_t>(out.pcm).subspan(4800, 96000)), 7071, 700);

  const auto& s = jb.stats();
  EXPECT_EQ(s.total_samples_received, out.pcm.size());
  EXPECT_EQ(s.packets_discarded, 0u);
  EXPECT_EQ(s.removed_samples_for_acceleration, 0u);
  EXPECT_EQ(s.inserted_samples_for_deceleration, 0u);
  EXPECT_EQ(s.jitter_buffer_emitted_count, 250u * 960);  // every packet, whole
  EXPECT_EQ(jb.target_delay(), Duration::millis(20));
  // Samples wait between 20 ms (first of a packet) and 40 ms (last).
  const double mean_delay = s.jitter_buffer_delay / static_cast<double>(s.jitter_buffer_emitted_count);
  EXPECT_GT(mean_delay, 0.020);
  EXPECT_LT(mean_delay, 0.045);
  EXPECT_NEAR(s.jitter_buffer_target_delay / static_cast<double>(s.jitter_buffer_emitted_count), 0.020, 1e-9);
  // audioLevel and totalAudioEnergy: a 10000-peak tone is 0.305 of full scale.
  EXPECT_NEAR(s.audio_level, 10000.0 / 32767, 0.05);
  EXPECT_NEAR(s.total_samples_duration, static_cast<double>(s.total_samples_received) / 48000, 1e-6);
  EXPECT_NEAR(s.total_audio_energy / s.total_samples_duration, 0.093, 0.02);
}

// Independent 10 % loss, once without and once with in-band FEC.
struct LossResult {
  AudioReceiveStats stats;
  double hz;
  size_t lost;
  size_t recoverable;  // lost, and the next packet arrived carrying LBRR
};

LossResult lossy_run(bool fec) {
  codec::AudioEncoderConfig enc{.bitrate_bps = 32000, .fec = fec, .expected_loss_percent = fec ? 20u : 0u};
  auto sent = make_stream({.seconds = 10, .encoder = enc, .am_hz = 3});
  std::mt19937 rng(42);
  std::bernoulli_distribution lose(0.10);
  std::vector<bool> lost(sent.size());
  size_t n = 0;
  for (size_t i = 5; i + 1 < sent.size(); ++i) n += (lost[i] = lose(rng));
  auto probe = codec::OpusDecoder::create();
  size_t recoverable = 0;
  for (size_t i = 0; i + 1 < sent.size(); ++i) {
    recoverable += lost[i] && !lost[i + 1] && (*probe)->has_fec(sent[i + 1].payload);
  }
  AudioJitterBuffer jb(opus());
  auto out = run(jb, sent, [&](size_t i, int64_t send) -> std::optional<int64_t> {
    if (lost[i]) return std::nullopt;
    return send + 40000;
  }, Duration::seconds(10));
  return {jb.stats(), frequency(out.pcm, 4800, 240000), n, recoverable};
}

TEST(media_AudioJitterBuffer, RandomLossStillSoundsLikeTheTone) {
  const auto plain = lossy_run(false);
  EXPECT_GT(plain.lost, 30u);
  EXPECT_NEAR(plain.hz, 440, 2);
  // Every lost packet concealed (a burst is one event), nothing recovered.
  EXPECT_EQ(plain.stats.concealed_samples, plain.lost * 960);
  EXPECT_GT(plain.stats.concealment_events, plain.lost / 2);
  EXPECT_LE(plain.stats.concealment_events, plain.lost);
  EXPECT_EQ(plain.stats.packets_recovered_with_fec, 0u);
  EXPECT_EQ(plain.stats.fec_packets_received, 0u);
  EXPECT_EQ(plain.stats.packets_discarded, 0u);

  const auto fec = lossy_run(true);
  EXPECT_NEAR(fec.hz, 440, 2);
  // libopus only spends LBRR on frames its VAD calls active.
  EXPECT_GT(fec.stats.fec_packets_received, 200u);
  EXPECT_GT(fec.recoverable, fec.lost / 3);
  // Every loss the next packet's LBRR covers is recovered, not concealed.
  EXPECT_EQ(fec.stats.packets_recovered_with_fec, fec.recoverable);
  EXPECT_EQ(fec.stats.concealed_samples, (fec.lost - fec.recoverable) * 960);
  EXPECT_EQ(fec.stats.fec_packets_discarded + fec.stats.packets_recovered_with_fec,
            fec.stats.fec_packets_received);
}

TEST(media_AudioJitterBuffer, ReorderingWithinTheTargetIsRepaired) {
  auto sent = make_stream({.seconds = 5});
  // Every 10th packet comes 25 ms late, after the one behind it.
  auto network = [](size_t i, int64_t send) -> std::optional<int64_t> {
    return send + 30000 + (i % 10 == 5 ? 25000 : 0);
  };
  AudioJitterBuffer fixed(opus(), {.min_target_delay = Duration::millis(60)});
  auto out = run(fixed, sent, network, Duration::seconds(5));
  EXPECT_EQ(fixed.stats().concealed_samples, 0u);
  EXPECT_EQ(fixed.stats().packets_discarded, 0u);
  EXPECT_EQ(count(out.kinds, AudioFrameKind::Concealed), 0u);

  // From the 20 ms minimum, the buffer learns the reordering and stops losing.
  AudioJitterBuffer adaptive(opus());
  uint64_t events_at_2s = 0;
  out = run(adaptive, sent, network, Duration::seconds(5), [&](int64_t now) {
    if (now == 2000000) events_at_2s = adaptive.stats().concealment_events;
  });
  EXPECT_LE(adaptive.stats().packets_discarded, 2u);
  EXPECT_EQ(adaptive.stats().concealment_events, events_at_2s);
  EXPECT_GE(adaptive.target_delay(), Duration::millis(35));
  EXPECT_NEAR(frequency(out.pcm, 4800, 96000), 440, 1);
}

TEST(media_AudioJitterBuffer, JitterRaisesTheTargetDelay) {
  auto sent = make_stream({.seconds = 20});
  std::mt19937 rng(3);
  std::uniform_int_distribution<int64_t> jitter(-30000, 30000);
  std::vector<int64_t> extra(sent.size());
  for (auto& e : extra) e = jitter(rng);
  AudioJitterBuffer jb(opus());
  uint64_t events_at_10s = 0;
  auto out = run(jb, sent, [&](size_t i, int64_t send) { return send + 50000 + extra[i]; },
                 Duration::seconds(20), [&](int64_t now) {
                   if (now == 10000000) events_at_10s = jb.stats().concealment_events;
                 });
  // The 95th percentile of 0-60 ms relative delay, plus 10 ms.
  EXPECT_GE(jb.target_delay(), Duration::millis(55));
  EXPECT_LE(jb.target_delay(), Duration::millis(80));
  EXPECT_EQ(out.targets.front(), Duration::millis(20));
  // Once adapted, (almost) nothing arrives too late.
  EXPECT_LE(jb.stats().concealment_events - events_at_10s, 5u);
  EXPECT_NEAR(frequency(out.pcm, 480000, 240000), 440, 2);
}

// Sender and receiver clocks 1 % apart for a minute: the buffer neither
// grows nor runs dry; it drops or inserts about 600 ms of audio.
class ClockDrift : public testing::TestWithParam<double> {};

TEST_P(ClockDrift, BufferStaysBounded) {
  const double ratio = GetParam();
  auto sent = make_stream({.seconds = 61, .clock_ratio = ratio});
  AudioJitterBuffer jb(opus());
  Duration worst = Duration::zero();
  size_t most_packets = 0;
  auto out = run(jb, sent, fixed_delay(30000), Duration::seconds(60), [&](int64_t now) {
    if (now < 1000000) return;
    if (auto d = jb.current_delay(Timestamp::from_micros(now))) worst = std::max(worst, *d);
    most_packets = std::max(most_packets, jb.packets_buffered());
  });
  const auto& s = jb.stats();
  const double drift_samples = std::abs(ratio - 1) * 60 * 48000;  // 28800
  if (ratio > 1) {
    EXPECT_NEAR(static_cast<double>(s.removed_samples_for_acceleration), drift_samples, drift_samples * 0.3);
    EXPECT_LE(s.inserted_samples_for_deceleration, 960u);
  } else {
    EXPECT_NEAR(static_cast<double>(s.inserted_samples_for_deceleration), drift_samples,
                drift_samples * 0.3);
    EXPECT_LE(s.removed_samples_for_acceleration, 960u);
  }
  EXPECT_LE(worst, jb.target_delay() + Duration::millis(45));
  EXPECT_LE(most_packets, 5u);
  EXPECT_EQ(s.packets_discarded, 0u);
  EXPECT_EQ(s.concealed_samples, 0u);  // time-stretched, never starved
  EXPECT_NEAR(frequency(out.pcm, out.pcm.size() - 240000, 240000), 440, 2);
}

INSTANTIATE_TEST_SUITE_P(media, ClockDrift, testing::Values(1.01, 0.99),
                         [](const auto& info) { return info.param > 1 ? "SenderFast" : "SenderSlow"; });

TEST(media_AudioJitterBuffer, DuplicatesAndAncientPacketsAreCounted) {
  auto sent = make_stream({.seconds = 6});
  AudioJitterBuffer jb(opus());
  std::vector<InsertResult> second;
  size_t next = 0;
  for (int64_t now = 0; now < 6000000; now += 10000) {
    for (; next < sent.size() && sent[next].send_us + 30000 <= now; ++next) {
      const auto& p = sent[next];
      const auto at = Timestamp::from_micros(p.send_us + 30000);
      EXPECT_EQ(jb.insert(at, p.seq, p.ts, p.payload), InsertResult::Buffered);
      second.push_back(jb.insert(at, p.seq, p.ts, p.payload));  // buffered: duplicate
      if (next >= 100 && next % 50 == 0) {
        // A copy of a packet played 40 packets ago, and one from 5 s back.
        const auto& old = sent[next - 40];
        EXPECT_EQ(jb.insert(at, old.seq, old.ts, old.payload), InsertResult::Duplicate);
        if (next >= 250) {
          const auto& ancient = sent[next - 250];
          EXPECT_EQ(jb.insert(at, ancient.seq, ancient.ts, ancient.payload), InsertResult::Late);
        }
      }
    }
    EXPECT_NE(jb.pull(Timestamp::from_micros(now)).kind, AudioFrameKind::Concealed);
  }
  EXPECT_TRUE(std::all_of(second.begin(), second.end(), [](InsertResult r) { return r == InsertResult::Duplicate; }));
  const auto& s = jb.stats();
  EXPECT_EQ(s.packets_duplicated, second.size() + 4);  // and the copies at 100, 150, 200, 250
  EXPECT_EQ(s.packets_discarded, 1u);  // the ancient one (the spec leaves duplicates out)
  EXPECT_EQ(s.concealed_samples, 0u);
  EXPECT_EQ(s.stream_resets, 0u);
}

TEST(media_AudioJitterBuffer, SequenceAndTimestampWrap) {
  // Wraps of both counters within the first second.
  auto sent = make_stream({.seconds = 4, .first_seq = 65500, .first_ts = 0xffffffffu - 48000 * 1 / 2});
  AudioJitterBuffer jb(opus());
  // Light reordering across the wrap too.
  auto out = run(jb, sent, [](size_t i, int64_t send) -> std::optional<int64_t> {
    return send + 30000 + (i % 7 == 3 ? 15000 : 0);
  }, Duration::seconds(4), {});
  const auto& s = jb.stats();
  EXPECT_EQ(s.stream_resets, 0u);
  EXPECT_EQ(s.packets_duplicated, 0u);
  EXPECT_LE(s.packets_discarded, 1u);
  EXPECT_GE(s.jitter_buffer_emitted_count, 190u * 960);
  EXPECT_NEAR(frequency(out.pcm, 4800, 96000), 440, 1);
}

TEST(media_AudioJitterBuffer, NewStreamAfterABigJumpRestartsBuffering) {
  auto a = make_stream({.seconds = 2});
  auto b = make_stream({.seconds = 2, .first_seq = 7, .first_ts = a.back().ts + 48000 * 600});
  for (auto& p : b) p.send_us += 2000000;
  a.insert(a.end(), b.begin(), b.end());
  AudioJitterBuffer jb(opus());
  auto out = run(jb, a, fixed_delay(30000), Duration::seconds(4));
  EXPECT_EQ(jb.stats().stream_resets, 1u);
  // Buffering again for a few frames, then the new stream plays.
  EXPECT_GE(count(out.kinds, AudioFrameKind::NotStarted, 200), 2u);
  EXPECT_EQ(out.kinds.back(), AudioFrameKind::Normal);
  EXPECT_EQ(count(out.kinds, AudioFrameKind::Normal, 300), 100u);
}

TEST(media_AudioJitterBuffer, LongLossFadesToSilenceAndRecovers) {
  auto sent = make_stream({.seconds = 4});
  // Nothing from 1 s to 2 s (the sender's timestamps go on).
  AudioJitterBuffer jb(opus());
  auto out = run(jb, sent, [](size_t, int64_t send) -> std::optional<int64_t> {
    if (send > 1000000 && send <= 2000000) return std::nullopt;
    return send + 30000;
  }, Duration::seconds(4));
  const auto& s = jb.stats();
  EXPECT_EQ(s.concealment_events, 1u);
  // 100 ms of concealment, the rest of the second silent.
  EXPECT_NEAR(static_cast<double>(s.concealed_samples), 48000, 4800);
  EXPECT_NEAR(static_cast<double>(s.silent_concealed_samples), 48000 - 4800, 4800);
  // The kinds in order: Normal ... Concealed ... Silent ... Normal.
  const auto first_silent = std::find(out.kinds.begin(), out.kinds.end(), AudioFrameKind::Silent);
  ASSERT_NE(first_silent, out.kinds.end());
  EXPECT_EQ(*(first_silent - 1), AudioFrameKind::Concealed);
  EXPECT_EQ(*(first_silent - 11), AudioFrameKind::Normal);
  EXPECT_EQ(out.kinds.back(), AudioFrameKind::Normal);
  // Back at the target delay after the gap, not a second behind.
  EXPECT_LE(*jb.current_delay(Timestamp::from_millis(3990)), jb.target_delay() + Duration::millis(15));
  EXPECT_EQ(s.packets_discarded, 0u);
}

TEST(media_AudioJitterBuffer, InvalidPayloadsAreCountedAndSkipped) {
  AudioJitterBuffer jb(opus());
  const uint8_t code3_no_count[] = {0x03};
  EXPECT_EQ(jb.insert(Timestamp::from_millis(0), 1, 0, {}), InsertResult::Invalid);
  EXPECT_EQ(jb.insert(Timestamp::from_millis(0), 2, 960, code3_no_count), InsertResult::Invalid);
  EXPECT_EQ(jb.stats().packets_invalid, 2u);
  EXPECT_EQ(jb.packets_buffered(), 0u);
  EXPECT_EQ(jb.pull(Timestamp::from_millis(100)).kind, AudioFrameKind::NotStarted);
}

}  // namespace
}  // namespace wasmrtc::media
