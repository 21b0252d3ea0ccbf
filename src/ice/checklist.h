// Internal to ice/: the check list and valid list of one component
// (RFC 8445 section 6.1.2), pair states (6.1.2.6), the triggered-check
// queue (6.1.4.1) and the choice of the next check (6.1.4.2), with the
// Trickle ICE rules for pairs added while checks run (RFC 8838 section 12).
// Pairs refer to candidates by index; they are never erased within one ICE
// generation (removed pairs are flagged), so indices stay valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "stun/message.h"

namespace wasmrtc::ice {

enum class PairState : uint8_t { Frozen, Waiting, InProgress, Succeeded, Failed };
// The W3C RTCStatsIceCandidatePairState strings.
const char* to_string(PairState s);

// Section 6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0), G the
// controlling agent's candidate priority, D the controlled agent's.
uint64_t pair_priority(uint32_t controlling, uint32_t controlled);

struct CandidatePair {
  size_t local = 0;        // LocalCandidates index
  size_t remote = 0;       // remote candidate index
  std::string foundation;  // local foundation ":" remote foundation (6.1.2.6)
  uint64_t priority = 0;
  PairState state = PairState::Frozen;
  bool in_check_list = true;  // false: only in the valid list (7.2.5.3.2)
  bool removed = false;       // dropped from the check list (6.1.2.5, 8.1.2)
  bool valid = false;         // in the valid list
  bool nominated = false;     // 7.2.5.3.4 / 7.3.1.5
  bool nominate_on_success = false;  // 7.3.1.5: USE-CANDIDATE seen while not yet Succeeded
  std::optional<size_t> valid_pair;      // what a successful check of this pair produced
  std::optional<size_t> generated_from;  // for a valid pair: the checked pair
  std::optional<stun::TransactionId> transaction;  // the check in flight

  // RTCIceCandidatePairStats
  uint64_t bytes_sent = 0, bytes_received = 0, packets_sent = 0, packets_received = 0;
  uint64_t requests_sent = 0, requests_received = 0, responses_sent = 0, responses_received = 0;
  uint64_t consent_requests_sent = 0;
  std::optional<base::Duration> current_rtt;
  base::Duration total_rtt;
  std::optional<base::Timestamp> last_packet_sent, last_packet_received;
};

class CheckList {
 public:
  // Section 6.1.2.5 (and RFC 8838 section 10/11): at most this many pairs.
  static constexpr size_t kMaxPairs = 100;
  // Pairs kept in all (check list, valid list and the ones 6.1.2.5 took
  // out, which stay for their indices): add() makes no more past it.
  static constexpr size_t kMaxKept = 1024;

  size_t size() const { return pairs_.size(); }
  CandidatePair& operator[](size_t i) { return pairs_[i]; }
  const CandidatePair& operator[](size_t i) const { return pairs_[i]; }
  const std::vector<CandidatePair>& pairs() const { return pairs_; }

  // A pair (check list or valid list) with these candidates.
  std::optional<size_t> find(size_t local, size_t remote) const;

  // Adds a pair to the check list in the state RFC 8838 section 12 gives it
  // (rule 1: the highest-priority pair of its foundation is Waiting; rule 2:
  // so is a pair whose foundation already succeeded; rule 3: else Frozen).
  // Makes room per 6.1.2.5; nullopt when the list is full of better pairs.
  std::optional<size_t> add(size_t local, size_t remote, std::string foundation,
                            uint64_t priority);
  // 7.2.5.3.2: a valid pair that is not in the check list.
  size_t add_valid(size_t local, size_t remote, std::string foundation, uint64_t priority);

  // 6.1.4.1: appends to the triggered-check queue (once).
  void trigger(size_t pair);
  // 6.1.4.2: the pair to check next, taken off the triggered queue or the
  // highest-priority Waiting pair, unfreezing one pair per foundation with
  // nothing Waiting or In-Progress when no pair waits. nullopt: nothing to do.
  std::optional<size_t> next_check();
  // Whether next_check() would return a pair now.
  bool has_work() const;

  // 7.2.5.3.3: the pair succeeded; Frozen pairs of its foundation wait.
  void unfreeze_foundation(const std::string& foundation);
  // Pairs counted by the RTO formula of section 14.3.
  size_t waiting_or_in_progress() const;
  // 7.2.5.4: every pair of the check list is Failed (and there is one).
  bool all_failed() const;
  // No pair of the check list still Frozen, Waiting or In-Progress.
  bool checks_done() const;
  // 8.1.2: with a nominated pair, Frozen and Waiting pairs leave the check list.
  void remove_pending();

 private:
  bool foundation_busy(const std::string& foundation) const;

  std::vector<CandidatePair> pairs_;
  std::deque<size_t> triggered_;
};

}  // namespace wasmrtc::ice
