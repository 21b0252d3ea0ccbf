#include "rtp/header_extensions.h"

#include <array>
#include <utility>

namespace wasmrtc::rtp {
namespace {

constexpr std::array<std::pair<ExtensionType, std::string_view>, 7> kUris = {{
    {ExtensionType::Mid, ext_uri::kMid},
    {ExtensionType::AudioLevel, ext_uri::kAudioLevel},
    {ExtensionType::AbsSendTime, ext_uri::kAbsSendTime},
    {ExtensionType::TransportSequenceNumber, ext_uri::kTransportWideCc},
    {ExtensionType::RtpStreamId, ext_uri::kRtpStreamId},
    {ExtensionType::RepairedRtpStreamId, ext_uri::kRepairedRtpStreamId},
    {ExtensionType::TransmissionOffset, ext_uri::kTransmissionOffset},
}};

uint32_t be24(base::ByteView d) { return uint32_t{d[0]} << 16 | uint32_t{d[1]} << 8 | d[2]; }
base::Bytes to_be24(uint32_t v) {
  return {static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

}  // namespace

std::string_view uri_of(ExtensionType type) {
  for (const auto& [t, uri] : kUris) {
    if (t == type) return uri;
  }
  return {};
}

std::optional<ExtensionType> extension_type_of(std::string_view uri) {
  for (const auto& [t, u] : kUris) {
    if (u == uri) return t;
  }
  return std::nullopt;
}

// RFC 7941 section 4: the SDES item text, no length byte or terminator of
// its own (the element length frames it).
Result<base::Bytes> encode_string_extension(std::string_view value) {
  if (value.empty() || value.size() > kMaxStringExtensionSize) return Unexpected(Error::BadValue);
  return base::to_bytes(value);
}

std::optional<std::string> decode_string_extension(base::ByteView data) {
  if (data.empty()) return std::nullopt;
  return std::string(data.begin(), data.end());
}

// RFC 6464 section 3: |V| level |, level 0..127 in -dBov.
Result<base::Bytes> encode_audio_level(AudioLevel value) {
  if (value.level > 127) return Unexpected(Error::BadValue);
  return base::Bytes{static_cast<uint8_t>((value.voice_activity ? 0x80 : 0) | value.level)};
}

std::optional<AudioLevel> decode_audio_level(base::ByteView data) {
  // The one-byte form carries exactly 1 byte; the two-byte form may pad
  // (RFC 6464 section 3 allows 1 or more bytes there), so only byte 0 counts.
  if (data.empty()) return std::nullopt;
  return AudioLevel{(data[0] & 0x80) != 0, static_cast<uint8_t>(data[0] & 0x7F)};
}

base::Bytes encode_abs_send_time(uint32_t value) { return to_be24(value & 0xFFFFFF); }

std::optional<uint32_t> decode_abs_send_time(base::ByteView data) {
  if (data.size() != 3) return std::nullopt;
  return be24(data);
}

uint32_t abs_send_time_from(base::Timestamp send_time) {
  // 6.18 fixed point wraps every 64 s: reduce first so the shift cannot overflow.
  constexpr int64_t kWrapUs = int64_t{64} * 1000000;
  int64_t us = send_time.us() % kWrapUs;
  if (us < 0) us += kWrapUs;
  return static_cast<uint32_t>(((us << 18) + 500000) / 1000000) & 0xFFFFFF;
}

// draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2: 16-bit
// sequence number, network order.
base::Bytes encode_transport_sequence_number(uint16_t value) {
  return {static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
}

std::optional<uint16_t> decode_transport_sequence_number(base::ByteView data) {
  if (data.size() != 2) return std::nullopt;
  return static_cast<uint16_t>(data[0] << 8 | data[1]);
}

// RFC 5450 section 2: 24-bit signed offset from the RTP timestamp.
Result<base::Bytes> encode_transmission_offset(int32_t value) {
  if (value < -(1 << 23) || value > (1 << 23) - 1) return Unexpected(Error::BadValue);
  return to_be24(static_cast<uint32_t>(value));
}

std::optional<int32_t> decode_transmission_offset(base::ByteView data) {
  if (data.size() != 3) return std::nullopt;
  const uint32_t v = be24(data);
  return (v & 0x800000) ? static_cast<int32_t>(v) - (1 << 24) : static_cast<int32_t>(v);
}

// --- ExtensionMap ---

Result<void> ExtensionMap::add(uint8_t id, std::string_view uri) {
  if (id == 0) return Unexpected(Error::BadExtensionId);
  if (auto it = by_id_.find(id); it != by_id_.end()) {
    if (it->second == uri) return {};
    return Unexpected(Error::BadExtensionId);
  }
  // RFC 8285 section 5: one id per extension (direction variants aside).
  if (id_of(uri)) return Unexpected(Error::BadExtensionId);
  by_id_.emplace(id, std::string(uri));
  return {};
}

void ExtensionMap::remove(uint8_t id) { by_id_.erase(id); }

std::optional<uint8_t> ExtensionMap::id_of(std::string_view uri) const {
  for (const auto& [id, u] : by_id_) {
    if (u == uri) return id;
  }
  return std::nullopt;
}

std::optional<std::string_view> ExtensionMap::uri_at(uint8_t id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return std::string_view(it->second);
}

const Extension* ExtensionMap::find(const RtpPacket& p, ExtensionType type) const {
  auto id = id_of(type);
  return id ? p.extension(*id) : nullptr;
}

Result<void> ExtensionMap::put(RtpPacket& p, ExtensionType type, Result<base::Bytes> data) const {
  auto id = id_of(type);
  if (!id) return Unexpected(Error::NotNegotiated);
  if (!data) return Unexpected(data.error());
  for (Extension& e : p.extensions) {
    if (e.id == *id) {
      e.data = std::move(*data);
      return {};
    }
  }
  p.extensions.push_back(Extension{*id, std::move(*data)});
  return {};
}

std::optional<std::string> ExtensionMap::mid(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::Mid);
  return e ? decode_string_extension(e->data) : std::nullopt;
}
std::optional<std::string> ExtensionMap::rtp_stream_id(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::RtpStreamId);
  return e ? decode_string_extension(e->data) : std::nullopt;
}
std::optional<std::string> ExtensionMap::repaired_rtp_stream_id(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::RepairedRtpStreamId);
  return e ? decode_string_extension(e->data) : std::nullopt;
}
std::optional<AudioLevel> ExtensionMap::audio_level(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::AudioLevel);
  return e ? decode_audio_level(e->data) : std::nullopt;
}
std::optional<uint32_t> ExtensionMap::abs_send_time(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::AbsSendTime);
  return e ? decode_abs_send_time(e->data) : std::nullopt;
}
std::optional<uint16_t> ExtensionMap::transport_sequence_number(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::TransportSequenceNumber);
  return e ? decode_transport_sequence_number(e->data) : std::nullopt;
}
std::optional<int32_t> ExtensionMap::transmission_offset(const RtpPacket& p) const {
  const Extension* e = find(p, ExtensionType::TransmissionOffset);
  return e ? decode_transmission_offset(e->data) : std::nullopt;
}

