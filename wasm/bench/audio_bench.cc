#include "audio_bench.h"

#include <chrono>
#include <cmath>
#include <vector>

#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "rtp/packet.h"

namespace wasmrtc::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One second (100 frames) of interleaved PCM: 440 Hz at -10 dBFS plus white
// noise at about -40 dBFS (a fixed LCG, so every run encodes the same
// audio); played in a loop. 440 whole cycles per second: no seam.
std::vector<int16_t> test_signal(uint32_t channels) {
  constexpr uint32_t kRate = 48000;
  constexpr double kPi = 3.14159265358979323846;
  std::vector<int16_t> pcm(static_cast<size_t>(kRate) * channels);
  uint32_t lcg = 12345;
  for (uint32_t i = 0; i < kRate; ++i) {
    const double tone = 0.316 * std::sin(2 * kPi * 440.0 * i / kRate);
    for (uint32_t c = 0; c < channels; ++c) {
      lcg = lcg * 1664525u + 1013904223u;
      const double noise = 0.01 * ((static_cast<double>(lcg >> 8) / (1u << 24)) * 2 - 1);
      pcm[static_cast<size_t>(i) * channels + c] =
          static_cast<int16_t>(std::lround((tone + noise) * 32767.0));
    }
  }
  return pcm;
}

}  // namespace

OpusResult run_opus(uint32_t frames, uint32_t channels) {
  OpusResult r;
  r.channels = channels;
  r.frames = frames;
  r.audio_seconds = frames * 0.01;
  if (channels != 1 && channels != 2) {
    r.error = "channels must be 1 or 2";
    return r;
  }
  const uint8_t ch = static_cast<uint8_t>(channels);
  codec::AudioEncoderConfig config;
  config.sample_rate = 48000;
  config.channels = ch;
  config.ptime_ms = 20;
  config.fec = true;
  config.expected_loss_percent = 10;  // src/pc does the same when useinbandfec=1
  auto encoder = codec::OpusEncoder::create(config);
  auto decoder = codec::OpusDecoder::create(48000, ch);
  if (!encoder || !decoder) {
    r.error = "cannot create the Opus encoder or decoder";
    return r;
  }
  const std::vector<int16_t> signal = test_signal(channels);
  const size_t frame = 480 * static_cast<size_t>(channels);
  const size_t loop_frames = signal.size() / frame;
  std::vector<base::Bytes> packets;
  packets.reserve(frames / 2 + 1);

  const auto encode_start = Clock::now();
  for (uint32_t i = 0; i < frames; ++i) {
    const std::span<const int16_t> pcm(signal.data() + (i % loop_frames) * frame, frame);
    auto out = (*encoder)->encode(pcm);
    if (!out) {
      r.error = std::string("encode: ") + std::string(codec::to_string(out.error()));
      return r;
    }
    if (out->has_value()) packets.push_back(std::move((*out)->payload));
  }
  r.encode_seconds = seconds_since(encode_start);

  std::vector<int16_t> pcm(960 * static_cast<size_t>(channels));
  const auto decode_start = Clock::now();
  for (const base::Bytes& p : packets) {
    auto n = (*decoder)->decode(p, pcm);
    if (!n || *n != 960) {
      r.error = "decode failed";
      return r;
    }
  }
  r.decode_seconds = seconds_since(decode_start);
  r.packets = static_cast<uint32_t>(packets.size());
  for (const base::Bytes& p : packets) r.bytes += p.size();
  return r;
}

std::optional<srtp::Profile> profile_from_name(std::string_view name) {
  if (name == "AES128_CM_HMAC_SHA1_80") return srtp::Profile::Aes128CmHmacSha1_80;
  if (name == "AES128_CM_HMAC_SHA1_32") return srtp::Profile::Aes128CmHmacSha1_32;
  if (name == "AEAD_AES_128_GCM") return srtp::Profile::AeadAes128Gcm;
  if (name == "AEAD_AES_256_GCM") return srtp::Profile::AeadAes256Gcm;
  return std::nullopt;
}

SrtpResult run_srtp(uint32_t packets, uint32_t size, std::string_view profile_name) {
  SrtpResult r;
  r.profile = std::string(profile_name);
  r.size = size;
  r.packets = packets;
  const auto profile = profile_from_name(profile_name);
  if (!profile) {
    r.error = "unknown SRTP profile";
    return r;
  }
  if (size < 12 || size > 1500) {
    r.error = "size must be 12-1500 bytes";
    return r;
  }
  // Fixed keys: the same ones both ways, so the session unprotects its own output.
  srtp::Keys keys;
  for (size_t i = 0; i < srtp::key_length(*profile); ++i) keys.key.push_back(static_cast<uint8_t>(i * 7 + 1));
  for (size_t i = 0; i < srtp::salt_length(*profile); ++i) keys.salt.push_back(static_cast<uint8_t>(i * 13 + 5));
  auto session = srtp::Session::create(*profile, keys, keys);
  if (!session) {
    r.error = std::string("session: ") + std::string(srtp::to_string(session.error()));
    return r;
  }

  rtp::RtpPacket tmpl;
  tmpl.payload_type = 111;
  tmpl.ssrc = 0x1234abcd;
  tmpl.payload.resize(size - 12);
  for (size_t i = 0; i < tmpl.payload.size(); ++i) tmpl.payload[i] = static_cast<uint8_t>(i);
  auto plain = rtp::serialize(tmpl);
  if (!plain || plain->size() != size) {
    r.error = "cannot build the RTP packet";
    return r;
  }
  base::Bytes packet = std::move(*plain);
  std::vector<base::Bytes> wire;
  wire.reserve(packets);

  const auto protect_start = Clock::now();
  for (uint32_t i = 0; i < packets; ++i) {
    // Sequence number (bytes 2-3) and timestamp (4-7) advance as a sender's would.
    const uint32_t ts = i * 960;
    packet[2] = static_cast<uint8_t>(i >> 8);
    packet[3] = static_cast<uint8_t>(i);
    packet[4] = static_cast<uint8_t>(ts >> 24);
    packet[5] = static_cast<uint8_t>(ts >> 16);
    packet[6] = static_cast<uint8_t>(ts >> 8);
    packet[7] = static_cast<uint8_t>(ts);
    auto out = session->protect_rtp(packet);
    if (!out) {
      r.error = std::string("protect: ") + std::string(srtp::to_string(out.error()));
      return r;
    }
    wire.push_back(std::move(*out));
  }
  r.protect_seconds = seconds_since(protect_start);

  const auto unprotect_start = Clock::now();
  for (const base::Bytes& w : wire) {
    auto out = session->unprotect_rtp(w);
    if (!out || out->size() != size) {
      r.error = out ? "unprotect: wrong size" : std::string("unprotect: ") + std::string(srtp::to_string(out.error()));
      return r;
    }
  }
  r.unprotect_seconds = seconds_since(unprotect_start);
  return r;
}

}  // namespace wasmrtc::bench
