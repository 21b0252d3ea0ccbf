#include "dtls/handshake_reassembly.h"

#include "base/byte_writer.h"

namespace wasmrtc::dtls {

std::string_view to_string(JoinDrop reason) {
  switch (reason) {
    case JoinDrop::NotDtls: return "NotDtls";
    case JoinDrop::TrailingBytes: return "TrailingBytes";
    case JoinDrop::Malformed: return "Malformed";
    case JoinDrop::TrailingData: return "TrailingData";
    case JoinDrop::UnexpectedMessageSeq: return "UnexpectedMessageSeq";
    case JoinDrop::MessageTooLong: return "MessageTooLong";
    case JoinDrop::LengthMismatch: return "LengthMismatch";
    case JoinDrop::ConflictingOverlap: return "ConflictingOverlap";
    case JoinDrop::TooManyFragments: return "TooManyFragments";
  }
  return "Unknown";
}

void ClientHelloJoiner::clear() {
  for (auto& a : assemblies_) a.reset();
}

size_t ClientHelloJoiner::held_bytes() const {
  size_t n = 0;
  for (const auto& a : assemblies_) {
    if (a) n += a->body.size();
  }
  return n;
}

std::vector<Bytes> ClientHelloJoiner::push(ByteView datagram) {
  size_t consumed = 0;
  const std::vector<Record> records = parse_records(datagram, &consumed);
  std::vector<Bytes> out;
  if (records.empty()) {
    drop(JoinDrop::NotDtls);
    return out;
  }
  if (consumed < datagram.size()) drop(JoinDrop::TrailingBytes);

  Bytes run;  // consecutive records passed through unchanged
  auto flush_run = [&] {
    if (!run.empty()) out.push_back(std::move(run));
    run.clear();
  };
  for (const Record& rec : records) {
    if (!is_client_hello_record(rec)) {
      run.insert(run.end(), rec.bytes.begin(), rec.bytes.end());
      continue;
    }
    auto fragment = parse_handshake_fragment(rec.fragment);
    if (!fragment) {
      drop(JoinDrop::Malformed);
      continue;
    }
    if (fragment->is_whole()) {
      // Sent whole: nothing to join. Mbed TLS judges the rest.
      run.insert(run.end(), rec.bytes.begin(), rec.bytes.end());
      continue;
    }
    if (auto joined = add_fragment(rec, *fragment)) {
      flush_run();
      out.push_back(std::move(*joined));
    }
  }
  flush_run();
  return out;
}

std::optional<Bytes> ClientHelloJoiner::add_fragment(const Record& record,
                                                     const HandshakeFragment& f) {
  if (f.trailing != 0) {
    // A second message behind a ClientHello fragment has no legitimate use
    // before the server has spoken.
    drop(JoinDrop::TrailingData);
    return std::nullopt;
  }
  // RFC 6347 section 4.2.1: the first ClientHello has message_seq 0, the one
  // answering a HelloVerifyRequest 1. Renegotiation is off.
  if (f.message_seq > 1) {
    drop(JoinDrop::UnexpectedMessageSeq);
    return std::nullopt;
  }
  if (f.length > limits_.max_message_length) {
    drop(JoinDrop::MessageTooLong);
    return std::nullopt;
  }
  if (f.body.empty()) {
    drop(JoinDrop::Malformed);
    return std::nullopt;
  }

  std::optional<Assembly>& slot = assemblies_[f.message_seq];
  if (!slot) slot.emplace(f.message_seq, f.length);
  Assembly& a = *slot;
  if (a.length != f.length) {
    drop(JoinDrop::LengthMismatch);
    return std::nullopt;
  }
  // Overlaps are allowed (section 4.2.3) but must agree; the bytes held
  // first win, so an injected fragment cannot rewrite a genuine one.
  for (size_t i = 0; i < f.body.size(); ++i) {
    const size_t at = f.fragment_offset + i;
    if (a.present[at] && a.body[at] != f.body[i]) {
      drop(JoinDrop::ConflictingOverlap);
      return std::nullopt;
    }
  }
  if (++a.fragments > limits_.max_fragments) {
    drop(JoinDrop::TooManyFragments);
    slot.reset();
    return std::nullopt;
  }
  for (size_t i = 0; i < f.body.size(); ++i) {
    const size_t at = f.fragment_offset + i;
    if (!a.present[at]) {
      a.present[at] = true;
      a.body[at] = f.body[i];
      ++a.received;
    }
  }
  if (f.fragment_offset == 0 && !a.have_start) {
    a.have_start = true;
    a.version = record.version;
    a.sequence = record.sequence;
  }
  if (a.received < a.length) return std::nullopt;

  // Complete (offset 0 is present, so have_start is set).
  base::ByteWriter hs;
  hs.u8(kHandshakeClientHello);
  hs.u24(a.length);
  hs.u16(a.message_seq);
  hs.u24(0);         // fragment_offset
  hs.u24(a.length);  // fragment_length
  hs.bytes(a.body);
  Bytes joined = make_record(kContentHandshake, a.version, /*epoch=*/0, a.sequence, hs.view());
  slot.reset();
  ++joined_;
  return joined;
}

}  // namespace wasmrtc::dtls
