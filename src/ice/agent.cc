// ice::Agent: the public calls, taking its STUN out of the input, pairing of
// candidates (RFC 8445 section 6.1.2.2, RFC 8838 sections 10-11), ICE
// restarts (section 9) and the W3C RTCIceTransportState.
#include "ice/agent.h"

#include <algorithm>

#include "base/log.h"
#include "ice/agent_impl.h"
#include "stun/parse.h"

namespace wasmrtc::ice {

using base::SocketAddress;
using base::Timestamp;

namespace {
constexpr size_t kMaxPreviousRemotes = 64;

bool unspecified(const base::IpAddress& ip) {
  for (uint8_t b : ip.bytes()) {
    if (b != 0) return false;
  }
  return true;
}
}  // namespace

Agent::Impl::Impl(Config c, base::Random& r)
    : config(std::move(c)),
      random(r),
      role(config.lite ? Role::Controlled : config.role),
      tie_breaker(r.next_u64()),  // section 7.1.3: 64 random bits
      local(config.local),
      gatherer(locals, r, config.stun_rto),
      consent(config) {}

void Agent::Impl::advance(Timestamp now) {
  if (now > last_now) last_now = now;
}

void Agent::Impl::pump(Timestamp now) {
  while (auto o = gatherer.poll_output()) {
    if (closed) {
      if (auto* t = std::get_if<Transmit>(&*o)) out.push_back(std::move(*t));
      if (auto* t = std::get_if<StreamTransmit>(&*o)) out.push_back(std::move(*t));
      continue;
    }
    if (auto* t = std::get_if<Transmit>(&*o)) {
      out.push_back(std::move(*t));
    } else if (auto* t = std::get_if<StreamTransmit>(&*o)) {
      out.push_back(std::move(*t));
    } else if (auto* n = std::get_if<Gatherer::NewCandidate>(&*o)) {
      on_new_local(now, n->index);
    } else if (auto* e = std::get_if<CandidateError>(&*o)) {
      out.push_back(std::move(*e));
    } else if (auto* g = std::get_if<GatheringStateChanged>(&*o)) {
      out.push_back(*g);
    } else if (auto* d = std::get_if<Gatherer::RelayData>(&*o)) {
      on_packet(now, Route::via_relay(d->relay), d->peer, d->data);
    } else if (auto* l = std::get_if<Gatherer::RelayLost>(&*o)) {
      on_relay_lost(now, l->relay);
    }
  }
}

void Agent::Impl::on_new_local(Timestamp now, size_t index) {
  if (config.relay_only && locals.at(index).candidate.type != CandidateType::Relay) return;
  // RFC 8838 section 9: trickle each candidate as it appears.
  out.push_back(LocalCandidate{locals.at(index).candidate});
  if (locals.at(index).candidate.type == CandidateType::Relay) {
    // 7.2.1: the remote candidates known so far may send to the relay.
    for (const Candidate& c : remotes) gatherer.create_permissions(now, c.address.ip);
  }
  for (size_t r = 0; r < remotes.size(); ++r) pair_up(now, index, r);
  update_state(now);
}

uint64_t Agent::Impl::priority_of(size_t l, size_t r) const {
  const uint32_t lp = locals.at(l).candidate.priority, rp = remotes[r].priority;
  return role == Role::Controlling ? pair_priority(lp, rp) : pair_priority(rp, lp);
}

void Agent::Impl::pair_up(Timestamp now, size_t l, size_t r) {
  const LocalEntry& le = locals.at(l);
  // 6.1.2.2 / 6.1.2.4: a server-reflexive local candidate is replaced by its
  // base, which is paired already; peer-reflexive ones are never paired.
  if (le.candidate.type != CandidateType::Host && le.candidate.type != CandidateType::Relay) return;
  if (config.relay_only && le.candidate.type != CandidateType::Relay) return;
  if (le.candidate.address.family() != remotes[r].address.family()) return;
  // 7.3.1.3: a peer-reflexive remote candidate is only paired through the
  // triggered check that revealed it.
  if (remotes[r].type == CandidateType::PeerReflexive) return;
  if (checklist.find(l, r)) return;
  auto added = checklist.add(l, r, le.candidate.foundation + ":" + remotes[r].foundation,
                             priority_of(l, r));
  if (added) last_pair_added = now;
}

std::optional<size_t> Agent::Impl::find_remote(const SocketAddress& address) const {
  for (size_t i = 0; i < remotes.size(); ++i) {
    if (remotes[i].address == address) return i;
  }
  return std::nullopt;
}

bool Agent::Impl::known_remote(const SocketAddress& address) const {
  if (find_remote(address)) return true;
  if (selected && selected->remote.address == address) return true;
  for (const SocketAddress& a : previous_remotes) {
    if (a == address) return true;
  }
  return false;
}

void Agent::Impl::send_via(Timestamp now, const Route& route, const SocketAddress& to,
                           base::ByteView data) {
  if (route.is_relay()) {
    gatherer.relay_send(now, route.relay, to, data);
    pump(now);
  } else {
    out.push_back(Transmit{route.socket, to, base::Bytes(data.begin(), data.end())});
  }
}

void Agent::Impl::on_packet(Timestamp now, const Route& route, const SocketAddress& from,
                            base::ByteView data) {
  if (closed || data.empty()) return;
  // The STUN range (RFC 7983 section 7: first byte 0..3) is the agent's
  // own: checks and consent. Everything else goes up as Data, and the
  // transport above demultiplexes it (DTLS, RTP, RTCP).
  if (data[0] <= 3) {
    if (!stun::looks_like_stun(data)) return;
    auto m = stun::parse(data);
    if (!m || m->method != stun::method::kBinding) return;
    switch (m->message_class) {
      case stun::MessageClass::Request: on_request(now, route, from, data, *m); break;
      case stun::MessageClass::SuccessResponse:
      case stun::MessageClass::ErrorResponse: on_response(now, route, from, data, *m); break;
      case stun::MessageClass::Indication: break;  // keepalives (section 11): nothing to do
    }
    return;
  }
  // Anything else is the layer above's (DTLS, SRTP), from a peer we know.
  if (!known_remote(from)) return;
  if (auto l = locals.receiving(route)) {
    if (auto r = find_remote(from)) {
      if (auto p = checklist.find(*l, *r)) {
        CandidatePair& pair = checklist[*p];
        pair.bytes_received += data.size();
        ++pair.packets_received;
        pair.last_packet_received = now;
      }
    }
  }
  if (on_selected_path(route, from)) consent.heard(now);
  out.push_back(Data{base::Bytes(data.begin(), data.end())});
}

void Agent::Impl::new_generation(bool keep_remote) {
  ++generation;
  for (const Candidate& c : remotes) {
    previous_remotes.push_back(c.address);
    if (previous_remotes.size() > kMaxPreviousRemotes) previous_remotes.pop_front();
  }
  if (!keep_remote) {
    remotes.clear();
    end_of_remote = false;
  }
  checklist = CheckList();
  for (auto it = transactions.begin(); it != transactions.end();) {
    it = it->second.kind == PendingCheck::Kind::Check ? transactions.erase(it) : std::next(it);
  }
  nominating.reset();
  nomination_due = false;
  first_valid_at.reset();
  checking_since.reset();
  last_pair_added.reset();
  ever_valid = false;
  // The old selected pair keeps carrying data until a new one is selected,
  // unless its consent is gone (RFC 7675: it may not carry anything).
  if (selected && consent_lost) {
    selected.reset();
    consent_lost = false;
  }
  if (selected) selected->pair.reset();
  if (keep_remote) {
    for (size_t l = 0; l < locals.size(); ++l) {
      for (size_t r = 0; r < remotes.size(); ++r) pair_up(last_now, l, r);
    }
  }
}

std::optional<Timestamp> Agent::Impl::failure_time() const {
  if (selected || config.lite) return std::nullopt;
  for (const CandidatePair& p : checklist.pairs()) {
    if (p.valid) return std::nullopt;
  }
  if (end_of_remote) {
    // Section 7.2.5.4 / RFC 8838 section 8: every pair failed and no
    // candidate can come any more.
    if (gatherer.state() == GatheringState::Complete && checklist.all_failed()) return last_now;
    // No pair ever succeeded within checking_timeout.
    if (!ever_valid && checking_since) return *checking_since + config.checking_timeout;
    return std::nullopt;
  }
  // Without end-of-candidates: every pair failed and nothing new for a while.
  if (checklist.all_failed() && last_pair_added) return *last_pair_added + config.checking_timeout;
  return std::nullopt;
}

bool Agent::Impl::checks_failed(Timestamp now) const {
  auto t = failure_time();
  return t && now >= *t;
}

void Agent::Impl::set_state(State s) {
  if (s == state) return;
  // W3C RTCIceTransportState: "completed" is reached through "connected".
  if (s == State::Completed && (state == State::New || state == State::Checking)) {
    state = State::Connected;
    out.push_back(StateChanged{state});
  }
  state = s;
  out.push_back(StateChanged{s});
}

void Agent::Impl::update_state(Timestamp now) {
  if (closed) return;
  if (!checking_since && remote && !remotes.empty()) checking_since = now;
  if (selected) {
    if (consent_lost) {
      set_state(State::Failed);
    } else if (consent.disconnected(now)) {
      completed_allowed = false;
      set_state(State::Disconnected);
    } else {
      // W3C "completed": gathering done, no more remote candidates, every
      // pair checked, a pair selected (for this generation).
      // Once reached it stays (a late triggered check does not undo it).
      completed = completed_allowed && selected->generation == generation &&
                  (completed || (end_of_remote && gatherer.state() == GatheringState::Complete &&
                                 checklist.checks_done()));
      set_state(completed ? State::Completed : State::Connected);
    }
    return;
  }
  if (checks_failed(now)) {
    set_state(State::Failed);
  } else if (checklist.size() > 0 || !remotes.empty()) {
    set_state(State::Checking);
  }
}

base::Deadline Agent::Impl::deadline() const {
  base::Deadline d = gatherer.poll_timeout();
  if (closed) return d;
  for (const auto& [id, t] : transactions) d.merge(t.transaction.deadline());
  if (consent.active()) d.merge(consent.deadline(last_now, consent_outstanding()));
  d.merge(pacing_deadline());
  d.merge(nomination_deadline());
  if (state != State::Failed) {
    if (auto t = failure_time(); t && *t > last_now) d.merge(*t);
  }
  // Nothing in the past: what is due now was handled by the last input.
  if (d.is_set() && d.value() < last_now) return base::Deadline(last_now);
  return d;
}

// ---------------------------------------------------------------- Agent

Agent::Agent(Config config, base::Random& random)
    : impl_(std::make_unique<Impl>(std::move(config), random)) {}

Agent::~Agent() = default;

void Agent::add_host_socket(SocketId socket, const SocketAddress& local) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.gatherer.add_host_socket(a.last_now, socket, local);
  a.pump(a.last_now);
}

