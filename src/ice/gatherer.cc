#include "ice/gatherer.h"

#include "base/log.h"
#include "ice/stun_messages.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/parse.h"

namespace wasmrtc::ice {

using base::SocketAddress;
using base::Timestamp;

namespace {
// W3C webrtc-pc RTCPeerConnectionIceErrorEvent: 701 when no server answered.
constexpr int kUnreachable = 701;
}  // namespace

Gatherer::Gatherer(LocalCandidates& locals, base::Random& random, base::Duration stun_rto)
    : locals_(locals), random_(random), stun_rto_(stun_rto) {}

Gatherer::~Gatherer() = default;

const Gatherer::HostSocket* Gatherer::socket(SocketId id) const {
  for (const HostSocket& s : sockets_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool Gatherer::has_socket(SocketId id) const { return socket(id) != nullptr; }

void Gatherer::add_host_socket(Timestamp now, SocketId id, const SocketAddress& local) {
  if (closed_ || has_socket(id)) return;
  // RFC 8445 section 5.1.2.1: local preferences distinct per host address
  // (5.1.2.2 leaves the order to us: the order the embedder adds them).
  const auto preference = static_cast<uint16_t>(65535 - sockets_.size());
  sockets_.push_back(HostSocket{id, local, preference});
  if (started_) {
    gather_socket(now, sockets_.back());
    update_state();
  }
}

void Gatherer::add_stun_server(Timestamp now, const SocketAddress& server, std::string url) {
  if (closed_) return;
  servers_.push_back(StunServer{server, std::move(url)});
  if (!started_) return;
  for (const HostSocket& s : sockets_) {
    if (s.address.family() == server.family()) send_binding(now, servers_.size() - 1, s);
  }
  update_state();
}

void Gatherer::add_turn_server(Timestamp now, const TurnServer& server) {
  if (closed_) return;
  auto r = std::make_unique<Relay>();
  r->server = server;
  // Relayed candidates: UDP to the server before streams (TCP, WebSocket),
  // then in the order added (5.1.2.2 leaves the order to us).
  const auto n = static_cast<uint16_t>(relays_.size());
  r->local_preference = server.transport == TurnTransport::Udp ? 65535 - n : 32767 - n;
  relays_.push_back(std::move(r));
  if (started_) {
    start_relay(now, relays_.size() - 1);
    update_state();
  }
}

void Gatherer::start(Timestamp now) {
  if (started_ || closed_) return;
  started_ = true;
  state_ = GatheringState::Gathering;
  out_.push_back(GatheringStateChanged{state_});
  for (HostSocket& s : sockets_) gather_socket(now, s);
  for (size_t i = 0; i < relays_.size(); ++i) start_relay(now, i);
  update_state();
}

void Gatherer::reannounce() {
  if (!started_ || closed_) return;
  state_ = GatheringState::Gathering;
  out_.push_back(GatheringStateChanged{state_});
  for (size_t i = 0; i < locals_.size(); ++i) {
    if (locals_.at(i).candidate.type != CandidateType::PeerReflexive) {
      out_.push_back(NewCandidate{i});
    }
  }
  update_state();
}

void Gatherer::announce(const NewLocal& c) {
  if (auto index = locals_.add(c)) out_.push_back(NewCandidate{*index});
}

void Gatherer::gather_socket(Timestamp now, HostSocket& s) {
  if (s.gathered) return;
  s.gathered = true;
  // 5.1.1.1: the host candidate is its own base.
  announce(NewLocal{CandidateType::Host, s.address, s.address, Route::via_socket(s.id),
                    s.local_preference, std::nullopt, std::nullopt, std::nullopt, "", ""});
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (servers_[i].address.family() == s.address.family()) send_binding(now, i, s);
  }
}

void Gatherer::send_binding(Timestamp now, size_t server, const HostSocket& s) {
  const stun::TransactionId id = random_transaction_id(random_);
  base::Bytes request = encode_binding_request(id);
  const SocketAddress& to = servers_[server].address;
  out_.push_back(Transmit{s.id, to, request});
  bindings_.emplace(id, Binding{server, s.id,
                                StunTransaction(std::move(request), Route::via_socket(s.id), to, now,
                                                server_policy(stun_rto_))});
}

void Gatherer::start_relay(Timestamp now, size_t index) {
  Relay& r = *relays_[index];
  if (r.started) return;
  r.started = true;
  turn::Config config;
  config.server = r.server.address;
  config.username = r.server.username;
  config.password = r.server.password;
  if (r.server.transport == TurnTransport::Udp) {
    config.transport = turn::Transport::Datagram;
    // UDP to the server leaves from the first host socket of its family.
    for (const HostSocket& s : sockets_) {
      if (s.address.family() == r.server.address.family()) {
        r.socket = s.id;
        break;
      }
    }
    if (!r.socket) {
      fail_relay(index, kUnreachable, "no local socket of the TURN server's address family");
      return;
    }
  } else {
    config.transport = turn::Transport::Stream;
  }
  r.client = std::make_unique<turn::Client>(config, random_);
  r.client->allocate(now);
  drain_relay(index);
}

void Gatherer::fail_relay(size_t index, int code, std::string text) {
  Relay& r = *relays_[index];
  if (r.done) return;
  r.done = true;
  CandidateError e{r.server.url, code, std::move(text), std::nullopt};
  if (r.socket) {
    if (const HostSocket* s = socket(*r.socket)) e.local = s->address;
  }
  out_.push_back(std::move(e));
}

void Gatherer::drain_relay(size_t index) {
  Relay& r = *relays_[index];
  if (!r.client) return;
  while (auto t = r.client->poll_transmit()) {
    if (r.server.transport == TurnTransport::Udp) {
      out_.push_back(Transmit{*r.socket, t->destination, std::move(t->data)});
    } else {
      out_.push_back(StreamTransmit{r.server.stream, std::move(t->data)});
    }
  }
  while (auto e = r.client->poll_event()) {
    if (!closed_) on_relay_event(index, *e);
  }
}

void Gatherer::on_relay_event(size_t index, turn::Event& event) {
  Relay& r = *relays_[index];
  if (auto* a = std::get_if<turn::Allocated>(&event)) {
    if (r.done) return;
    r.done = true;
    const std::optional<base::IpAddress> server = r.server.address.ip;
    // RFC 8445 section 5.1.1.2: the relayed candidate is its own base;
    // RFC 8839 section 5.1: its raddr/rport is the mapped address.
    // W3C relayProtocol: how we reach the TURN server (a stream is TCP,
    // or TLS for turns: in Node; the embedder opened it).
    const std::string protocol = r.server.transport == TurnTransport::Udp ? "udp"
                                 : r.server.url.rfind("turns:", 0) == 0   ? "tls"
                                                                          : "tcp";
    announce(NewLocal{CandidateType::Relay, a->relayed, a->relayed, Route::via_relay(index),
                      r.local_preference, server, a->mapped, std::nullopt, r.server.url, protocol});
    // The allocation's mapped address is a server-reflexive candidate of
    // the socket it was learnt through (UDP only: a stream's mapping says
    // nothing about UDP).
    if (r.socket) {
      const HostSocket* s = socket(*r.socket);
      if (s && a->mapped.family() == s->address.family()) {
        announce(NewLocal{CandidateType::ServerReflexive, a->mapped, s->address,
                          Route::via_socket(s->id), s->local_preference, server, s->address,
                          std::nullopt, r.server.url, ""});
      }
    }
  } else if (auto* f = std::get_if<turn::AllocationFailed>(&event)) {
    fail_relay(index, f->code == 0 ? kUnreachable : f->code,
               f->reason.empty() ? std::string("TURN allocation failed") : f->reason);
  } else if (auto* d = std::get_if<turn::Redirected>(&event)) {
    // Over a stream the embedder would have to open a new one: report it.
    fail_relay(index, 300, "Try Alternate: " + d->server.to_string());
  } else if (auto* data = std::get_if<turn::Data>(&event)) {
    out_.push_back(RelayData{index, data->peer, std::move(data->data)});
  } else if (auto* p = std::get_if<turn::PermissionFailed>(&event)) {
    WASMRTC_LOG(base::LogLevel::Debug, "ice")
        << "TURN permission for " << p->peer.to_string() << " failed: " << p->code;
  }
}

void Gatherer::on_binding_response(const Binding& b, const stun::Message& response) {
  const StunServer& server = servers_[b.server];
  const HostSocket* s = socket(b.socket);
  if (s == nullptr) return;
  if (response.message_class == stun::MessageClass::ErrorResponse) {
    auto code = stun::error_code_of(response);
    out_.push_back(CandidateError{server.url, code ? int(code->code) : 400,
                                  code ? code->reason : std::string("bad error response"),
                                  s->address});
    return;
  }
  auto mapped = stun::xor_mapped_address(response);
  if (!mapped) mapped = stun::mapped_address(response);
  if (!mapped || mapped->family() != s->address.family()) {
    out_.push_back(CandidateError{server.url, 400, "no usable mapped address", s->address});
    return;
  }
  // 5.1.1.2: server-reflexive, based on the host socket; RFC 8839 raddr is the base.
  announce(NewLocal{CandidateType::ServerReflexive, *mapped, s->address, Route::via_socket(s->id),
                    s->local_preference, server.address.ip, s->address, std::nullopt, server.url, ""});
}

bool Gatherer::handle_datagram(Timestamp now, SocketId id, const SocketAddress& from,
                               base::ByteView data) {
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (r.client && r.socket == id && r.client->is_server(from)) {
      r.client->handle_input(now, data);
      drain_relay(i);
      update_state();
      return true;
    }
  }
  if (closed_ || bindings_.empty() || !stun::looks_like_stun(data)) return false;
  auto m = stun::parse(data);
  if (!m || (m->message_class != stun::MessageClass::SuccessResponse &&
             m->message_class != stun::MessageClass::ErrorResponse)) {
    return false;
  }
  auto it = bindings_.find(m->transaction_id);
  if (it == bindings_.end() || it->second.socket != id ||
      it->second.transaction.destination() != from) {
    return false;
  }
  Binding b = std::move(it->second);
  bindings_.erase(it);
  on_binding_response(b, *m);
  update_state();
  return true;
}

bool Gatherer::handle_stream_data(Timestamp now, StreamId stream, base::ByteView data) {
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (r.client && r.server.transport == TurnTransport::Stream && r.server.stream == stream) {
      r.client->handle_input(now, data);
      drain_relay(i);
      update_state();
      return true;
    }
  }
  return false;
}

