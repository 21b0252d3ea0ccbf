// JsepSession: state, setLocalDescription, setRemoteDescription, rollback
// and what the exchanges settled. Creating descriptions is in
// jsep_create.cc, candidates in jsep_candidates.cc.
#include "sdp/jsep_session.h"

#include <algorithm>

#include "sdp/bundle.h"
#include "sdp/credentials.h"
#include "sdp/parse.h"
#include "sdp/validate.h"

namespace wasmrtc::sdp {
namespace {

using base::Unexpected;

Unexpected<JsepError> fail(JsepErrorCode code, std::string message) {
  return Unexpected(JsepError{code, std::move(message), std::nullopt});
}

Unexpected<JsepError> wrong_state(std::string_view what, SdpType type, SignalingState state) {
  return fail(JsepErrorCode::WrongState, "cannot set " + std::string(what) + " " + std::string(to_string(type)) +
                                             " in state " + std::string(to_string(state)));
}

Unexpected<JsepError> syntax_error(const ParseError& e) {
  return Unexpected(JsepError{JsepErrorCode::SdpSyntaxError, "invalid SDP: " + e.to_string(), e.line});
}

// The credentials of every transport in a description (for restartIce).
void collect_credentials(const std::optional<Description>& d, std::vector<IceCredentials>& out) {
  if (!d) return;
  for (size_t i = 0; i < d->sdp.media.size(); ++i) {
    if (d->sdp.media[i].is_rejected()) continue;
    if (auto c = transport_credentials(d->sdp, i)) {
      if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
    }
  }
}

}  // namespace

JsepSession::JsepSession(JsepConfig config, base::Random& random) : config_(std::move(config)), random_(random) {
  session_id_ = generate_session_id(random_);
  first_ice_ = config_.ice_credentials ? *config_.ice_credentials : generate_ice_credentials(random_);
  // RFC 7022 section 4.1: a random CNAME per session (16 ice-chars here).
  if (config_.cname.empty()) config_.cname = generate_ice_credentials(random_).pwd.substr(0, 16);
}

const std::optional<Description>& JsepSession::local_description() const {
  return pending_local_ ? pending_local_ : current_local_;
}

const std::optional<Description>& JsepSession::remote_description() const {
  return pending_remote_ ? pending_remote_ : current_remote_;
}

void JsepSession::set_data_channels_wanted(bool wanted) {
  if (wanted != data_wanted_) ++options_epoch_;
  data_wanted_ = wanted;
}

void JsepSession::restart_ice() {
  // webrtc-pc restartIce(): remember the credentials to replace, from the
  // current and the pending local description.
  ice_to_replace_.clear();
  collect_credentials(current_local_, ice_to_replace_);
  collect_credentials(pending_local_, ice_to_replace_);
  ++options_epoch_;
}

bool JsepSession::negotiation_needed() const {
  if (state_ != SignalingState::Stable) return false;
  if (!ice_to_replace_.empty()) return true;
  if (data_wanted_ && !(current_local_ && current_local_->sdp.find_data_channel())) return true;
  // webrtc-pc 4.7.3: a transceiver to stop, without a section, or whose
  // direction the current description does not reflect.
  for (const auto& t : transceivers_) {
    if (t.stopped) continue;
    if (t.stopping || !t.mid || !current_local_) return true;
    auto i = current_local_->sdp.find_mid(*t.mid);
    if (!i) return true;
    const auto& m = current_local_->sdp.media[*i];
    if (m.is_rejected()) continue;
    const Direction d = m.direction().value_or(Direction::SendRecv);
    const bool offerer = current_local_->type == SdpType::Offer;
    const bool sends = t.direction == Direction::SendRecv || t.direction == Direction::SendOnly;
    const bool had_send = d == Direction::SendRecv || d == Direction::SendOnly;
    if (offerer ? d != t.direction : sends != had_send) return true;
    if (sends && t.sender_track_id) {
      // The msid no longer says what setStreams / addTrack asked for.
      std::vector<std::string> announced;
      for (const auto& msid : msids(m))
        if (msid.stream_id != "-") announced.push_back(msid.stream_id);
      if (announced != t.stream_ids) return true;
    }
  }
  return false;
}

void JsepSession::close() { state_ = SignalingState::Closed; }

Origin JsepSession::next_origin() {
  Origin o;
  o.session_id = session_id_;
  o.session_version = ++session_version_;
  return o;
}

JsepResult<void> JsepSession::rollback() {
  // webrtc-pc "set the RTCSessionDescription": rollback is refused in
  // stable and in the pranswer states; RFC 8829 section 5.7.
  if (state_ != SignalingState::HaveLocalOffer && state_ != SignalingState::HaveRemoteOffer) {
    return fail(JsepErrorCode::WrongState, "cannot roll back in state " + std::string(to_string(state_)));
  }
  pending_local_.reset();
  pending_remote_.reset();
  state_ = SignalingState::Stable;
  restore_snapshot();
  ++description_epoch_;
  return {};
}

JsepResult<void> JsepSession::set_local_description(std::optional<SdpType> type, std::string_view sdp) {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  // webrtc-pc setLocalDescription: without a type, an offer in stable,
  // have-local-offer and have-remote-pranswer, else an answer.
  const SdpType t = type.value_or(state_ == SignalingState::Stable || state_ == SignalingState::HaveLocalOffer ||
                                          state_ == SignalingState::HaveRemotePranswer
                                      ? SdpType::Offer
                                      : SdpType::Answer);
  if (t == SdpType::Rollback) return rollback();
  const bool allowed = t == SdpType::Offer ? (state_ == SignalingState::Stable ||
                                              state_ == SignalingState::HaveLocalOffer)
                                           : (state_ == SignalingState::HaveRemoteOffer ||
                                              state_ == SignalingState::HaveLocalPranswer);
  if (!allowed) return wrong_state("local", t, state_);
  auto description = local_text(t, sdp);
  if (!description) return Unexpected(description.error());
  apply_local(t, std::move(*description));
  return {};
}

JsepResult<SessionDescription> JsepSession::local_text(SdpType type, std::string_view sdp) {
  const bool offer = type == SdpType::Offer;
  std::optional<Created>& last = offer ? last_offer_ : last_answer_;
  if (sdp.empty()) {
    // webrtc-pc: use [[LastCreatedOffer/Answer]] if it is still valid
    // (nothing applied or asked for since), else create one now.
    if (last && last->description_epoch == description_epoch_ && last->options_epoch == options_epoch_) {
      return last->sdp;
    }
    auto created = offer ? create_offer() : create_answer();
    if (!created) return Unexpected(created.error());
    return last->sdp;
  }
  // webrtc-pc: explicit text must be [[LastCreatedOffer/Answer]]; RFC 8829
  // section 5.4 changes that browsers tolerate are let through.
  if (!last) {
    return fail(JsepErrorCode::DescriptionModified,
                std::string("the description was not made by create") + (offer ? "Offer" : "Answer"));
  }
  auto parsed = parse(sdp);
  if (!parsed) return syntax_error(parsed.error());
  if (sdp != last->text) {
    auto same = check_local_modification(last->sdp, *parsed);
    if (!same) return Unexpected(same.error());
  }
  // A description created before the last state change may no longer fit
  // the exchange it would now join.
  auto fits = offer ? (current_local_ && current_remote_
                           ? check_reoffer(current_local_->sdp, current_remote_->sdp, *parsed)
                           : JsepResult<void>())
                    : check_answer_matches_offer(pending_remote_->sdp, *parsed);
  if (!fits) {
    return fail(JsepErrorCode::DescriptionModified,
                "the description no longer fits the negotiation: " + fits.error().message);
  }
  return std::move(*parsed);
}

void JsepSession::apply_local(SdpType type, SessionDescription sdp) {
  add_gathered_candidates(sdp);
  session_version_ = std::max(session_version_, sdp.origin.session_version);
  if (type == SdpType::Offer) {
    if (state_ == SignalingState::Stable) take_snapshot();
    associate_local_offer(sdp);
  } else {
    process_local_answer(sdp);
  }
  Description d{type, std::move(sdp)};
  switch (type) {
    case SdpType::Offer:
      pending_local_ = std::move(d);
      state_ = SignalingState::HaveLocalOffer;
      break;
    case SdpType::Pranswer:
      pending_local_ = std::move(d);
      state_ = SignalingState::HaveLocalPranswer;
      exchange_completed(*pending_local_, *pending_remote_);
      break;
    case SdpType::Answer:
      current_local_ = std::move(d);
      current_remote_ = std::move(pending_remote_);
      pending_local_.reset();
      pending_remote_.reset();
      state_ = SignalingState::Stable;
      exchange_completed(*current_local_, *current_remote_);
      break;
    case SdpType::Rollback:
      break;
  }
  ++description_epoch_;
}

JsepResult<void> JsepSession::set_remote_description(SdpType type, std::string_view sdp) {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  if (type == SdpType::Rollback) return rollback();
  const bool allowed = type == SdpType::Offer ? (state_ == SignalingState::Stable ||
                                                 state_ == SignalingState::HaveRemoteOffer ||
                                                 state_ == SignalingState::HaveLocalOffer)
                                              : (state_ == SignalingState::HaveLocalOffer ||
                                                 state_ == SignalingState::HaveRemotePranswer);
  if (!allowed) return wrong_state("remote", type, state_);

  if (sdp.size() > kMaxDescriptionBytes) {
    return fail(JsepErrorCode::DescriptionTooLarge, "the description is over " + std::to_string(kMaxDescriptionBytes) + " bytes");
  }
  auto parsed = parse(sdp);
  if (!parsed) return syntax_error(parsed.error());
  SessionDescription description = std::move(*parsed);
  if (description.media.size() > kMaxMediaSections) {
    return fail(JsepErrorCode::DescriptionTooLarge, "the description has over " + std::to_string(kMaxMediaSections) + " m= sections");
  }
  for (const auto& m : description.media) {
    if (m.attributes.values("candidate").size() > kMaxRemoteCandidates) {
      return fail(JsepErrorCode::TooManyCandidates, "an m= section has over " + std::to_string(kMaxRemoteCandidates) + " candidates");
    }
  }
  fill_missing_mids(description);
  if (auto ok = validate_remote(description, type); !ok) return Unexpected(ok.error());
  if (type == SdpType::Offer) {
    if (current_local_ && current_remote_) {
      auto ok = check_reoffer(current_local_->sdp, current_remote_->sdp, description);
      if (!ok) return Unexpected(ok.error());
    }
    // webrtc-pc setRemoteDescription: an offer in have-local-offer first
    // rolls back our own (glare resolved by the polite peer).
    if (state_ == SignalingState::HaveLocalOffer) (void)rollback();
  } else {
    auto ok = check_answer_matches_offer(pending_local_->sdp, description);
    if (!ok) return Unexpected(ok.error());
  }
  apply_remote(type, std::move(description));
  return {};
}

void JsepSession::apply_remote(SdpType type, SessionDescription sdp) {
  if (type == SdpType::Offer) {
    take_snapshot();
    associate_remote_offer(sdp);
  }
  process_remote_tracks(type, sdp);
  // Every remote ufrag ever applied: a late candidate of an earlier
  // generation is ignored rather than refused (add_remote_candidate).
  for (size_t i = 0; i < sdp.media.size(); ++i) {
    if (auto c = transport_credentials(sdp, i)) remote_ufrags_seen_.insert(c->ufrag);
  }
  Description d{type, std::move(sdp)};
  switch (type) {
    case SdpType::Offer:
      pending_remote_ = std::move(d);
      state_ = SignalingState::HaveRemoteOffer;
      break;
    case SdpType::Pranswer:
      pending_remote_ = std::move(d);
      state_ = SignalingState::HaveRemotePranswer;
      exchange_completed(*pending_local_, *pending_remote_);
      break;
    case SdpType::Answer:
      current_remote_ = std::move(d);
      current_local_ = std::move(pending_local_);
      pending_local_.reset();
      pending_remote_.reset();
      state_ = SignalingState::Stable;
      exchange_completed(*current_local_, *current_remote_);
      break;
    case SdpType::Rollback:
      break;
  }
  ++description_epoch_;
}

void JsepSession::exchange_completed(const Description& local, const Description& remote) {
  if (state_ == SignalingState::Stable) {
    settle_transceivers(local, remote);
    snapshot_ = {};
  }
  const Negotiated n = negotiate(local, remote);
  std::pair<IceCredentials, IceCredentials> ice{n.local_ice, n.remote_ice};
  ice_restart_ = last_exchange_ice_ && *last_exchange_ice_ != ice;
  last_exchange_ice_ = std::move(ice);
  ++generation_;
  // webrtc-pc: once an answer is applied whose local credentials are all
  // new, [[LocalIceCredentialsToReplace]] is emptied.
  if (state_ == SignalingState::Stable && !ice_to_replace_.empty()) {
    std::vector<IceCredentials> now;
    collect_credentials(current_local_, now);
    const bool replaced = std::none_of(now.begin(), now.end(), [&](const IceCredentials& c) {
      return std::find(ice_to_replace_.begin(), ice_to_replace_.end(), c) != ice_to_replace_.end();
    });
    if (replaced) ice_to_replace_.clear();
  }
}

Negotiated JsepSession::negotiated() const {
  const Description* local = nullptr;
  const Description* remote = nullptr;
  if (state_ == SignalingState::HaveLocalPranswer || state_ == SignalingState::HaveRemotePranswer) {
    local = &*pending_local_;
    remote = &*pending_remote_;
  } else if (current_local_ && current_remote_) {
    local = &*current_local_;
    remote = &*current_remote_;
  }
  if (!local) return Negotiated{};
  Negotiated n = negotiate(*local, *remote);
  n.generation = generation_;
  n.ice_restart = ice_restart_;
  return n;
}

IceCredentials JsepSession::local_ice_credentials() const {
  const auto& d = local_description();
  if (d) {
    if (auto i = primary_section(d->sdp)) {
      if (auto c = transport_credentials(d->sdp, *i)) return *c;
    }
  }
  return first_ice_;
}

}  // namespace wasmrtc::sdp
