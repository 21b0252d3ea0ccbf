// The audio encoder interface: what Opus implements now and a user codec
// could implement later. The media layer feeds it 10 ms of PCM at a time
// (the period of an audio device callback, and of AudioJitterBuffer::pull)
// and gets an RTP payload back whenever a packet time's worth is in.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "base/bytes.h"
#include "codec/error.h"

namespace wasmrtc::codec {

struct AudioEncoderConfig {
  uint32_t sample_rate = 48000;    // of the PCM fed in, Hz
  uint8_t channels = 1;            // 1 or 2, interleaved
  uint32_t ptime_ms = 20;          // packet time: 10, 20, 40 or 60 for Opus
  uint32_t bitrate_bps = 0;        // 0: the codec's default for rate and channels
  bool fec = false;                // in-band FEC (Opus LBRR, RFC 6716 2.1.7)
  bool dtx = false;                // discontinuous transmission in silence (RFC 7587 3.1.3)
  bool cbr = false;                // constant bitrate (RFC 7587 6.1 "cbr")
  uint32_t expected_loss_percent = 0;  // how much redundancy FEC spends
  // The highest rate the remote can play (RFC 7587 6.1 "maxplaybackrate"):
  // encoding a wider band than that wastes bits.
  uint32_t max_playback_rate = 48000;
};

// One RTP payload.
struct EncodedAudio {
  base::Bytes payload;
  // Samples per channel it covers at the RTP clock rate: the RTP timestamp
  // advance from this packet to the next (RFC 3550 5.1). For Opus the clock
  // is 48 kHz whatever the PCM rate (RFC 7587 4.1): 960 for 20 ms.
  uint32_t samples = 0;
  // A DTX packet (Opus: 1-2 bytes, no speech, RFC 7587 3.1.3). The sender
  // may leave it unsent; libwebrtc still sends one every 400 ms so that the
  // receiver keeps generating comfort noise.
  bool dtx = false;
};

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;

  virtual uint32_t sample_rate() const = 0;
  virtual uint8_t channels() const = 0;
  virtual uint32_t rtp_clock_rate() const = 0;
  // Samples per channel encode() takes: 10 ms at sample_rate().
  uint32_t frame_samples() const { return sample_rate() / 100; }

  // Exactly 10 ms of interleaved PCM (frame_samples() * channels() values).
  // Returns a payload when a whole packet time is in, nullopt before.
  virtual Result<std::optional<EncodedAudio>> encode(std::span<const int16_t> pcm) = 0;

  // Runtime changes (a bandwidth estimate, RTCP loss reports, a new remote
  // description). 0 bit/s means the codec's default.
  virtual Result<void> set_bitrate(uint32_t bps) = 0;
  virtual Result<void> set_expected_loss(uint32_t percent) = 0;
  virtual Result<void> set_fec(bool enabled) = 0;
  virtual Result<void> set_dtx(bool enabled) = 0;
};

}  // namespace wasmrtc::codec