bool Gatherer::handle_stream_closed(Timestamp, StreamId stream) {
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (r.server.transport == TurnTransport::Stream && r.server.stream == stream) {
      const bool allocated = locals_.receiving(Route::via_relay(i)).has_value();
      if (!closed_) fail_relay(i, kUnreachable, "stream to the TURN server closed");
      if (!closed_ && allocated) out_.push_back(RelayLost{i});
      r.client.reset();
      update_state();
      return true;
    }
  }
  return false;
}

void Gatherer::handle_timeout(Timestamp now) {
  for (auto it = bindings_.begin(); it != bindings_.end();) {
    Binding& b = it->second;
    switch (b.transaction.on_timeout(now)) {
      case StunTransaction::Step::Wait: ++it; break;
      case StunTransaction::Step::Retransmit:
        out_.push_back(Transmit{b.socket, b.transaction.destination(), b.transaction.request()});
        ++it;
        break;
      case StunTransaction::Step::TimedOut: {
        const HostSocket* s = socket(b.socket);
        out_.push_back(CandidateError{servers_[b.server].url, kUnreachable,
                                      "STUN binding request timed out",
                                      s ? std::optional<SocketAddress>(s->address) : std::nullopt});
        it = bindings_.erase(it);
        break;
      }
    }
  }
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (r.client && r.client->poll_timeout().is_due(now)) {
      r.client->handle_timeout(now);
      drain_relay(i);
    }
  }
  update_state();
}

