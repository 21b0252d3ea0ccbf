// The DTLS 1.2 record and handshake headers (RFC 6347 sections 4.1 and
// 4.2.2), parsed without decrypting anything: enough to filter datagrams
// before Mbed TLS sees them and to join ClientHello fragments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"

namespace wasmrtc::dtls {

using base::ByteView;
using base::Bytes;

// RFC 5246 section 6.2.1 content types.
inline constexpr uint8_t kContentChangeCipherSpec = 20;
inline constexpr uint8_t kContentAlert = 21;
inline constexpr uint8_t kContentHandshake = 22;
inline constexpr uint8_t kContentApplicationData = 23;

// RFC 6347 section 4.3.2 handshake types used here.
inline constexpr uint8_t kHandshakeClientHello = 1;
inline constexpr uint8_t kHandshakeServerHello = 2;
inline constexpr uint8_t kHandshakeHelloVerifyRequest = 3;

inline constexpr size_t kRecordHeaderSize = 13;     // type, version, epoch, seq(48), length
inline constexpr size_t kHandshakeHeaderSize = 12;  // type, length(24), message_seq, offset(24), frag_len(24)

// One record as it sits in a datagram (RFC 6347 section 4.1).
struct Record {
  uint8_t content_type = 0;
  uint16_t version = 0;   // 0xFEFF DTLS 1.0, 0xFEFD DTLS 1.2
  uint16_t epoch = 0;
  uint64_t sequence = 0;  // 48 bits
  ByteView fragment;      // the record's payload (still encrypted if epoch > 0)
  ByteView bytes;         // header and payload
};

// Splits a datagram into records. Stops at the first record whose header
// is not DTLS (content type 20..23, major version 0xFE) or whose length runs
// past the datagram; `*consumed` (if given) tells how many bytes parsed.
std::vector<Record> parse_records(ByteView datagram, size_t* consumed = nullptr);

// A handshake message header (RFC 6347 section 4.2.2) and the fragment it
// carries, from the plaintext payload of an epoch-0 handshake record.
struct HandshakeFragment {
  uint8_t msg_type = 0;
  uint32_t length = 0;           // of the whole message body
  uint16_t message_seq = 0;
  uint32_t fragment_offset = 0;
  ByteView body;                 // fragment_length bytes
  size_t trailing = 0;           // bytes after this fragment in the record

  bool is_whole() const { return fragment_offset == 0 && body.size() == length; }
};

// nullopt if shorter than the header, if the fragment runs past `payload`,
// or if offset + fragment length exceeds the message length.
std::optional<HandshakeFragment> parse_handshake_fragment(ByteView payload);

// A record carrying one whole, unfragmented ClientHello at epoch 0.
bool is_whole_client_hello(const Record& record);
// Any epoch-0 handshake record whose (first) message is a ClientHello,
// whole or a fragment.
bool is_client_hello_record(const Record& record);

// Serializes a record header followed by `payload`.
Bytes make_record(uint8_t content_type, uint16_t version, uint16_t epoch, uint64_t sequence,
                  ByteView payload);

}  // namespace wasmrtc::dtls
