// Shared helpers for the DTLS tests: certificates, fixtures, and a
// simulated network that moves datagrams between two Transports on a
// virtual clock, with loss, reordering, duplication and rewriting.
#pragma once

#include <deque>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/byte_writer.h"
#include "base/random.h"
#include "base/time.h"
#include "dtls/certificate.h"
#include "dtls/error.h"
#include "dtls/events.h"
#include "dtls/record.h"
#include "dtls/transport.h"

namespace wasmrtc::dtls {

inline void PrintTo(Error e, std::ostream* os) { *os << to_string(e); }
inline void PrintTo(State s, std::ostream* os) { *os << to_string(s); }

}  // namespace wasmrtc::dtls

namespace wasmrtc::dtls::test {

using base::Bytes;
using base::ByteView;
using base::Duration;
using base::Timestamp;

// 2023-11-14T22:13:20Z, an arbitrary fixed "wall clock" for certificates.
inline constexpr int64_t kWallClock = 1700000000;

inline Bytes load_data(const std::string& name) {
  std::ifstream in(std::string(WASMRTC_TEST_DATA_DIR) + "/dtls/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string load_text(const std::string& name) {
  Bytes b = load_data(name);
  return std::string(b.begin(), b.end());
}

inline Certificate make_certificate(uint64_t seed, const KeyParams& key = KeyParams::ecdsa_p256()) {
  base::SeededRandom random(seed);
  auto c = Certificate::generate(random, validity_around(kWallClock), key);
  EXPECT_TRUE(c.ok());
  return c.value_or(Certificate());
}

// The certificates most tests use, made once.
inline const Certificate& cert_a() {
  static const Certificate c = make_certificate(0xA);
  return c;
}
inline const Certificate& cert_b() {
  static const Certificate c = make_certificate(0xB);
  return c;
}

// An RSA one (1024 bits: the smallest we take, and quick to make).
inline const Certificate& cert_rsa() {
  static const Certificate c = make_certificate(0xC, KeyParams::rsa(1024));
  return c;
}

inline Config config_for(Role role, const Certificate& local, const Certificate* remote) {
  Config c;
  c.role = role;
  c.certificate = local;
  if (remote) c.remote_fingerprints = {remote->fingerprint()};
  return c;
}

// Splits every whole epoch-0 ClientHello record of `datagram` into
// fragments of at most `piece` body bytes, one record per fragment and one
// datagram per record (RFC 6347 section 4.2.3), as Chromium does with its
// large ClientHello. Other datagrams come back unchanged.
inline std::vector<Bytes> fragment_client_hello(const Bytes& datagram, size_t piece) {
  auto records = parse_records(datagram);
  if (records.size() != 1 || !is_whole_client_hello(records[0])) return {datagram};
  const Record& rec = records[0];
  auto hs = parse_handshake_fragment(rec.fragment).value();
  std::vector<Bytes> out;
  for (size_t off = 0; off < hs.length; off += piece) {
    const size_t len = std::min(piece, hs.length - off);
    base::ByteWriter w;
    w.u8(hs.msg_type);
    w.u24(hs.length);
    w.u16(hs.message_seq);
    w.u24(static_cast<uint32_t>(off));
    w.u24(static_cast<uint32_t>(len));
    w.bytes(hs.body.subspan(off, len));
    out.push_back(make_record(rec.content_type, rec.version, rec.epoch,
                              rec.sequence + out.size(), w.view()));
  }
  return out;
}

// The handshake type of the first record of a datagram, if it is a
// plaintext handshake record.
inline int first_handshake_type(const Bytes& datagram) {
  auto records = parse_records(datagram);
  if (records.empty() || records[0].content_type != kContentHandshake || records[0].epoch != 0 ||
      records[0].fragment.empty()) {
    return -1;
  }
  return records[0].fragment[0];
}

enum class Dir { AtoB, BtoA };

// Two transports, A and B, joined by a simulated link.
class Network {
 public:
  // Rewrites one datagram in flight: return nothing to drop it, several to
  // duplicate or split it. `index` counts datagrams sent in that direction.
  using Filter = std::function<std::vector<Bytes>(Dir dir, size_t index, const Bytes& datagram)>;

  Network(Config a, Config b, uint64_t seed = 1) : random_a_(seed), random_b_(seed + 1000) {
    auto ta = Transport::create(std::move(a), random_a_);
    auto tb = Transport::create(std::move(b), random_b_);
    EXPECT_TRUE(ta.ok() && tb.ok());
    a_ = std::move(ta).value();
    b_ = std::move(tb).value();
  }

  Transport& a() { return *a_; }
  Transport& b() { return *b_; }
  Timestamp now() const { return now_; }

  Filter filter;
  // Datagrams leaving one side at the same moment arrive in reverse order.
  bool reverse_batches = false;
  Duration delay = Duration::millis(10);

  std::vector<Event> events_a, events_b;
  std::vector<Bytes> sent_a, sent_b;  // everything each side transmitted

  void start() {
    a_->start(now_);
    b_->start(now_);
    pump();
  }

  // Advances simulated time, delivering datagrams and firing timers, until
  // `done()` or `limit` has passed or nothing is left to happen.
  bool run_until(const std::function<bool()>& done, Duration limit = Duration::seconds(120)) {
    const Timestamp end = now_ + limit;
    pump();
    while (!done()) {
      base::Deadline next = a_->poll_timeout();
      next.merge(b_->poll_timeout());
      if (!in_flight_.empty()) next.merge(in_flight_.begin()->first);
      if (!next.is_set() || next.value() > end) return done();
      now_ = std::max(now_, next.value());
      while (!in_flight_.empty() && in_flight_.begin()->first <= now_) {
        auto [at, packet] = std::move(*in_flight_.begin());
        in_flight_.erase(in_flight_.begin());
        (packet.to == Dir::AtoB ? b_ : a_)->handle_input(now_, packet.bytes);
      }
      if (a_->poll_timeout().is_due(now_)) a_->handle_timeout(now_);
      if (b_->poll_timeout().is_due(now_)) b_->handle_timeout(now_);
      pump();
    }
    return true;
  }

  bool both_connected() {
    return a_->state() == State::Connected && b_->state() == State::Connected;
  }
  bool run_until_connected(Duration limit = Duration::seconds(120)) {
    return run_until([&] { return both_connected(); }, limit);
  }

  // Moves transmitted datagrams into the link and events into the logs.
  void pump() {
    drain(*a_, Dir::AtoB, sent_a, events_a);
    drain(*b_, Dir::BtoA, sent_b, events_b);
  }

  // Hands a datagram straight to one side, bypassing the link.
  void inject(Dir to, ByteView datagram) {
    (to == Dir::AtoB ? b_ : a_)->handle_input(now_, datagram);
    pump();
  }

  void advance(Duration d) { now_ += d; }

 private:
  struct Packet {
    Dir to;
    Bytes bytes;
  };

  void drain(Transport& t, Dir dir, std::vector<Bytes>& sent, std::vector<Event>& events) {
    std::vector<Bytes> batch;
    while (auto d = t.poll_transmit()) {
      sent.push_back(*d);
      const size_t index = counter_[static_cast<int>(dir)]++;
      std::vector<Bytes> out = filter ? filter(dir, index, *d) : std::vector<Bytes>{*d};
      for (Bytes& o : out) batch.push_back(std::move(o));
    }
    if (reverse_batches) std::reverse(batch.begin(), batch.end());
    for (Bytes& d : batch) {
      // A tiny increasing offset keeps the order within a batch.
      in_flight_.emplace(now_ + delay + Duration::micros(static_cast<int64_t>(seq_++ % 1000)),
                         Packet{dir, std::move(d)});
    }
    while (auto e = t.poll_event()) events.push_back(std::move(*e));
  }

  base::SeededRandom random_a_;
  base::SeededRandom random_b_;
  std::unique_ptr<Transport> a_;
  std::unique_ptr<Transport> b_;
  Timestamp now_ = Timestamp::from_millis(1000000);
  std::multimap<Timestamp, Packet> in_flight_;
  size_t counter_[2] = {0, 0};
  uint64_t seq_ = 0;
};

template <typename T>
std::vector<T> events_of(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const Event& e : events) {
    if (auto* p = std::get_if<T>(&e)) out.push_back(*p);
  }
  return out;
}

inline std::vector<Bytes> data_of(const std::vector<Event>& events) {
  std::vector<Bytes> out;
  for (const Data& d : events_of<Data>(events)) out.push_back(d.bytes);
  return out;
}

}  // namespace wasmrtc::dtls::test