base::Deadline Gatherer::poll_timeout() const {
  base::Deadline d;
  for (const auto& [id, b] : bindings_) d.merge(b.transaction.deadline());
  for (const auto& r : relays_) {
    if (r->client) d.merge(r->client->poll_timeout());
  }
  return d;
}

std::optional<Gatherer::Output> Gatherer::poll_output() {
  if (out_.empty()) return std::nullopt;
  Output o = std::move(out_.front());
  out_.pop_front();
  return o;
}

bool Gatherer::relay_send(Timestamp now, size_t relay, const SocketAddress& peer,
                          base::ByteView data) {
  if (closed_ || relay >= relays_.size() || !relays_[relay]->client) return false;
  Relay& r = *relays_[relay];
  const bool ok = r.client->send_to(now, peer, data).ok();
  drain_relay(relay);
  return ok;
}

void Gatherer::create_permissions(Timestamp now, const base::IpAddress& peer) {
  if (closed_) return;
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (!r.client || r.client->state() != turn::State::Allocated) continue;
    auto relayed = r.client->relayed_address();
    if (!relayed || relayed->family() != peer.family()) continue;
    r.client->create_permission(now, peer);
    drain_relay(i);
  }
}

void Gatherer::close(Timestamp now) {
  if (closed_) return;
  closed_ = true;
  out_.clear();
  bindings_.clear();
  for (size_t i = 0; i < relays_.size(); ++i) {
    Relay& r = *relays_[i];
    if (!r.client) continue;
    const turn::State s = r.client->state();
    if (s == turn::State::Allocating || s == turn::State::Allocated) r.client->close(now);
    drain_relay(i);
  }
}

size_t Gatherer::pending() const {
  size_t n = bindings_.size();
  for (const auto& r : relays_) {
    if (!r->done) ++n;
  }
  return n;
}

void Gatherer::update_state() {
  if (!started_ || closed_) return;
  const GatheringState want = pending() == 0 ? GatheringState::Complete : GatheringState::Gathering;
  if (want == state_) return;
  state_ = want;
  out_.push_back(GatheringStateChanged{state_});
}

}  // namespace wasmrtc::ice
