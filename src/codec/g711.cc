#include "codec/g711.h"

#include <algorithm>

namespace wasmrtc::codec {

namespace {
constexpr int kMuBias = 0x84;  // 33 << 2: the mu-law segment offset in 16-bit scale
constexpr int kClip = 32635;
constexpr uint32_t kNarrowRate = 8000;
constexpr uint32_t kWideRate = 48000;
}  // namespace

// ITU-T G.711 mu-law: sign, 3-bit segment, 4-bit step, inverted.
// A-law: the same layout over 13-bit magnitude, even bits inverted (0x55).
uint8_t g711_encode(G711Law law, int16_t sample) {
  int x = sample;
  if (law == G711Law::Mu) {
    const int sign = x < 0 ? 0x80 : 0;
    x = std::min(x < 0 ? -x : x, kClip) + kMuBias;
    int segment = 7;
    for (int mask = 0x4000; !(x & mask) && segment > 0; mask >>= 1) --segment;
    const int step = (x >> (segment + 3)) & 0x0f;
    return static_cast<uint8_t>(~(sign | segment << 4 | step));
  }
  const int sign = x >= 0 ? 0x80 : 0;
  x = std::min(x < 0 ? -x - 1 : x, kClip);
  int code;
  if (x >= 256) {
    int segment = 1;
    for (int v = x >> 8; v > 1; v >>= 1) ++segment;
    code = segment << 4 | ((x >> (segment + 3)) & 0x0f);
  } else {
    code = x >> 4;
  }
  return static_cast<uint8_t>((code | sign) ^ 0x55);
}

int16_t g711_decode(G711Law law, uint8_t code) {
  if (law == G711Law::Mu) {
    const int u = static_cast<uint8_t>(~code);
    const int segment = (u >> 4) & 0x07;
    const int x = (((u & 0x0f) << 3) + kMuBias) << segment;
    return static_cast<int16_t>((u & 0x80) ? kMuBias - x : x - kMuBias);
  }
  const int a = code ^ 0x55;
  const int segment = (a >> 4) & 0x07;
  int x = (a & 0x0f) << 4;
  x += segment == 0 ? 8 : 0x108;
  if (segment > 1) x <<= segment - 1;
  return static_cast<int16_t>((a & 0x80) ? x : -x);
}

// ---- encoder

Result<std::unique_ptr<G711Encoder>> G711Encoder::create(G711Law law, const AudioEncoderConfig& c) {
  if (c.sample_rate == 0 || c.sample_rate > kWideRate || c.sample_rate % 4000 != 0) return Unexpected(Error::BadSampleRate);
  if (c.channels != 1 && c.channels != 2) return Unexpected(Error::BadChannels);
  // A peer's a=ptime is a wish (RFC 8866 section 6.4): the nearest whole
  // 10 ms from 10 to 60.
  const uint32_t ptime = std::clamp<uint32_t>((c.ptime_ms + 5) / 10 * 10, 10, 60);
  return std::unique_ptr<G711Encoder>(new G711Encoder(law, c.sample_rate, c.channels, ptime));
}

G711Encoder::G711Encoder(G711Law law, uint32_t sample_rate, uint8_t channels, uint32_t ptime_ms)
    : law_(law), sample_rate_(sample_rate), channels_(channels), packet_samples_(kNarrowRate / 1000 * ptime_ms),
      resampler_(sample_rate, kNarrowRate, 1) {}

Result<std::optional<EncodedAudio>> G711Encoder::encode(std::span<const int16_t> pcm) {
  const size_t frames = frame_samples();
  if (pcm.size() != frames * channels_) return Unexpected(Error::BadFrameSize);
  mono_.resize(frames);
  for (size_t i = 0; i < frames; ++i) {
    int sum = 0;
    for (uint8_t c = 0; c < channels_; ++c) sum += pcm[i * channels_ + c];
    mono_[i] = static_cast<int16_t>(sum / channels_);
  }
  resampler_.process(mono_, narrow_);
  if (narrow_.size() < packet_samples_) return std::optional<EncodedAudio>{};
  EncodedAudio out;
  out.samples = packet_samples_;
  out.payload.reserve(packet_samples_);
  for (uint32_t i = 0; i < packet_samples_; ++i) out.payload.push_back(g711_encode(law_, narrow_[i]));
  narrow_.erase(narrow_.begin(), narrow_.begin() + packet_samples_);
  return std::optional<EncodedAudio>(std::move(out));
}

// ---- decoder

Result<std::unique_ptr<G711Decoder>> G711Decoder::create(G711Law law, uint8_t channels) {
  if (channels != 1 && channels != 2) return Unexpected(Error::BadChannels);
  return std::unique_ptr<G711Decoder>(new G711Decoder(law, channels));
}

G711Decoder::G711Decoder(G711Law law, uint8_t channels)
    : law_(law), channels_(channels), resampler_(kNarrowRate, kWideRate, 1) {}

Result<uint32_t> G711Decoder::packet_samples(base::ByteView payload) const {
  // RFC 3551 4.5.14: one octet per sample; anything up to 120 ms.
  if (payload.empty() || payload.size() > 960) return Unexpected(Error::InvalidPayload);
  return static_cast<uint32_t>(payload.size() * (kWideRate / kNarrowRate));
}

Result<uint32_t> G711Decoder::emit(std::span<const int16_t> narrow, std::span<int16_t> out) {
  const size_t frames = narrow.size() * (kWideRate / kNarrowRate);
  if (out.size() < frames * channels_) return Unexpected(Error::BufferTooSmall);
  wide_.clear();
  resampler_.process(narrow, wide_);
  for (size_t i = 0; i < frames; ++i)
    for (uint8_t c = 0; c < channels_; ++c) out[i * channels_ + c] = i < wide_.size() ? wide_[i] : 0;
  return static_cast<uint32_t>(frames);
}

Result<uint32_t> G711Decoder::decode(base::ByteView payload, std::span<int16_t> out) {
  auto samples = packet_samples(payload);
  if (!samples) return Unexpected(samples.error());
  if (out.size() < *samples * channels_) return Unexpected(Error::BufferTooSmall);
  std::vector<int16_t> narrow(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) narrow[i] = g711_decode(law_, payload[i]);
  const size_t keep = std::min<size_t>(narrow.size(), kNarrowRate / 100);
  last_.assign(narrow.end() - keep, narrow.end());
  fade_ = 1.0f;
  return emit(narrow, out);
}

Result<uint32_t> G711Decoder::conceal(uint32_t samples, std::span<int16_t> out) {
  const uint32_t ratio = kWideRate / kNarrowRate;
  if (samples == 0 || samples % ratio != 0 || samples > kWideRate / 1000 * 120) return Unexpected(Error::BadFrameSize);
  if (out.size() < samples * channels_) return Unexpected(Error::BufferTooSmall);
  std::vector<int16_t> narrow(samples / ratio, 0);
  if (!last_.empty()) {
    for (size_t i = 0; i < narrow.size(); ++i) {
      if (i % last_.size() == 0) fade_ *= 0.5f;
      narrow[i] = static_cast<int16_t>(last_[i % last_.size()] * fade_);
    }
  }
  return emit(narrow, out);
}

}  // namespace wasmrtc::codec
