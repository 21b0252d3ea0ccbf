// Joins a fragmented ClientHello into one record, for a DTLS server on
// Mbed TLS 2.28, which rejects any ClientHello not sent whole ("We don't
// support fragmentation of ClientHello (yet?)", ssl_srv.c). Chromium's
// ClientHello (1413 bytes, with a post-quantum key share) comes as two
// fragments in two datagrams, and so does its retry after a
// HelloVerifyRequest.
//
// RFC 6347 section 4.2.3 lets a message be cut into fragments, sent in any
// datagrams, lost, reordered or repeated. Fragments of the ClientHello
// (message_seq 0, or 1 after a HelloVerifyRequest, section 4.2.1) are held
// until every byte is there; then one record comes out carrying the message
// unfragmented: fragment_offset 0, fragment_length = length, the record
// version and sequence number of the fragment at offset 0. Section 4.2.6
// defines the handshake hash over exactly that form (a message "as if it
// had been sent in a single fragment"), so Mbed TLS's transcript equals the
// client's. Everything else passes through unchanged.
//
// A fragment that disagrees with the ones held (another length, or other
// bytes where they overlap) may be the genuine one behind an injected
// forgery, so it is not dropped: it starts an alternative assembly of its
// own, and whichever assembly completes comes out, the newest first when
// one fragment completes several (Mbed TLS then judges it; an unparsable
// one is forgotten by the transport). Bounded: per
// message_seq (0 and 1) at most Limits::max_alternatives assemblies of at
// most Limits::max_message_length bytes; past that the one least recently
// added to is forgotten. Malformed input is dropped and counted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "dtls/record.h"

namespace wasmrtc::dtls {

enum class JoinDrop : uint8_t {
  NotDtls,               // a datagram with no parsable DTLS record (RFC 6347 section 4.1)
  TrailingBytes,         // bytes after the last parsable record of a datagram
  Malformed,             // short handshake header, or fragment outside its message
  TrailingData,          // more bytes after the fragment in the same record
  UnexpectedMessageSeq,  // a ClientHello fragment with message_seq other than 0 or 1
  MessageTooLong,        // a ClientHello longer than Limits::max_message_length
  LengthMismatch,        // fragments of one message_seq disagree on its length (kept apart)
  ConflictingOverlap,    // overlapping fragments carry different bytes (kept apart)
  TooManyFragments,      // a message needed more fragments than the limit: dropped whole
};
inline constexpr size_t kJoinDropCount = 9;

std::string_view to_string(JoinDrop reason);

class ClientHelloJoiner {
 public:
  struct Limits {
    // Mbed TLS takes records of up to MBEDTLS_SSL_IN_CONTENT_LEN (16384)
    // bytes; the joined record holds the 12-byte header and the message.
    size_t max_message_length = 16384 - kHandshakeHeaderSize;
    // Fragments (duplicates included) one message may take before it is
    // dropped: two per flight and a dozen retransmissions fit easily.
    size_t max_fragments = 64;
    // Disagreeing assemblies kept per message_seq (see above).
    size_t max_alternatives = 4;
  };

  ClientHelloJoiner() : ClientHelloJoiner(Limits{}) {}
  explicit ClientHelloJoiner(Limits limits) : limits_(limits) {}

  // Takes one datagram from the client and returns what to hand Mbed TLS,
  // in order: runs of passed-through records as one datagram each, and each
  // completed ClientHello as a datagram of its own. Empty if everything was
  // held or dropped.
  std::vector<Bytes> push(ByteView datagram);

  // Forgets every partial message (not the counters).
  void clear();

  uint64_t dropped(JoinDrop reason) const { return drops_[static_cast<size_t>(reason)]; }
  uint64_t joined() const { return joined_; }
  // Bytes of partial messages currently held.
  size_t held_bytes() const;

 private:
  struct Assembly {
    Assembly(uint16_t seq, uint32_t len)
        : message_seq(seq), length(len), body(len, 0), present(len, false) {}
    uint16_t message_seq;
    uint32_t length;
    uint16_t version = 0;    // of the record carrying offset 0
    uint64_t sequence = 0;   // ditto
    bool have_start = false;
    size_t received = 0;     // distinct bytes present
    size_t fragments = 0;
    uint64_t touched = 0;    // when last added to (ClientHelloJoiner::clock_)
    Bytes body;
    std::vector<bool> present;
  };

  // Adds `fragment` to every assembly it agrees with (a new one if none)
  // and returns the joined records of those it completes, newest first.
  std::vector<Bytes> add_fragment(const Record& record, const HandshakeFragment& fragment);
  // Whether `f` agrees with what `a` holds (length, overlapping bytes).
  static bool agrees(const Assembly& a, const HandshakeFragment& f);
  // Adds f's bytes to a; the joined record if that completed it.
  std::optional<Bytes> fill(Assembly& a, const Record& record, const HandshakeFragment& f);
  void drop(JoinDrop reason) { ++drops_[static_cast<size_t>(reason)]; }

  Limits limits_;
  std::array<std::vector<Assembly>, 2> assemblies_;  // indexed by message_seq, oldest first
  uint64_t clock_ = 0;  // counts fragments added, for Assembly::touched
  std::array<uint64_t, kJoinDropCount> drops_{};
  uint64_t joined_ = 0;
};

}  // namespace wasmrtc::dtls
