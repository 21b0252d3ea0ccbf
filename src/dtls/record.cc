#include "dtls/record.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::dtls {

std::vector<Record> parse_records(ByteView datagram, size_t* consumed) {
  std::vector<Record> out;
  base::ByteReader r(datagram);
  while (r.remaining() >= kRecordHeaderSize) {
    const size_t start = r.position();
    const uint8_t type = *r.u8();
    const uint16_t version = *r.u16();
    const uint16_t epoch = *r.u16();
    const uint64_t seq_hi = *r.u16();
    const uint64_t seq_lo = *r.u32();
    const uint16_t length = *r.u16();
    if (type < kContentChangeCipherSpec || type > kContentApplicationData) break;
    if ((version >> 8) != 0xFE) break;
    auto payload = r.bytes(length);
    if (!payload) break;
    out.push_back(Record{type, version, epoch, (seq_hi << 32) | seq_lo, *payload,
                         datagram.subspan(start, kRecordHeaderSize + length)});
  }
  if (consumed) {
    size_t n = 0;
    for (const Record& rec : out) n += rec.bytes.size();
    *consumed = n;
  }
  return out;
}

std::optional<HandshakeFragment> parse_handshake_fragment(ByteView payload) {
  base::ByteReader r(payload);
  if (r.remaining() < kHandshakeHeaderSize) return std::nullopt;
  HandshakeFragment f;
  f.msg_type = *r.u8();
  f.length = *r.u24();
  f.message_seq = *r.u16();
  f.fragment_offset = *r.u24();
  const uint32_t fragment_length = *r.u24();
  if (uint64_t{f.fragment_offset} + fragment_length > f.length) return std::nullopt;
  auto body = r.bytes(fragment_length);
  if (!body) return std::nullopt;
  f.body = *body;
  f.trailing = r.remaining();
  return f;
}

bool is_client_hello_record(const Record& record) {
  return record.content_type == kContentHandshake && record.epoch == 0 &&
         !record.fragment.empty() && record.fragment[0] == kHandshakeClientHello;
}

bool is_whole_client_hello(const Record& record) {
  if (!is_client_hello_record(record)) return false;
  auto f = parse_handshake_fragment(record.fragment);
  // Mbed TLS takes a ClientHello only as the sole content of its record.
  return f && f->is_whole() && f->trailing == 0;
}

Bytes make_record(uint8_t content_type, uint16_t version, uint16_t epoch, uint64_t sequence,
                  ByteView payload) {
  base::ByteWriter w;
  w.u8(content_type);
  w.u16(version);
  w.u16(epoch);
  w.u16(static_cast<uint16_t>(sequence >> 32));
  w.u32(static_cast<uint32_t>(sequence));
  w.u16(static_cast<uint16_t>(payload.size()));
  w.bytes(payload);
  return w.take();
}

}  // namespace wasmrtc::dtls
