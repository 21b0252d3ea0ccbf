#include "ice/local_candidates.h"

namespace wasmrtc::ice {

std::string LocalCandidates::foundation(CandidateType type, const base::IpAddress& base,
                                        const std::optional<base::IpAddress>& server) {
  std::string key = std::string(to_string(type)) + "|udp|" + base.to_string() + "|" +
                    (server ? server->to_string() : std::string());
  auto it = foundations_.find(key);
  if (it != foundations_.end()) return it->second;
  // Any string of 1..32 ice-chars will do; small numbers keep SDP short.
  std::string id = std::to_string(foundations_.size() + 1);
  foundations_.emplace(key, id);
  return id;
}

std::optional<size_t> LocalCandidates::add(const NewLocal& c) {
  for (const LocalEntry& e : entries_) {
    if (e.candidate.address == c.address && e.base == c.base) return std::nullopt;  // 5.1.3
  }
  LocalEntry e;
  e.base = c.base;
  e.route = c.route;
  e.local_preference = c.local_preference;
  e.candidate.component = 1;
  e.candidate.transport = "udp";
  e.candidate.type = c.type;
  e.candidate.address = c.address;
  e.candidate.related = c.related;
  e.candidate.url = c.url;
  e.candidate.relay_protocol = c.relay_protocol;
  e.candidate.priority = c.priority ? *c.priority : compute_priority(c.type, c.local_preference);
  // The base of a relayed candidate is the candidate itself (5.1.1.2).
  e.candidate.foundation = foundation(c.type, c.base.ip, c.server);
  entries_.push_back(std::move(e));
  return entries_.size() - 1;
}

std::optional<size_t> LocalCandidates::receiving(const Route& route) const {
  const CandidateType want = route.is_relay() ? CandidateType::Relay : CandidateType::Host;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].route == route && entries_[i].candidate.type == want) return i;
  }
  return std::nullopt;
}

std::optional<size_t> LocalCandidates::find(const Route& route,
                                            const base::SocketAddress& address) const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].route == route && entries_[i].candidate.address == address) return i;
  }
  return std::nullopt;
}

std::vector<Candidate> LocalCandidates::signalled() const {
  std::vector<Candidate> out;
  for (const LocalEntry& e : entries_) {
    if (e.candidate.type != CandidateType::PeerReflexive) out.push_back(e.candidate);
  }
  return out;
}

std::vector<Candidate> LocalCandidates::all() const {
  std::vector<Candidate> out;
  for (const LocalEntry& e : entries_) out.push_back(e.candidate);
  return out;
}

}  // namespace wasmrtc::ice
