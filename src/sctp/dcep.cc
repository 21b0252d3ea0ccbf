#include "sctp/dcep.h"

#include <limits>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::sctp {
namespace {

constexpr uint8_t kUnorderedBit = 0x80;
constexpr uint8_t kPolicyMask = 0x7f;
constexpr uint8_t kPolicyRexmit = 0x01;
constexpr uint8_t kPolicyTimed = 0x02;
constexpr size_t kOpenHeaderSize = 12;  // section 5.1, up to Protocol Length

}  // namespace

const char* to_string(ChannelType t) {
  switch (t) {
    case ChannelType::Reliable: return "DATA_CHANNEL_RELIABLE";
    case ChannelType::ReliableUnordered: return "DATA_CHANNEL_RELIABLE_UNORDERED";
    case ChannelType::PartialReliableRexmit: return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT";
    case ChannelType::PartialReliableRexmitUnordered:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED";
    case ChannelType::PartialReliableTimed: return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED";
    case ChannelType::PartialReliableTimedUnordered:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED";
  }
  return "unknown";
}

bool is_known_channel_type(uint8_t raw) {
  return (raw & kPolicyMask) <= kPolicyTimed;
}

bool is_ordered(ChannelType t) { return (static_cast<uint8_t>(t) & kUnorderedBit) == 0; }

std::optional<uint32_t> DataChannelOpen::max_retransmits() const {
  if ((static_cast<uint8_t>(channel_type) & kPolicyMask) != kPolicyRexmit) return std::nullopt;
  return reliability_parameter;
}

std::optional<uint32_t> DataChannelOpen::max_packet_life_time_ms() const {
  if ((static_cast<uint8_t>(channel_type) & kPolicyMask) != kPolicyTimed) return std::nullopt;
  return reliability_parameter;
}

DataChannelOpen DataChannelOpen::make(bool ordered, std::optional<uint32_t> max_retransmits,
                                      std::optional<uint32_t> max_packet_life_time_ms) {
  DataChannelOpen o;
  uint8_t type = ordered ? 0 : kUnorderedBit;
  if (max_retransmits) {
    type |= kPolicyRexmit;
    o.reliability_parameter = *max_retransmits;
  } else if (max_packet_life_time_ms) {
    type |= kPolicyTimed;
    o.reliability_parameter = *max_packet_life_time_ms;
  }
  o.channel_type = static_cast<ChannelType>(type);
  return o;
}

Result<DcepMessage> parse_dcep(ByteView payload) {
  base::ByteReader r(payload);
  auto type = r.u8();
  if (!type) return Unexpected(Error::DcepEmpty);
  switch (*type) {
    case static_cast<uint8_t>(DcepMessageType::Ack):
      if (!r.empty()) return Unexpected(Error::DcepTrailingBytes);
      return DcepMessage(DataChannelAck{});
    case static_cast<uint8_t>(DcepMessageType::Open):
      break;
    default:
      return Unexpected(Error::DcepUnknownMessageType);
  }
  if (payload.size() < kOpenHeaderSize) return Unexpected(Error::DcepTruncated);
  const uint8_t channel_type = *r.u8();
  const uint16_t prio = *r.u16();
  const uint32_t reliability = *r.u32();
  const uint16_t label_length = *r.u16();
  const uint16_t protocol_length = *r.u16();
  // Checked before the channel type so that a cut-off message reports the
  // truncation whatever its type byte says.
  auto label = r.bytes(label_length);
  if (!label) return Unexpected(Error::DcepTruncated);
  auto protocol = r.bytes(protocol_length);
  if (!protocol) return Unexpected(Error::DcepTruncated);
  if (!is_known_channel_type(channel_type)) return Unexpected(Error::DcepUnknownChannelType);
  // Bytes after the protocol are ignored, as libwebrtc and usrsctp's own
  // example do: werift 0.24 counts the label in UTF-16 code units, so a
  // non-ASCII label leaves its tail there. Refusing would close a channel
  // every other stack opens.

  DataChannelOpen open;
  open.channel_type = static_cast<ChannelType>(channel_type);
  open.priority = prio;
  open.reliability_parameter = reliability;
  open.label.assign(label->begin(), label->end());
  open.protocol.assign(protocol->begin(), protocol->end());
  return DcepMessage(std::move(open));
}

Result<Bytes> encode_open(const DataChannelOpen& open) {
  constexpr size_t kMax = std::numeric_limits<uint16_t>::max();
  if (open.label.size() > kMax) return Unexpected(Error::LabelTooLong);
  if (open.protocol.size() > kMax) return Unexpected(Error::ProtocolTooLong);
  base::ByteWriter w;
  w.u8(static_cast<uint8_t>(DcepMessageType::Open));
  w.u8(static_cast<uint8_t>(open.channel_type));
  w.u16(open.priority);
  // Section 5.1: "For reliable data channels, this field MUST be set to 0 on
  // the sending side".
  const bool reliable = (static_cast<uint8_t>(open.channel_type) & kPolicyMask) == 0;
  w.u32(reliable ? 0 : open.reliability_parameter);
  w.u16(static_cast<uint16_t>(open.label.size()));
  w.u16(static_cast<uint16_t>(open.protocol.size()));
  w.bytes(base::as_bytes(open.label));
  w.bytes(base::as_bytes(open.protocol));
  return w.take();
}

Bytes encode_ack() { return Bytes{static_cast<uint8_t>(DcepMessageType::Ack)}; }

}  // namespace wasmrtc::sctp
