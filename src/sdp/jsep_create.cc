// JsepSession::create_offer and create_answer (RFC 8829 sections 5.2, 5.3).
#include <algorithm>

#include "sdp/builder.h"
#include "sdp/bundle.h"
#include "sdp/credentials.h"
#include "sdp/jsep_session.h"
#include "sdp/serialize.h"

namespace wasmrtc::sdp {
namespace {

using base::Unexpected;

Unexpected<JsepError> fail(JsepErrorCode code, std::string message) {
  return Unexpected(JsepError{code, std::move(message), std::nullopt});
}

// Chromium numbers mids by m= line; any unused value will do.
std::string unused_mid(const SessionDescription& d) {
  for (size_t n = d.media.size();; ++n) {
    std::string mid = std::to_string(n);
    if (!d.find_mid(mid)) return mid;
  }
}

bool contains(const std::vector<IceCredentials>& list, const IceCredentials& c) {
  return std::find(list.begin(), list.end(), c) != list.end();
}

}  // namespace

IceCredentials JsepSession::offer_credentials(const OfferOptions& options) {
  // RFC 8829 section 5.2.3.1: IceRestart means new credentials. After
  // restartIce(), the same, unless the credentials in use are already new
  // (an offer with them is pending).
  if (options.ice_restart) return generate_ice_credentials(random_);
  const IceCredentials now = local_ice_credentials();
  if (!ice_to_replace_.empty() && contains(ice_to_replace_, now)) return generate_ice_credentials(random_);
  return now;
}

IceCredentials JsepSession::answer_credentials() const {
  // A pranswer already chose them for this offer.
  if (state_ == SignalingState::HaveLocalPranswer) return local_ice_credentials();
  // RFC 8839 section 4.4.1.1.1 / RFC 8829 section 5.3.2: an offer that
  // restarts ICE (new remote credentials) gets new credentials back.
  const auto& offer = pending_remote_->sdp;
  if (current_remote_) {
    auto before = primary_section(current_remote_->sdp);
    auto now = primary_section(offer);
    if (before && now &&
        transport_credentials(current_remote_->sdp, *before) != transport_credentials(offer, *now)) {
      return generate_ice_credentials(random_);
    }
  }
  return local_ice_credentials();
}

Setup JsepSession::answer_setup(const SessionDescription& offer, size_t index) const {
  // RFC 4145 section 4: an offer without a=setup means active.
  switch (offer.setup(transport_section(offer, index)).value_or(Setup::Active)) {
    case Setup::Active: return Setup::Passive;
    case Setup::Passive: return Setup::Active;
    case Setup::HoldConn: return Setup::HoldConn;
    case Setup::ActPass: break;
  }
  // RFC 5763 section 5: the answerer SHOULD be active. On renegotiation,
  // keep the role the DTLS association already has (RFC 8842 section 5.5).
  if (auto role = negotiated().dtls_role) return *role == DtlsRole::Client ? Setup::Active : Setup::Passive;
  return Setup::Active;
}

JsepResult<std::string> JsepSession::create_offer(const OfferOptions& options) {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  LocalTransport transport{offer_credentials(options), config_.fingerprints, Setup::ActPass, true};
  SessionDescription offer = make_session(next_origin());

  // RFC 8829 section 5.2.2: a later offer keeps the m= sections of the
  // pending offer, or else of the current description, in order and with
  // their mids; rejected ones stay rejected (nothing is recycled yet).
  const SessionDescription* base = nullptr;
  if (state_ == SignalingState::HaveLocalOffer) {
    base = &pending_local_->sdp;
  } else if (current_local_) {
    base = &current_local_->sdp;
  }
  std::vector<std::string> bundle;
  std::map<std::string, TransceiverHandle> new_mids;
  bool have_data = false;
  if (base) {
    for (size_t i = 0; i < base->media.size(); ++i) {
      const MediaDescription& m = base->media[i];
      const bool rejected_by_peer = state_ != SignalingState::HaveLocalOffer && current_remote_ &&
                                    i < current_remote_->sdp.media.size() &&
                                    current_remote_->sdp.media[i].port == 0;
      const std::string mid(m.mid().value_or(std::to_string(i)));
      if (!have_data && m.is_data_channel() && !m.is_rejected() && !rejected_by_peer) {
        have_data = true;
        DataChannelSection data;
        data.mid = mid;
        data.proto = m.proto;
        data.legacy = m.is_legacy_data_channel();
        data.sctp_port = config_.sctp_port;
        if (!data.legacy) data.max_message_size = config_.max_message_size;
        offer.media.push_back(make_data_section(transport, data));
        bundle.push_back(data.mid);
        continue;
      }
      // RFC 8829 section 5.2.2: a transceiver keeps its section; a stopped
      // or stopping one, or a rejected section, is offered rejected.
      const Transceiver* t = nullptr;
      for (const auto& c : transceivers_)
        if (c.mid && *c.mid == mid) t = &c;
      if (t && !t->stopping && !t->stopped && !m.is_rejected() && !rejected_by_peer) {
        offer.media.push_back(offer_rtp_section(transport, *t, mid));
        bundle.push_back(mid);
      } else {
        offer.media.push_back(make_rejected_section(m));
      }
    }
  }
  // RFC 8829 section 5.2.1: a section for every transceiver without one,
  // in the order they were added.
  for (const auto& t : transceivers_) {
    if (t.mid || t.stopping || t.stopped) continue;
    std::string mid = unused_mid(offer);
    offer.media.push_back(offer_rtp_section(transport, t, mid));
    bundle.push_back(mid);
    new_mids[mid] = t.handle;
  }
  // RFC 8829 section 5.2.1: a data section once a data channel exists.
  if (!have_data && data_wanted_) {
    DataChannelSection data;
    data.mid = unused_mid(offer);
    data.sctp_port = config_.sctp_port;
    data.max_message_size = config_.max_message_size;
    offer.media.push_back(make_data_section(transport, data));
    bundle.push_back(data.mid);
  }
  // RFC 8843 section 7.2 / RFC 8829 section 5.2.1: one BUNDLE group with
  // every section that is not rejected.
  set_bundle_group(offer, bundle);
  add_gathered_candidates(offer);

  std::string text = serialize(offer);
  last_offer_ = Created{text, std::move(offer), description_epoch_, options_epoch_, std::move(new_mids)};
  return text;
}

JsepResult<std::string> JsepSession::create_answer() {
  if (state_ == SignalingState::Closed) return fail(JsepErrorCode::Closed, "the session is closed");
  // webrtc-pc createAnswer: only with a remote offer to answer.
  if (state_ != SignalingState::HaveRemoteOffer && state_ != SignalingState::HaveLocalPranswer) {
    return fail(JsepErrorCode::WrongState, "cannot create an answer in state " + std::string(to_string(state_)));
  }
  const SessionDescription& offer = pending_remote_->sdp;
  const IceCredentials ice = answer_credentials();
  SessionDescription answer = make_session(next_origin());

  // RFC 8829 section 5.3.1: one answer section per offered section, in
  // order. We accept the first data channel section that is not rejected,
  // audio and video sections associated with a live transceiver that share
  // a codec with us, and reject every other (RFC 3264 section 6).
  std::vector<std::string> bundle;
  bool have_data = false;
  for (size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& m = offer.media[i];
    LocalTransport transport{ice, config_.fingerprints, answer_setup(offer, i), true};
    if (!m.is_data_channel()) {
      auto section = answer_rtp_section(transport, m);
      if (!section) {
        answer.media.push_back(make_rejected_section(m));
        continue;
      }
      answer.media.push_back(std::move(*section));
      if (auto mid = m.mid(); mid && offer.bundle_group_of(*mid)) bundle.push_back(std::string(*mid));
      continue;
    }
    if (have_data || m.is_rejected()) {
      answer.media.push_back(make_rejected_section(m));
      continue;
    }
    have_data = true;
    DataChannelSection data;
    data.mid = std::string(m.mid().value_or(std::to_string(i)));
    data.proto = m.proto;  // RFC 8841 section 9: the answer keeps the offer's proto
    data.legacy = m.is_legacy_data_channel();
    data.sctp_port = config_.sctp_port;
    if (!data.legacy) data.max_message_size = config_.max_message_size;
    answer.media.push_back(make_data_section(transport, data));
    // RFC 8843 section 7.3: bundle what the offer bundled and we accept.
    if (offer.bundle_group_of(data.mid)) bundle.push_back(data.mid);
  }
  set_bundle_group(answer, bundle);
  add_gathered_candidates(answer);

  std::string text = serialize(answer);
  last_answer_ = Created{text, std::move(answer), description_epoch_, options_epoch_, {}};
  return text;
}

}  // namespace wasmrtc::sdp
