// libFuzzer target for the audio jitter buffer (src/media): the input is a
// program of insert/pull operations with arbitrary sequence numbers,
// timestamps, arrival times and payloads (raw bytes, or real Opus packets
// from a small pool so that decoding paths are reached too). Properties:
// no crash; every pull gives exactly 10 ms; the counters stay consistent.
//
// Format: byte 0 picks the decoder (rate, channels) and the target delay
// range; then operations, each an opcode byte and its operands:
//   op % 4 == 3                 pull: now += 10 ms + (next byte % 8 - 4) ms
//   otherwise                   insert:
//     seq:  op bit 2 ? 2 bytes absolute : seq + (int8) byte
//     ts:   op bit 3 ? 4 bytes absolute : ts + (int8) byte * 240
//     arrival: now + (int8) byte ms
//     payload: op bit 4 ? pool[byte % pool size] : byte % 64 raw bytes
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "media/audio_jitter_buffer.h"
#include "input.h"
#include "require.h"

namespace {

using namespace wasmrtc;
using fuzz::Input;
using fuzz::require;


// Opus packets of a tone, then silence with DTX, then with FEC: 10, 20, 60 ms, mono and stereo.
const std::vector<base::Bytes>& pool() {
  static const std::vector<base::Bytes> packets = [] {
    std::vector<base::Bytes> out;
    for (auto config : {codec::AudioEncoderConfig{.ptime_ms = 20, .fec = true, .dtx = true,
                                                  .expected_loss_percent = 20},
                        codec::AudioEncoderConfig{.channels = 2, .ptime_ms = 10},
                        codec::AudioEncoderConfig{.ptime_ms = 60}}) {
      auto enc = codec::OpusEncoder::create(config);
      require(enc.ok());
      std::vector<int16_t> pcm(480 * config.channels);
      for (int frame = 0; frame < 60; ++frame) {
        for (size_t i = 0; i < pcm.size(); ++i) {
          const int n = frame * 480 + static_cast<int>(i / config.channels);
          pcm[i] = frame < 40 ? static_cast<int16_t>((n * 7919 % 4000) - 2000) : 0;
        }
        auto r = (*enc)->encode(pcm);
        require(r.ok());
        if (r->has_value()) out.push_back((*r)->payload);
      }
    }
    return out;
  }();
  return packets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const uint8_t setup = in.byte();
  static constexpr uint32_t kRates[] = {48000, 16000, 8000, 48000};
  const uint32_t rate = kRates[setup & 3];
  const uint8_t channels = (setup & 4) ? 2 : 1;
  auto decoder = codec::OpusDecoder::create(rate, channels);
  require(decoder.ok());
  media::AudioJitterBufferConfig config;
  config.min_target_delay = base::Duration::millis(setup & 8 ? 60 : 20);
  config.max_target_delay = base::Duration::millis(setup & 16 ? 100 : 500);
  config.max_packets = setup & 32 ? 8 : 500;
  media::AudioJitterBuffer jb(std::move(*decoder), config);

  int64_t now_ms = 0;
  uint16_t seq = 0;
  uint32_t ts = 0;
  uint64_t played = 0;
  while (!in.empty()) {
    const uint8_t op = in.byte();
    if (op % 4 == 3) {
      now_ms += 10 + (in.byte() % 8) - 4;
      media::AudioFrame f = jb.pull(base::Timestamp::from_millis(now_ms));
      require(f.sample_rate == rate && f.channels == channels);
      require(f.samples.size() == static_cast<size_t>(rate / 100) * channels);
      if (f.kind != media::AudioFrameKind::NotStarted) played += rate / 100;
      const auto& s = jb.stats();
      require(s.total_samples_received == played);
      require(s.concealed_samples <= s.total_samples_received);
      require(s.silent_concealed_samples <= s.concealed_samples);
      require(s.jitter_buffer_emitted_count + s.concealed_samples +
                  s.inserted_samples_for_deceleration == s.total_samples_received);
      require(jb.packets_buffered() <= config.max_packets);
      require(jb.target_delay() >= config.min_target_delay &&
              jb.target_delay() <= config.max_target_delay);
      continue;
    }
    seq = (op & 4) ? static_cast<uint16_t>(in.be(2))
                   : static_cast<uint16_t>(seq + static_cast<int8_t>(in.byte()));
    ts = (op & 8) ? in.be(4) : ts + static_cast<uint32_t>(static_cast<int8_t>(in.byte()) * 240);
    const auto arrival = base::Timestamp::from_millis(now_ms + static_cast<int8_t>(in.byte()));
    base::ByteView payload;
    if (op & 16) {
      const auto& p = pool()[in.byte() % pool().size()];
      payload = p;
    } else {
      payload = in.take(in.byte() % 64);
    }
    (void)jb.insert(arrival, seq, ts, payload);
  }
  return 0;
}
