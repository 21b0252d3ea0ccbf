#include "support/vnet.h"

#include <algorithm>

namespace wasmrtc::vnet {

using base::IpAddress;
using base::SocketAddress;

namespace {
std::pair<std::string, std::string> link_key(const IpAddress& a, const IpAddress& b) {
  std::string x = a.to_string(), y = b.to_string();
  if (y < x) std::swap(x, y);
  return {x, y};
}
// Many events at one instant are normal (a burst of datagrams); this many
// without the clock moving means an endpoint keeps asking for "now".
constexpr uint64_t kStallLimit = 200000;
}  // namespace

Network::Network(uint64_t seed, Timestamp start) : random_(seed), now_(start) {}

double Network::uniform() { return random_.next_u32() / 4294967296.0; }

void Network::attach(Endpoint& e) {
  if (std::find(endpoints_.begin(), endpoints_.end(), &e) == endpoints_.end()) {
    endpoints_.push_back(&e);
  }
}

void Network::detach(Endpoint& e) {
  endpoints_.erase(std::remove(endpoints_.begin(), endpoints_.end(), &e), endpoints_.end());
  for (auto it = bound_.begin(); it != bound_.end();) {
    it = it->second == &e ? bound_.erase(it) : std::next(it);
  }
}

void Network::bind(const SocketAddress& local, Endpoint& e) { bound_[local.to_string()] = &e; }

void Network::unbind(const SocketAddress& local) { bound_.erase(local.to_string()); }

void Network::set_link(const IpAddress& a, const IpAddress& b, const LinkProfile& p) {
  links_[link_key(a, b)] = p;
}

const LinkProfile& Network::link(const IpAddress& a, const IpAddress& b) const {
  auto it = links_.find(link_key(a, b));
  return it == links_.end() ? default_link_ : it->second;
}

void Network::set_host_up(const IpAddress& ip, bool up) {
  if (up) {
    down_.erase(ip.to_string());
  } else {
    down_.insert(ip.to_string());
  }
}

void Network::add_nat(std::vector<IpAddress> internal, const IpAddress& external, NatType type) {
  Nat nat;
  nat.internal = std::move(internal);
  nat.external = external;
  nat.type = type;
  nats_.push_back(std::move(nat));
}

Network::Nat* Network::nat_of_internal(const IpAddress& ip) {
  for (Nat& n : nats_) {
    if (std::find(n.internal.begin(), n.internal.end(), ip) != n.internal.end()) return &n;
  }
  return nullptr;
}

Network::Nat* Network::nat_of_external(const IpAddress& ip) {
  for (Nat& n : nats_) {
    if (n.external == ip) return &n;
  }
  return nullptr;
}

void Network::send(const SocketAddress& from, const SocketAddress& to, base::ByteView data) {
  ++stats_.sent;
  const LinkProfile& l = link(from.ip, to.ip);
  if (!l.up || !host_up(from.ip) || !host_up(to.ip) || uniform() < l.loss) {
    ++stats_.lost;
    return;
  }
  // Private addresses behind a NAT are unreachable from outside it.
  if (Nat* inner = nat_of_internal(to.ip); inner && inner != nat_of_internal(from.ip)) {
    ++stats_.unroutable;
    return;
  }
  SocketAddress source = from;
  // Source NAT, unless the destination is behind the same NAT.
  if (Nat* nat = nat_of_internal(from.ip); nat && nat != nat_of_internal(to.ip)) {
    Mapping* m = nullptr;
    for (Mapping& x : nat->mappings) {
      if (x.internal == from && (nat->type != NatType::Symmetric || x.remote == to)) {
        m = &x;
        break;
      }
    }
    if (m == nullptr) {
      Mapping fresh;
      fresh.internal = from;
      if (nat->type == NatType::Symmetric) fresh.remote = to;
      fresh.port = nat->next_port++;
      nat->mappings.push_back(fresh);
      m = &nat->mappings.back();
    }
    m->permitted.insert(to.ip.to_string());
    m->permitted.insert(to.to_string());
    source = SocketAddress{nat->external, m->port};
  }
  const int copies = uniform() < l.duplicate ? 2 : 1;
  if (copies == 2) ++stats_.duplicated;
  for (int i = 0; i < copies; ++i) {
    Duration d = l.delay;
    if (l.jitter > Duration::zero()) {
      d += Duration::micros(static_cast<int64_t>(uniform() * static_cast<double>(l.jitter.us())));
    }
    queue_.push(Packet{now_ + d, seq_++, source, to, base::Bytes(data.begin(), data.end())});
  }
}

void Network::deliver(Packet& p) {
  SocketAddress to = p.to;
  if (Nat* nat = nat_of_external(to.ip)) {
    Mapping* m = nullptr;
    for (Mapping& x : nat->mappings) {
      if (x.port == to.port) {
        m = &x;
        break;
      }
    }
    if (m == nullptr) {
      ++stats_.unroutable;
      return;
    }
    bool allowed = true;
    switch (nat->type) {
      case NatType::FullCone: break;
      case NatType::AddressRestricted: allowed = m->permitted.count(p.from.ip.to_string()) > 0; break;
      case NatType::PortRestricted:
      case NatType::Symmetric: allowed = m->permitted.count(p.from.to_string()) > 0; break;
    }
    if (!allowed) {
      ++stats_.filtered;
      return;
    }
    to = m->internal;
  }
  if (!host_up(to.ip) || !host_up(p.to.ip)) {
    ++stats_.lost;
    return;
  }
  auto it = bound_.find(to.to_string());
  if (it == bound_.end()) {
    ++stats_.unroutable;
    return;
  }
  ++stats_.delivered;
  it->second->receive(now_, to, p.from, p.data);
}

void Network::flush() {
  // send() only queues, so this never recurses into receive(); passes
  // repeat while some endpoint gave another one work.
  for (int pass = 0; pass < 64; ++pass) {
    bool any = false;
    for (Endpoint* e : std::vector<Endpoint*>(endpoints_)) any = e->flush(now_, *this) || any;
    if (!any) return;
  }
}

bool Network::step(Timestamp limit) {
  if (stalled_) return false;
  std::optional<Timestamp> next;
  if (!queue_.empty()) next = queue_.top().at;
  for (Endpoint* e : endpoints_) {
    base::Deadline d = e->deadline();
    if (d.is_set() && (!next || d.value() < *next)) next = d.value();
  }
  if (!next || *next > limit) return false;
  if (*next > now_) {
    now_ = *next;
    stall_count_ = 0;
  } else if (++stall_count_ > kStallLimit) {
    stalled_ = true;
    return false;
  }
  if (!queue_.empty() && queue_.top().at <= now_) {
    Packet p = queue_.top();
    queue_.pop();
    deliver(p);
  } else {
    for (Endpoint* e : std::vector<Endpoint*>(endpoints_)) {
      if (e->deadline().is_due(now_)) e->timeout(now_);
    }
  }
  flush();
  return true;
}

void Network::run_until(Timestamp t) {
  flush();
  while (step(t)) {
  }
  if (!stalled_ && now_ < t) now_ = t;
}

bool Network::run_until(const std::function<bool()>& done, Duration max) {
  flush();
  const Timestamp limit = now_ + max;
  if (done()) return true;
  while (step(limit)) {
    if (done()) return true;
  }
  if (!stalled_ && now_ < limit) now_ = limit;
  return done();
}

}  // namespace wasmrtc::vnet