Result<void> ExtensionMap::set_mid(RtpPacket& p, std::string_view mid) const {
  return put(p, ExtensionType::Mid, encode_string_extension(mid));
}
Result<void> ExtensionMap::set_rtp_stream_id(RtpPacket& p, std::string_view rid) const {
  return put(p, ExtensionType::RtpStreamId, encode_string_extension(rid));
}
Result<void> ExtensionMap::set_repaired_rtp_stream_id(RtpPacket& p, std::string_view rid) const {
  return put(p, ExtensionType::RepairedRtpStreamId, encode_string_extension(rid));
}
Result<void> ExtensionMap::set_audio_level(RtpPacket& p, AudioLevel level) const {
  return put(p, ExtensionType::AudioLevel, encode_audio_level(level));
}
Result<void> ExtensionMap::set_abs_send_time(RtpPacket& p, uint32_t value) const {
  if (value > 0xFFFFFF) return Unexpected(Error::BadValue);
  return put(p, ExtensionType::AbsSendTime, encode_abs_send_time(value));
}
Result<void> ExtensionMap::set_transport_sequence_number(RtpPacket& p, uint16_t value) const {
  return put(p, ExtensionType::TransportSequenceNumber, encode_transport_sequence_number(value));
}
Result<void> ExtensionMap::set_transmission_offset(RtpPacket& p, int32_t value) const {
  return put(p, ExtensionType::TransmissionOffset, encode_transmission_offset(value));
}

}  // namespace wasmrtc::rtp
