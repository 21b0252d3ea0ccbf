// Concluding ICE (RFC 8445 section 8): regular nomination by the
// controlling agent (8.1.1), selection of the nominated pair on both sides,
// the clean-up that follows (8.1.2), and consent freshness on the selected
// pair (RFC 7675).
#include <algorithm>

#include "ice/agent_impl.h"
#include "ice/stun_messages.h"

namespace wasmrtc::ice {

using base::Timestamp;

std::optional<size_t> Agent::Impl::best_valid() const {
  std::optional<size_t> best;
  for (size_t i = 0; i < checklist.size(); ++i) {
    const CandidatePair& p = checklist[i];
    if (p.valid && (!best || p.priority > checklist[*best].priority)) best = i;
  }
  return best;
}

bool Agent::Impl::better_pair_pending(uint64_t priority) const {
  for (const CandidatePair& p : checklist.pairs()) {
    if (!p.in_check_list || p.removed || p.priority <= priority) continue;
    if (p.state == PairState::Frozen || p.state == PairState::Waiting ||
        p.state == PairState::InProgress) {
      return true;
    }
  }
  return false;
}

void Agent::Impl::maybe_nominate(Timestamp now) {
  // 8.1.1: only the controlling full agent nominates, once per generation.
  if (closed || config.lite || role != Role::Controlling || !remote) return;
  if (nominating) return;
  if (selected && selected->generation == generation && selected->pair) return;
  auto best = best_valid();
  if (!best || !first_valid_at) return;
  // Nominate at once when nothing better is still being checked, else give
  // better pairs a short while to succeed.
  if (better_pair_pending(checklist[*best].priority) &&
      now < *first_valid_at + config.nomination_settle) {
    return;
  }
  // The nomination is a new check, with USE-CANDIDATE, of the pair whose
  // check produced the valid pair (7.2.5.3.4 nominates what it produces).
  const CandidatePair& v = checklist[*best];
  nominating = v.generated_from ? *v.generated_from : *best;
  nomination_due = true;
}

base::Deadline Agent::Impl::nomination_deadline() const {
  if (closed || config.lite || role != Role::Controlling || !remote || nominating) return {};
  if (selected && selected->generation == generation && selected->pair) return {};
  auto best = best_valid();
  if (!best || !first_valid_at) return {};
  if (!better_pair_pending(checklist[*best].priority)) return last_now;
  return *first_valid_at + config.nomination_settle;
}

bool Agent::Impl::on_selected_path(const Route& route, const base::SocketAddress& remote_address) const {
  return selected && locals.at(selected->local).route == route &&
         selected->remote.address == remote_address;
}

void Agent::Impl::update_selection(Timestamp now) {
  // The highest-priority nominated valid pair (with regular nomination
  // there is one; an aggressive peer may nominate several).
  std::optional<size_t> best;
  for (size_t i = 0; i < checklist.size(); ++i) {
    const CandidatePair& p = checklist[i];
    if (p.valid && p.nominated && (!best || p.priority > checklist[*best].priority)) best = i;
  }
  if (!best) return;
  if (selected && selected->generation == generation && selected->pair) {
    const CandidatePair& current = checklist[*selected->pair];
    if (*selected->pair == *best || (current.nominated && current.priority >= checklist[*best].priority)) {
      return;
    }
  }
  select(now, *best);
}

void Agent::Impl::select(Timestamp now, size_t i) {
  const CandidatePair& p = checklist[i];
  const bool same_path = selected && selected->local == p.local &&
                         selected->remote.address == remotes[p.remote].address;
  selected = Selected{p.local, remotes[p.remote], i, generation};
  if (!same_path) {
    out.push_back(SelectedPairChanged{locals.at(p.local).candidate, remotes[p.remote]});
  }
  // The pair has just been checked: consent is fresh (RFC 7675 section 5.1).
  consent_lost = false;
  completed_allowed = true;
  completed = false;
  if (!config.lite) {
    consent.start(now, random);
  }
  nominating.reset();
  nomination_due = false;
  // 8.1.2: Frozen and Waiting pairs leave the check list; lower-priority
  // checks in flight stop retransmitting. Triggered checks still happen.
  const uint64_t priority = p.priority;
  checklist.remove_pending();
  for (size_t k = 0; k < checklist.size(); ++k) {
    CandidatePair& q = checklist[k];
    if (q.state == PairState::InProgress && q.priority < priority && q.transaction) {
      auto it = transactions.find(*q.transaction);
      if (it != transactions.end()) it->second.transaction.cancel();
    }
  }
  update_state(now);
}

bool Agent::Impl::consent_outstanding() const {
  for (const auto& [id, t] : transactions) {
    if (t.kind == PendingCheck::Kind::Consent && t.transaction.deadline().is_set()) return true;
  }
  return false;
}

void Agent::Impl::send_consent(Timestamp now) {
  const Selected& s = *selected;
  const LocalEntry& le = locals.at(s.local);
  const stun::TransactionId id = random_transaction_id(random);
  // RFC 7675 section 5.1: a Binding request as for a check, with the
  // current credentials, and no USE-CANDIDATE.
  const CheckRequest request = check_request(s.local, false);
  base::Bytes bytes = encode_check_request(id, request, remote->pwd);
  // RTO from the pair's RTT (RFC 6298 style: 3 x the first sample),
  // between 100 ms and the configured initial RTO.
  base::Duration rto = config.stun_rto;
  if (s.pair && checklist[*s.pair].current_rtt) {
    rto = std::clamp(*checklist[*s.pair].current_rtt * 3, base::Duration::millis(100),
                     config.stun_rto);
  }
  PendingCheck check{StunTransaction(bytes, le.route, s.remote.address, now, consent_policy(rto)),
                     PendingCheck::Kind::Consent,
                     0,
                     generation,
                     false,
                     role,
                     request.priority,
                     remote->pwd};
  transactions.emplace(id, std::move(check));
  if (s.pair) ++checklist[*s.pair].consent_requests_sent;
  send_via(now, le.route, s.remote.address, bytes);
}

// The TURN allocation under a relayed candidate is gone (its stream
// closed): no check or data can pass through it any more. Its pairs fail
// (RFC 8445 section 7.2.5.2.4: no answer can come); if the selected pair was
// one of them, connectivity is lost now ("disconnected") and, as consent can
// never come back over it, the pair may carry nothing (RFC 7675 section
// 5.1), so the agent fails without waiting out the 30 s of consent.
void Agent::Impl::on_relay_lost(Timestamp now, size_t relay) {
  const auto lost = locals.receiving(Route::via_relay(relay));
  if (!lost) return;
  for (size_t i = 0; i < checklist.size(); ++i) {
    CandidatePair& p = checklist[i];
    if (p.local != *lost) continue;
    cancel_check(p);
    p.state = PairState::Failed;
    p.valid = false;
  }
  if (selected && selected->local == *lost && !consent_lost) {
    if (state == State::Connected || state == State::Completed) set_state(State::Disconnected);
    completed_allowed = false;
    consent_lost = true;
    consent.stop();
    for (auto it = transactions.begin(); it != transactions.end();) {
      it = it->second.kind == PendingCheck::Kind::Consent ? transactions.erase(it) : std::next(it);
    }
  }
  update_state(now);
}

void Agent::Impl::consent_step(Timestamp now) {
  if (!consent.active() || !selected) return;
  if (consent.expired(now)) {
    // RFC 7675 section 5.1: consent expired; stop sending on this pair.
    consent_lost = true;
    consent.stop();
    for (auto it = transactions.begin(); it != transactions.end();) {
      it = it->second.kind == PendingCheck::Kind::Consent ? transactions.erase(it) : std::next(it);
    }
    return;
  }
  if (!consent.request_due(now, consent_outstanding())) return;
  // Between an ICE restart and the peer's new credentials nothing can be
  // authenticated: skip this request, keep the schedule.
  if (remote) send_consent(now);
  consent.request_sent(now, random);
}

}  // namespace wasmrtc::ice
