#include "codec/opus_decoder.h"

// <opus/opus.h>, not <opus.h>: the WASM prefix exports include/, not include/opus/.
#include <opus/opus.h>

#include <utility>

namespace wasmrtc::codec {

namespace {

Error decode_error(int ret) {
  // OPUS_BAD_ARG also comes back for packets whose frame lengths do not add
  // up; only OPUS_INTERNAL_ERROR / OPUS_ALLOC_FAIL are ours to worry about.
  switch (ret) {
    case OPUS_BUFFER_TOO_SMALL: return Error::BufferTooSmall;
    case OPUS_INVALID_PACKET:
    case OPUS_BAD_ARG: return Error::InvalidPayload;
    default: return Error::CodecFailure;
  }
}

}  // namespace

Result<std::unique_ptr<OpusDecoder>> OpusDecoder::create(uint32_t sample_rate, uint8_t channels) {
  if (sample_rate != 8000 && sample_rate != 12000 && sample_rate != 16000 &&
      sample_rate != 24000 && sample_rate != 48000) {
    return Unexpected(Error::BadSampleRate);
  }
  if (channels != 1 && channels != 2) return Unexpected(Error::BadChannels);
  int err = OPUS_OK;
  ::OpusDecoder* dec = opus_decoder_create(static_cast<opus_int32>(sample_rate), channels, &err);
  if (err != OPUS_OK || dec == nullptr) return Unexpected(Error::CodecFailure);
  return std::unique_ptr<OpusDecoder>(new OpusDecoder(dec, sample_rate, channels));
}

OpusDecoder::OpusDecoder(::OpusDecoder* decoder, uint32_t sample_rate, uint8_t channels)
    : decoder_(decoder), sample_rate_(sample_rate), channels_(channels) {}

OpusDecoder::~OpusDecoder() { opus_decoder_destroy(decoder_); }

bool OpusDecoder::valid_duration(uint32_t samples) const {
  const uint32_t step = sample_rate_ / 400;  // 2.5 ms
  return samples > 0 && samples % step == 0 && samples <= sample_rate_ / 1000 * 120;
}

Result<uint32_t> OpusDecoder::packet_samples(base::ByteView payload) const {
  // An empty payload is no Opus packet (RFC 6716 3.1: the TOC byte is
  // mandatory); libopus would take it as "conceal".
  if (payload.empty()) return Unexpected(Error::InvalidPayload);
  // Frame lengths against the payload length (RFC 6716 3.4, R1-R7), which
  // opus_packet_get_nb_samples() alone does not check.
  opus_int16 sizes[48];
  if (opus_packet_parse(payload.data(), static_cast<opus_int32>(payload.size()), nullptr, nullptr,
                        sizes, nullptr) <= 0) {
    return Unexpected(Error::InvalidPayload);
  }
  // The total is checked against 120 ms here (R5).
  const int n = opus_packet_get_nb_samples(payload.data(), static_cast<opus_int32>(payload.size()),
                                           static_cast<opus_int32>(sample_rate_));
  if (n <= 0) return Unexpected(Error::InvalidPayload);
  return static_cast<uint32_t>(n);
}

// libopus 1.3 has no opus_packet_has_lbrr(); this is what 1.5's does. SILK
// starts each Opus frame with header bits coded at probability 1/2, so they
// are the first bits of the frame verbatim (RFC 6716 4.2.3): one VAD flag
// per 20 ms SILK frame, then the LBRR flag; for stereo the same again for
// the side channel. CELT-only packets never carry LBRR.
bool OpusDecoder::has_fec(base::ByteView payload) const {
  if (payload.empty()) return false;
  const int config = payload[0] >> 3;  // RFC 6716 3.1, table 2
  if (config >= 16) return false;      // CELT-only
  const unsigned char* frames[48];
  opus_int16 sizes[48];
  const int count = opus_packet_parse(payload.data(), static_cast<opus_int32>(payload.size()),
                                      nullptr, frames, sizes, nullptr);
  if (count <= 0 || sizes[0] == 0) return false;
  const int frame_samples = opus_packet_get_samples_per_frame(payload.data(), 48000);
  const int silk_frames = frame_samples > 960 ? frame_samples / 960 : 1;
  bool lbrr = (frames[0][0] >> (7 - silk_frames)) & 1;
  if (opus_packet_get_nb_channels(payload.data()) == 2) {
    lbrr = lbrr || ((frames[0][0] >> (6 - 2 * silk_frames)) & 1);
  }
  return lbrr;
}

Result<uint32_t> OpusDecoder::decode(base::ByteView payload, std::span<int16_t> out) {
  auto samples = packet_samples(payload);
  if (!samples) return samples;
  if (static_cast<size_t>(*samples) * channels_ > out.size()) {
    return Unexpected(Error::BufferTooSmall);
  }
  const int n = opus_decode(decoder_, payload.data(), static_cast<opus_int32>(payload.size()),
                            out.data(), static_cast<int>(*samples), 0);
  if (n < 0) return Unexpected(decode_error(n));
  return static_cast<uint32_t>(n);
}

Result<uint32_t> OpusDecoder::conceal(uint32_t samples, std::span<int16_t> out) {
  if (!valid_duration(samples)) return Unexpected(Error::BadFrameSize);
  if (static_cast<size_t>(samples) * channels_ > out.size()) {
    return Unexpected(Error::BufferTooSmall);
  }
  // No data: libopus extrapolates from its state (SILK pitch repetition or
  // CELT's PLC), fading out over consecutive losses.
  const int n = opus_decode(decoder_, nullptr, 0, out.data(), static_cast<int>(samples), 0);
  if (n < 0) return Unexpected(decode_error(n));
  return static_cast<uint32_t>(n);
}

Result<uint32_t> OpusDecoder::decode_fec(base::ByteView next_payload, uint32_t samples,
                                         std::span<int16_t> out) {
  if (!valid_duration(samples)) return Unexpected(Error::BadFrameSize);
  if (auto r = packet_samples(next_payload); !r) return r;
  if (static_cast<size_t>(samples) * channels_ > out.size()) {
    return Unexpected(Error::BufferTooSmall);
  }
  // decode_fec=1: libopus conceals the first samples - frame size of the
  // next packet, then decodes that packet's LBRR frame for the rest; with no
  // LBRR in it the whole span is concealment.
  const int n = opus_decode(decoder_, next_payload.data(),
                            static_cast<opus_int32>(next_payload.size()), out.data(),
                            static_cast<int>(samples), 1);
  if (n < 0) return Unexpected(decode_error(n));
  return static_cast<uint32_t>(n);
}

}  // namespace wasmrtc::codec
