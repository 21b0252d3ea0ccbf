// The pump of PeerConnection: moving bytes and events between the transport
// stack (ICE, the RFC 7983 demultiplexer, DTLS), the data channels (SCTP)
// and the media path until all are quiet, and the states the page sees
// that aggregate them (RTCIceConnectionState, RTCIceGatheringState,
// RTCPeerConnectionState, webrtc-pc 4.3.3), with the candidates JSEP adds
// to the local description (RFC 8829 section 5.7, RFC 8838).
#include "pc/connection_state.h"
#include "pc/peer_connection.h"

namespace wasmrtc::pc {

void PeerConnection::pump(base::Timestamp now) {
  // Each step can feed the others (a DTLS record carries SCTP, SCTP answers
  // through DTLS, which sends through ICE): repeat until nothing moves.
  for (int round = 0; round < 10000; ++round) {
    bool progress = transport_.process(now);
    drain_transport(now);
    progress |= pump_sctp(now);
    if (!progress) break;
  }
  data_.report_sent();
  drain_channel_events();
  update_connection_state(transport_.ice_state());
}

void PeerConnection::drain_transport(base::Timestamp now) {
  while (auto o = transport_.poll_output()) on_transport_output(now, *o);
}

void PeerConnection::on_transport_output(base::Timestamp now, TransportStack::Output& output) {
  if (auto* t = std::get_if<ice::Transmit>(&output)) {
    out_.push_back(std::move(*t));
  } else if (auto* s = std::get_if<ice::StreamTransmit>(&output)) {
    out_.push_back(std::move(*s));
  } else if (auto* c = std::get_if<ice::LocalCandidate>(&output)) {
    auto added = jsep_.add_local_candidate(c->candidate.to_sdp());
    if (!added) return;
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
  } else if (auto* g = std::get_if<ice::GatheringStateChanged>(&output)) {
    if (g->state == ice::GatheringState::Complete) (void)jsep_.end_of_local_candidates();
    gathering_state_ = ice::to_string(g->state);
    Record e;
    e.set("type", "icegatheringstatechange")
        .set("state", gathering_state_)
        .set("localDescription", local_description_record());
    emit(std::move(e));
  } else if (auto* st = std::get_if<ice::StateChanged>(&output)) {
    on_ice_state(st->state);
  } else if (auto* r = std::get_if<Record>(&output)) {
    emit(std::move(*r));
  } else if (auto* p = std::get_if<TransportStack::SrtpPacket>(&output)) {
    media_.handle_srtp(now, p->data, p->rtcp);
  } else if (std::get_if<dtls::Connected>(&output)) {
    start_srtp();
    data_.start(now);
  } else if (auto* d = std::get_if<dtls::Data>(&output)) {
    data_.handle_packet(now, d->bytes);
  } else if (std::get_if<dtls::Failed>(&output) || std::get_if<dtls::Closed>(&output)) {
    data_.abort(now);
  }
}

void PeerConnection::on_ice_state(ice::State state) {
  const std::string s(ice_connection_state(closed_, state, transport_.ice_role() == ice::Role::Controlling));
  if (s != ice_connection_state_) {
    ice_connection_state_ = s;
    Record e;
    e.set("type", "iceconnectionstatechange").set("state", s);
    emit(std::move(e));
  }
  // webrtc-pc 5.6, a change of the ICE transport's state: update the ICE
  // connection state, then the connection state, for each change (an
  // agent that goes disconnected and failed in one turn shows both). The
  // state reported, not the stack's latest, which may be ahead of it.
  update_connection_state(state);
}

bool PeerConnection::pump_sctp(base::Timestamp now) {
  if (!data_.has_association()) return false;
  bool progress = false;
  while (auto packet = data_.poll_transmit()) {
    progress = true;
    transport_.send_dtls(now, *packet);
  }
  while (auto e = data_.poll_event()) {
    progress = true;
    emit(std::move(*e));
  }
  return progress;
}

void PeerConnection::update_connection_state(ice::State ice) {
  const std::string s(connection_state(closed_, ice, transport_.dtls_state()));
  if (s == connection_state_) return;
  connection_state_ = s;
  Record e;
  e.set("type", "connectionstatechange").set("state", s);
  emit(std::move(e));
}

}  // namespace wasmrtc::pc