void Agent::add_stun_server(const SocketAddress& server, std::string url) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.gatherer.add_stun_server(a.last_now, server, std::move(url));
  a.pump(a.last_now);
}

void Agent::add_turn_server(const TurnServer& server) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.gatherer.add_turn_server(a.last_now, server);
  a.pump(a.last_now);
}

void Agent::gather(Timestamp now) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.advance(now);
  a.gatherer.start(now);
  a.pump(now);
  a.update_state(now);
}

void Agent::set_remote_credentials(const Credentials& remote, bool remote_lite) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.remote_lite = remote_lite;
  // Section 6.1.1: with a lite peer the full agent is controlling.
  if (remote_lite && !a.config.lite && a.role != Role::Controlling) a.switch_role(Role::Controlling);
  if (a.remote && *a.remote == remote) return;
  if (a.remote) {
    // Section 9: new remote credentials are the peer's ICE restart.
    a.new_generation(false);
    a.remote_restarted = true;
    if (!a.selected) a.set_state(State::Checking);
  }
  a.remote = remote;
  a.update_state(a.last_now);
}

base::Result<void, Error> Agent::add_remote_candidate(Timestamp now, const Candidate& c) {
  using base::Unexpected;
  Impl& a = *impl_;
  if (a.closed) return Unexpected(Error::Closed);
  a.advance(now);
  if (c.component != 1) return {};  // rtcp-mux: only component 1 is used
  if (c.transport != "udp") return Unexpected(Error::BadCandidate);
  if (!c.hostname.empty()) {
    // An mDNS name (".local") this agent cannot resolve: ignored, as a
    // browser without the name would.
    WASMRTC_LOG(base::LogLevel::Debug, "ice") << "ignoring hostname candidate " << c.hostname;
    return {};
  }
  if (c.address.port == 0 || unspecified(c.address.ip)) return Unexpected(Error::BadCandidate);
  // RFC 8838 section 14: after end-of-candidates new ones are ignored.
  if (a.end_of_remote) return {};
  if (auto i = a.find_remote(c.address)) {
    Candidate& known = a.remotes[*i];
    if (known.type == CandidateType::PeerReflexive && c.type != CandidateType::PeerReflexive) {
      // RFC 8838 section 11: the signalled candidate replaces the peer-
      // reflexive one learnt from its checks; its pairs keep their state.
      known = c;
      for (size_t p = 0; p < a.checklist.size(); ++p) {
        CandidatePair& pair = a.checklist[p];
        if (pair.remote != *i) continue;
        pair.priority = a.priority_of(pair.local, pair.remote);
        pair.foundation = a.locals.at(pair.local).candidate.foundation + ":" + c.foundation;
      }
      // Now an ordinary remote candidate: paired with every local one.
      for (size_t l = 0; l < a.locals.size(); ++l) a.pair_up(now, l, *i);
      a.update_state(now);
    }
    return {};
  }
  if (a.remote_count(false) >= a.config.max_remote_candidates) {
    if (a.dropped_remotes++ == 0) WASMRTC_LOG(base::LogLevel::Warn, "ice") << "remote candidates over the limit";
    return Unexpected(Error::TooManyCandidates);
  }
  a.remotes.push_back(c);
  const size_t r = a.remotes.size() - 1;
  a.gatherer.create_permissions(now, c.address.ip);
  a.pump(now);
  for (size_t l = 0; l < a.locals.size(); ++l) a.pair_up(now, l, r);
  a.update_state(now);
  return {};
}

