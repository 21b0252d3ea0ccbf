// Internal to ice/: the state behind ice::Agent. The work is split by
// concept: agent.cc (API, input demultiplexing, W3C state), checks.cc
// (connectivity checks, RFC 8445 section 7), selection.cc (nomination,
// selection and consent, sections 8.1 and RFC 7675). The parts with their
// own state machines live in gatherer, checklist, consent and transaction.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ice/agent.h"
#include "ice/checklist.h"
#include "ice/consent.h"
#include "ice/gatherer.h"
#include "ice/local_candidates.h"
#include "ice/route.h"
#include "ice/stun_messages.h"
#include "ice/transaction.h"
#include "stun/message.h"

namespace wasmrtc::ice {

struct Agent::Impl {
  Impl(Config config, base::Random& random);

  // ---- agent.cc
  void advance(base::Timestamp now);
  void pump(base::Timestamp now);  // gatherer outputs -> ours
  void on_new_local(base::Timestamp now, size_t local);
  void pair_up(base::Timestamp now, size_t local, size_t remote);
  uint64_t priority_of(size_t local, size_t remote) const;
  std::optional<size_t> find_remote(const base::SocketAddress& address) const;
  bool known_remote(const base::SocketAddress& address) const;
  void on_packet(base::Timestamp now, const Route& route, const base::SocketAddress& from,
                 base::ByteView data);
  void send_via(base::Timestamp now, const Route& route, const base::SocketAddress& to,
                base::ByteView data);
  void new_generation(bool keep_remote);
  std::optional<base::Timestamp> failure_time() const;
  bool checks_failed(base::Timestamp now) const;
  void update_state(base::Timestamp now);
  void set_state(State s);
  base::Deadline deadline() const;

  // ---- checks.cc
  struct PendingCheck {
    enum class Kind : uint8_t { Check, Consent };
    StunTransaction transaction;
    Kind kind = Kind::Check;
    size_t pair = 0;
    uint64_t generation = 0;
    bool use_candidate = false;
    Role role = Role::Controlling;
    uint32_t priority = 0;  // the PRIORITY sent (7.2.5.3.1)
    std::string remote_pwd;
  };
  CheckRequest check_request(size_t local, bool use_candidate) const;
  void send_check(base::Timestamp now, size_t pair, bool use_candidate);
  void pace(base::Timestamp now);
  bool can_check() const;
  base::Deadline pacing_deadline() const;
  void on_transaction_timeouts(base::Timestamp now);
  void on_request(base::Timestamp now, const Route& route, const base::SocketAddress& from,
                  base::ByteView raw, const stun::Message& request);
  void on_response(base::Timestamp now, const Route& route, const base::SocketAddress& from,
                   base::ByteView raw, const stun::Message& response);
  void on_check_success(base::Timestamp now, const PendingCheck& check,
                        const stun::Message& response);
  void switch_role(Role role);
  std::optional<size_t> remote_peer_reflexive(const base::SocketAddress& from, uint32_t priority);
  size_t remote_count(bool peer_reflexive) const;
  void cancel_check(CandidatePair& pair);

  // ---- selection.cc
  void maybe_nominate(base::Timestamp now);
  base::Deadline nomination_deadline() const;
  std::optional<size_t> best_valid() const;
  bool better_pair_pending(uint64_t priority) const;
  void update_selection(base::Timestamp now);
  void select(base::Timestamp now, size_t pair);
  bool on_selected_path(const Route& route, const base::SocketAddress& remote) const;
  void consent_step(base::Timestamp now);
  void on_relay_lost(base::Timestamp now, size_t relay);
  void send_consent(base::Timestamp now);
  bool consent_outstanding() const;

  // ---- configuration and identity
  Config config;
  base::Random& random;
  Role role;
  uint64_t tie_breaker;
  Credentials local;
  std::optional<Credentials> remote;
  bool remote_lite = false;
  // set_remote_credentials replaced earlier ones (the peer restarted):
  // a following restart() keeps them (section 9, the answerer's side).
  bool remote_restarted = false;

  // ---- candidates
  LocalCandidates locals;
  Gatherer gatherer;
  std::vector<Candidate> remotes;
  std::deque<base::SocketAddress> previous_remotes;  // earlier generations' (data is accepted)
  bool end_of_remote = false;
  uint32_t prflx_count = 0;
  uint64_t dropped_remotes = 0;  // Config::max_remote_candidates / max_peer_reflexive

  // ---- checks (one generation = one pair of credentials)
  uint64_t generation = 0;
  CheckList checklist;
  std::map<stun::TransactionId, PendingCheck> transactions;
  std::optional<base::Timestamp> last_check;
  std::optional<size_t> nominating;  // controlling: pair whose USE-CANDIDATE check is due/in flight
  bool nomination_due = false;
  std::optional<base::Timestamp> first_valid_at;
  std::optional<base::Timestamp> checking_since;
  std::optional<base::Timestamp> last_pair_added;
  bool ever_valid = false;

  // ---- selection and consent
  struct Selected {
    size_t local = 0;  // LocalCandidates index (stable across generations)
    Candidate remote;
    std::optional<size_t> pair;  // in `checklist`, while the generation lasts
    uint64_t generation = 0;
  };
  std::optional<Selected> selected;
  Consent consent;
  bool consent_lost = false;
  bool completed_allowed = true;  // cleared by a disconnection until the next selection
  bool completed = false;         // reached "completed" with the current selection

  // ---- state and output
  State state = State::New;
  bool closed = false;
  base::Timestamp last_now;
  std::deque<Output> out;
};

}  // namespace wasmrtc::ice
