// A DTLS 1.2 endpoint (RFC 6347) for WebRTC (RFC 5763, RFC 8842), sans-IO:
// datagrams and time go in, datagrams, events and a deadline come out.
// No sockets, threads or clocks: `now` is always a parameter, randomness is
// the base::Random passed in.
//
//   auto t = Transport::create(config, random).value();
//   t->start(now);
//   loop: t->handle_input(now, datagram) / t->handle_timeout(now) / t->send(now, bytes)
//         then drain poll_transmit() and poll_event(), and wake at poll_timeout().
//
// Built on Mbed TLS 2.28 through memory callbacks (set_bio, set_timer_cb).
// Two of its gaps are closed here: a fragmented ClientHello is joined
// before Mbed TLS sees it (handshake_reassembly.h), and DTLS-SRTP keys are
// exported from the captured master secret (keying_material.h).
//
// Authentication is WebRTC's: no CA. Both sides must present a certificate
// (the server requests one) and the peer's must match an a=fingerprint
// (RFC 8122 section 5). Remote fingerprints may arrive late (the answer is
// still in flight when the handshake ends): Connected is then held, and
// any data received is held too, until set_remote_fingerprints() decides.
// No Data event is ever delivered from an unverified peer.
//
// Not thread-safe; one thread (the engine's loop) calls everything. Events
// are only produced inside these calls and only returned by poll_event().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"
#include "base/time.h"
#include "dtls/certificate.h"
#include "dtls/error.h"
#include "dtls/events.h"
#include "dtls/fingerprint.h"
#include "dtls/srtp.h"

namespace wasmrtc::dtls {

// The most a record adds to its payload with any suite we negotiate (all
// AEAD): 13-byte header + 8-byte explicit nonce + 16-byte tag for AES-GCM
// (RFC 5288), ChaCha20-Poly1305 takes 29. Layers above size their packets
// before the suite is known (SCTP's INIT goes out right after the
// handshake) as Config::mtu minus this.
inline constexpr size_t kMaxRecordOverhead = 13 + 8 + 16;

struct Config {
  Role role = Role::Client;
  // Our identity. Required.
  Certificate certificate;
  // The peer's a=fingerprint values, if already known (else see
  // set_remote_fingerprints).
  std::vector<Fingerprint> remote_fingerprints;
  // use_srtp profiles to offer (client) or accept (server), most preferred
  // first; empty: no use_srtp extension. Each must be is_supported(). At most
  // MBEDTLS_TLS_SRTP_MAX_PROFILE_LIST_LENGTH (4). Default: every profile the
  // linked Mbed TLS supports, in our preference order (GCM first if it can).
  std::vector<SrtpProfile> srtp_profiles{supported_srtp_profiles().begin(),
                                         supported_srtp_profiles().end()};
  // Largest datagram we send (records included); handshake messages are
  // fragmented to fit. 1200 leaves room for IPv6 + UDP + TURN framing on a
  // 1280-byte path. At least 256.
  size_t mtu = 1200;
  // Handshake retransmission timer (RFC 6347 section 4.2.4.1): starts at
  // `min`, doubles on every expiry, and the handshake fails once an
  // interval of `max` has passed unanswered. 400 ms is above the worst RTT
  // ICE normally finds (relays included), so a retransmission is rarely
  // spurious, yet a lost flight costs 0.4 s rather than RFC 6347's 1 s.
  // With 12.8 s the schedule is 0.4, 0.8, 1.6, 3.2, 6.4, 12.8 s: five
  // retransmissions and Failed(Timeout) 25.2 s after the last progress,
  // within ICE consent freshness (30 s, RFC 7675).
  base::Duration handshake_timeout_min = base::Duration::millis(400);
  base::Duration handshake_timeout_max = base::Duration::millis(12800);
  // Server: answer the first ClientHello with a HelloVerifyRequest cookie
  // (RFC 6347 section 4.2.1). Off by default: in WebRTC, ICE connectivity
  // checks have already shown the client receives at this address, which
  // is what the cookie proves, and it costs a round trip.
  bool hello_verify = false;
};

// Counters of what was dropped before reaching Mbed TLS, for getStats and
// debugging.
struct TransportStats {
  uint64_t datagrams_received = 0;
  uint64_t datagrams_sent = 0;
  uint64_t datagrams_dropped = 0;       // not DTLS, too big, or after close
  uint64_t records_dropped = 0;         // filtered out (see transport.cc, filter_for_mbedtls)
  uint64_t client_hellos_joined = 0;    // by the ClientHello joiner
  uint64_t join_drops = 0;              // fragments the joiner refused (all reasons)
  uint64_t handshake_restarts = 0;      // server: malformed ClientHello, waited for another
  uint64_t data_held = 0;               // records held for a late fingerprint
  uint64_t data_dropped = 0;            // held data over the limit, or from a rejected peer
};

class Transport {
 public:
  // Fails with InvalidConfig (no certificate, MTU < 256, bad timeouts),
  // UnsupportedSrtpProfile, or Internal. `random` must outlive the Transport.
  static Result<std::unique_ptr<Transport>> create(Config config, base::Random& random);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // new -> connecting. The client sends its ClientHello; the server waits
  // (a server also starts by itself on its first datagram).
  void start(base::Timestamp now);

  // One received datagram (RFC 7983 demultiplexing put it here: first byte
  // 20..63). Garbage is dropped and counted, never fatal.
  void handle_input(base::Timestamp now, base::ByteView datagram);

  // Call when poll_timeout() is due (earlier or later is harmless).
  void handle_timeout(base::Timestamp now);

  // The peer's a=fingerprint values (RFC 8122 section 5: the strongest hash
  // among them is used). If the handshake is already done this decides:
  // Connected, or Failed(FingerprintMismatch) with a fatal alert. Errors:
  // UnsupportedHashFunction (empty list), InvalidState (already verified),
  // Closed.
  Result<void> set_remote_fingerprints(base::Timestamp now, std::vector<Fingerprint> fingerprints);

  // Sends one record of application data. NotConnected before Connected,
  // Closed after, MessageTooLong above max_payload().
  Result<void> send(base::Timestamp now, base::ByteView data);

  // Sends close_notify (RFC 5246 section 7.2.1) if connected; -> closed.
  // Emits Closed{by_peer = false}. Idempotent.
  void close(base::Timestamp now);

  std::optional<base::Bytes> poll_transmit();
  std::optional<Event> poll_event();
  // When to call handle_timeout; unset when no timer runs.
  base::Deadline poll_timeout() const;

  State state() const;
  Role role() const;
  // Largest send() that fits one datagram of `mtu` bytes (0 before
  // Connected, as it depends on the cipher suite; never below
  // Config::mtu - kMaxRecordOverhead).
  size_t max_payload() const;
  const Certificate& local_certificate() const;
  TransportStats stats() const;

 private:
  struct Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::dtls
