// Opus (RFC 6716) encoder on libopus, packetized for RTP (RFC 7587).
//
//   auto enc = codec::OpusEncoder::create({.channels = 2, .fec = true});
//   if (!enc) ... to_string(enc.error());
//   auto out = (*enc)->encode(pcm_10ms);   // Result<optional<EncodedAudio>>
#pragma once

#include <memory>
#include <vector>

#include "codec/audio_encoder.h"

struct OpusEncoder;  // libopus

namespace wasmrtc::codec {

class OpusEncoder final : public AudioEncoder {
 public:
  // Every error enum value names the field at fault (BadSampleRate, ...);
  // CodecFailure when libopus refuses the configuration anyway.
  static Result<std::unique_ptr<OpusEncoder>> create(const AudioEncoderConfig& config);
  ~OpusEncoder() override;

  uint32_t sample_rate() const override { return config_.sample_rate; }
  uint8_t channels() const override { return config_.channels; }
  uint32_t rtp_clock_rate() const override { return 48000; }  // RFC 7587 4.1
  const AudioEncoderConfig& config() const { return config_; }

  Result<std::optional<EncodedAudio>> encode(std::span<const int16_t> pcm) override;
  Result<void> set_bitrate(uint32_t bps) override;
  Result<void> set_expected_loss(uint32_t percent) override;
  Result<void> set_fec(bool enabled) override;
  Result<void> set_dtx(bool enabled) override;

 private:
  OpusEncoder(::OpusEncoder* encoder, const AudioEncoderConfig& config);

  ::OpusEncoder* encoder_;
  AudioEncoderConfig config_;
  std::vector<int16_t> pending_;  // the 10 ms frames of the packet being filled
};

}  // namespace wasmrtc::codec
