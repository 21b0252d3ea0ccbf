// The codecs one engine negotiates and runs: the built-in ones (Opus,
// G.711, VP8, H.264, with RTX and telephone-event; sdp::supported_codecs) and the
// codecs the embedder registers (a page's or a process's own,
// wasmrtc.codecs.register; a test's). Connections made after a
// registration offer and accept it.
//
// A registered codec is negotiated by encoding name, clock rate and
// channels (RFC 3264 section 6.1, RFC 8866 section 6.6 rtpmap); it gets
// the first free dynamic payload type (RFC 3551 section 3: 96-127, then
// 35-63 as libwebrtc does), and a video codec an RTX payload type as well
// (RFC 4588 section 8.1, apt). Payload types are unique across audio and
// video so that BUNDLE can route by them (RFC 8843 section 9.1). Its
// frames travel in the generic payload format (rtp/generic_payload.h), so
// NACK/RTX, PLI/FIR and the video jitter buffer serve it unchanged.
//
// The built-in codecs are registrations too (with their factories and
// payload formats), so MediaSession finds every codec here. A registered
// codec may bring its encoder and decoder as factories; a codec without
// them is run by the embedder: MediaSession asks it to
// encode (it calls send_encoded_video / send_encoded_audio with the
// frames) and hands it what arrives ("encodedframe" events).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "codec/audio_decoder.h"
#include "codec/audio_encoder.h"
#include "codec/video_decoder.h"
#include "codec/video_encoder.h"
#include "sdp/capabilities.h"
#include "sdp/rtp_attributes.h"

namespace wasmrtc::pc {

struct CodecFactories {
  std::function<std::unique_ptr<codec::VideoEncoder>(const codec::VideoEncoderConfig&)> video_encoder;
  std::function<std::unique_ptr<codec::VideoDecoder>()> video_decoder;
  // The encoder takes 10 ms of the track's PCM at its rate and channels.
  std::function<std::unique_ptr<codec::AudioEncoder>(const codec::AudioEncoderConfig&)> audio_encoder;
  // The decoder gives PCM at 48 kHz (the playout path's rate).
  std::function<std::unique_ptr<codec::AudioDecoder>()> audio_decoder;
};

// How a codec's frames go into RTP payloads.
enum class PayloadFormat : uint8_t {
  Generic,  // rtp/generic_payload.h: registered codecs
  Vp8,      // RFC 7741
  H264,     // RFC 6184, packetization-mode 1
  Audio,    // one encoder output per packet (RFC 7587 opus, RFC 3551 G.711)
};

struct CodecRegistration {
  sdp::MediaKind kind = sdp::MediaKind::Video;
  std::string name;  // the encoding name: mimeType's subtype ("x-toy" of "video/x-toy")
  uint32_t clock_rate = 90000;
  uint16_t channels = 1;  // audio
  std::string fmtp;       // sdpFmtpLine
  // rtcp-fb values (RFC 4585 section 4.2); video without any: nack,
  // nack pli, ccm fir and transport-cc, as our VP8.
  std::vector<std::string> feedback;
  CodecFactories factories;
  PayloadFormat payload_format = PayloadFormat::Generic;
  bool builtin = false;  // one of ours (Opus, G.711, VP8, H.264), not registered by the embedder
};

enum class CodecRegistryError {
  BadCodec,         // no name, a name that is not an RFC 4288 token, clock rate 0, or channels not 1 or 2
  AlreadyPresent,   // the same format (name, clock rate, channels) is built in or registered
  NoPayloadType,    // every dynamic payload type is taken
};
std::string_view to_string(CodecRegistryError error);

class CodecRegistry {
 public:
  // The built-in codecs, with their encoders and decoders.
  CodecRegistry();
  // The built-in codecs alone (what a MediaSession without a registry runs).
  static const CodecRegistry& builtin();

  // The codec as it will appear in offers (with its payload type).
  base::Result<sdp::RtpCodec, CodecRegistryError> add(CodecRegistration codec);

  // Ours, in order of preference: the built-in ones, then the registered
  // ones in the order they came (and RTX after each video codec).
  const std::vector<sdp::RtpCodec>& codecs(sdp::MediaKind kind) const {
    return kind == sdp::MediaKind::Audio ? audio_ : video_;
  }
  // The codec of a negotiated format (name, clock rate, channels), built
  // in or registered; null for one we cannot run (RTX, telephone-event, CN).
  const CodecRegistration* find(sdp::MediaKind kind, const sdp::RtpCodec& format) const;

 private:
  std::vector<sdp::RtpCodec> audio_, video_;
  // Stable addresses (MediaSession keeps pointers): a deque never moves them.
  std::deque<CodecRegistration> registered_;
};

}  // namespace wasmrtc::pc
