// Typed RTP header extension values and the id <-> URI map negotiated by
// a=extmap (RFC 8285 sections 5 and 6).
//
//   rtp::ExtensionMap map;
//   map.add(1, rtp::ext_uri::kMid);                      // from the SDP
//   map.set_mid(packet, "0");                            // writes id 1
//   std::optional<std::string> mid = map.mid(packet);    // reads it back
//
// The element data formats are also available without a map
// (encode_*/decode_*), e.g. for tests and fuzzing. A reader returns nullopt
// when the extension is not negotiated, absent, or malformed; a writer
// replaces an element with the same id or appends one, and the packet's
// serializer picks the two-byte form when an id or length needs it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/time.h"
#include "rtp/error.h"
#include "rtp/packet.h"

namespace wasmrtc::rtp {

namespace ext_uri {
// RFC 8843 section 15 (BUNDLE): the MID of the media section, as SDES item.
inline constexpr std::string_view kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
// RFC 6464: client-to-mixer audio level.
inline constexpr std::string_view kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
// libwebrtc's absolute send time (used by REMB-era bandwidth estimation).
inline constexpr std::string_view kAbsSendTime =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
// draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2.
inline constexpr std::string_view kTransportWideCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
// RFC 8852 sections 3.1 and 3.2: RID of a stream and of the stream it repairs.
inline constexpr std::string_view kRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr std::string_view kRepairedRtpStreamId =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
// RFC 5450: transmission time offset.
inline constexpr std::string_view kTransmissionOffset = "urn:ietf:params:rtp-hdrext:toffset";
}  // namespace ext_uri

enum class ExtensionType {
  Mid,
  AudioLevel,
  AbsSendTime,
  TransportSequenceNumber,
  RtpStreamId,
  RepairedRtpStreamId,
  TransmissionOffset,
};

std::string_view uri_of(ExtensionType type);
std::optional<ExtensionType> extension_type_of(std::string_view uri);

// RFC 6464 section 3: V (voice activity) and the level in -dBov, 0 (loudest)
// to 127 (silence).
struct AudioLevel {
  bool voice_activity = false;
  uint8_t level = 127;
  bool operator==(const AudioLevel&) const = default;
};

// --- element data, without the id (RFC 8285 section 4 frames these) ---

// SDES-string extensions (MID, RID, repaired RID; RFC 7941 section 4): the
// UTF-8 value, no terminator. Writing accepts 1-16 bytes (the one-byte form's
// limit, RFC 8843 section 15 and libwebrtc); reading accepts 1-255 bytes.
inline constexpr size_t kMaxStringExtensionSize = 16;
Result<base::Bytes> encode_string_extension(std::string_view value);
std::optional<std::string> decode_string_extension(base::ByteView data);

// RFC 6464 section 3: one byte, V in the top bit.
Result<base::Bytes> encode_audio_level(AudioLevel value);
std::optional<AudioLevel> decode_audio_level(base::ByteView data);

// abs-send-time: 24 bits, 6.18 fixed point seconds (wraps every 64 s).
base::Bytes encode_abs_send_time(uint32_t value);
std::optional<uint32_t> decode_abs_send_time(base::ByteView data);
// The 6.18 value of a send time (its microseconds taken modulo 64 s, rounded).
uint32_t abs_send_time_from(base::Timestamp send_time);

// Transport-wide sequence number: 16 bits, network order.
base::Bytes encode_transport_sequence_number(uint16_t value);
std::optional<uint16_t> decode_transport_sequence_number(base::ByteView data);

// RFC 5450 section 2: 24-bit two's complement, in RTP timestamp units.
Result<base::Bytes> encode_transmission_offset(int32_t value);
std::optional<int32_t> decode_transmission_offset(base::ByteView data);

// RFC 8285 section 5 (a=extmap): which id carries which extension in this
// session. Ids are 1-14 for the one-byte form and 1-255 for the two-byte form
// (section 6; 15 is reserved in the one-byte form but usable in two-byte).
class ExtensionMap {
 public:
  // Registers `uri` at `id`. BadExtensionId for id 0, for an id already
  // bound to another URI, or for a URI already bound to another id.
  // Registering the same pair again is fine. URIs this file does not know
  // are accepted too (their elements are just not typed here).
  Result<void> add(uint8_t id, std::string_view uri);
  void remove(uint8_t id);

  std::optional<uint8_t> id_of(std::string_view uri) const;
  std::optional<uint8_t> id_of(ExtensionType type) const { return id_of(uri_of(type)); }
  std::optional<std::string_view> uri_at(uint8_t id) const;
  const std::map<uint8_t, std::string>& entries() const { return by_id_; }

  // Typed reads from a packet.
  std::optional<std::string> mid(const RtpPacket& p) const;
  std::optional<std::string> rtp_stream_id(const RtpPacket& p) const;
  std::optional<std::string> repaired_rtp_stream_id(const RtpPacket& p) const;
  std::optional<AudioLevel> audio_level(const RtpPacket& p) const;
  std::optional<uint32_t> abs_send_time(const RtpPacket& p) const;
  std::optional<uint16_t> transport_sequence_number(const RtpPacket& p) const;
  std::optional<int32_t> transmission_offset(const RtpPacket& p) const;

  // Typed writes: NotNegotiated when the map has no id for the URI,
  // BadValue when the value is out of range.
  Result<void> set_mid(RtpPacket& p, std::string_view mid) const;
  Result<void> set_rtp_stream_id(RtpPacket& p, std::string_view rid) const;
  Result<void> set_repaired_rtp_stream_id(RtpPacket& p, std::string_view rid) const;
  Result<void> set_audio_level(RtpPacket& p, AudioLevel level) const;
  Result<void> set_abs_send_time(RtpPacket& p, uint32_t value) const;
  Result<void> set_transport_sequence_number(RtpPacket& p, uint16_t value) const;
  Result<void> set_transmission_offset(RtpPacket& p, int32_t value) const;

 private:
  const Extension* find(const RtpPacket& p, ExtensionType type) const;
  Result<void> put(RtpPacket& p, ExtensionType type, Result<base::Bytes> data) const;

  std::map<uint8_t, std::string> by_id_;
};

}  // namespace wasmrtc::rtp
