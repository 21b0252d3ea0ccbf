#include "rtp/rtcp.h"

#include <algorithm>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::rtp {
namespace {

using base::ByteReader;
using base::ByteView;
using base::ByteWriter;

constexpr size_t kReportBlockSize = 24;

ReportBlock read_report(ByteReader& r) {
  ReportBlock b;
  b.ssrc = *r.u32();
  const uint32_t lost = *r.u32();
  b.fraction_lost = static_cast<uint8_t>(lost >> 24);
  // 24-bit two's complement (RFC 3550 6.4.1: it may go negative with duplicates).
  const uint32_t raw = lost & 0xFFFFFF;
  b.cumulative_lost = raw & 0x800000 ? static_cast<int32_t>(raw) - 0x1000000 : static_cast<int32_t>(raw);
  b.extended_highest_sequence = *r.u32();
  b.jitter = *r.u32();
  b.last_sr = *r.u32();
  b.delay_since_last_sr = *r.u32();
  return b;
}

void write_report(ByteWriter& w, const ReportBlock& b) {
  const int32_t clamped = std::clamp(b.cumulative_lost, -0x800000, 0x7FFFFF);
  w.u32(b.ssrc);
  w.u32(static_cast<uint32_t>(b.fraction_lost) << 24 | (static_cast<uint32_t>(clamped) & 0xFFFFFF));
  w.u32(b.extended_highest_sequence);
  w.u32(b.jitter);
  w.u32(b.last_sr);
  w.u32(b.delay_since_last_sr);
}

Result<std::vector<ReportBlock>> read_reports(ByteReader& r, size_t count) {
  if (r.remaining() < count * kReportBlockSize) return Unexpected(Error::Truncated);
  std::vector<ReportBlock> out;
  for (size_t i = 0; i < count; ++i) out.push_back(read_report(r));
  return out;
}

Result<Sdes> read_sdes(ByteReader& r, size_t count) {
  Sdes s;
  for (size_t i = 0; i < count; ++i) {
    SdesChunk chunk;
    auto ssrc = r.u32();
    if (!ssrc) return Unexpected(Error::Truncated);
    chunk.ssrc = *ssrc;
    size_t used = 0;  // bytes of items, for the padding to the next word
    for (;;) {
      auto type = r.u8();
      if (!type) return Unexpected(Error::Truncated);
      ++used;
      if (*type == 0) break;  // end of this chunk's list
      auto length = r.u8();
      if (!length) return Unexpected(Error::Truncated);
      auto text = r.bytes(*length);
      if (!text) return Unexpected(Error::Truncated);
      used += 1u + *length;
      chunk.items.emplace_back(*type, std::string(text->begin(), text->end()));
    }
    // The null item is followed by nulls up to the next 32-bit boundary.
    if (!r.skip((4 - used % 4) % 4)) return Unexpected(Error::Truncated);
    s.chunks.push_back(std::move(chunk));
  }
  return s;
}

Result<RtcpPacket> read_packet(uint8_t type, uint8_t count, ByteView body) {
  ByteReader r(body);
  switch (type) {
    case rtcp_type::kSenderReport: {
      if (r.remaining() < 24) return Unexpected(Error::Truncated);
      SenderReport sr;
      sr.ssrc = *r.u32();
      sr.ntp_timestamp = *r.u64();
      sr.rtp_timestamp = *r.u32();
      sr.packet_count = *r.u32();
      sr.octet_count = *r.u32();
      auto reports = read_reports(r, count);
      if (!reports) return Unexpected(reports.error());
      sr.reports = std::move(*reports);
      return RtcpPacket(std::move(sr));
    }
    case rtcp_type::kReceiverReport: {
      auto ssrc = r.u32();
      if (!ssrc) return Unexpected(Error::Truncated);
      auto reports = read_reports(r, count);
      if (!reports) return Unexpected(reports.error());
      return RtcpPacket(ReceiverReport{*ssrc, std::move(*reports)});
    }
    case rtcp_type::kSdes: {
      auto sdes = read_sdes(r, count);
      if (!sdes) return Unexpected(sdes.error());
      return RtcpPacket(std::move(*sdes));
    }
    case rtcp_type::kBye: {
      Bye bye;
      for (size_t i = 0; i < count; ++i) {
        auto ssrc = r.u32();
        if (!ssrc) return Unexpected(Error::Truncated);
        bye.ssrcs.push_back(*ssrc);
      }
      if (auto length = r.u8()) {
        auto text = r.bytes(*length);
        if (!text) return Unexpected(Error::Truncated);
        bye.reason = std::string(text->begin(), text->end());
      }
      return RtcpPacket(std::move(bye));
    }
    case rtcp_type::kTransportFeedback:
    case rtcp_type::kPayloadFeedback: {
      if (r.remaining() < 8) return Unexpected(Error::Truncated);
      Feedback f;
      f.type = type;
      f.format = count;
      f.sender_ssrc = *r.u32();
      f.media_ssrc = *r.u32();
      auto fci = r.bytes(r.remaining());
      f.fci.assign(fci->begin(), fci->end());
      return RtcpPacket(std::move(f));
    }
    default:
      return RtcpPacket(UnknownRtcp{type, count, base::Bytes(body.begin(), body.end())});
  }
}

// The body and header fields of one packet; the caller adds the header.
struct Encoded {
  uint8_t type;
  uint8_t count;
  base::Bytes body;
};

Result<Encoded> encode(const RtcpPacket& packet) {
  ByteWriter w;
  if (auto* sr = std::get_if<SenderReport>(&packet)) {
    if (sr->reports.size() > 31) return Unexpected(Error::TooLarge);
    w.u32(sr->ssrc);
    w.u64(sr->ntp_timestamp);
    w.u32(sr->rtp_timestamp);
    w.u32(sr->packet_count);
    w.u32(sr->octet_count);
    for (const auto& b : sr->reports) write_report(w, b);
    return Encoded{rtcp_type::kSenderReport, static_cast<uint8_t>(sr->reports.size()), w.take()};
  }
  if (auto* rr = std::get_if<ReceiverReport>(&packet)) {
    if (rr->reports.size() > 31) return Unexpected(Error::TooLarge);
    w.u32(rr->ssrc);
    for (const auto& b : rr->reports) write_report(w, b);
    return Encoded{rtcp_type::kReceiverReport, static_cast<uint8_t>(rr->reports.size()), w.take()};
  }
  if (auto* sdes = std::get_if<Sdes>(&packet)) {
    if (sdes->chunks.size() > 31) return Unexpected(Error::TooLarge);
    for (const auto& chunk : sdes->chunks) {
      w.u32(chunk.ssrc);
      size_t used = 0;
      for (const auto& [type, text] : chunk.items) {
        if (type == 0 || text.size() > 255) return Unexpected(Error::TooLarge);
        w.u8(type);
        w.u8(static_cast<uint8_t>(text.size()));
        w.bytes(base::as_bytes(text));
        used += 2 + text.size();
      }
      w.u8(0);
      ++used;
      w.zeros((4 - used % 4) % 4);
    }
    return Encoded{rtcp_type::kSdes, static_cast<uint8_t>(sdes->chunks.size()), w.take()};
  }
  if (auto* bye = std::get_if<Bye>(&packet)) {
    if (bye->ssrcs.size() > 31 || (bye->reason && bye->reason->size() > 255)) return Unexpected(Error::TooLarge);
    for (uint32_t s : bye->ssrcs) w.u32(s);
    if (bye->reason) {
      w.u8(static_cast<uint8_t>(bye->reason->size()));
      w.bytes(base::as_bytes(*bye->reason));
      w.zeros((4 - (1 + bye->reason->size()) % 4) % 4);
    }
    return Encoded{rtcp_type::kBye, static_cast<uint8_t>(bye->ssrcs.size()), w.take()};
  }
  if (auto* f = std::get_if<Feedback>(&packet)) {
    if (f->format > 31 || f->fci.size() % 4 != 0) return Unexpected(Error::TooLarge);
    w.u32(f->sender_ssrc);
    w.u32(f->media_ssrc);
    w.bytes(f->fci);
    return Encoded{f->type, f->format, w.take()};
  }
  const auto& u = std::get<UnknownRtcp>(packet);
  if (u.count > 31 || u.body.size() % 4 != 0) return Unexpected(Error::TooLarge);
  return Encoded{u.type, u.count, u.body};
}

}  // namespace