void Agent::end_of_remote_candidates() {
  Impl& a = *impl_;
  if (a.closed) return;
  a.end_of_remote = true;
  a.update_state(a.last_now);
}

void Agent::handle_datagram(Timestamp now, SocketId socket, const SocketAddress& from,
                            base::ByteView data) {
  Impl& a = *impl_;
  a.advance(now);
  if (!a.gatherer.has_socket(socket)) return;
  // TURN server traffic and STUN server answers first.
  if (a.gatherer.handle_datagram(now, socket, from, data)) {
    a.pump(now);
    a.update_state(now);
    return;
  }
  if (a.closed) return;
  a.on_packet(now, Route::via_socket(socket), from, data);
  a.pump(now);
  a.update_state(now);
}

void Agent::handle_stream_data(Timestamp now, StreamId stream, base::ByteView data) {
  Impl& a = *impl_;
  a.advance(now);
  if (a.gatherer.handle_stream_data(now, stream, data)) {
    a.pump(now);
    a.update_state(now);
  }
}

void Agent::handle_stream_closed(Timestamp now, StreamId stream) {
  Impl& a = *impl_;
  a.advance(now);
  if (a.gatherer.handle_stream_closed(now, stream)) {
    a.pump(now);
    a.update_state(now);
  }
}

void Agent::handle_timeout(Timestamp now) {
  Impl& a = *impl_;
  a.advance(now);
  a.gatherer.handle_timeout(now);
  a.pump(now);
  if (a.closed) return;
  a.on_transaction_timeouts(now);
  a.consent_step(now);
  a.pace(now);
  a.maybe_nominate(now);
  a.update_state(now);
}

