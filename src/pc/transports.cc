// The transport half of PeerConnection: moving bytes and events between
// ICE, DTLS and SCTP until all three are quiet, and the states the page
// sees (RTCIceConnectionState, RTCDtlsTransportState, RTCPeerConnectionState).
#include "pc/connection_state.h"
#include "pc/peer_connection.h"

#include "base/log.h"

namespace wasmrtc::pc {
namespace {

// RFC 7983 section 7: DTLS records start with 20..63.
bool is_dtls(base::ByteView data) { return !data.empty() && data[0] >= 20 && data[0] <= 63; }

constexpr size_t kMaxEarlyDtls = 16;

}  // namespace

void PeerConnection::pump(base::Timestamp now) {
  // Each step can feed the others (a DTLS record carries SCTP, SCTP answers
  // through DTLS, which sends through ICE): repeat until nothing moves.
  for (int round = 0; round < 10000; ++round) {
    bool progress = false;
    progress |= pump_ice(now);
    progress |= pump_dtls(now);
    progress |= pump_sctp(now);
    if (!progress) break;
  }
  data_.report_sent();
  drain_channel_events();
  update_connection_state();
}

bool PeerConnection::pump_ice(base::Timestamp now) {
  if (!agent_) return false;
  bool progress = false;
  while (auto o = agent_->poll_output()) {
    progress = true;
    if (auto* t = std::get_if<ice::Transmit>(&*o)) {
      out_.push_back(std::move(*t));
    } else if (auto* s = std::get_if<ice::StreamTransmit>(&*o)) {
      out_.push_back(std::move(*s));
    } else if (auto* c = std::get_if<ice::LocalCandidate>(&*o)) {
      if (config_.relay_only && c->candidate.type != ice::CandidateType::Relay) continue;
      auto added = jsep_.add_local_candidate(c->candidate.to_sdp());
      if (!added) continue;
      Record e;
      e.set("type", "icecandidate")
          .set("candidate", added->candidate)
          .set("sdpMid", added->mid)
          .set("sdpMLineIndex", static_cast<uint64_t>(added->m_line_index))
          .set("usernameFragment", added->ufrag)
          .set("localDescription", local_description_record());
      // W3C RTCIceCandidate.url / relayProtocol and RTCPeerConnectionIceEvent.url.
      if (!c->candidate.url.empty()) e.set("url", c->candidate.url);
      if (!c->candidate.relay_protocol.empty()) e.set("relayProtocol", c->candidate.relay_protocol);
      emit(std::move(e));
    } else if (auto* g = std::get_if<ice::GatheringStateChanged>(&*o)) {
      if (g->state == ice::GatheringState::Complete) (void)jsep_.end_of_local_candidates();
      gathering_state_ = ice::to_string(g->state);
      Record e;
      e.set("type", "icegatheringstatechange")
          .set("state", gathering_state_)
          .set("localDescription", local_description_record());
      emit(std::move(e));
    } else if (auto* err = std::get_if<ice::CandidateError>(&*o)) {
      Record e;
      e.set("type", "icecandidateerror").set("url", err->url).set("errorCode", err->code).set("errorText", err->text);
      if (err->local) {
        e.set("address", err->local->ip.to_string()).set("port", static_cast<uint32_t>(err->local->port));
      }
      emit(std::move(e));
    } else if (auto* st = std::get_if<ice::StateChanged>(&*o)) {
      on_ice_state(now, st->state);
    } else if (auto* p = std::get_if<ice::SelectedPairChanged>(&*o)) {
      selected_pair_ = std::make_pair(p->local, p->remote);
      Record pair;
      pair.set("local", p->local.to_sdp()).set("remote", p->remote.to_sdp());
      Record e;
      e.set("type", "selectedcandidatepair").set("pair", std::move(pair));
      emit(std::move(e));
    } else if (auto* d = std::get_if<ice::Data>(&*o)) {
      on_dtls_data(now, d->data);
    } else if (auto* r = std::get_if<ice::RoleChanged>(&*o)) {
      ice_role_ = r->role;
      // The role decides whether "completed" shows (ice_connection_state).
      on_ice_state(now, ice_state_);
    }
  }
  return progress;
}

void PeerConnection::on_ice_state(base::Timestamp now, ice::State state) {
  ice_state_ = state;
  const std::string s(ice_connection_state(closed_, state, ice_role_ == ice::Role::Controlling));
  if (s != ice_connection_state_) {
    ice_connection_state_ = s;
    Record e;
    e.set("type", "iceconnectionstatechange").set("state", s);
    emit(std::move(e));
  }
  // webrtc-pc 5.6, a change of the ICE transport's state: update the ICE
  // connection state, then the connection state, for each change (an
  // agent that goes disconnected and failed in one turn shows both).
  update_connection_state();
  if ((state == ice::State::Connected || state == ice::State::Completed) && dtls_ && !dtls_started_) {
    start_dtls(now);
  }
}

void PeerConnection::start_dtls(base::Timestamp now) {
  dtls_started_ = true;
  dtls_->start(now);
  dtls_state_ = dtls::State::Connecting;
  Record e;
  e.set("type", "dtlsstatechange").set("state", "connecting");
  emit(std::move(e));
  for (auto& datagram : early_dtls_) dtls_->handle_input(now, datagram);
  early_dtls_.clear();
}

void PeerConnection::on_dtls_data(base::Timestamp now, base::ByteView data) {
  // RFC 7983 section 7: 128..191 is RTP or RTCP (SRTP), 20..63 DTLS.
  if (!data.empty() && data[0] >= 128 && data[0] <= 191) {
    on_srtp_input(now, data);
    return;
  }
  if (!is_dtls(data)) return;
  if (dtls_ && dtls_started_) {
    dtls_->handle_input(now, data);
  } else if (early_dtls_.size() < kMaxEarlyDtls) {
    // The peer's ClientHello can beat our answer (or our ICE state change):
    // keep it for when the transport starts.
    early_dtls_.emplace_back(data.begin(), data.end());
  }
}

bool PeerConnection::pump_dtls(base::Timestamp now) {
  if (!dtls_) return false;
  bool progress = false;
  while (auto datagram = dtls_->poll_transmit()) {
    progress = true;
    if (agent_) (void)agent_->send(now, *datagram);  // lost like any datagram if ICE is not ready
  }
  while (auto ev = dtls_->poll_event()) {
    progress = true;
    if (auto* c = std::get_if<dtls::Connected>(&*ev)) {
      dtls_state_ = dtls::State::Connected;
      dtls_connected_ = *c;
      RecordList certs;
      Record cert;
      cert.set("der", c->remote_certificate_der);
      certs.push_back(std::move(cert));
      Record e;
      e.set("type", "dtlsstatechange").set("state", "connected").set("remoteCertificates", std::move(certs));
      emit(std::move(e));
      start_srtp();
      data_.start(now);
    } else if (auto* d = std::get_if<dtls::Data>(&*ev)) {
      data_.handle_packet(now, d->bytes);
    } else if (auto* f = std::get_if<dtls::Failed>(&*ev)) {
      dtls_state_ = dtls::State::Failed;
      Record err;
      err.set("detail", f->error == dtls::Error::FingerprintMismatch ? "fingerprint-failure" : "dtls-failure")
          .set("message", std::string(dtls::to_string(f->error)) + (f->detail.empty() ? "" : ": " + f->detail));
      Record e;
      e.set("type", "dtlsstatechange").set("state", "failed").set("error", std::move(err));
      emit(std::move(e));
      data_.abort(now);
    } else if (std::get_if<dtls::Closed>(&*ev)) {
      dtls_state_ = dtls::State::Closed;
      Record e;
      e.set("type", "dtlsstatechange").set("state", "closed");
      emit(std::move(e));
      data_.abort(now);
    }
  }
  return progress;
}

bool PeerConnection::pump_sctp(base::Timestamp now) {
  if (!data_.has_association()) return false;
  bool progress = false;
  while (auto packet = data_.poll_transmit()) {
    progress = true;
    if (!dtls_ || dtls_state_ != dtls::State::Connected) continue;
    // SCTP retransmits what is lost, but a packet DTLS refuses would be
    // refused again on every retransmission: say so loudly.
    if (auto r = dtls_->send(now, *packet); !r) {
      WASMRTC_LOG(base::LogLevel::Error, "pc") << "SCTP packet of " << packet->size()
                                               << " bytes refused by DTLS: " << dtls::to_string(r.error());
    }
  }
  while (auto e = data_.poll_event()) {
    progress = true;
    emit(std::move(*e));
  }
  return progress;
}

void PeerConnection::update_connection_state() {
  const std::string s(connection_state(closed_, ice_state_, dtls_state_));
  if (s == connection_state_) return;
  connection_state_ = s;
  Record e;
  e.set("type", "connectionstatechange").set("state", s);
  emit(std::move(e));
}

}  // namespace wasmrtc::pc