Result<std::vector<RtcpPacket>> parse_rtcp(ByteView datagram) {
  if (datagram.empty()) return Unexpected(Error::Truncated);
  std::vector<RtcpPacket> out;
  ByteReader r(datagram);
  while (!r.empty()) {
    if (r.remaining() < 4) return Unexpected(Error::Truncated);
    const uint8_t b0 = *r.u8();
    const uint8_t type = *r.u8();
    const size_t length = (size_t{*r.u16()} + 1) * 4;  // in bytes, header included
    if ((b0 >> 6) != 2) return Unexpected(Error::BadVersion);
    auto body = r.bytes(length - 4);
    if (!body) return Unexpected(Error::BadLength);
    ByteView content = *body;
    if (b0 & 0x20) {
      // Padding (RFC 3550 6.4.1): only the last packet of a compound may have it.
      if (!r.empty() || content.empty() || content.back() == 0 || content.back() > content.size()) {
        return Unexpected(Error::BadPadding);
      }
      content = content.first(content.size() - content.back());
    }
    auto packet = read_packet(type, b0 & 0x1F, content);
    if (!packet) return Unexpected(packet.error());
    out.push_back(std::move(*packet));
  }
  return out;
}

Result<base::Bytes> serialize_rtcp(const std::vector<RtcpPacket>& packets) {
  ByteWriter w;
  for (const RtcpPacket& packet : packets) {
    auto e = encode(packet);
    if (!e) return Unexpected(e.error());
    if (e->body.size() % 4 != 0 || e->body.size() / 4 > 0xFFFF) return Unexpected(Error::TooLarge);
    w.u8(static_cast<uint8_t>(0x80 | e->count));
    w.u8(e->type);
    w.u16(static_cast<uint16_t>(e->body.size() / 4));
    w.bytes(e->body);
  }
  return w.take();
}

