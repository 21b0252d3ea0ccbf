// The audio decoder interface. A jitter buffer drives it: decode what
// arrived, conceal what did not, and recover a lost packet from the
// redundancy in the next one when the codec carries any (Opus in-band FEC).
// Output is interleaved int16 at sample_rate() and channels(), whatever the
// sender encoded (Opus decodes any packet to any rate and channel count).
#pragma once

#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "codec/error.h"

namespace wasmrtc::codec {

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;

  virtual uint32_t sample_rate() const = 0;   // of the PCM produced, Hz
  virtual uint8_t channels() const = 0;       // of the PCM produced
  virtual uint32_t rtp_clock_rate() const = 0;

  // Samples per channel `payload` decodes to at sample_rate(), read from its
  // headers without decoding. An error when the payload is malformed.
  virtual Result<uint32_t> packet_samples(base::ByteView payload) const = 0;

  // True when `payload` carries redundancy for the packet before it.
  virtual bool has_fec(base::ByteView payload) const { (void)payload; return false; }

  // Decodes one payload into `out` (interleaved); returns samples per
  // channel written. BufferTooSmall when `out` cannot hold packet_samples().
  virtual Result<uint32_t> decode(base::ByteView payload, std::span<int16_t> out) = 0;

  // Packet loss concealment: `samples` per channel of audio that continues
  // what was decoded last, fading out as losses go on.
  virtual Result<uint32_t> conceal(uint32_t samples, std::span<int16_t> out) = 0;

  // Recovers the `samples` per channel just before `next_payload` from the
  // redundancy it carries (concealing whatever it does not cover). Decode
  // `next_payload` itself with decode() afterwards.
  virtual Result<uint32_t> decode_fec(base::ByteView next_payload, uint32_t samples,
                                      std::span<int16_t> out) = 0;
};

}  // namespace wasmrtc::codec
