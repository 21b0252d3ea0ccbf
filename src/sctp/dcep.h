// The Data Channel Establishment Protocol, RFC 8832: DATA_CHANNEL_OPEN and
// DATA_CHANNEL_ACK, and the SCTP Payload Protocol Identifiers of RFC 8831
// section 8 / RFC 8832 section 8.1. Pure codec: no state, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "sctp/error.h"

namespace wasmrtc::sctp {

using base::Bytes;
using base::ByteView;

// SCTP Payload Protocol Identifiers (IANA "SCTP Payload Protocol
// Identifiers"; RFC 8831 section 8, RFC 8832 section 8.1). On the wire in
// network byte order.
namespace ppid {
inline constexpr uint32_t kDcep = 50;           // RFC 8832: DCEP messages only
inline constexpr uint32_t kString = 51;         // WebRTC String
inline constexpr uint32_t kBinaryPartial = 52;  // deprecated: a non-final piece of a binary message
inline constexpr uint32_t kBinary = 53;         // WebRTC Binary
inline constexpr uint32_t kStringPartial = 54;  // deprecated: a non-final piece of a string message
inline constexpr uint32_t kStringEmpty = 56;    // RFC 8831 section 6.6: empty string, one 0 byte
inline constexpr uint32_t kBinaryEmpty = 57;    // RFC 8831 section 6.6: empty binary, one 0 byte
}  // namespace ppid

// RFC 8832 section 5: the Message Type byte.
enum class DcepMessageType : uint8_t { Ack = 0x02, Open = 0x03 };

// RFC 8832 section 5.1 / 8.2.2. The high bit means unordered delivery; the
// low bits choose the partial-reliability policy.
enum class ChannelType : uint8_t {
  Reliable = 0x00,
  ReliableUnordered = 0x80,
  PartialReliableRexmit = 0x01,
  PartialReliableRexmitUnordered = 0x81,
  PartialReliableTimed = 0x02,
  PartialReliableTimedUnordered = 0x82,
};
const char* to_string(ChannelType t);
bool is_known_channel_type(uint8_t raw);
bool is_ordered(ChannelType t);

// RFC 8832 section 5.1 gives these as the priorities of RFC 8831 section
// 6.4; they are what the W3C RTCPriorityType values map to on the wire.
namespace priority {
inline constexpr uint16_t kBelowNormal = 128;  // W3C "very-low"
inline constexpr uint16_t kNormal = 256;       // W3C "low" (the default)
inline constexpr uint16_t kHigh = 512;         // W3C "medium"
inline constexpr uint16_t kExtraHigh = 1024;   // W3C "high"
}  // namespace priority

// DATA_CHANNEL_OPEN, RFC 8832 section 5.1:
//   0: Message Type (0x03)  1: Channel Type  2-3: Priority
//   4-7: Reliability Parameter  8-9: Label Length  10-11: Protocol Length
//   12-: Label (UTF-8), then Protocol (UTF-8), both unpadded.
// Label and protocol are kept as the raw bytes received (not checked for
// valid UTF-8: that is the JS edge's job, which decodes with replacement).
struct DataChannelOpen {
  ChannelType channel_type = ChannelType::Reliable;
  uint16_t priority = priority::kNormal;
  // Retransmissions (Rexmit) or milliseconds (Timed); meaningless and sent
  // as 0 for reliable channel types (section 5.1).
  uint32_t reliability_parameter = 0;
  std::string label;
  std::string protocol;

  bool ordered() const { return is_ordered(channel_type); }
  std::optional<uint32_t> max_retransmits() const;
  std::optional<uint32_t> max_packet_life_time_ms() const;

  // The channel type and parameter for W3C-style options; both limits set
  // is an error for the caller to reject first (here max_retransmits wins).
  static DataChannelOpen make(bool ordered, std::optional<uint32_t> max_retransmits,
                              std::optional<uint32_t> max_packet_life_time_ms);

  bool operator==(const DataChannelOpen&) const = default;
};

// DATA_CHANNEL_ACK, RFC 8832 section 5.2: just the Message Type (0x02).
struct DataChannelAck {
  bool operator==(const DataChannelAck&) const = default;
};

using DcepMessage = std::variant<DataChannelOpen, DataChannelAck>;

// Parses the payload of one SCTP user message that came with PPID 50.
// Strict: any byte beyond what the length fields account for is an error.
// Never reads outside `payload`, for any input.
Result<DcepMessage> parse_dcep(ByteView payload);

// Fails only when the label or the protocol exceeds 65535 bytes.
Result<Bytes> encode_open(const DataChannelOpen& open);
Bytes encode_ack();

}  // namespace wasmrtc::sctp
