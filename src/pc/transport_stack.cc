// The BUNDLE transport: ICE -> the RFC 7983 demultiplexer -> DTLS, the
// RTCIceTransport and RTCDtlsTransport states and their page events.
#include "pc/transport_stack.h"

#include "base/log.h"
#include "dtls/fingerprint.h"

namespace wasmrtc::pc {
namespace {

// DTLS records the peer sent before our transport started: its ClientHello
// can beat our answer, or our ICE state change.
constexpr size_t kMaxEarlyDtls = 16;

srtp::Profile srtp_profile(dtls::SrtpProfile p) { return static_cast<srtp::Profile>(static_cast<uint16_t>(p)); }

std::string candidate_id(const ice::Candidate& c, const char* side) {
  return std::string("I") + side + c.foundation + "_" + c.address.to_string();
}

Record candidate_stats(const ice::Candidate& c, const char* side, const char* type) {
  Record r;
  r.set("id", candidate_id(c, side))
      .set("type", type)
      .set("transportId", "T01")
      .set("address", c.hostname.empty() ? c.address.ip.to_string() : c.hostname)
      .set("port", static_cast<uint32_t>(c.address.port))
      .set("protocol", c.transport)
      .set("candidateType", ice::to_string(c.type))
      .set("priority", c.priority)
      .set("foundation", c.foundation);
  if (c.related) {
    r.set("relatedAddress", c.related->ip.to_string()).set("relatedPort", static_cast<uint32_t>(c.related->port));
  }
  // webrtc-stats: for local candidates only.
  if (!c.relay_protocol.empty()) r.set("relayProtocol", c.relay_protocol);
  if (!c.url.empty()) r.set("url", c.url);
  return r;
}

}  // namespace

PacketKind demultiplex(base::ByteView packet) {
  if (packet.empty()) return PacketKind::Unknown;
  const uint8_t b = packet[0];
  if (b <= 3) return PacketKind::Stun;
  if (b >= 20 && b <= 63) return PacketKind::Dtls;
  if (b >= 128 && b <= 191) {
    // An RTCP header is 8 bytes; its packet type is where RTP has M + PT.
    if (packet.size() >= 8 && packet[1] >= 192 && packet[1] <= 223) return PacketKind::Rtcp;
    return PacketKind::Rtp;
  }
  return PacketKind::Unknown;
}

TransportStack::TransportStack(dtls::Certificate certificate, bool relay_only, base::Random& random)
    : certificate_(std::move(certificate)), relay_only_(relay_only), random_(random) {}

TransportStack::~TransportStack() = default;

// ---- what the embedder offers

void TransportStack::add_host_socket(ice::SocketId socket, const base::SocketAddress& local) {
  host_sockets_.emplace_back(socket, local);
  if (agent_) agent_->add_host_socket(socket, local);
}

void TransportStack::add_stun_server(const base::SocketAddress& server, const std::string& url) {
  stun_servers_.emplace_back(server, url);
  if (agent_) pending_stun_servers_.emplace_back(server, url);
}

void TransportStack::add_turn_server(const ice::TurnServer& server) {
  turn_servers_.push_back(server);
  if (agent_) pending_turn_servers_.push_back(server);
}

// ---- ICE

void TransportStack::create_agent(ice::Role role, const ice::Credentials& local) {
  if (agent_) return;
  ice::Config c;
  c.role = role;
  c.relay_only = relay_only_;
  c.local = local;
  ice_role_ = role;
  agent_ = std::make_unique<ice::Agent>(c, random_);
  for (const auto& [socket, address] : host_sockets_) agent_->add_host_socket(socket, address);
  for (const auto& [server, url] : stun_servers_) agent_->add_stun_server(server, url);
  for (const auto& t : turn_servers_) agent_->add_turn_server(t);
}

void TransportStack::start_gathering(base::Timestamp now) {
  if (agent_) agent_->gather(now);
}

void TransportStack::regather(base::Timestamp now) {
  if (agent_) agent_->regather(now);
}

void TransportStack::discard_agent(base::Timestamp now) {
  if (dtls_) {
    // The DTLS transport goes with it (close_notify first, through ICE).
    dtls_->close(now);
    while (auto datagram = dtls_->poll_transmit()) {
      if (agent_) (void)agent_->send(now, *datagram);
    }
    dtls_.reset();
    dtls_state_ = dtls::State::New;
  }
  early_dtls_.clear();
  if (!agent_) return;
  agent_->close(now);
  while (auto o = agent_->poll_output()) {
    if (auto* t = std::get_if<ice::Transmit>(&*o)) out_.push_back(std::move(*t));
    else if (auto* s = std::get_if<ice::StreamTransmit>(&*o)) out_.push_back(std::move(*s));
  }
  agent_.reset();
  ice_role_.reset();
  ice_state_ = ice::State::New;
  remote_ice_.reset();
  remote_candidates_added_.clear();
  selected_pair_.reset();
  // The next agent takes every server offered so far.
  pending_stun_servers_.clear();
  pending_turn_servers_.clear();
}

std::string TransportStack::local_ufrag() const { return agent_ ? agent_->local_credentials().ufrag : std::string(); }

void TransportStack::set_parameters(base::Timestamp now, const ice::Credentials& local,
                                    const ice::Credentials& remote, bool remote_lite, bool reannounce) {
  if (!agent_) return;
  if (remote_ice_ && (agent_->local_credentials().ufrag != local.ufrag || !(*remote_ice_ == remote))) {
    // RFC 8445 section 9: new credentials on either side are an ICE restart,
    // and the next gathering phase, where a changed iceTransportPolicy
    // takes effect (webrtc-pc 4.4.1.6).
    agent_->set_relay_only(relay_only_);
    agent_->restart(now, local, reannounce);
    for (const auto& [server, url] : pending_stun_servers_) agent_->add_stun_server(server, url);
    for (const auto& t : pending_turn_servers_) agent_->add_turn_server(t);
    pending_stun_servers_.clear();
    pending_turn_servers_.clear();
    remote_candidates_added_.clear();
  }
  agent_->set_remote_credentials(remote, remote_lite);
  remote_ice_ = remote;
}

bool TransportStack::add_remote_candidate(base::Timestamp now, const std::string& line) {
  if (!agent_) return false;
  auto c = ice::Candidate::parse(line);
  if (!c || !remote_candidates_added_.insert(line).second) return false;
  (void)agent_->add_remote_candidate(now, *c);
  return true;
}

void TransportStack::end_of_remote_candidates() {
  if (agent_) agent_->end_of_remote_candidates();
}

std::optional<base::Duration> TransportStack::selected_pair_rtt() const {
  std::optional<base::Duration> rtt;
  if (!agent_) return rtt;
  for (const auto& p : agent_->pair_stats())
    if (p.selected && p.current_rtt) rtt = p.current_rtt;
  return rtt;
}

// ---- DTLS

void TransportStack::create_dtls(base::Timestamp now, dtls::Role role, std::vector<dtls::Fingerprint> remote_fingerprints) {
  if (dtls_) return;
  dtls::Config c;
  c.role = role;
  c.certificate = certificate_;
  c.mtu = kDatagramMtu;
  c.remote_fingerprints = std::move(remote_fingerprints);
  auto t = dtls::Transport::create(std::move(c), random_);
  if (t) {
    dtls_ = std::move(*t);
    if (ice_state_ == ice::State::Connected || ice_state_ == ice::State::Completed) start_dtls(now);
  } else {
    dtls_state_ = dtls::State::Failed;
    Record e;
    e.set("type", "dtlsstatechange").set("state", "failed");
    Record err;
    err.set("detail", "dtls-failure").set("message", dtls::to_string(t.error()));
    e.set("error", std::move(err));
    emit(std::move(e));
  }
}

dtls::Role TransportStack::dtls_role() const { return dtls_ ? dtls_->role() : dtls::Role::Client; }

// RFC 5764 section 4.2: the client writes with the client key and salt.
std::optional<TransportStack::SrtpParameters> TransportStack::srtp_parameters() const {
  if (!dtls_connected_ || !dtls_connected_->srtp_profile || !dtls_connected_->srtp_keys) return std::nullopt;
  const auto& k = *dtls_connected_->srtp_keys;
  const bool client = dtls_ && dtls_->role() == dtls::Role::Client;
  return SrtpParameters{srtp_profile(*dtls_connected_->srtp_profile),
                        srtp::Keys{client ? k.client_key : k.server_key, client ? k.client_salt : k.server_salt},
                        srtp::Keys{client ? k.server_key : k.client_key, client ? k.server_salt : k.client_salt}};
}

void TransportStack::start_dtls(base::Timestamp now) {
  dtls_started_ = true;
  dtls_->start(now);
  dtls_state_ = dtls::State::Connecting;
  Record e;
  e.set("type", "dtlsstatechange").set("state", "connecting");
  emit(std::move(e));
  for (auto& datagram : early_dtls_) dtls_->handle_input(now, datagram);
  early_dtls_.clear();
}

// ---- sending

void TransportStack::send_dtls(base::Timestamp now, base::ByteView packet) {
  if (!dtls_ || dtls_state_ != dtls::State::Connected) return;
  // SCTP retransmits what is lost, but a packet DTLS refuses would be
  // refused again on every retransmission: say so loudly.
  if (auto r = dtls_->send(now, packet); !r) {
    WASMRTC_LOG(base::LogLevel::Error, "pc") << "SCTP packet of " << packet.size()
                                             << " bytes refused by DTLS: " << dtls::to_string(r.error());
  }
}

void TransportStack::send_srtp(base::Timestamp now, base::ByteView packet) {
  if (agent_) (void)agent_->send(now, packet);
}

// ---- input and time

void TransportStack::handle_datagram(base::Timestamp now, ice::SocketId socket, const base::SocketAddress& from,
                                     base::ByteView data) {
  if (agent_) agent_->handle_datagram(now, socket, from, data);
}

void TransportStack::handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data) {
  if (agent_) agent_->handle_stream_data(now, stream, data);
}

