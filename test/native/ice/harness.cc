#include "ice/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "stun/address_attributes.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::ice::test {

bool trace() {
  static const bool on = std::getenv("WASMRTC_ICE_TRACE") != nullptr;
  return on;
}

SocketAddress addr(const char* text) {
  auto a = SocketAddress::parse(text);
  return a ? *a : SocketAddress{};
}

// ---------------------------------------------------------------- AgentPeer

AgentPeer::AgentPeer(vnet::Network& net, std::string name, Config config, uint64_t seed)
    : net_(net), name_(std::move(name)), random_(seed) {
  if (config.local.ufrag.empty()) config.local = random_credentials(random_);
  agent_ = std::make_unique<Agent>(config, random_);
  net_.attach(*this);
}

AgentPeer::~AgentPeer() {
  // Every scenario: no endpoint may keep asking for "now" without progress.
  EXPECT_FALSE(net_.stalled()) << name_ << ": the network driver stalled";
  net_.detach(*this);
}

SocketId AgentPeer::add_socket(const SocketAddress& local) {
  const SocketId id = next_socket_++;
  sockets_[id] = local;
  net_.bind(local, *this);
  agent_->add_host_socket(id, local);
  return id;
}

void AgentPeer::drop_socket(SocketId id) {
  auto it = sockets_.find(id);
  if (it == sockets_.end()) return;
  net_.unbind(it->second);
  sockets_.erase(it);
}

void AgentPeer::signal_to(AgentPeer& other, Duration delay) {
  peer_ = &other;
  signal_delay_ = delay;
  send_credentials();
}

void AgentPeer::send_credentials(bool lite) {
  if (peer_ == nullptr) return;
  peer_->agent().set_remote_credentials(agent_->local_credentials(), lite);
}

std::optional<Timestamp> AgentPeer::first_time_in(State s) const {
  for (const auto& [t, st] : states) {
    if (st == s) return t;
  }
  return std::nullopt;
}

std::optional<Timestamp> AgentPeer::last_time_in(State s) const {
  std::optional<Timestamp> out;
  for (const auto& [t, st] : states) {
    if (st == s) out = t;
  }
  return out;
}

void AgentPeer::receive(Timestamp now, const SocketAddress& local, const SocketAddress& from,
                        base::ByteView data) {
  for (const auto& [id, a] : sockets_) {
    if (a == local) {
      agent_->handle_datagram(now, id, from, data);
      return;
    }
  }
}

void AgentPeer::timeout(Timestamp now) {
  deliver_signals(now);
  if (agent_->poll_timeout().is_due(now)) agent_->handle_timeout(now);
}

base::Deadline AgentPeer::deadline() const {
  base::Deadline d = agent_->poll_timeout();
  if (!signals_.empty()) d.merge(signals_.front().at);
  return d;
}

void AgentPeer::deliver_signals(Timestamp now) {
  while (!signals_.empty() && signals_.front().at <= now && peer_ != nullptr) {
    Signal s = std::move(signals_.front());
    signals_.pop_front();
    if (s.candidate) {
      (void)peer_->agent().add_remote_candidate(now, *s.candidate);
    } else {
      peer_->agent().end_of_remote_candidates();
    }
  }
}

bool AgentPeer::flush(Timestamp now, vnet::Network& net) {
  bool any = false;
  if (agent_->state() == State::Closed) closed_seen = true;
  while (auto o = agent_->poll_output()) {
    any = true;
    if (auto* t = std::get_if<Transmit>(&*o)) {
      auto it = sockets_.find(t->socket);
      if (it != sockets_.end()) {
        ++datagrams_sent;
        if (trace()) std::fprintf(stderr, "%.3f %s send %zu bytes %s -> %s (first byte %d)\n", now.us() / 1e6, name_.c_str(), t->data.size(), it->second.to_string().c_str(), t->destination.to_string().c_str(), t->data.empty() ? -1 : t->data[0]);
        net.send(it->second, t->destination, t->data);
      }
      if (closed_seen) transmits_after_close.push_back(*t);
    } else if (auto* t = std::get_if<StreamTransmit>(&*o)) {
      auto it = streams_.find(t->stream);
      if (it != streams_.end()) it->second.write(now, std::move(t->data));
    } else if (auto* c = std::get_if<LocalCandidate>(&*o)) {
      candidates.push_back(c->candidate);
      if (peer_ != nullptr && (!candidate_filter || candidate_filter(c->candidate))) {
        signals_.push_back(Signal{now + signal_delay_, c->candidate});
      }
    } else if (auto* g = std::get_if<GatheringStateChanged>(&*o)) {
      gathering.push_back(g->state);
      if (g->state == GatheringState::Complete && peer_ != nullptr && signal_end_of_candidates) {
        signals_.push_back(Signal{now + signal_delay_, std::nullopt});
      }
    } else if (auto* e = std::get_if<CandidateError>(&*o)) {
      errors.push_back(*e);
    } else if (auto* s = std::get_if<StateChanged>(&*o)) {
      states.emplace_back(now, s->state);
      if (trace()) std::fprintf(stderr, "%.3f %s state %s\n", now.us() / 1e6, name_.c_str(), to_string(s->state));
    } else if (auto* p = std::get_if<SelectedPairChanged>(&*o)) {
      selections.push_back(*p);
      if (trace()) std::fprintf(stderr, "%.3f %s selected %s -> %s\n", now.us() / 1e6, name_.c_str(), p->local.to_sdp().c_str(), p->remote.to_sdp().c_str());
    } else if (auto* d = std::get_if<Data>(&*o)) {
      received.push_back(std::move(d->data));
    } else if (auto* r = std::get_if<RoleChanged>(&*o)) {
      role_changes.push_back(r->role);
    }
  }
  if (!signals_.empty() && signals_.front().at <= now) {
    deliver_signals(now);
    any = true;
  }
  if (agent_->state() == State::Closed) closed_seen = true;
  return any;
}

