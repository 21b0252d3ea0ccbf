#include "pc/codec_registry.h"

#include <algorithm>
#include <cctype>

#include "codec/g711.h"
#include "codec/h264_decoder.h"
#include "codec/h264_encoder.h"
#include "codec/opus_decoder.h"
#include "codec/opus_encoder.h"
#include "codec/vp8_decoder.h"
#include "codec/vp8_encoder.h"
#include "sdp/text.h"

namespace wasmrtc::pc {

std::string_view to_string(CodecRegistryError error) {
  switch (error) {
    case CodecRegistryError::BadCodec: return "BadCodec";
    case CodecRegistryError::AlreadyPresent: return "AlreadyPresent";
    case CodecRegistryError::NoPayloadType: return "NoPayloadType";
  }
  return "?";
}

namespace {

// RFC 6838 section 4.2 restricted-name (the subtype of a media type).
bool is_subtype_name(const std::string& name) {
  if (name.empty() || name.size() > 127 || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
  });
}

}  // namespace

CodecRegistry::CodecRegistry()
    : audio_(sdp::supported_codecs(sdp::MediaKind::Audio)), video_(sdp::supported_codecs(sdp::MediaKind::Video)) {
  // The formats sdp::supported_codecs offers that we encode and decode
  // (its RTX and telephone-event formats are carried, not coded).
  auto builtin = [&](sdp::MediaKind kind, std::string name, uint32_t clock, uint16_t channels, PayloadFormat format,
                     CodecFactories f) {
    CodecRegistration r;
    r.kind = kind;
    r.name = std::move(name);
    r.clock_rate = clock;
    r.channels = channels;
    r.factories = std::move(f);
    r.payload_format = format;
    r.builtin = true;
    registered_.push_back(std::move(r));
  };
  CodecFactories opus;
  opus.audio_encoder = [](const codec::AudioEncoderConfig& c) -> std::unique_ptr<codec::AudioEncoder> {
    auto e = codec::OpusEncoder::create(c);
    return e ? std::move(*e) : nullptr;
  };
  opus.audio_decoder = []() -> std::unique_ptr<codec::AudioDecoder> {
    auto d = codec::OpusDecoder::create(48000, 2);  // RFC 7587 4.1: always 48 kHz; stereo for the playout path
    return d ? std::move(*d) : nullptr;
  };
  builtin(sdp::MediaKind::Audio, "opus", 48000, 2, PayloadFormat::Audio, std::move(opus));
  for (auto law : {codec::G711Law::Mu, codec::G711Law::A}) {
    CodecFactories g711;
    g711.audio_encoder = [law](const codec::AudioEncoderConfig& c) -> std::unique_ptr<codec::AudioEncoder> {
      auto e = codec::G711Encoder::create(law, c);
      return e ? std::move(*e) : nullptr;
    };
    g711.audio_decoder = [law]() -> std::unique_ptr<codec::AudioDecoder> {
      auto d = codec::G711Decoder::create(law, 2);
      return d ? std::move(*d) : nullptr;
    };
    builtin(sdp::MediaKind::Audio, law == codec::G711Law::Mu ? "PCMU" : "PCMA", 8000, 1, PayloadFormat::Audio,
            std::move(g711));
  }
  CodecFactories vp8;
  vp8.video_encoder = [](const codec::VideoEncoderConfig& c) -> std::unique_ptr<codec::VideoEncoder> {
    auto e = codec::Vp8Encoder::create(c);
    return e ? std::move(*e) : nullptr;
  };
  vp8.video_decoder = []() -> std::unique_ptr<codec::VideoDecoder> {
    auto d = codec::Vp8Decoder::create();
    return d ? std::move(*d) : nullptr;
  };
  builtin(sdp::MediaKind::Video, "VP8", 90000, 1, PayloadFormat::Vp8, std::move(vp8));
  // One registration for every H.264 format we offer (their profiles differ
  // in SDP; our encoder's Constrained Baseline stream satisfies each).
  CodecFactories h264;
  h264.video_encoder = [](const codec::VideoEncoderConfig& c) -> std::unique_ptr<codec::VideoEncoder> {
    auto e = codec::H264Encoder::create(c);
    return e ? std::move(*e) : nullptr;
  };
  h264.video_decoder = []() -> std::unique_ptr<codec::VideoDecoder> {
    auto d = codec::H264Decoder::create();
    return d ? std::move(*d) : nullptr;
  };
  builtin(sdp::MediaKind::Video, "H264", 90000, 1, PayloadFormat::H264, std::move(h264));
}

const CodecRegistry& CodecRegistry::builtin() {
  static const CodecRegistry codecs;
  return codecs;
}

base::Result<sdp::RtpCodec, CodecRegistryError> CodecRegistry::add(CodecRegistration c) {
  if (!is_subtype_name(c.name) || c.clock_rate == 0 || c.channels < 1 || c.channels > 2 ||
      (c.kind == sdp::MediaKind::Video && c.channels != 1))
    return base::Unexpected(CodecRegistryError::BadCodec);
  sdp::RtpCodec format{0, c.name, c.clock_rate, c.channels, c.fmtp, c.feedback};
  const std::string_view reserved[] = {"rtx", "red", "ulpfec", "flexfec-03", "telephone-event", "cn"};
  for (auto r : reserved)
    if (sdp::text::iequals(c.name, r)) return base::Unexpected(CodecRegistryError::BadCodec);
  for (const auto* list : {&audio_, &video_})
    for (const auto& o : *list)
      if (o.same_format(format)) return base::Unexpected(CodecRegistryError::AlreadyPresent);
  // The first free dynamic payload types, across both kinds.
  auto taken = [&](int pt) {
    for (const auto* list : {&audio_, &video_})
      for (const auto& o : *list)
        if (o.payload_type == pt) return true;
    return false;
  };
  std::vector<uint8_t> free;
  for (int pt = 96; pt <= 127 && free.size() < 2; ++pt) if (!taken(pt)) free.push_back(static_cast<uint8_t>(pt));
  for (int pt = 35; pt <= 63 && free.size() < 2; ++pt) if (!taken(pt)) free.push_back(static_cast<uint8_t>(pt));
  const size_t needed = c.kind == sdp::MediaKind::Video ? 2 : 1;
  if (free.size() < needed) return base::Unexpected(CodecRegistryError::NoPayloadType);
  format.payload_type = free[0];
  if (c.kind == sdp::MediaKind::Video && format.feedback.empty())
    format.feedback = {"transport-cc", "ccm fir", "nack", "nack pli"};
  if (c.kind == sdp::MediaKind::Audio && format.feedback.empty()) format.feedback = {"transport-cc"};
  auto& list = c.kind == sdp::MediaKind::Audio ? audio_ : video_;
  list.push_back(format);
  if (c.kind == sdp::MediaKind::Video)
    list.push_back(sdp::RtpCodec{free[1], "rtx", c.clock_rate, 1, "apt=" + std::to_string(free[0]), {}});
  c.feedback = format.feedback;
  registered_.push_back(std::move(c));
  return format;
}

const CodecRegistration* CodecRegistry::find(sdp::MediaKind kind, const sdp::RtpCodec& format) const {
  for (const auto& r : registered_) {
    if (r.kind != kind) continue;
    if (sdp::RtpCodec{0, r.name, r.clock_rate, r.channels, "", {}}.same_encoding(format)) return &r;
  }
  return nullptr;
}

}  // namespace wasmrtc::pc