void TransportStack::handle_stream_closed(base::Timestamp now, ice::StreamId stream) {
  if (agent_) agent_->handle_stream_closed(now, stream);
}

void TransportStack::handle_timeout(base::Timestamp now) {
  if (agent_) agent_->handle_timeout(now);
  if (dtls_) dtls_->handle_timeout(now);
}

base::Deadline TransportStack::poll_timeout() const {
  base::Deadline d;
  if (agent_) d.merge(agent_->poll_timeout());
  if (dtls_) d.merge(dtls_->poll_timeout());
  return d;
}

std::optional<TransportStack::Output> TransportStack::poll_output() {
  if (out_.empty()) return std::nullopt;
  Output o = std::move(out_.front());
  out_.pop_front();
  return o;
}

bool TransportStack::process(base::Timestamp now) {
  if (closed_) return false;
  bool progress = process_ice(now);
  progress |= process_dtls(now);
  return progress;
}

bool TransportStack::process_ice(base::Timestamp now) {
  if (!agent_) return false;
  bool progress = false;
  while (auto o = agent_->poll_output()) {
    progress = true;
    if (auto* t = std::get_if<ice::Transmit>(&*o)) {
      out_.push_back(std::move(*t));
    } else if (auto* s = std::get_if<ice::StreamTransmit>(&*o)) {
      out_.push_back(std::move(*s));
    } else if (auto* c = std::get_if<ice::LocalCandidate>(&*o)) {
      if (relay_only_ && c->candidate.type != ice::CandidateType::Relay) continue;
      out_.push_back(std::move(*c));
    } else if (auto* g = std::get_if<ice::GatheringStateChanged>(&*o)) {
      out_.push_back(*g);
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
      on_data(now, d->data);
    } else if (auto* r = std::get_if<ice::RoleChanged>(&*o)) {
      ice_role_ = r->role;
      // The role decides whether the aggregate shows "completed"
      // (pc/connection_state.h): the state is reported again.
      out_.push_back(ice::StateChanged{ice_state_});
    }
  }
  return progress;
}

