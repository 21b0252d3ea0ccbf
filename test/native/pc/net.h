// Two Engines on an in-memory network with a simulated clock, for the pc
// tests: the test is the signaling channel and the wire (5 ms one way).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "pc/engine.h"

namespace wasmrtc::pc::test {

using base::Timestamp;

struct Side {
  explicit Side(uint64_t seed) : random(seed), engine(random) {}
  base::SeededRandom random;
  Engine engine;
  std::vector<Record> events;
  ice::SocketId socket = 0;
  base::SocketAddress address;
};

struct Packet {
  Timestamp at;
  int to;  // side index
  ice::SocketId socket;
  base::SocketAddress from;
  base::Bytes data;
};

class Net {
 public:
  Net() : sides_{Side(1), Side(2)} {
    for (int i = 0; i < 2; ++i) {
      sides_[i].socket = static_cast<ice::SocketId>(i + 1);
      sides_[i].address = *base::SocketAddress::parse(i == 0 ? "10.0.0.1:1000" : "10.0.0.2:2000");
      PeerConnectionInit init;
      init.now_unix = 1700000000;
      EXPECT_TRUE(sides_[i].engine.create_peer_connection(1, init).ok());
      sides_[i].engine.add_host_socket(1, sides_[i].socket, sides_[i].address);
    }
  }

  Side& side(int i) { return sides_[i]; }
  PeerConnection& pc(int i) { return *sides_[i].engine.find(1); }
  Timestamp now() const { return now_; }

  // Drains both engines: transmits go on the wire, candidates are trickled
  // to the other side (the test is the signaling channel).
  void drain() {
    for (int i = 0; i < 2; ++i) {
      while (auto o = sides_[i].engine.poll_output()) {
        if (auto* t = std::get_if<ice::Transmit>(&*o)) {
          const int to = t->destination == sides_[0].address ? 0 : t->destination == sides_[1].address ? 1 : -1;
          if (to >= 0 && !(drop_ && drop_(t->data)))
            wire_.push(Packet{now_ + base::Duration::millis(5), to, sides_[to].socket, sides_[i].address, t->data});
        } else if (auto* e = std::get_if<PcEvent>(&*o)) {
          if (e->event.get_string("type") == "icecandidate") {
            pending_candidates_.push_back({1 - i, *e->event.get_string("candidate")});
          }
          sides_[i].events.push_back(e->event);
        }
      }
    }
    if (trickle_) {
      auto list = std::move(pending_candidates_);
      pending_candidates_.clear();
      for (auto& [to, line] : list) {
        auto r = pc(to).add_ice_candidate(now_, line, std::string("0"), std::nullopt, std::nullopt);
        EXPECT_TRUE(r.ok()) << line;
      }
    }
  }

  // Runs the simulation until `done` or the simulated deadline.
  bool run_until(const std::function<bool()>& done, base::Duration limit = base::Duration::seconds(30)) {
    const Timestamp end = now_ + limit;
    drain();
    while (!done()) {
      Timestamp next = end;
      if (!wire_.empty()) next = std::min(next, wire_.front().at);
      if (tick_) next = std::min(next, next_tick_);
      for (auto& s : sides_) {
        auto d = s.engine.poll_timeout();
        if (d.is_set()) next = std::min(next, std::max(d.value(), now_));
      }
      if (next >= end) return done();
      now_ = next;
      while (!wire_.empty() && wire_.front().at <= now_) {
        Packet p = std::move(wire_.front());
        wire_.pop();
        sides_[p.to].engine.handle_datagram(now_, p.socket, p.from, p.data);
      }
      if (tick_ && next_tick_ <= now_) {
        next_tick_ = next_tick_ + period_;
        tick_(now_);
      }
      for (auto& s : sides_) s.engine.handle_timeout(now_);
      drain();
    }
    return true;
  }

  bool has_event(int i, const std::string& type, const std::string& key = "", const std::string& value = "") {
    for (const auto& e : sides_[i].events) {
      if (e.get_string("type") != type) continue;
      if (key.empty() || e.get_string(key) == value) return true;
    }
    return false;
  }

  void set_trickle(bool on) { trickle_ = on; }
  // Called every `period` of simulated time (an audio source, say).
  void every(base::Duration period, std::function<void(Timestamp)> tick) {
    period_ = period;
    tick_ = std::move(tick);
    next_tick_ = now_ + period;
  }
  void set_drop(std::function<bool(const base::Bytes&)> drop) { drop_ = std::move(drop); }

 private:
  Side sides_[2];
  std::queue<Packet> wire_;
  std::vector<std::pair<int, std::string>> pending_candidates_;
  Timestamp now_ = Timestamp::from_millis(1000);
  bool trickle_ = true;
  std::function<bool(const base::Bytes&)> drop_;
  base::Duration period_;
  std::function<void(Timestamp)> tick_;
  Timestamp next_tick_;
};

inline std::string sdp_of(const Result<Record>& r) { return *r->get_string("sdp"); }

}  // namespace wasmrtc::pc::test
