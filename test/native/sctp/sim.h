// Two Associations joined by a simulated link: packets move between them
// directly (no DTLS), time is simulated, and the link may lose, delay and
// reorder packets deterministically (STYLE.md: time is a parameter).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "base/random.h"
#include "sctp/association.h"

namespace wasmrtc::sctp::test {

struct LinkConfig {
  Duration delay = Duration::millis(5);  // one way
  double loss = 0.0;                     // per packet, 0..1
  Duration jitter = Duration::zero();    // extra random delay in [0, jitter): reordering
};

// One SCTP packet seen on the link.
struct Captured {
  int from;  // 0 = a, 1 = b
  base::Bytes bytes;
};

class Sim {
 public:
  explicit Sim(Config a_config = client_config(), Config b_config = server_config(),
               LinkConfig link = {}, uint64_t seed = 1)
      : a(a_config), b(b_config), link_(link), random_(seed) {}

  static Config client_config() {
    Config c;
    c.dtls_client = true;
    return c;
  }
  static Config server_config() {
    Config c;
    c.dtls_client = false;
    return c;
  }

  Association& side(int i) { return i == 0 ? a : b; }
  std::vector<Event>& events(int i) { return i == 0 ? events_a : events_b; }

  void start() {
    ASSERT_TRUE(a.start(now).ok());
    ASSERT_TRUE(b.start(now).ok());
  }

  bool connect(Duration limit = Duration::seconds(30)) {
    start();
    return run_until([&] { return has<event::Connected>(0) && has<event::Connected>(1); }, limit);
  }

  // Moves time forward event by event until `done` or `limit` has passed.
  bool run_until(const std::function<bool()>& done, Duration limit = Duration::seconds(30)) {
    const Timestamp end = now + limit;
    for (int guard = 0; guard < 10'000'000; ++guard) {
      drain();
      if (done()) return true;
      Timestamp next = end + Duration::micros(1);
      for (const auto& p : in_flight_) next = std::min(next, p.at);
      for (int i = 0; i < 2; ++i) {
        Deadline d = side(i).poll_timeout();
        if (d.is_set()) next = std::min(next, std::max(d.value(), now));
      }
      if (next > end) {
        now = end;
        return done();
      }
      now = next;
      deliver_due();
      for (int i = 0; i < 2; ++i) {
        if (side(i).poll_timeout().is_due(now)) side(i).handle_timeout(now);
      }
    }
    ADD_FAILURE() << "simulation did not settle";
    return false;
  }

  // Lets time pass (timers, retransmissions, SACKs).
  void run_for(Duration d) { run_until([] { return false; }, d); }

  template <typename E>
  bool has(int i) const {
    const auto& ev = i == 0 ? events_a : events_b;
    return std::any_of(ev.begin(), ev.end(),
                       [](const Event& e) { return std::holds_alternative<E>(e); });
  }

  template <typename E>
  std::vector<E> all(int i) const {
    std::vector<E> out;
    for (const Event& e : (i == 0 ? events_a : events_b)) {
      if (auto* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }

  template <typename E>
  size_t count(int i) const {
    return all<E>(i).size();
  }

  // Messages side i received on channel `id`.
  std::vector<event::Message> messages(int i, uint16_t id) const {
    std::vector<event::Message> out;
    for (auto& m : all<event::Message>(i)) {
      if (m.id == id) out.push_back(m);
    }
    return out;
  }

  void set_link(LinkConfig link) { link_ = link; }

  Association a;
  Association b;
  std::vector<Event> events_a;
  std::vector<Event> events_b;
  std::vector<Captured> captured;  // every packet put on the link (before loss)
  bool capture = false;
  size_t largest_packet = 0;
  // Sees every packet before the link does: may rewrite it (then call
  // fix_checksum) or return false to drop it.
  std::function<bool(int from, base::Bytes& packet)> filter;
  Timestamp now = Timestamp::from_millis(1000);

 private:
  struct InFlight {
    Timestamp at;
    int to;
    base::Bytes bytes;
  };

  void drain() {
    for (bool moved = true; moved;) {
      moved = false;
      for (int i = 0; i < 2; ++i) {
        while (auto p = side(i).poll_transmit()) {
          moved = true;
          largest_packet = std::max(largest_packet, p->size());
          if (capture) captured.push_back({i, *p});
          if (filter && !filter(i, *p)) continue;
          if (link_.loss > 0 && random_.uniform(1'000'000) < link_.loss * 1'000'000) continue;
          Duration extra = link_.jitter.us() > 0
                               ? Duration::micros(random_.uniform(
                                     static_cast<uint32_t>(link_.jitter.us())))
                               : Duration::zero();
          in_flight_.push_back({now + link_.delay + extra, 1 - i, std::move(*p)});
        }
        while (auto e = side(i).poll_event()) {
          moved = true;
          events(i).push_back(std::move(*e));
        }
      }
    }
  }

  void deliver_due() {
    // Stable: equal times keep their sending order.
    std::stable_sort(in_flight_.begin(), in_flight_.end(),
                     [](const InFlight& x, const InFlight& y) { return x.at < y.at; });
    while (!in_flight_.empty() && in_flight_.front().at <= now) {
      InFlight p = std::move(in_flight_.front());
      in_flight_.pop_front();
      side(p.to).handle_input(now, p.bytes);
    }
  }

  LinkConfig link_;
  base::SeededRandom random_;
  std::deque<InFlight> in_flight_;
};

// The DATA (RFC 4960 section 3.3.1) and I-DATA (RFC 8260 section 2.1)
// chunks of one SCTP packet: stream, PPID (first fragment only for
// I-DATA), flags and user data.
struct DataChunk {
  bool idata;
  uint8_t flags;  // U = 0x04, B = 0x02, E = 0x01
  uint16_t sid;
  std::optional<uint32_t> ppid;
  base::Bytes data;
};
std::vector<DataChunk> data_chunks(base::ByteView packet);

// Offsets of the DATA / I-DATA chunks in a packet (start of each chunk).
std::vector<size_t> data_chunk_offsets(base::ByteView packet);

// Recomputes the CRC32c of a rewritten packet (RFC 4960 appendix B).
void fix_checksum(base::Bytes& packet);

inline base::Bytes bytes_of(std::string_view s) { return base::Bytes(s.begin(), s.end()); }

}  // namespace wasmrtc::sctp::test
