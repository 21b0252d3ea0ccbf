#include "dtls/handshake_reassembly.h"

#include <algorithm>

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
  for (auto& list : assemblies_) list.clear();
}

size_t ClientHelloJoiner::held_bytes() const {
  size_t n = 0;
  for (const auto& list : assemblies_) {
    for (const Assembly& a : list) n += a.body.size();
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
    auto joined = add_fragment(rec, *fragment);
    if (!joined.empty()) {
      flush_run();
      for (Bytes& j : joined) out.push_back(std::move(j));
    }
  }
  flush_run();
  return out;
}

std::vector<Bytes> ClientHelloJoiner::add_fragment(const Record& record, const HandshakeFragment& f) {
  std::vector<Bytes> out;
  if (f.trailing != 0) {
    // A second message behind a ClientHello fragment has no legitimate use
    // before the server has spoken.
    drop(JoinDrop::TrailingData);
    return out;
  }
  // RFC 6347 section 4.2.1: the first ClientHello has message_seq 0, the one
  // answering a HelloVerifyRequest 1. Renegotiation is off.
  if (f.message_seq > 1) {
    drop(JoinDrop::UnexpectedMessageSeq);
    return out;
  }
  if (f.length > limits_.max_message_length) {
    drop(JoinDrop::MessageTooLong);
    return out;
  }
  if (f.body.empty()) {
    drop(JoinDrop::Malformed);
    return out;
  }

  std::vector<Assembly>& list = assemblies_[f.message_seq];
  ++clock_;
  // Overlaps are allowed (section 4.2.3) but must agree. A fragment goes
  // into every assembly it agrees with; one that agrees with none (another
  // length, or other bytes) starts its own: of a forged first fragment and
  // the genuine ones, neither can hold the other out.
  bool placed = false;
  std::vector<size_t> completed;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!agrees(list[i], f)) continue;
    placed = true;
    if (auto joined = fill(list[i], record, f)) {
      out.push_back(std::move(*joined));
      completed.push_back(i);
    }
  }
  if (!placed) {
    const bool other_length = std::any_of(list.begin(), list.end(), [&](const Assembly& a) { return a.length != f.length; });
    if (!list.empty()) drop(other_length ? JoinDrop::LengthMismatch : JoinDrop::ConflictingOverlap);
    if (list.size() >= limits_.max_alternatives) {
      auto stale = std::min_element(list.begin(), list.end(),
                                    [](const Assembly& a, const Assembly& b) { return a.touched < b.touched; });
      list.erase(stale);
    }
    list.emplace_back(f.message_seq, f.length);
    if (auto joined = fill(list.back(), record, f)) {
      out.push_back(std::move(*joined));
      completed.push_back(list.size() - 1);
    }
  }
  // A completed message is done with; so are its alternatives (one of them
  // came out; a retransmitted flight starts over). Where one fragment
  // completes several, the newest assembly comes first: a forgery injected
  // ahead of the genuine flight started the older one.
  if (!completed.empty()) {
    list.clear();
    std::reverse(out.begin(), out.end());
  }
  // Assemblies that took too many fragments are dropped whole.
  const size_t before = list.size();
  std::erase_if(list, [&](const Assembly& a) { return a.fragments > limits_.max_fragments; });
  for (size_t n = list.size(); n < before; ++n) drop(JoinDrop::TooManyFragments);
  return out;
}

bool ClientHelloJoiner::agrees(const Assembly& a, const HandshakeFragment& f) {
  if (a.length != f.length) return false;
  for (size_t i = 0; i < f.body.size(); ++i) {
    const size_t at = f.fragment_offset + i;
    if (a.present[at] && a.body[at] != f.body[i]) return false;
  }
  return true;
}

std::optional<Bytes> ClientHelloJoiner::fill(Assembly& a, const Record& record, const HandshakeFragment& f) {
  ++a.fragments;
  a.touched = clock_;
  if (a.fragments > limits_.max_fragments) return std::nullopt;
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
  ++joined_;
  return make_record(kContentHandshake, a.version, /*epoch=*/0, a.sequence, hs.view());
}

}  // namespace wasmrtc::dtls
