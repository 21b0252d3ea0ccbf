// RTP packets (RFC 3550 section 5.1) with header extensions (RFC 8285).
//
//   auto p = rtp::parse_rtp(bytes);      // Result<RtpPacket>
//   p->payload, p->extension(id), ...
//   rtp::serialize(packet)                // Bytes, byte-exact round trip
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "rtp/error.h"

namespace wasmrtc::rtp {

// One header extension element (RFC 8285 section 4.2/4.3): id 1-14 in the
// one-byte form (data 1-16 bytes), 1-255 in the two-byte form (0-255 bytes).
struct Extension {
  uint8_t id = 0;
  base::Bytes data;
  bool operator==(const Extension&) const = default;
};

struct RtpPacket {
  bool marker = false;
  uint8_t payload_type = 0;  // 7 bits
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  std::vector<uint32_t> csrcs;  // at most 15
  // RFC 8285 elements, in wire order; `two_byte_extensions` says which form
  // the block used (or must use: serialize() picks two-byte when needed).
  std::vector<Extension> extensions;
  bool two_byte_extensions = false;
  // A header extension of another profile (neither RFC 8285 form): kept
  // whole, as "defined by profile" and its words.
  std::optional<uint16_t> other_extension_profile;
  base::Bytes other_extension;
  base::Bytes payload;
  uint8_t padding = 0;  // padding bytes after the payload (0: P bit clear)

  const Extension* extension(uint8_t id) const;
  bool operator==(const RtpPacket&) const = default;
};

Result<RtpPacket> parse_rtp(base::ByteView packet);
Result<base::Bytes> serialize(const RtpPacket& packet);

}  // namespace wasmrtc::rtp
