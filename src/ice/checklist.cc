#include "ice/checklist.h"

#include <algorithm>
#include <set>

namespace wasmrtc::ice {

const char* to_string(PairState s) {
  switch (s) {
    case PairState::Frozen: return "frozen";
    case PairState::Waiting: return "waiting";
    case PairState::InProgress: return "in-progress";
    case PairState::Succeeded: return "succeeded";
    case PairState::Failed: return "failed";
  }
  return "?";
}

uint64_t pair_priority(uint32_t g, uint32_t d) {
  const uint64_t lo = std::min(g, d), hi = std::max(g, d);
  return (lo << 32) + 2 * hi + (g > d ? 1 : 0);
}

std::optional<size_t> CheckList::find(size_t local, size_t remote) const {
  for (size_t i = 0; i < pairs_.size(); ++i) {
    if (pairs_[i].local == local && pairs_[i].remote == remote) return i;
  }
  return std::nullopt;
}

std::optional<size_t> CheckList::add(size_t local, size_t remote, std::string foundation,
                                     uint64_t priority) {
  // 6.1.2.5: keep the list bounded, dropping Failed pairs first, then the
  // lowest-priority pair that has not been checked, if lower than this one.
  if (pairs_.size() >= kMaxKept) return std::nullopt;
  size_t active = 0;
  for (const CandidatePair& p : pairs_) active += p.in_check_list && !p.removed;
  if (active >= kMaxPairs) {
    std::optional<size_t> victim;
    for (size_t i = 0; i < pairs_.size(); ++i) {
      const CandidatePair& p = pairs_[i];
      if (!p.in_check_list || p.removed || p.valid) continue;
      if (p.state == PairState::Failed) {
        victim = i;
        break;
      }
      if ((p.state == PairState::Frozen || p.state == PairState::Waiting) && p.priority < priority &&
          (!victim || p.priority < pairs_[*victim].priority)) {
        victim = i;
      }
    }
    if (!victim) return std::nullopt;
    pairs_[*victim].removed = true;
  }

  CandidatePair p;
  p.local = local;
  p.remote = remote;
  p.foundation = std::move(foundation);
  p.priority = priority;
  bool highest = true, succeeded = false;
  for (const CandidatePair& q : pairs_) {
    if (!q.in_check_list || q.removed || q.foundation != p.foundation) continue;
    if (q.priority > priority) highest = false;
    if (q.state == PairState::Succeeded) succeeded = true;
  }
  p.state = (highest || succeeded) ? PairState::Waiting : PairState::Frozen;
  pairs_.push_back(std::move(p));
  return pairs_.size() - 1;
}

size_t CheckList::add_valid(size_t local, size_t remote, std::string foundation,
                            uint64_t priority) {
  CandidatePair p;
  p.local = local;
  p.remote = remote;
  p.foundation = std::move(foundation);
  p.priority = priority;
  p.in_check_list = false;
  p.state = PairState::Succeeded;
  p.valid = true;
  pairs_.push_back(std::move(p));
  return pairs_.size() - 1;
}

void CheckList::trigger(size_t pair) {
  if (std::find(triggered_.begin(), triggered_.end(), pair) == triggered_.end()) {
    triggered_.push_back(pair);
  }
}

bool CheckList::foundation_busy(const std::string& foundation) const {
  for (const CandidatePair& q : pairs_) {
    if (q.in_check_list && !q.removed && q.foundation == foundation &&
        (q.state == PairState::Waiting || q.state == PairState::InProgress)) {
      return true;
    }
  }
  return false;
}

std::optional<size_t> CheckList::next_check() {
  while (!triggered_.empty()) {
    const size_t i = triggered_.front();
    triggered_.pop_front();
    // A triggered pair may have been checked since (its ordinary turn came).
    if (!pairs_[i].removed && pairs_[i].state == PairState::Waiting) return i;
  }
  auto best_waiting = [&]() -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t i = 0; i < pairs_.size(); ++i) {
      const CandidatePair& p = pairs_[i];
      if (p.in_check_list && !p.removed && p.state == PairState::Waiting &&
          (!best || p.priority > pairs_[*best].priority)) {
        best = i;
      }
    }
    return best;
  };
  if (auto w = best_waiting()) return w;
  // No pair waits: per foundation with nothing Waiting or In-Progress,
  // unfreeze its highest-priority Frozen pair.
  std::set<std::string> seen;
  std::vector<size_t> order;
  for (size_t i = 0; i < pairs_.size(); ++i) {
    if (pairs_[i].in_check_list && !pairs_[i].removed && pairs_[i].state == PairState::Frozen) {
      order.push_back(i);
    }
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return pairs_[a].priority > pairs_[b].priority; });
  for (size_t i : order) {
    const std::string& f = pairs_[i].foundation;
    if (seen.count(f) || foundation_busy(f)) continue;
    seen.insert(f);
    pairs_[i].state = PairState::Waiting;
  }
  return best_waiting();
}

bool CheckList::has_work() const {
  for (size_t i : triggered_) {
    if (!pairs_[i].removed && pairs_[i].state == PairState::Waiting) return true;
  }
  for (const CandidatePair& p : pairs_) {
    if (!p.in_check_list || p.removed) continue;
    if (p.state == PairState::Waiting) return true;
    if (p.state == PairState::Frozen && !foundation_busy(p.foundation)) return true;
  }
  return false;
}

void CheckList::unfreeze_foundation(const std::string& foundation) {
  for (CandidatePair& p : pairs_) {
    if (p.in_check_list && !p.removed && p.state == PairState::Frozen &&
        p.foundation == foundation) {
      p.state = PairState::Waiting;
    }
  }
}

size_t CheckList::waiting_or_in_progress() const {
  size_t n = 0;
  for (const CandidatePair& p : pairs_) {
    if (p.in_check_list && !p.removed &&
        (p.state == PairState::Waiting || p.state == PairState::InProgress)) {
      ++n;
    }
  }
  return n;
}

bool CheckList::all_failed() const {
  bool any = false;
  for (const CandidatePair& p : pairs_) {
    if (!p.in_check_list || p.removed) continue;
    any = true;
    if (p.state != PairState::Failed) return false;
  }
  return any;
}

bool CheckList::checks_done() const {
  for (const CandidatePair& p : pairs_) {
    if (!p.in_check_list || p.removed) continue;
    if (p.state == PairState::Frozen || p.state == PairState::Waiting ||
        p.state == PairState::InProgress) {
      return false;
    }
  }
  return true;
}

void CheckList::remove_pending() {
  for (CandidatePair& p : pairs_) {
    if (p.in_check_list && (p.state == PairState::Frozen || p.state == PairState::Waiting)) {
      p.removed = true;
    }
  }
  triggered_.clear();
}

}  // namespace wasmrtc::ice
