#include "codec/opus_encoder.h"

// <opus/opus.h>, not <opus.h>: the WASM prefix exports include/, not include/opus/.
#include <opus/opus.h>

#include <utility>

namespace wasmrtc::codec {

namespace {

bool valid_sample_rate(uint32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

// The bounds RFC 7587 6.1 gives maxaveragebitrate; libopus clamps to the
// same range, we report instead of clamping silently.
Result<void> check_bitrate(uint32_t bps) {
  if (bps != 0 && (bps < 6000 || bps > 510000)) return Unexpected(Error::BadBitrate);
  return {};
}

// The narrowest Opus band that still covers what the remote can play
// (RFC 7587 6.1 maxplaybackrate; the bands of RFC 6716 2).
int max_bandwidth(uint32_t playback_rate) {
  if (playback_rate <= 8000) return OPUS_BANDWIDTH_NARROWBAND;
  if (playback_rate <= 12000) return OPUS_BANDWIDTH_MEDIUMBAND;
  if (playback_rate <= 16000) return OPUS_BANDWIDTH_WIDEBAND;
  if (playback_rate <= 24000) return OPUS_BANDWIDTH_SUPERWIDEBAND;
  return OPUS_BANDWIDTH_FULLBAND;
}

Result<void> ctl_result(int ret) {
  if (ret != OPUS_OK) return Unexpected(Error::CodecFailure);
  return {};
}

// Opus packets are at most 1275 bytes per frame and a 60 ms packet holds at
// most three 20 ms CELT frames (RFC 6716 3.2.5): this always suffices.
constexpr int kMaxPacketBytes = 4000;

}  // namespace

Result<std::unique_ptr<OpusEncoder>> OpusEncoder::create(const AudioEncoderConfig& config) {
  if (!valid_sample_rate(config.sample_rate)) return Unexpected(Error::BadSampleRate);
  if (config.channels != 1 && config.channels != 2) return Unexpected(Error::BadChannels);
  if (config.ptime_ms != 10 && config.ptime_ms != 20 && config.ptime_ms != 40 &&
      config.ptime_ms != 60) {
    return Unexpected(Error::BadPtime);
  }
  if (auto r = check_bitrate(config.bitrate_bps); !r) return Unexpected(r.error());
  if (config.expected_loss_percent > 100) return Unexpected(Error::BadLossPercent);

  int err = OPUS_OK;
  // VOIP: tuned for speech intelligibility, and the mode in which SILK, and
  // so in-band FEC and DTX, get used.
  ::OpusEncoder* enc = opus_encoder_create(static_cast<opus_int32>(config.sample_rate),
                                           config.channels, OPUS_APPLICATION_VOIP, &err);
  if (err != OPUS_OK || enc == nullptr) return Unexpected(Error::CodecFailure);
  std::unique_ptr<OpusEncoder> self(new OpusEncoder(enc, config));
  const int bitrate = config.bitrate_bps == 0 ? OPUS_AUTO : static_cast<int>(config.bitrate_bps);
  if (opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(config.fec ? 1 : 0)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(
                                static_cast<int>(config.expected_loss_percent))) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_DTX(config.dtx ? 1 : 0)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_VBR(config.cbr ? 0 : 1)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_MAX_BANDWIDTH(max_bandwidth(config.max_playback_rate))) !=
          OPUS_OK) {
    return Unexpected(Error::CodecFailure);
  }
  return self;
}

OpusEncoder::OpusEncoder(::OpusEncoder* encoder, const AudioEncoderConfig& config)
    : encoder_(encoder), config_(config) {
  pending_.reserve(static_cast<size_t>(config.sample_rate) * config.ptime_ms / 1000 *
                   config.channels);
}

OpusEncoder::~OpusEncoder() { opus_encoder_destroy(encoder_); }

Result<std::optional<EncodedAudio>> OpusEncoder::encode(std::span<const int16_t> pcm) {
  if (pcm.size() != static_cast<size_t>(frame_samples()) * config_.channels) {
    return Unexpected(Error::BadFrameSize);
  }
  pending_.insert(pending_.end(), pcm.begin(), pcm.end());
  const size_t packet_samples = static_cast<size_t>(config_.sample_rate) * config_.ptime_ms / 1000;
  if (pending_.size() < packet_samples * config_.channels) return std::optional<EncodedAudio>();

  EncodedAudio out;
  out.payload.resize(kMaxPacketBytes);
  const opus_int32 n = opus_encode(encoder_, pending_.data(), static_cast<int>(packet_samples),
                                   out.payload.data(), kMaxPacketBytes);
  pending_.clear();
  if (n < 0) return Unexpected(Error::CodecFailure);
  out.payload.resize(static_cast<size_t>(n));
  out.samples = 48 * config_.ptime_ms;  // the 48 kHz RTP clock (RFC 7587 4.1)
  // In DTX libopus returns the TOC byte alone (or TOC plus a frame-count
  // byte): "nothing to send". libwebrtc uses the same <= 2 byte test.
  out.dtx = n <= 2;
  return std::optional<EncodedAudio>(std::move(out));
}

Result<void> OpusEncoder::set_bitrate(uint32_t bps) {
  if (auto r = check_bitrate(bps); !r) return r;
  const int bitrate = bps == 0 ? OPUS_AUTO : static_cast<int>(bps);
  if (auto r = ctl_result(opus_encoder_ctl(encoder_, OPUS_SET_BITRATE(bitrate))); !r) return r;
  config_.bitrate_bps = bps;
  return {};
}

// libopus spends LBRR bits in proportion to the loss it is told to expect,
// and with 0 % it sends no FEC at all even when FEC is on.
Result<void> OpusEncoder::set_expected_loss(uint32_t percent) {
  if (percent > 100) return Unexpected(Error::BadLossPercent);
  if (auto r = ctl_result(
          opus_encoder_ctl(encoder_, OPUS_SET_PACKET_LOSS_PERC(static_cast<int>(percent))));
      !r) {
    return r;
  }
  config_.expected_loss_percent = percent;
  return {};
}

Result<void> OpusEncoder::set_fec(bool enabled) {
  if (auto r = ctl_result(opus_encoder_ctl(encoder_, OPUS_SET_INBAND_FEC(enabled ? 1 : 0))); !r) {
    return r;
  }
  config_.fec = enabled;
  return {};
}

Result<void> OpusEncoder::set_dtx(bool enabled) {
  if (auto r = ctl_result(opus_encoder_ctl(encoder_, OPUS_SET_DTX(enabled ? 1 : 0))); !r) return r;
  config_.dtx = enabled;
  return {};
}

}  // namespace wasmrtc::codec
