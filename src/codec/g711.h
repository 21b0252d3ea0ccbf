// G.711 (ITU-T G.711) mu-law and A-law: RTP payload formats PCMU and PCMA
// (RFC 3551 section 4.5.14; static payload types 0 and 8, 8 kHz, one byte
// per sample, 20 ms packets by default, section 4.5). The encoder takes
// the track's PCM at any rate our tracks give (8-48 kHz) and channel
// count, mixes to mono and resamples to 8 kHz; the decoder gives 48 kHz, so
// the playout path is the same as for Opus.
#pragma once

#include <memory>
#include <vector>

#include "codec/audio_decoder.h"
#include "codec/audio_encoder.h"
#include "codec/resampler.h"

namespace wasmrtc::codec {

enum class G711Law : uint8_t { Mu, A };  // PCMU, PCMA

// One sample each way (ITU-T G.711 tables 1 and 2, as segment arithmetic).
uint8_t g711_encode(G711Law law, int16_t sample);
int16_t g711_decode(G711Law law, uint8_t code);

class G711Encoder final : public AudioEncoder {
 public:
  // sample_rate: what the track gives, a multiple of 4 kHz up to 48 kHz;
  // channels 1 or 2; ptime rounded to 10-60 ms in 10 ms steps.
  static Result<std::unique_ptr<G711Encoder>> create(G711Law law, const AudioEncoderConfig& config);

  uint32_t sample_rate() const override { return sample_rate_; }
  uint8_t channels() const override { return channels_; }
  uint32_t rtp_clock_rate() const override { return 8000; }

  Result<std::optional<EncodedAudio>> encode(std::span<const int16_t> pcm) override;
  // G.711 has one rate (64 kbit/s) and no FEC or DTX: accepted, ignored.
  Result<void> set_bitrate(uint32_t) override { return {}; }
  Result<void> set_expected_loss(uint32_t) override { return {}; }
  Result<void> set_fec(bool) override { return {}; }
  Result<void> set_dtx(bool) override { return {}; }

 private:
  G711Encoder(G711Law law, uint32_t sample_rate, uint8_t channels, uint32_t ptime_ms);
  G711Law law_;
  uint32_t sample_rate_;
  uint8_t channels_;
  uint32_t packet_samples_;  // at 8 kHz
  Resampler resampler_;
  std::vector<int16_t> mono_, narrow_;
};

class G711Decoder final : public AudioDecoder {
 public:
  // channels 1 or 2 (the mono signal in each).
  static Result<std::unique_ptr<G711Decoder>> create(G711Law law, uint8_t channels = 1);

  uint32_t sample_rate() const override { return 48000; }
  uint8_t channels() const override { return channels_; }
  uint32_t rtp_clock_rate() const override { return 8000; }

  Result<uint32_t> packet_samples(base::ByteView payload) const override;
  Result<uint32_t> decode(base::ByteView payload, std::span<int16_t> out) override;
  // Repeats the last 10 ms, 6 dB quieter each time (G.711 has no PLC of
  // its own; ITU-T G.711 Appendix I does better, this does not click).
  Result<uint32_t> conceal(uint32_t samples, std::span<int16_t> out) override;
  // No redundancy: conceals `samples`.
  Result<uint32_t> decode_fec(base::ByteView, uint32_t samples, std::span<int16_t> out) override {
    return conceal(samples, out);
  }

 private:
  G711Decoder(G711Law law, uint8_t channels);
  Result<uint32_t> emit(std::span<const int16_t> narrow, std::span<int16_t> out);
  G711Law law_;
  uint8_t channels_;
  Resampler resampler_;  // 8 -> 48 kHz, mono
  std::vector<int16_t> last_;  // the last 10 ms at 8 kHz, for concealment
  float fade_ = 1.0f;
  std::vector<int16_t> wide_;
};

}  // namespace wasmrtc::codec
