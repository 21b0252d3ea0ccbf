// A simulated network for TURN client tests: one turn::Client, one or more
// test servers, a clock that jumps from event to event, a fixed one-way
// latency, and knobs for loss and (on streams) re-chunking. Deterministic:
// the same test always sees the same bytes at the same times.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/random.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "support/turn_server.h"
#include "turn/client.h"

namespace wasmrtc::turn::test {

inline base::SocketAddress addr(const char* text) { return *base::SocketAddress::parse(text); }
inline base::IpAddress ip(const char* text) { return *base::IpAddress::parse(text); }
inline base::Bytes bytes_of(const std::string& s) { return base::Bytes(s.begin(), s.end()); }

// How stream bytes are cut on their way to the client.
enum class Chunking {
  AsSent,      // one handle_input per transmit
  ByteByByte,  // one handle_input per byte
  Merged,      // everything arriving at the same instant in one handle_input
};

class Network {
 public:
  explicit Network(Transport transport = Transport::Datagram) : transport_(transport) {}

  base::Timestamp now = base::Timestamp::from_millis(1'000'000);
  base::Duration latency = base::Duration::millis(20);
  base::SeededRandom random{7};
  base::SocketAddress client_address = addr("192.0.2.10:50000");
  Chunking chunking = Chunking::AsSent;
  // Drop the next N messages in one direction (counted per message).
  int drop_to_server = 0;
  int drop_to_client = 0;
  // Or decide per message: true drops it.
  std::function<bool(const base::Bytes&)> drop_to_server_if;

  TestServer& add_server(ServerOptions options) {
    options.transport = transport_;
    const std::string key = options.address.to_string();
    servers_[key] = std::make_unique<TestServer>(std::move(options));
    return *servers_[key];
  }

  Config client_config(const base::SocketAddress& server) const {
    Config c;
    c.server = server;
    c.transport = transport_;
    c.username = "alice";
    c.password = "secret";
    return c;
  }

  Client& make_client(Config config) {
    client_ = std::make_unique<Client>(std::move(config), random);
    return *client_;
  }

  Client& client() { return *client_; }
  TestServer& server(const base::SocketAddress& a) { return *servers_.at(a.to_string()); }

  // Delivers everything due and runs timers up to `until`.
  void run_until(base::Timestamp until) {
    for (int guard = 0; guard < 1'000'000; ++guard) {
      pump();
      std::optional<base::Timestamp> next;
      for (const Flight& f : flights_) next = next ? std::min(*next, f.at) : f.at;
      if (auto d = client_->poll_timeout().get()) next = next ? std::min(*next, *d) : *d;
      if (!next || *next > until) break;
      now = std::max(now, *next);
      deliver_due();
      if (client_->poll_timeout().is_due(now)) client_->handle_timeout(now);
      if (guard == 999'999) ADD_FAILURE() << "simulation does not advance";
    }
    now = std::max(now, until);
    pump();
  }
  void run_for(base::Duration d) { run_until(now + d); }

  // Runs until `done` holds or `limit` passes; true if `done` held.
  bool run_while_not(const std::function<bool()>& done,
                     base::Duration limit = base::Duration::seconds(120)) {
    const base::Timestamp end = now + limit;
    while (!done()) {
      if (now >= end) return false;
      run_until(std::min(end, now + base::Duration::millis(10)));
    }
    return true;
  }

  // A peer sends `data` to the client's relayed address through `server`.
  void peer_sends(TestServer& s, const base::SocketAddress& peer, const std::string& data) {
    auto relayed = s.relayed_address(client_address);
    ASSERT_TRUE(relayed.has_value());
    const base::Bytes b = bytes_of(data);
    s.handle_from_peer(now, peer, *relayed, b);
    pump();
  }

  // --- What came out.
  std::vector<Event> events;
  std::vector<ToPeer> to_peers;
  int transmits_to_server = 0;

  template <typename T>
  std::vector<T> events_of() const {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }
  template <typename T>
  bool has_event() const {
    return !events_of<T>().empty();
  }
  std::vector<std::string> peer_payloads() const {
    std::vector<std::string> out;
    for (const ToPeer& p : to_peers) out.emplace_back(p.data.begin(), p.data.end());
    return out;
  }

 private:
  struct Flight {
    base::Timestamp at;
    bool to_server = false;
    base::SocketAddress server;
    base::Bytes data;
  };

  // Moves new output of the client and servers into the network.
  void pump() {
    for (bool moved = true; moved;) {
      moved = false;
      if (client_) {
        while (auto t = client_->poll_transmit()) {
          moved = true;
          ++transmits_to_server;
          if (drop_to_server > 0) {
            --drop_to_server;
            continue;
          }
          if (drop_to_server_if && drop_to_server_if(t->data)) continue;
          flights_.push_back(Flight{now + latency, true, t->destination, std::move(t->data)});
        }
        while (auto e = client_->poll_event()) {
          moved = true;
          events.push_back(std::move(*e));
        }
      }
      for (auto& [name, s] : servers_) {
        while (auto t = s->poll_to_client()) {
          moved = true;
          if (drop_to_client > 0) {
            --drop_to_client;
            continue;
          }
          flights_.push_back(
              Flight{now + latency, false, s->options().address, std::move(t->data)});
        }
        while (auto p = s->poll_to_peer()) {
          moved = true;
          to_peers.push_back(std::move(*p));
        }
      }
    }
  }

  void deliver_due() {
    std::vector<Flight> due;
    std::vector<Flight> later;
    for (Flight& f : flights_) (f.at <= now ? due : later).push_back(std::move(f));
    flights_ = std::move(later);
    base::Bytes merged;
    for (Flight& f : due) {
      if (f.to_server) {
        auto it = servers_.find(f.server.to_string());
        if (it != servers_.end()) it->second->handle_from_client(now, client_address, f.data);
        continue;
      }
      if (!client_->is_server(f.server)) continue;  // the embedder's socket filter
      if (transport_ == Transport::Datagram || chunking == Chunking::AsSent) {
        client_->handle_input(now, f.data);
      } else if (chunking == Chunking::ByteByByte) {
        for (uint8_t b : f.data) client_->handle_input(now, base::ByteView(&b, 1));
      } else {
        merged.insert(merged.end(), f.data.begin(), f.data.end());
      }
    }
    if (!merged.empty()) client_->handle_input(now, merged);
  }

  Transport transport_;
  std::map<std::string, std::unique_ptr<TestServer>> servers_;
  std::unique_ptr<Client> client_;
  std::vector<Flight> flights_;
};

}  // namespace wasmrtc::turn::test