void TransportStack::on_ice_state(base::Timestamp now, ice::State state) {
  ice_state_ = state;
  out_.push_back(ice::StateChanged{state});
  if ((state == ice::State::Connected || state == ice::State::Completed) && dtls_ && !dtls_started_) {
    start_dtls(now);
  }
}

// RFC 7983: what ICE hands up (everything but STUN) by its first byte.
void TransportStack::on_data(base::Timestamp now, base::ByteView data) {
  switch (demultiplex(data)) {
    case PacketKind::Rtp:
    case PacketKind::Rtcp:
      out_.push_back(SrtpPacket{base::Bytes(data.begin(), data.end()), demultiplex(data) == PacketKind::Rtcp});
      return;
    case PacketKind::Dtls:
      if (dtls_ && dtls_started_) {
        dtls_->handle_input(now, data);
      } else if (early_dtls_.size() < kMaxEarlyDtls) {
        early_dtls_.emplace_back(data.begin(), data.end());
      }
      return;
    case PacketKind::Stun:  // the agent's, never handed up
    case PacketKind::Unknown:
      return;
  }
}

bool TransportStack::process_dtls(base::Timestamp now) {
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
    } else if (auto* f = std::get_if<dtls::Failed>(&*ev)) {
      dtls_state_ = dtls::State::Failed;
      Record err;
      err.set("detail", f->error == dtls::Error::FingerprintMismatch ? "fingerprint-failure" : "dtls-failure")
          .set("message", std::string(dtls::to_string(f->error)) + (f->detail.empty() ? "" : ": " + f->detail));
      Record e;
      e.set("type", "dtlsstatechange").set("state", "failed").set("error", std::move(err));
      emit(std::move(e));
    } else if (std::get_if<dtls::Closed>(&*ev)) {
      dtls_state_ = dtls::State::Closed;
      Record e;
      e.set("type", "dtlsstatechange").set("state", "closed");
      emit(std::move(e));
    }
    std::visit([&](auto& e) { out_.push_back(std::move(e)); }, *ev);
  }
  return progress;
}

