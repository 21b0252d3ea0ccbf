// Opus (RFC 6716) decoder on libopus for RTP payloads (RFC 7587): decodes
// any Opus packet, mono or stereo, to the rate and channel count chosen
// here; conceals losses; recovers a lost packet from the LBRR (in-band FEC)
// data of the next one.
#pragma once

#include <memory>

#include "codec/audio_decoder.h"

struct OpusDecoder;  // libopus

namespace wasmrtc::codec {

class OpusDecoder final : public AudioDecoder {
 public:
  // sample_rate: 8, 12, 16, 24 or 48 kHz; channels: 1 or 2.
  static Result<std::unique_ptr<OpusDecoder>> create(uint32_t sample_rate = 48000,
                                                     uint8_t channels = 1);
  ~OpusDecoder() override;

  uint32_t sample_rate() const override { return sample_rate_; }
  uint8_t channels() const override { return channels_; }
  uint32_t rtp_clock_rate() const override { return 48000; }  // RFC 7587 4.1

  Result<uint32_t> packet_samples(base::ByteView payload) const override;
  bool has_fec(base::ByteView payload) const override;
  Result<uint32_t> decode(base::ByteView payload, std::span<int16_t> out) override;
  Result<uint32_t> conceal(uint32_t samples, std::span<int16_t> out) override;
  Result<uint32_t> decode_fec(base::ByteView next_payload, uint32_t samples,
                              std::span<int16_t> out) override;

 private:
  OpusDecoder(::OpusDecoder* decoder, uint32_t sample_rate, uint8_t channels);
  // A duration libopus can synthesize: a whole number of 2.5 ms, at most 120 ms.
  bool valid_duration(uint32_t samples) const;

  ::OpusDecoder* decoder_;
  uint32_t sample_rate_;
  uint8_t channels_;
};

}  // namespace wasmrtc::codec
