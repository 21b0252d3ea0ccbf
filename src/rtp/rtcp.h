// RTCP packets (RFC 3550 section 6.4-6.6), feedback messages (RFC 4585
// section 6) and compound or reduced-size (RFC 5506) RTCP datagrams.
//
//   auto packets = rtp::parse_rtcp(datagram);   // Result<std::vector<RtcpPacket>>
//   rtp::serialize_rtcp(packets)                 // Bytes, byte-exact round trip
//
// Packet types this layer does not know are kept whole (Unknown) so a
// compound packet still parses and re-serializes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "rtp/error.h"

namespace wasmrtc::rtp {

namespace rtcp_type {
inline constexpr uint8_t kSenderReport = 200;
inline constexpr uint8_t kReceiverReport = 201;
inline constexpr uint8_t kSdes = 202;
inline constexpr uint8_t kBye = 203;
inline constexpr uint8_t kTransportFeedback = 205;  // RTPFB (RFC 4585 6.1)
inline constexpr uint8_t kPayloadFeedback = 206;    // PSFB
}  // namespace rtcp_type

// RFC 3550 6.4.1: one reception report block.
struct ReportBlock {
  uint32_t ssrc = 0;
  uint8_t fraction_lost = 0;        // 8-bit fixed point
  int32_t cumulative_lost = 0;      // 24-bit signed
  uint32_t extended_highest_sequence = 0;
  uint32_t jitter = 0;              // timestamp units
  uint32_t last_sr = 0;             // middle 32 bits of the last SR's NTP time
  uint32_t delay_since_last_sr = 0; // 1/65536 s
  bool operator==(const ReportBlock&) const = default;
};

struct SenderReport {
  uint32_t ssrc = 0;
  uint64_t ntp_timestamp = 0;
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  std::vector<ReportBlock> reports;
  bool operator==(const SenderReport&) const = default;
};

struct ReceiverReport {
  uint32_t ssrc = 0;
  std::vector<ReportBlock> reports;
  bool operator==(const ReceiverReport&) const = default;
};

// RFC 3550 6.5: per source, its items (type 1 = CNAME).
struct SdesChunk {
  uint32_t ssrc = 0;
  std::vector<std::pair<uint8_t, std::string>> items;
  bool operator==(const SdesChunk&) const = default;
};
struct Sdes {
  std::vector<SdesChunk> chunks;
  bool operator==(const Sdes&) const = default;
};

struct Bye {
  std::vector<uint32_t> ssrcs;
  std::optional<std::string> reason;
  bool operator==(const Bye&) const = default;
};

// RFC 4585 6.1: RTPFB (205) or PSFB (206) with its FMT and raw FCI; see the
// helpers below for NACK, PLI and FIR.
struct Feedback {
  uint8_t type = rtcp_type::kTransportFeedback;
  uint8_t format = 0;
  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  base::Bytes fci;
  bool operator==(const Feedback&) const = default;
};

struct UnknownRtcp {
  uint8_t type = 0;
  uint8_t count = 0;  // the 5-bit field after V and P
  base::Bytes body;   // after the 4-byte header
  bool operator==(const UnknownRtcp&) const = default;
};

using RtcpPacket = std::variant<SenderReport, ReceiverReport, Sdes, Bye, Feedback, UnknownRtcp>;

Result<std::vector<RtcpPacket>> parse_rtcp(base::ByteView datagram);
Result<base::Bytes> serialize_rtcp(const std::vector<RtcpPacket>& packets);

// RFC 4585 6.2.1 generic NACK: the sequence numbers asked for.
Feedback make_nack(uint32_t sender_ssrc, uint32_t media_ssrc, const std::vector<uint16_t>& lost);
std::optional<std::vector<uint16_t>> nack_sequence_numbers(const Feedback& f);
// RFC 4585 6.3.1 Picture Loss Indication.
Feedback make_pli(uint32_t sender_ssrc, uint32_t media_ssrc);
bool is_pli(const Feedback& f);

}  // namespace wasmrtc::rtp