void TransportStack::close(base::Timestamp now) {
  if (closed_) return;
  if (dtls_) {
    dtls_->close(now);
    while (auto datagram = dtls_->poll_transmit()) {
      if (agent_) (void)agent_->send(now, *datagram);
    }
  }
  if (agent_) {
    agent_->close(now);
    while (auto o = agent_->poll_output()) {
      if (auto* t = std::get_if<ice::Transmit>(&*o)) out_.push_back(std::move(*t));
      else if (auto* s = std::get_if<ice::StreamTransmit>(&*o)) out_.push_back(std::move(*s));
    }
  }
  closed_ = true;
}

// ---- webrtc-stats

void TransportStack::stats(RecordList& out, const std::string& ice_state, int64_t wall_clock_offset_us,
                           std::optional<double> available_outgoing_bitrate) const {
  uint64_t bytes_sent = 0, bytes_received = 0, packets_sent = 0, packets_received = 0;
  std::string selected_id;
  if (agent_) {
    for (const auto& c : agent_->local_candidates()) out.push_back(candidate_stats(c, "L", "local-candidate"));
    for (const auto& c : agent_->remote_candidates()) out.push_back(candidate_stats(c, "R", "remote-candidate"));
    for (const auto& p : agent_->pair_stats()) {
      const std::string id = "CP" + candidate_id(p.local, "L") + "_" + candidate_id(p.remote, "R");
      Record r;
      r.set("id", id).set("type", "candidate-pair").set("transportId", "T01")
          .set("localCandidateId", candidate_id(p.local, "L"))
          .set("remoteCandidateId", candidate_id(p.remote, "R"))
          .set("state", p.state)
          .set("nominated", p.nominated)
          .set("bytesSent", p.bytes_sent)
          .set("bytesReceived", p.bytes_received)
          .set("packetsSent", p.packets_sent)
          .set("packetsReceived", p.packets_received)
          .set("requestsSent", p.requests_sent)
          .set("requestsReceived", p.requests_received)
          .set("responsesSent", p.responses_sent)
          .set("responsesReceived", p.responses_received)
          .set("consentRequestsSent", p.consent_requests_sent)
          .set("totalRoundTripTime", static_cast<double>(p.total_rtt.us()) / 1e6);
      if (p.current_rtt) r.set("currentRoundTripTime", static_cast<double>(p.current_rtt->us()) / 1e6);
      // DOMHighResTimeStamps on the clock of `timestamp` (Unix ms), not the engine's.
      const auto wall_ms = [&](base::Timestamp t) { return static_cast<double>(t.us() + wall_clock_offset_us) / 1e3; };
      if (p.last_packet_sent) r.set("lastPacketSentTimestamp", wall_ms(*p.last_packet_sent));
      if (p.last_packet_received) r.set("lastPacketReceivedTimestamp", wall_ms(*p.last_packet_received));
      // webrtc-stats: the sender-side estimate of the congestion control,
      // on the pair it applies to.
      if (p.selected && available_outgoing_bitrate) r.set("availableOutgoingBitrate", *available_outgoing_bitrate);
      if (p.selected) selected_id = id;
      bytes_sent += p.bytes_sent;
      bytes_received += p.bytes_received;
      packets_sent += p.packets_sent;
      packets_received += p.packets_received;
      out.push_back(std::move(r));
    }
  }

  const dtls::Fingerprint local_fp = certificate_.fingerprint(dtls::HashFunction::Sha256);
  const std::string local_cert_id = "CF" + local_fp.hex();
  {
    Record r;
    r.set("id", local_cert_id).set("type", "certificate")
        .set("fingerprint", local_fp.hex()).set("fingerprintAlgorithm", "sha-256")
        .set("base64Certificate", base::to_base64(certificate_.der()));
    out.push_back(std::move(r));
  }
  std::string remote_cert_id;
  if (dtls_connected_) {
    const dtls::Fingerprint fp = dtls::Fingerprint::of(dtls::HashFunction::Sha256, dtls_connected_->remote_certificate_der);
    remote_cert_id = "CF" + fp.hex();
    Record r;
    r.set("id", remote_cert_id).set("type", "certificate")
        .set("fingerprint", fp.hex()).set("fingerprintAlgorithm", "sha-256")
        .set("base64Certificate", base::to_base64(dtls_connected_->remote_certificate_der));
    out.push_back(std::move(r));
  }

  Record t;
  t.set("id", "T01").set("type", "transport")
      .set("bytesSent", bytes_sent).set("bytesReceived", bytes_received)
      .set("packetsSent", packets_sent).set("packetsReceived", packets_received)
      .set("dtlsState", dtls::to_string(dtls_state_))
      .set("iceState", ice_state)
      .set("localCertificateId", local_cert_id);
  if (ice_role_) t.set("iceRole", *ice_role_ == ice::Role::Controlling ? "controlling" : "controlled");
  if (agent_) t.set("iceLocalUsernameFragment", agent_->local_credentials().ufrag);
  if (dtls_) t.set("dtlsRole", dtls_->role() == dtls::Role::Client ? "client" : "server");
  if (!selected_id.empty()) t.set("selectedCandidatePairId", selected_id);
  if (!remote_cert_id.empty()) t.set("remoteCertificateId", remote_cert_id);
  if (dtls_connected_) t.set("dtlsCipher", dtls_connected_->cipher_suite).set("tlsVersion", "FEFD");
  // webrtc-stats: the negotiated DTLS-SRTP protection profile's IANA name.
  if (dtls_connected_ && dtls_connected_->srtp_profile) {
    t.set("srtpCipher", dtls::to_string(*dtls_connected_->srtp_profile));
  }
  out.push_back(std::move(t));
}

}  // namespace wasmrtc::pc