std::optional<Output> Agent::poll_output() {
  Impl& a = *impl_;
  if (a.out.empty()) return std::nullopt;
  Output o = std::move(a.out.front());
  a.out.pop_front();
  return o;
}

base::Deadline Agent::poll_timeout() const { return impl_->deadline(); }

base::Result<void, Error> Agent::send(Timestamp now, base::ByteView data) {
  using base::Unexpected;
  Impl& a = *impl_;
  if (a.closed) return Unexpected(Error::Closed);
  a.advance(now);
  // RFC 7675 section 5.1: no consent, no data.
  if (a.consent_lost) return Unexpected(Error::NotConnected);
  size_t local_index = 0;
  SocketAddress to;
  std::optional<size_t> pair;
  if (a.selected) {
    local_index = a.selected->local;
    to = a.selected->remote.address;
    pair = a.selected->pair;
  } else if (auto v = a.best_valid()) {
    // Before a pair is selected (e.g. the controlled side waiting for the
    // nomination) data may use the best valid pair (RFC 8445 section 12.1):
    // it has just been checked.
    pair = *v;
    local_index = a.checklist[*v].local;
    to = a.remotes[a.checklist[*v].remote].address;
  } else {
    return Unexpected(Error::NotConnected);
  }
  a.send_via(now, a.locals.at(local_index).route, to, data);
  if (pair) {
    CandidatePair& p = a.checklist[*pair];
    p.bytes_sent += data.size();
    ++p.packets_sent;
    p.last_packet_sent = now;
  }
  return {};
}