// ---------------------------------------------------------- StunServerStub

StunServerStub::StunServerStub(vnet::Network& net, const SocketAddress& address)
    : address_(address) {
  net.attach(*this);
  net.bind(address, *this);
}

void StunServerStub::receive(Timestamp, const SocketAddress&, const SocketAddress& from,
                             base::ByteView data) {
  auto m = stun::parse(data);
  if (!m || m->message_class != stun::MessageClass::Request) return;
  ++requests;
  if (silent) return;
  stun::Message r(stun::MessageClass::SuccessResponse, m->method, m->transaction_id);
  stun::add_xor_mapped_address(r, from);
  stun::SerializeOptions o;
  o.fingerprint = true;
  if (auto bytes = stun::serialize(r, o)) out_.emplace_back(from, std::move(*bytes));
}

bool StunServerStub::flush(Timestamp, vnet::Network& net) {
  const bool any = !out_.empty();
  for (auto& [to, bytes] : out_) net.send(address_, to, bytes);
  out_.clear();
  return any;
}

// ------------------------------------------------------ TurnServerEndpoint

TurnServerEndpoint::TurnServerEndpoint(vnet::Network& net, turn::test::ServerOptions options,
                                       int relay_ports)
    : server_(options) {
  net.attach(*this);
  net.bind(options.address, *this);
  for (int i = 0; i < relay_ports; ++i) {
    net.bind(SocketAddress{options.relay_ip, static_cast<uint16_t>(options.first_relay_port + i)},
             *this);
  }
}

void TurnServerEndpoint::connect_stream(AgentPeer& peer, StreamId id, const SocketAddress& client,
                                        Duration delay) {
  stream_clients_[client.to_string()] = StreamClient{&peer, id, delay};
  peer.attach_stream(id, AgentPeer::StreamSink{[this, client, delay](Timestamp now, base::Bytes b) {
                       chunks_.push_back(Chunk{now + delay, true, client, std::move(b)});
                     }});
}

void TurnServerEndpoint::receive(Timestamp now, const SocketAddress& local,
                                 const SocketAddress& from, base::ByteView data) {
  if (local == server_.options().address) {
    server_.handle_from_client(now, from, data);
  } else {
    server_.handle_from_peer(now, from, local, data);
  }
}

void TurnServerEndpoint::timeout(Timestamp now) {
  // Chunks are queued in time order per direction; deliver all that are due.
  std::deque<Chunk> later;
  while (!chunks_.empty()) {
    Chunk c = std::move(chunks_.front());
    chunks_.pop_front();
    if (c.at > now) {
      later.push_back(std::move(c));
      continue;
    }
    if (c.to_server) {
      server_.handle_from_client(now, c.client, c.data);
    } else if (auto it = stream_clients_.find(c.client.to_string()); it != stream_clients_.end()) {
      it->second.peer->agent().handle_stream_data(now, it->second.id, c.data);
    }
  }
  chunks_ = std::move(later);
}

base::Deadline TurnServerEndpoint::deadline() const {
  base::Deadline d;
  for (const Chunk& c : chunks_) d.merge(c.at);
  return d;
}

bool TurnServerEndpoint::flush(Timestamp now, vnet::Network& net) {
  bool any = false;
  while (auto m = server_.poll_to_client()) {
    any = true;
    auto it = stream_clients_.find(m->client.to_string());
    if (it != stream_clients_.end()) {
      chunks_.push_back(Chunk{now + it->second.delay, false, m->client, std::move(m->data)});
    } else {
      net.send(server_.options().address, m->client, m->data);
    }
  }
  while (auto p = server_.poll_to_peer()) {
    any = true;
    net.send(p->relayed, p->peer, p->data);
  }
  return any;
}

// ------------------------------------------------------------- scenarios

Config controlling_config() {
  Config c;
  c.role = Role::Controlling;
  return c;
}

Config controlled_config() {
  Config c;
  c.role = Role::Controlled;
  return c;
}

void start(AgentPeer& a, AgentPeer& b, Duration delay) {
  a.signal_to(b, delay);
  b.signal_to(a, delay);
  a.agent().gather(a.net().now());
  b.agent().gather(b.net().now());
  a.net().flush();
}

bool both_connected(const AgentPeer& a, const AgentPeer& b) {
  return a.connected() && b.connected();
}

bool selections_agree(AgentPeer& a, AgentPeer& b) {
  auto x = a.agent().selected_pair();
  auto y = b.agent().selected_pair();
  return x && y && x->first.address == y->second.address && x->second.address == y->first.address;
}

base::Bytes payload(const std::string& text) {
  base::Bytes b{23};
  b.insert(b.end(), text.begin(), text.end());
  return b;
}

bool deliver(vnet::Network& net, AgentPeer& from, AgentPeer& to, const base::Bytes& data,
             Duration max) {
  auto arrived = [&] {
    return std::find(to.received.begin(), to.received.end(), data) != to.received.end();
  };
  const Timestamp limit = net.now() + max;
  while (net.now() < limit) {
    if (!from.agent().send(net.now(), data).ok()) return false;
    net.flush();
    if (net.run_until(arrived, Duration::millis(20))) return true;
  }
  return arrived();
}

}  // namespace wasmrtc::ice::test