Feedback make_nack(uint32_t sender_ssrc, uint32_t media_ssrc, const std::vector<uint16_t>& lost) {
  Feedback f{rtcp_type::kTransportFeedback, 1, sender_ssrc, media_ssrc, {}};
  ByteWriter w;
  // Each FCI: a PID and a bitmask of the 16 following losses (RFC 4585 6.2.1).
  for (size_t i = 0; i < lost.size();) {
    const uint16_t pid = lost[i++];
    uint16_t blp = 0;
    while (i < lost.size()) {
      const uint16_t d = static_cast<uint16_t>(lost[i] - pid);
      if (d == 0 || d > 16) break;
      blp = static_cast<uint16_t>(blp | (1u << (d - 1)));
      ++i;
    }
    w.u16(pid);
    w.u16(blp);
  }
  f.fci = w.take();
  return f;
}

std::optional<std::vector<uint16_t>> nack_sequence_numbers(const Feedback& f) {
  if (f.type != rtcp_type::kTransportFeedback || f.format != 1 || f.fci.size() % 4 != 0) return std::nullopt;
  std::vector<uint16_t> out;
  ByteReader r(f.fci);
  while (!r.empty()) {
    const uint16_t pid = *r.u16();
    const uint16_t blp = *r.u16();
    out.push_back(pid);
    for (int bit = 0; bit < 16; ++bit) {
      if (blp & (1u << bit)) out.push_back(static_cast<uint16_t>(pid + bit + 1));
    }
  }
  return out;
}

Feedback make_pli(uint32_t sender_ssrc, uint32_t media_ssrc) {
  return Feedback{rtcp_type::kPayloadFeedback, 1, sender_ssrc, media_ssrc, {}};
}

bool is_pli(const Feedback& f) { return f.type == rtcp_type::kPayloadFeedback && f.format == 1 && f.fci.empty(); }

}  // namespace wasmrtc::rtp
