// The JSEP half of PeerConnection: the W3C offer/answer operations on
// sdp::JsepSession, and what applying a description sets in motion
// (webrtc-pc 4.4.1.5 "set the RTCSessionDescription", RFC 8829 5.10/5.11).
#include "pc/peer_connection.h"

#include "sdp/bundle.h"

namespace wasmrtc::pc {
namespace {

// The page rejects with what the JSEP error names; an SDP syntax error is an
// RTCError with errorDetail and sdpLineNumber (webrtc-pc 4.4.1.5).
Error from_jsep(const sdp::JsepError& e) {
  Error out{std::string(e.dom_exception_name()), e.message, {}, {}};
  if (auto detail = e.error_detail()) {
    out.error_detail = std::string(*detail);
    out.sdp_line_number = e.sdp_line_number;
  }
  return out;
}

Record description_record(const std::optional<sdp::Description>& d) {
  Record r;
  r.set("type", sdp::to_string(d->type));
  r.set("sdp", d->to_string());
  return r;
}

void set_description(Record& r, const char* key, const std::optional<sdp::Description>& d) {
  if (d) r.set(key, description_record(d));
  else r.set(key, Null{});
}

bool has_data_section(const std::optional<sdp::Description>& d) {
  if (!d) return false;
  for (const auto& m : d->sdp.media)
    if (m.is_data_channel() && !m.is_rejected()) return true;
  return false;
}

}  // namespace

Record PeerConnection::local_description_record() const {
  Record r;
  set_description(r, "current", jsep_.current_local_description());
  set_description(r, "pending", jsep_.pending_local_description());
  return r;
}

// RTCRtpCodecParameters and RTCRtpHeaderExtensionParameters (webrtc-pc
// 5.2) of the negotiated section, for getParameters() and canInsertDTMF.
static void set_negotiated(Record& r, const sdp::NegotiatedMedia& nm) {
  RecordList codecs;
  for (const auto& c : nm.codecs) {
    Record codec;
    codec.set("payloadType", static_cast<uint32_t>(c.payload_type))
        .set("mimeType", std::string(sdp::to_string(nm.kind)) + "/" + c.name)
        .set("clockRate", c.clock_rate);
    if (nm.kind == sdp::MediaKind::Audio) codec.set("channels", static_cast<uint32_t>(c.channels));
    if (!c.fmtp.empty()) codec.set("sdpFmtpLine", c.fmtp);
    codecs.push_back(std::move(codec));
  }
  RecordList extensions;
  for (const auto& e : nm.extensions) {
    Record x;
    x.set("uri", e.uri).set("id", static_cast<uint32_t>(e.id)).set("encrypted", false);
    extensions.push_back(std::move(x));
  }
  r.set("codecs", std::move(codecs)).set("headerExtensions", std::move(extensions));
}

RecordList PeerConnection::transceiver_records() const {
  RecordList list;
  const sdp::Negotiated negotiated = jsep_.negotiated();
  for (const auto& t : jsep_.transceivers()) {
    Record r;
    r.set("handle", static_cast<int64_t>(t.handle))
        .set("kind", sdp::to_string(t.kind))
        .set_optional("mid", t.mid)
        .set("direction", sdp::to_string(t.direction))
        .set("stopping", t.stopping)
        .set("stopped", t.stopped)
        .set("receiverTrackId", t.receiver_track_id)
        .set("ssrc", t.ssrc);
    if (t.current_direction) r.set("currentDirection", sdp::to_string(*t.current_direction));
    else r.set("currentDirection", Null{});
    for (const auto& nm : negotiated.media)
      if (t.mid && nm.mid == *t.mid && !t.stopped) set_negotiated(r, nm);
    list.push_back(std::move(r));
  }
  return list;
}

Record PeerConnection::description_state() {
  Record r;
  r.set("signalingState", sdp::to_string(jsep_.signaling_state()));
  set_description(r, "currentLocal", jsep_.current_local_description());
  set_description(r, "pendingLocal", jsep_.pending_local_description());
  set_description(r, "currentRemote", jsep_.current_remote_description());
  set_description(r, "pendingRemote", jsep_.pending_remote_description());
  const auto& remote = jsep_.remote_description();
  if (remote) {
    // webrtc-pc 4.4.2 canTrickleIceCandidates: the remote said ice-options:trickle.
    bool trickle = false;
    for (size_t i = 0; i < remote->sdp.media.size() && !trickle; ++i)
      for (const auto& o : remote->sdp.ice_options(i)) trickle = trickle || o == "trickle";
    r.set("canTrickle", trickle);
  }
  r.set("hasDataSection", has_data_section(jsep_.local_description()) ||
                              has_data_section(jsep_.remote_description()));
  r.set("dataSectionNegotiated", has_data_section(jsep_.current_local_description()) &&
                                     has_data_section(jsep_.current_remote_description()));
  r.set("negotiationNeeded", jsep_.negotiation_needed());
  r.set("transceivers", transceiver_records());
  r.set("cname", jsep_.cname());
  // webrtc-pc 4.4.1.5: tracks to add (track event) or to remove from
  // their streams, in the order the description listed them.
  RecordList changes;
  for (const auto& c : jsep_.take_track_changes()) {
    Record e;
    RecordList streams;
    for (const auto& id : c.stream_ids) {
      Record sr;
      sr.set("id", id);
      streams.push_back(std::move(sr));
    }
    e.set("transceiver", static_cast<int64_t>(c.transceiver)).set("added", c.added).set("streams", std::move(streams));
    changes.push_back(std::move(e));
  }
  r.set("trackChanges", std::move(changes));
  if (auto role = transport_.ice_role()) r.set("iceRole", *role == ice::Role::Controlling ? "controlling" : "controlled");
  return r;
}

Result<Record> PeerConnection::create_offer(base::Timestamp, bool ice_restart) {
  if (closed_) return Unexpected(Error::invalid_state("The RTCPeerConnection is closed"));
  sdp::OfferOptions options;
  options.ice_restart = ice_restart;
  auto text = jsep_.create_offer(options);
  if (!text) return Unexpected(from_jsep(text.error()));
  Record r;
  r.set("sdp", *text);
  return r;
}

Result<Record> PeerConnection::create_answer(base::Timestamp) {
  if (closed_) return Unexpected(Error::invalid_state("The RTCPeerConnection is closed"));
  auto text = jsep_.create_answer();
  if (!text) return Unexpected(from_jsep(text.error()));
  Record r;
  r.set("sdp", *text);
  return r;
}

Result<Record> PeerConnection::set_local_description(base::Timestamp now, const std::string& type,
                                                     const std::string& sdp) {
  if (closed_) return Unexpected(Error::invalid_state("The RTCPeerConnection is closed"));
  std::optional<sdp::SdpType> t;
  if (!type.empty()) {
    t = sdp::parse_sdp_type(type);
    if (!t) return Unexpected(Error::type("Unknown RTCSdpType " + type));
  }
  const sdp::SignalingState before = jsep_.signaling_state();
  auto r = jsep_.set_local_description(t, sdp);
  if (!r) return Unexpected(from_jsep(r.error()));
  // Our offer first: we control (RFC 8445 section 6.1.1).
  if (before == sdp::SignalingState::Stable && jsep_.signaling_state() == sdp::SignalingState::HaveLocalOffer)
    ensure_agent(ice::Role::Controlling);
  else if (jsep_.local_description())
    ensure_agent(ice::Role::Controlled);
  schedule_gathering(now, t);
  apply_negotiation(now);
  pump(now);
  return description_state();
}

Result<Record> PeerConnection::set_remote_description(base::Timestamp now, const std::string& type,
                                                      const std::string& sdp) {
  if (closed_) return Unexpected(Error::invalid_state("The RTCPeerConnection is closed"));
  auto t = sdp::parse_sdp_type(type);
  if (!t) return Unexpected(Error::type("Unknown RTCSdpType " + type));
  auto r = jsep_.set_remote_description(*t, sdp);
  if (!r) return Unexpected(from_jsep(r.error()));
  if (*t == sdp::SdpType::Offer) ensure_agent(ice::Role::Controlled);
  apply_negotiation(now);
  pump(now);
  return description_state();
}

Result<Record> PeerConnection::add_ice_candidate(base::Timestamp now, const std::string& candidate,
                                                 const std::optional<std::string>& mid,
                                                 const std::optional<uint32_t>& m_line_index,
                                                 const std::optional<std::string>& ufrag) {
  if (closed_) return Unexpected(Error::invalid_state("The RTCPeerConnection is closed"));
  sdp::CandidateTarget target;
  target.mid = mid;
  if (m_line_index) target.m_line_index = *m_line_index;
  target.ufrag = ufrag;
  auto r = jsep_.add_remote_candidate(candidate, target);
  if (!r) return Unexpected(from_jsep(r.error()));
  Record out;
  if (r->stale) {
    // A candidate of an earlier remote ICE generation: ignored.
  } else if (r->candidate && r->for_data_transport && transport_.has_agent()) {
    // A candidate this agent cannot use (another address family, an mDNS
    // name, TCP) is not an error for the page (webrtc-pc 4.4.1.6 leaves it
    // to the ICE agent); it is simply not paired.
    if (transport_.add_remote_candidate(now, *r->candidate)) out.set("remoteCandidate", *r->candidate);
  } else if (!r->candidate) {
    transport_.end_of_remote_candidates();
  }
  set_description(out, "currentRemote", jsep_.current_remote_description());
  set_description(out, "pendingRemote", jsep_.pending_remote_description());
  pump(now);
  return out;
}

// webrtc-pc 4.4.1.5, and Chromium's order: gathering starts with the first
// local description that has a transport (an offer without m= sections has
// none, and gathers nothing); a local ICE restart offer (a new ufrag) is a
// new gathering phase at once; rolling back the first offer, which made the
// transport, takes the gathering state back to "new". Each step is taken in
// the next handle_timeout, after the operation has returned.
void PeerConnection::schedule_gathering(base::Timestamp now, const std::optional<sdp::SdpType>& type) {
  const auto& local = jsep_.local_description();
  if (type == sdp::SdpType::Rollback) {
    regathered_ufrag_.clear();  // a rolled-back restart offer's phase is over
    if (!local && gathering_started_) {
      gather_due_ = regather_due_ = false;
      reset_gathering_due_ = true;
      due_at_ = now;
    }
    return;
  }
  if (!transport_.has_agent() || !local) return;
  const auto primary = sdp::primary_section(local->sdp);
  if (!primary) {
    // No transport. Our offer that rejects every m= section (each
    // transceiver stopped) closes the ones there were once it is set, as
    // Chromium does (measured: the states go to "new" after
    // setLocalDescription resolves).
    if (gathering_started_ && jsep_.signaling_state() == sdp::SignalingState::HaveLocalOffer) {
      discard_due_ = true;
      due_at_ = now;
      // Chromium's ICE connection state is "new" before the operation
      // resolves, the others after it (measured).
      if (ice_connection_state_ != "new") {
        ice_connection_state_ = "new";
        Record e;
        e.set("type", "iceconnectionstatechange").set("state", ice_connection_state_).set("duringOperation", true);
        emit(std::move(e));
      }
    }
    return;
  }
  if (!gathering_started_) {
    gathering_started_ = true;
    reset_gathering_due_ = false;
    gather_due_ = true;
    due_at_ = now;
    return;
  }
  if (jsep_.signaling_state() != sdp::SignalingState::HaveLocalOffer) return;
  const auto creds = sdp::transport_credentials(local->sdp, *primary);
  if (!creds || creds->ufrag == transport_.local_ufrag() || creds->ufrag == regathered_ufrag_) return;
  regathered_ufrag_ = creds->ufrag;
  regather_due_ = true;
  due_at_ = now;
}

void PeerConnection::run_due_gathering(base::Timestamp now) {
  if (discard_due_) {
    discard_due_ = false;
    discard_transports(now, false);
  }
  if (reset_gathering_due_) {
    reset_gathering_due_ = false;
    gathering_started_ = false;
    regathered_ufrag_.clear();
    // The transport goes away (TURN allocations are released); its events
    // are not the page's: only the gathering state's return to "new".
    transport_.discard_agent(now);
    drain_transport(now);
    if (gathering_state_ != "new") {
      gathering_state_ = "new";
      Record e;
      e.set("type", "icegatheringstatechange").set("state", gathering_state_)
          .set("localDescription", local_description_record());
      emit(std::move(e));
    }
  }
  if (gather_due_) {
    gather_due_ = false;
    transport_.start_gathering(now);
  }
  if (regather_due_) {
    regather_due_ = false;
    transport_.regather(now);
  }
}

// What an applied description sets in motion for the transports: the
// remote ICE parameters and candidates, an ICE restart, the DTLS role and
// fingerprints, the SCTP association (RFC 8829 sections 5.10 and 5.11).
void PeerConnection::apply_negotiation(base::Timestamp now) {
  const sdp::Negotiated n = jsep_.negotiated();
  if (!transport_.has_agent() || !n.answered || n.generation == applied_generation_) return;
  applied_generation_ = n.generation;
  if (!n.transport_m_line_index && !n.data_mid) {
    // RFC 8829 5.10/5.11: the exchange accepts no m= section, so no
    // transport remains (webrtc-pc 4.3.3: the states are "new" with no
    // transports). In Chromium the answerer's states change before its
    // setLocalDescription(answer) resolves (measured).
    media_.apply(now, n, jsep_.transceivers());
    discard_transports(now, true);
    return;
  }

  // A restart we offered was gathered for at setLocalDescription.
  const bool regathered = !regathered_ufrag_.empty() && regathered_ufrag_ == n.local_ice.ufrag;
  transport_.set_parameters(now, {n.local_ice.ufrag, n.local_ice.pwd}, {n.remote_ice.ufrag, n.remote_ice.pwd},
                            n.remote_ice_lite, !regathered);
  for (const auto& line : n.remote_candidates) (void)transport_.add_remote_candidate(now, line);
  if (n.remote_end_of_candidates) transport_.end_of_remote_candidates();

  data_.set_remote_max_message_size(n.remote_max_message_size);
  if (!transport_.has_dtls() && n.dtls_role) {
    std::vector<dtls::Fingerprint> fingerprints;
    for (const auto& f : n.remote_fingerprints) {
      if (auto parsed = dtls::Fingerprint::parse(f.to_string())) fingerprints.push_back(*parsed);
    }
    transport_.create_dtls(now, *n.dtls_role == sdp::DtlsRole::Client ? dtls::Role::Client : dtls::Role::Server,
                           std::move(fingerprints));
    drain_transport(now);  // its dtlsstatechange, before what follows
  }
  media_.apply(now, n, jsep_.transceivers());
  if (!data_.has_association() && transport_.has_dtls() && n.data_mid) {
    // One SCTP packet is one DTLS record in one datagram (RFC 8261 section 5).
    data_.create_association(now, transport_.dtls_role() == dtls::Role::Client,
                             static_cast<uint32_t>(kDatagramMtu - dtls::kMaxRecordOverhead),
                             transport_.dtls_state() == dtls::State::Connected);
    drain_channel_events();
  }
}

void PeerConnection::discard_transports(base::Timestamp now, bool during_operation) {
  if (!transport_.has_agent() && !transport_.has_dtls()) return;
  if (data_.has_association()) data_.abort(now);
  // DTLS close_notify and TURN deallocations leave; nothing else is the page's.
  transport_.discard_agent(now);
  drain_transport(now);
  media_.stop_srtp();
  gathering_started_ = false;
  gather_due_ = regather_due_ = reset_gathering_due_ = discard_due_ = false;
  regathered_ufrag_.clear();
  auto emit_state = [&](const char* type, std::string& state) {
    if (state == "new") return;
    state = "new";
    Record e;
    e.set("type", type).set("state", state);
    if (std::string_view(type) == "icegatheringstatechange") e.set("localDescription", local_description_record());
    if (during_operation) e.set("duringOperation", true);
    emit(std::move(e));
  };
  // Chromium's order (measured): connection, gathering, then ICE connection.
  emit_state("connectionstatechange", connection_state_);
  emit_state("icegatheringstatechange", gathering_state_);
  emit_state("iceconnectionstatechange", ice_connection_state_);
}

}  // namespace wasmrtc::pc
