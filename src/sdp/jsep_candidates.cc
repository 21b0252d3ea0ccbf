// JsepSession: local and remote ICE candidates in the descriptions
// (webrtc-pc addIceCandidate and icecandidate; RFC 8829 sections 3.5.2
// and 5.2.2; RFC 8840 section 8.2 for end-of-candidates).
#include <algorithm>

#include "sdp/bundle.h"
#include "sdp/jsep_session.h"

namespace wasmrtc::sdp {
namespace {

using base::Unexpected;

Unexpected<JsepError> fail(JsepErrorCode code, std::string message) {
  return Unexpected(JsepError{code, std::move(message), std::nullopt});
}

constexpr std::string_view kPrefix = "candidate:";

// "a=candidate:..." or "candidate:..." -> the attribute value, or nullopt.
std::optional<std::string> candidate_value(std::string_view text) {
  if (text.substr(0, 2) == "a=") text.remove_prefix(2);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  if (text.substr(0, kPrefix.size()) != kPrefix || text.size() == kPrefix.size()) return std::nullopt;
  return std::string(text.substr(kPrefix.size()));
}

// Adds a=candidate before any a=end-of-candidates, unless already there.
void add_candidate(MediaDescription& m, const std::string& value) {
  for (auto v : m.attributes.values("candidate")) {
    if (v == value) return;
  }
  m.attributes.insert_before("end-of-candidates", Attribute{"candidate", value});
}

void add_end_of_candidates(MediaDescription& m) {
  if (!m.end_of_candidates()) m.attributes.add("end-of-candidates");
}

// The sections of `d` whose transport uses `ufrag` and may carry
// candidates: not rejected, not bundle-only (RFC 8843 section 6).
std::vector<size_t> sections_with_ufrag(const SessionDescription& d, std::string_view ufrag) {
  std::vector<size_t> out;
  for (size_t i = 0; i < d.media.size(); ++i) {
    if (d.media[i].is_rejected() || d.media[i].bundle_only()) continue;
    auto c = transport_credentials(d, i);
    if (c && c->ufrag == ufrag) out.push_back(i);
  }
  return out;
}

}  // namespace

void JsepSession::add_gathered_candidates(SessionDescription& sdp) const {
  for (const auto& [ufrag, gathering] : gathered_) {
    for (size_t i : sections_with_ufrag(sdp, ufrag)) {
      for (const auto& c : gathering.candidates) add_candidate(sdp.media[i], c);
      if (gathering.complete) add_end_of_candidates(sdp.media[i]);
    }
  }
}

JsepResult<LocalCandidate> JsepSession::add_local_candidate(std::string_view candidate,
                                                                         std::optional<std::string_view> mid) {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  const auto& local = local_description();
  if (!local) return fail(JsepErrorCode::NoLocalDescription, "no local description to add a candidate to");
  auto value = candidate_value(candidate);
  if (!value) return fail(JsepErrorCode::BadCandidate, "not an ICE candidate: " + std::string(candidate));
  std::optional<size_t> index = mid ? local->sdp.find_mid(*mid) : primary_section(local->sdp);
  if (!index) return fail(JsepErrorCode::UnknownMid, "no m= section for the candidate");
  const size_t tag = transport_section(local->sdp, *index);
  auto ice = transport_credentials(local->sdp, tag);
  if (!ice) return fail(JsepErrorCode::UnknownMid, "the m= section has no ICE credentials");

  auto& list = gathered_[ice->ufrag].candidates;
  if (std::find(list.begin(), list.end(), *value) == list.end()) list.push_back(*value);
  for (auto* d : {&pending_local_, &current_local_}) {
    if (!*d) continue;
    for (size_t i : sections_with_ufrag((*d)->sdp, ice->ufrag)) add_candidate((*d)->sdp.media[i], *value);
  }
  LocalCandidate out;
  out.mid = std::string(local->sdp.media[tag].mid().value_or(""));
  out.m_line_index = tag;
  out.candidate = std::string(kPrefix) + *value;
  out.ufrag = ice->ufrag;
  return out;
}

JsepResult<void> JsepSession::end_of_local_candidates() {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  if (!local_description()) return fail(JsepErrorCode::NoLocalDescription, "no local description");
  const std::string ufrag = local_ice_credentials().ufrag;
  gathered_[ufrag].complete = true;
  for (auto* d : {&pending_local_, &current_local_}) {
    if (!*d) continue;
    for (size_t i : sections_with_ufrag((*d)->sdp, ufrag)) add_end_of_candidates((*d)->sdp.media[i]);
  }
  return {};
}

JsepResult<RemoteCandidate> JsepSession::add_remote_candidate(std::string_view candidate,
                                                                           const CandidateTarget& target) {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  const bool end = candidate.empty();
  // webrtc-pc addIceCandidate, in its order of checks.
  if (!end && !target.mid && !target.m_line_index) {
    return fail(JsepErrorCode::MissingMidAndIndex, "the candidate has neither sdpMid nor sdpMLineIndex");
  }
  auto& remote = pending_remote_ ? pending_remote_ : current_remote_;
  if (!remote) return fail(JsepErrorCode::NoRemoteDescription, "no remote description");
  SessionDescription& sdp = remote->sdp;

  std::vector<size_t> targets;
  if (target.mid) {
    auto i = sdp.find_mid(*target.mid);
    if (!i) return fail(JsepErrorCode::UnknownMid, "no m= section with mid " + *target.mid);
    targets = {*i};
  } else if (target.m_line_index) {
    if (*target.m_line_index >= sdp.media.size()) {
      return fail(JsepErrorCode::BadMLineIndex, "no m= section " + std::to_string(*target.m_line_index));
    }
    targets = {*target.m_line_index};
  } else {
    // An end-of-candidates for no section in particular is for all of them.
    for (size_t i = 0; i < sdp.media.size(); ++i) targets.push_back(i);
  }

  std::string ufrag;
  if (!targets.empty()) {
    ufrag = transport_credentials(sdp, targets.front()).value_or(IceCredentials{}).ufrag;
  }
  if (target.ufrag) {
    const bool known = std::any_of(targets.begin(), targets.end(), [&](size_t i) {
      auto c = transport_credentials(sdp, i);
      return c && c->ufrag == *target.ufrag;
    });
    if (!known && remote_ufrags_seen_.count(*target.ufrag) > 0) {
      // webrtc-pc 4.4.1.6 addIceCandidate step 4.4 leaves a candidate of an
      // earlier generation to the ICE agent; Chromium resolves and drops it
      // (WPT RTCDataChannel-iceRestart.html). A ufrag never seen still fails.
      RemoteCandidate stale;
      stale.ufrag = *target.ufrag;
      stale.stale = true;
      return stale;
    }
    if (!known) return fail(JsepErrorCode::UfragMismatch, "no m= section has ufrag " + *target.ufrag);
    ufrag = *target.ufrag;
  }

  RemoteCandidate out;
  out.ufrag = ufrag;
  if (target.mid || target.m_line_index) {
    out.m_line_index = targets.front();
    out.mid = std::string(sdp.media[targets.front()].mid().value_or(""));
  }
  if (end) {
    for (size_t i : targets) add_end_of_candidates(sdp.media[i]);
  } else {
    auto value = candidate_value(candidate);
    if (!value) return fail(JsepErrorCode::BadCandidate, "not an ICE candidate: " + std::string(candidate));
    if (sdp.media[targets.front()].attributes.values("candidate").size() >= kMaxRemoteCandidates) {
      return fail(JsepErrorCode::TooManyCandidates,
                  "the m= section has " + std::to_string(kMaxRemoteCandidates) + " remote candidates already");
    }
    add_candidate(sdp.media[targets.front()], *value);
    out.candidate = std::string(kPrefix) + *value;
  }
  if (auto primary = primary_section(sdp)) {
    auto same = bundled_sections(sdp, *primary);
    out.for_data_transport = std::any_of(targets.begin(), targets.end(), [&](size_t i) {
      return std::find(same.begin(), same.end(), i) != same.end();
    });
  }
  return out;
}

}  // namespace wasmrtc::sdp
