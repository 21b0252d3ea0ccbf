#include "rtp/packet.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::rtp {
namespace {

using base::ByteReader;
using base::ByteView;
using base::ByteWriter;

constexpr uint16_t kOneByteProfile = 0xBEDE;      // RFC 8285 section 4.2
constexpr uint16_t kTwoByteProfile = 0x1000;      // RFC 8285 section 4.3 (appbits 0)
constexpr uint16_t kTwoByteProfileMask = 0xFFF0;

// The elements of an RFC 8285 block. Padding bytes (0) may sit between them.
Result<std::vector<Extension>> parse_elements(ByteView block, bool two_byte) {
  std::vector<Extension> out;
  ByteReader r(block);
  while (!r.empty()) {
    const uint8_t first = *r.u8();
    if (first == 0) continue;  // padding
    uint8_t id;
    size_t length;
    if (two_byte) {
      id = first;
      auto len = r.u8();
      if (!len) return Unexpected(Error::BadExtension);
      length = *len;
    } else {
      id = first >> 4;
      length = (first & 0x0F) + 1u;
      // Section 4.2: id 15 is reserved; processing stops there. Id 0 is
      // only ever the padding byte 0x00.
      if (id == 15) break;
      if (id == 0) return Unexpected(Error::BadExtensionId);
    }
    auto data = r.bytes(length);
    if (!data) return Unexpected(Error::BadExtension);
    out.push_back(Extension{id, base::Bytes(data->begin(), data->end())});
  }
  return out;
}

bool needs_two_byte(const RtpPacket& p) {
  if (p.two_byte_extensions) return true;
  for (const Extension& e : p.extensions) {
    if (e.id > 14 || e.data.empty() || e.data.size() > 16) return true;
  }
  return false;
}

}  // namespace

const Extension* RtpPacket::extension(uint8_t id) const {
  for (const Extension& e : extensions) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

Result<RtpPacket> parse_rtp(ByteView bytes) {
  ByteReader r(bytes);
  if (bytes.size() < 12) return Unexpected(Error::Truncated);
  const uint8_t b0 = *r.u8();
  const uint8_t b1 = *r.u8();
  if ((b0 >> 6) != 2) return Unexpected(Error::BadVersion);
  RtpPacket p;
  const bool has_padding = b0 & 0x20;
  const bool has_extension = b0 & 0x10;
  const size_t csrc_count = b0 & 0x0F;
  p.marker = b1 & 0x80;
  p.payload_type = b1 & 0x7F;
  p.sequence_number = *r.u16();
  p.timestamp = *r.u32();
  p.ssrc = *r.u32();
  for (size_t i = 0; i < csrc_count; ++i) {
    auto c = r.u32();
    if (!c) return Unexpected(Error::Truncated);
    p.csrcs.push_back(*c);
  }
  if (has_extension) {
    auto profile = r.u16();
    auto words = r.u16();
    if (!profile || !words) return Unexpected(Error::Truncated);
    auto block = r.bytes(size_t{*words} * 4);
    if (!block) return Unexpected(Error::Truncated);
    if (*profile == kOneByteProfile || (*profile & kTwoByteProfileMask) == kTwoByteProfile) {
      p.two_byte_extensions = *profile != kOneByteProfile;
      auto elements = parse_elements(*block, p.two_byte_extensions);
      if (!elements) return Unexpected(elements.error());
      p.extensions = std::move(*elements);
    } else {
      p.other_extension_profile = *profile;
      p.other_extension.assign(block->begin(), block->end());
    }
  }
  size_t payload_size = r.remaining();
  if (has_padding) {
    const uint8_t count = bytes.back();
    if (count == 0 || count > payload_size) return Unexpected(Error::BadPadding);
    p.padding = count;
    payload_size -= count;
  }
  auto payload = r.bytes(payload_size);
  p.payload.assign(payload->begin(), payload->end());
  return p;
}

Result<base::Bytes> serialize(const RtpPacket& p) {
  if (p.csrcs.size() > 15 || p.payload_type > 127) return Unexpected(Error::TooLarge);
  const bool two_byte = needs_two_byte(p);
  ByteWriter w;
  const bool extension = !p.extensions.empty() || p.other_extension_profile.has_value();
  w.u8(static_cast<uint8_t>(0x80 | (p.padding ? 0x20 : 0) | (extension ? 0x10 : 0) | p.csrcs.size()));
  w.u8(static_cast<uint8_t>((p.marker ? 0x80 : 0) | p.payload_type));
  w.u16(p.sequence_number);
  w.u32(p.timestamp);
  w.u32(p.ssrc);
  for (uint32_t c : p.csrcs) w.u32(c);
  if (extension) {
    ByteWriter block;
    if (p.other_extension_profile) {
      if (p.other_extension.size() % 4 != 0) return Unexpected(Error::BadExtension);
      block.bytes(p.other_extension);
    }
    for (const Extension& e : p.extensions) {
      if (e.id == 0 || (!two_byte && e.id > 14) || e.data.size() > 255) return Unexpected(Error::BadExtensionId);
      if (two_byte) {
        block.u8(e.id);
        block.u8(static_cast<uint8_t>(e.data.size()));
      } else {
        block.u8(static_cast<uint8_t>(e.id << 4 | (e.data.size() - 1)));
      }
      block.bytes(e.data);
    }
    while (block.data().size() % 4 != 0) block.u8(0);
    if (block.data().size() / 4 > 0xFFFF) return Unexpected(Error::TooLarge);
    w.u16(p.other_extension_profile ? *p.other_extension_profile : two_byte ? kTwoByteProfile : kOneByteProfile);
    w.u16(static_cast<uint16_t>(block.data().size() / 4));
    w.bytes(block.data());
  }
  w.bytes(p.payload);
  if (p.padding) {
    w.zeros(p.padding - 1u);
    w.u8(p.padding);
  }
  return w.take();
}

}  // namespace wasmrtc::rtp