void Agent::regather(Timestamp now) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.advance(now);
  a.gatherer.reannounce();
  a.pump(now);
  a.update_state(now);
}

void Agent::restart(Timestamp now, const Credentials& new_local, bool reannounce) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.advance(now);
  a.local = new_local;
  // Section 9: new credentials start a new generation of checks. Remote
  // credentials set since the peer's own restart belong to it and stay.
  const bool keep_remote = a.remote_restarted && a.remote.has_value();
  a.new_generation(keep_remote);
  if (!keep_remote) a.remote.reset();
  a.remote_restarted = false;
  // W3C: checks start over; a usable old pair keeps the agent connected.
  if (a.state == State::Completed) a.set_state(State::Connected);
  if (!a.selected && a.state != State::New) a.set_state(State::Checking);
  if (reannounce) a.gatherer.reannounce();
  a.pump(now);
  a.update_state(now);
}

void Agent::set_relay_only(bool relay_only) { impl_->config.relay_only = relay_only; }

void Agent::close(Timestamp now) {
  Impl& a = *impl_;
  if (a.closed) return;
  a.advance(now);
  a.closed = true;
  // Events are over, but datagrams already handed to send() (the embedder's
  // last words: SCTP ABORT, DTLS close_notify) still leave.
  std::erase_if(a.out, [](const Output& o) {
    return !std::holds_alternative<Transmit>(o) && !std::holds_alternative<StreamTransmit>(o);
  });
  a.transactions.clear();
  a.consent.stop();
  a.state = State::Closed;
  a.gatherer.close(now);
  a.pump(now);
}

State Agent::state() const { return impl_->state; }
GatheringState Agent::gathering_state() const { return impl_->gatherer.state(); }
Role Agent::role() const { return impl_->role; }
const Credentials& Agent::local_credentials() const { return impl_->local; }
std::vector<Candidate> Agent::local_candidates() const { return impl_->locals.all(); }
std::vector<Candidate> Agent::remote_candidates() const { return impl_->remotes; }
uint64_t Agent::dropped_remote_candidates() const { return impl_->dropped_remotes; }

size_t Agent::Impl::remote_count(bool peer_reflexive) const {
  return static_cast<size_t>(std::count_if(remotes.begin(), remotes.end(), [&](const Candidate& c) {
    return (c.type == CandidateType::PeerReflexive) == peer_reflexive;
  }));
}

std::optional<std::pair<Candidate, Candidate>> Agent::selected_pair() const {
  const Impl& a = *impl_;
  if (!a.selected) return std::nullopt;
  return std::make_pair(a.locals.at(a.selected->local).candidate, a.selected->remote);
}

std::vector<PairStats> Agent::pair_stats() const {
  const Impl& a = *impl_;
  std::vector<PairStats> out;
  for (size_t i = 0; i < a.checklist.size(); ++i) {
    const CandidatePair& p = a.checklist[i];
    if (p.removed && !p.valid) continue;
    PairStats s;
    s.local = a.locals.at(p.local).candidate;
    s.remote = a.remotes[p.remote];
    s.state = to_string(p.state);
    s.nominated = p.nominated;
    s.selected = a.selected && a.selected->pair == i;
    s.bytes_sent = p.bytes_sent;
    s.bytes_received = p.bytes_received;
    s.packets_sent = p.packets_sent;
    s.packets_received = p.packets_received;
    s.requests_sent = p.requests_sent;
    s.requests_received = p.requests_received;
    s.responses_sent = p.responses_sent;
    s.responses_received = p.responses_received;
    s.consent_requests_sent = p.consent_requests_sent;
    s.current_rtt = p.current_rtt;
    s.total_rtt = p.total_rtt;
    s.last_packet_sent = p.last_packet_sent;
    s.last_packet_received = p.last_packet_received;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace wasmrtc::ice
