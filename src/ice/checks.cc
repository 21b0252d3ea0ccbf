// Connectivity checks, RFC 8445 section 7: sending them paced by Ta
// (6.1.4.2, 14.2), answering the peer's (7.3), and what their responses
// teach us (7.2.5): role conflicts, peer-reflexive candidates, valid pairs.
#include <algorithm>
#include <tuple>

#include "base/log.h"
#include "ice/agent_impl.h"
#include "ice/stun_messages.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"

namespace wasmrtc::ice {

using base::SocketAddress;
using base::Timestamp;

CheckRequest Agent::Impl::check_request(size_t l, bool use_candidate) const {
  CheckRequest r;
  // 7.2.2: USERNAME is "RFRAG:LFRAG".
  r.username = remote->ufrag + ":" + local.ufrag;
  // 7.1.1: the priority a peer-reflexive candidate from this check would get.
  r.priority = compute_priority(CandidateType::PeerReflexive, locals.at(l).local_preference);
  r.role = role;
  r.tie_breaker = tie_breaker;
  r.use_candidate = use_candidate && role == Role::Controlling;
  return r;
}

void Agent::Impl::send_check(Timestamp now, size_t i, bool use_candidate) {
  CandidatePair& p = checklist[i];
  const LocalEntry& le = locals.at(p.local);
  const SocketAddress to = remotes[p.remote].address;
  const stun::TransactionId id = random_transaction_id(random);
  const CheckRequest request = check_request(p.local, use_candidate);
  base::Bytes bytes = encode_check_request(id, request, remote->pwd);
  // 14.3: RTO = MAX(500 ms, Ta * (Waiting + In-Progress pairs)).
  const base::Duration rto = std::max(
      config.stun_rto, config.pacing * static_cast<int64_t>(checklist.waiting_or_in_progress()));
  PendingCheck check{StunTransaction(bytes, le.route, to, now, check_policy(rto)),
                     PendingCheck::Kind::Check,
                     i,
                     generation,
                     request.use_candidate,
                     role,
                     request.priority,
                     remote->pwd};
  transactions.emplace(id, std::move(check));
  // A nomination re-checks a Succeeded pair (8.1.1); it stays Succeeded.
  if (!use_candidate) p.state = PairState::InProgress;
  p.transaction = id;
  ++p.requests_sent;
  p.last_packet_sent = now;
  send_via(now, le.route, to, bytes);
}

bool Agent::Impl::can_check() const {
  // A lite agent never checks (section 2.5); without the peer's password
  // no check can be authenticated (pairs wait, RFC 8838 section 5).
  return !closed && !config.lite && remote.has_value();
}

void Agent::Impl::pace(Timestamp now) {
  if (!can_check()) return;
  if (last_check && now < *last_check + config.pacing) return;
  // One new check per Ta (section 14.2): the nomination first, then the
  // triggered-check queue, then the ordinary check list (6.1.4.2).
  if (nomination_due && nominating) {
    nomination_due = false;
    last_check = now;
    send_check(now, *nominating, true);
    return;
  }
  if (auto i = checklist.next_check()) {
    last_check = now;
    send_check(now, *i, false);
  }
}

base::Deadline Agent::Impl::pacing_deadline() const {
  if (!can_check()) return {};
  if (!(nomination_due && nominating) && !checklist.has_work()) return {};
  if (!last_check) return last_now;
  return std::max(*last_check + config.pacing, last_now);
}

void Agent::Impl::on_transaction_timeouts(Timestamp now) {
  std::vector<stun::TransactionId> expired;
  // Sent after the walk: sending through TURN may feed input back in.
  std::vector<std::tuple<Route, SocketAddress, base::Bytes>> resend;
  for (auto& [id, t] : transactions) {
    switch (t.transaction.on_timeout(now)) {
      case StunTransaction::Step::Wait: break;
      case StunTransaction::Step::Retransmit:
        if (t.kind == PendingCheck::Kind::Check && t.generation == generation) {
          ++checklist[t.pair].requests_sent;
        }
        resend.emplace_back(t.transaction.route(), t.transaction.destination(),
                            t.transaction.request());
        break;
      case StunTransaction::Step::TimedOut: expired.push_back(id); break;
    }
  }
  for (const auto& [route, to, bytes] : resend) send_via(now, route, to, bytes);
  for (const stun::TransactionId& id : expired) {
    auto it = transactions.find(id);
    if (it == transactions.end()) continue;
    const PendingCheck t = std::move(it->second);
    transactions.erase(it);
    // Consent has its own clock (RFC 7675); an old generation is gone.
    if (t.kind != PendingCheck::Kind::Check || t.generation != generation) continue;
    CandidatePair& p = checklist[t.pair];
    // A check cancelled by 7.3.1.4 was superseded by a triggered one.
    if (p.transaction != id) continue;
    p.transaction.reset();
    // 7.2.5.2.3: no response at all -> Failed.
    p.state = PairState::Failed;
    if (t.use_candidate) {
      // The nominated path stopped answering: it is no longer valid, and
      // another valid pair will be nominated (8.1.1).
      if (p.valid_pair) checklist[*p.valid_pair].valid = false;
      p.valid = false;
      if (nominating == t.pair) nominating.reset();
    }
  }
}

void Agent::Impl::switch_role(Role r) {
  if (role == r) return;
  role = r;
  // 6.1.2.3: pair priorities depend on who is controlling.
  for (size_t i = 0; i < checklist.size(); ++i) {
    checklist[i].priority = priority_of(checklist[i].local, checklist[i].remote);
  }
  if (role == Role::Controlled) {
    nominating.reset();
    nomination_due = false;
  }
  out.push_back(RoleChanged{role});
}

std::optional<size_t> Agent::Impl::remote_peer_reflexive(const SocketAddress& from, uint32_t priority) {
  // 7.3.1.3: a request from an unknown source makes a peer-reflexive
  // remote candidate, with the PRIORITY of the request and a foundation
  // unlike any other (it is not paired but through the triggered check).
  // A peer that checks from ever new addresses makes no more than
  // Config::max_peer_reflexive of them.
  if (remote_count(true) >= config.max_peer_reflexive) {
    if (dropped_remotes++ == 0) WASMRTC_LOG(base::LogLevel::Warn, "ice") << "peer-reflexive candidates over the limit";
    return std::nullopt;
  }
  Candidate c;
  c.foundation = "prflx" + std::to_string(++prflx_count);
  c.component = 1;
  c.transport = "udp";
  c.priority = priority;
  c.address = from;
  c.type = CandidateType::PeerReflexive;
  remotes.push_back(std::move(c));
  return remotes.size() - 1;
}

void Agent::Impl::cancel_check(CandidatePair& p) {
  if (!p.transaction) return;
  auto it = transactions.find(*p.transaction);
  if (it != transactions.end()) it->second.transaction.cancel();
  p.transaction.reset();
}

void Agent::Impl::on_request(Timestamp now, const Route& route, const SocketAddress& from,
                             base::ByteView raw, const stun::Message& request) {
  if (config.relay_only && !route.is_relay()) return;  // not even a response: see Config::relay_only
  auto check = validate_check_request(raw, request, local);
  if (!check) {
    const Rejection& r = check.error();
    if (r.code != 0) {
      std::optional<std::string_view> pwd;
      if (r.authenticated) pwd = local.pwd;
      send_via(now, route, from, encode_error_response(request, r.code, r.unknown, pwd));
    }
    return;
  }
  // 7.3.1.1: role conflicts, repaired by the tie-breakers.
  if (!config.lite) {
    bool peer_must_yield = false;
    if (role == Role::Controlling && check->controlling) {
      if (tie_breaker >= *check->controlling) {
        peer_must_yield = true;
      } else {
        switch_role(Role::Controlled);
      }
    } else if (role == Role::Controlled && check->controlled) {
      if (tie_breaker >= *check->controlled) {
        switch_role(Role::Controlling);
      } else {
        peer_must_yield = true;
      }
    }
    if (peer_must_yield) {
      send_via(now, route, from,
               encode_error_response(request, stun::error_code::kRoleConflict, {}, local.pwd));
      return;
    }
  }
  // 7.3.1.2: the mapped address is the source of the request.
  send_via(now, route, from, encode_success_response(request, from, local.pwd));

  const auto l = locals.receiving(route);
  if (!l) return;  // a socket not gathered yet: answered, nothing more
  auto r = find_remote(from);
  if (!r) r = remote_peer_reflexive(from, check->priority);
  if (on_selected_path(route, from)) consent.heard(now);
  if (!r) return;  // answered; no candidate (max_peer_reflexive)

  auto i = checklist.find(*l, *r);
  if (config.lite) {
    // A lite agent's valid pairs are the ones checks arrive on (8.2.1);
    // USE-CANDIDATE selects.
    if (!i) {
      i = checklist.add_valid(*l, *r, locals.at(*l).candidate.foundation + ":" +
                                          remotes[*r].foundation,
                              priority_of(*l, *r));
    }
    CandidatePair& p = checklist[*i];
    p.valid = true;
    p.valid_pair = *i;
    ++p.requests_received;
    ++p.responses_sent;
    p.last_packet_received = now;
    if (check->use_candidate) {
      p.nominated = true;
      update_selection(now);
    }
    return;
  }

  // 7.3.1.4: triggered check on the pair the request came over.
  if (!i) {
    i = checklist.add(*l, *r, locals.at(*l).candidate.foundation + ":" + remotes[*r].foundation,
                      priority_of(*l, *r));
    if (!i) return;
    last_pair_added = now;
    checklist[*i].state = PairState::Waiting;
    checklist.trigger(*i);
  } else {
    CandidatePair& p = checklist[*i];
    p.removed = false;
    switch (p.state) {
      case PairState::Succeeded: break;  // nothing more to learn
      case PairState::InProgress:
        // Cancel: no more retransmissions; check again at once.
        cancel_check(p);
        [[fallthrough]];
      case PairState::Failed:
      case PairState::Frozen:
      case PairState::Waiting:
        p.state = PairState::Waiting;
        checklist.trigger(*i);
        break;
    }
  }
  CandidatePair& p = checklist[*i];
  ++p.requests_received;
  ++p.responses_sent;
  p.last_packet_received = now;

  // 7.3.1.5: the controlled agent learns of the nomination.
  if (check->use_candidate && role == Role::Controlled) {
    if (p.state == PairState::Succeeded && p.valid_pair) {
      checklist[*p.valid_pair].nominated = true;
      update_selection(now);
    } else {
      p.nominate_on_success = true;
    }
  }
}

void Agent::Impl::on_response(Timestamp now, const Route& route, const SocketAddress& from,
                              base::ByteView raw, const stun::Message& response) {
  auto it = transactions.find(response.transaction_id);
  if (it == transactions.end()) return;
  // 7.2.5: authenticated with the peer's password; otherwise ignored and
  // the transaction carries on (a forged answer must not end it).
  if (!authentic_response(raw, response, it->second.remote_pwd)) return;
  const PendingCheck t = std::move(it->second);
  transactions.erase(it);
  // 7.2.5.2.1: the response must come from where the request went, and
  // arrive where it left from.
  const bool symmetric = from == t.transaction.destination() && route == t.transaction.route();
  const bool success = response.message_class == stun::MessageClass::SuccessResponse;

  if (t.kind == PendingCheck::Kind::Consent) {
    if (success && symmetric && on_selected_path(route, from)) {
      consent.granted(now);  // RFC 7675 section 5.1
      if (selected->pair) {
        CandidatePair& p = checklist[*selected->pair];
        ++p.responses_received;
        p.last_packet_received = now;
        // Karn: only an answer to a single transmission is a clean sample.
        if (t.transaction.transmissions() == 1) {
          p.current_rtt = now - t.transaction.last_sent();
          p.total_rtt += *p.current_rtt;
        }
      }
    }
    return;
  }
  if (t.generation != generation) return;
  CandidatePair& p = checklist[t.pair];
  if (p.transaction == response.transaction_id) p.transaction.reset();

  if (!success) {
    auto code = stun::error_code_of(response);
    if (code && code->code == stun::error_code::kRoleConflict) {
      // 7.2.5.1: take the other role than the request claimed, and check again.
      if (role == t.role) {
        switch_role(t.role == Role::Controlling ? Role::Controlled : Role::Controlling);
      }
      if (p.state != PairState::Succeeded) p.state = PairState::Waiting;
      p.removed = false;
      checklist.trigger(t.pair);
      if (t.use_candidate && nominating == t.pair) nominating.reset();
      return;
    }
    // 7.2.5.2.4: an unrecoverable error.
    WASMRTC_LOG(base::LogLevel::Debug, "ice")
        << "check failed with " << (code ? code->code : 0) << " from " << from.to_string();
    p.state = PairState::Failed;
    if (t.use_candidate && nominating == t.pair) nominating.reset();
    return;
  }
  if (!symmetric) {
    p.state = PairState::Failed;
    if (t.use_candidate && nominating == t.pair) nominating.reset();
    return;
  }
  on_check_success(now, t, response);
}

void Agent::Impl::on_check_success(Timestamp now, const PendingCheck& t,
                                   const stun::Message& response) {
  const size_t i = t.pair;
  auto mapped = stun::xor_mapped_address(response);
  if (!mapped) {
    checklist[i].state = PairState::Failed;
    return;
  }
  {
    CandidatePair& p = checklist[i];
    ++p.responses_received;
    p.last_packet_received = now;
    // RTT from the last transmission: retransmissions make it an estimate.
    const base::Duration rtt = now - t.transaction.last_sent();
    p.current_rtt = rtt;
    p.total_rtt += rtt;
  }
  const Route& route = t.transaction.route();
  const size_t checked_local = checklist[i].local;
  // 7.2.5.3.1: a mapped address matching none of our candidates is a
  // peer-reflexive candidate, with the priority we put in the request.
  auto valid_local = locals.find(route, *mapped);
  if (!valid_local) {
    const LocalEntry& base = locals.at(checked_local);
    valid_local = locals.add(NewLocal{CandidateType::PeerReflexive, *mapped, base.base, route,
                                      base.local_preference, std::nullopt, base.base, t.priority, "", ""});
    if (!valid_local) valid_local = checked_local;
  }
  // 7.2.5.3.2: the valid pair is (mapped-address candidate, remote).
  const size_t remote_index = checklist[i].remote;
  size_t v = i;
  if (*valid_local != checked_local) {
    auto existing = checklist.find(*valid_local, remote_index);
    v = existing ? *existing
                 : checklist.add_valid(*valid_local, remote_index,
                                       locals.at(*valid_local).candidate.foundation + ":" +
                                           remotes[remote_index].foundation,
                                       priority_of(*valid_local, remote_index));
  }
  CandidatePair& vp = checklist[v];
  vp.valid = true;
  vp.generated_from = i;
  if (v != i) vp.current_rtt = checklist[i].current_rtt;
  CandidatePair& p = checklist[i];
  p.valid_pair = v;
  // 7.2.5.3.3: Succeeded, and its foundation unfreezes.
  p.state = PairState::Succeeded;
  checklist.unfreeze_foundation(p.foundation);
  ever_valid = true;
  if (!first_valid_at) first_valid_at = now;
  // 7.2.5.3.4: a nomination that succeeded (controlling), or one the peer
  // made while this check was under way (controlled, 7.3.1.5).
  bool nominated = false;
  if (t.use_candidate) {
    nominated = true;
    if (nominating == i) nominating.reset();
  }
  if (p.nominate_on_success && role == Role::Controlled) nominated = true;
  p.nominate_on_success = false;
  if (nominated) checklist[v].nominated = true;
  if (on_selected_path(route, t.transaction.destination())) consent.heard(now);
  update_selection(now);
  maybe_nominate(now);
}

}  // namespace wasmrtc::ice
