// PeerConnection: construction, transports offered by the embedder, input
// routing and close. See descriptions.cc (JSEP), transports.cc (the ICE ->
// DTLS -> SCTP pump), data_channels.h (data channels) and stats.cc.
#include "pc/peer_connection.h"

#include "dtls/fingerprint.h"

namespace wasmrtc::pc {
namespace {

sdp::JsepConfig jsep_config(const dtls::Certificate& certificate) {
  sdp::JsepConfig c;
  const dtls::Fingerprint f = certificate.fingerprint(dtls::HashFunction::Sha256);
  auto parsed = sdp::Fingerprint::parse(f.to_string());
  if (parsed) c.fingerprints.push_back(*parsed);
  return c;
}

}  // namespace

PeerConnection::PeerConnection(PcHandle handle, Configuration config, base::Random& random,
                               std::deque<Output>& out)
    : handle_(handle),
      config_(std::move(config)),
      random_(random),
      out_(out),
      jsep_(jsep_config(config_.certificate), random) {}

PeerConnection::~PeerConnection() = default;

void PeerConnection::emit(Record event) { out_.push_back(PcEvent{handle_, std::move(event)}); }

void PeerConnection::add_host_socket(ice::SocketId socket, const base::SocketAddress& local) {
  sockets_.insert(socket);
  host_sockets_.emplace_back(socket, local);
  if (agent_) agent_->add_host_socket(socket, local);
}

// Servers come at creation, before the agent exists (ensure_agent hands
// them over), or from setConfiguration once it runs: those wait for the
// next ICE restart, the next gathering phase (webrtc-pc 4.4.1.6).
void PeerConnection::add_stun_server(const base::SocketAddress& server, const std::string& url) {
  stun_servers_.emplace_back(server, url);
  if (agent_) pending_stun_servers_.emplace_back(server, url);
}

void PeerConnection::add_turn_server(const ice::TurnServer& server) {
  if (server.transport == ice::TurnTransport::Stream) streams_.insert(server.stream);
  turn_servers_.push_back(server);
  if (agent_) pending_turn_servers_.push_back(server);
}

void PeerConnection::report_candidate_error(Record error) {
  error.set("type", "icecandidateerror");
  emit(std::move(error));
}

// The agent is made when the first description fixes our role: the offerer
// controls (RFC 8445 section 6.1.1, RFC 8829 section 5.2.1).
void PeerConnection::ensure_agent(ice::Role role) {
  if (agent_) return;
  ice::Config c;
  c.role = role;
  c.relay_only = config_.relay_only;
  const sdp::IceCredentials local = jsep_.local_ice_credentials();
  c.local = {local.ufrag, local.pwd};
  ice_role_ = role;
  agent_ = std::make_unique<ice::Agent>(c, random_);
  for (const auto& [socket, address] : host_sockets_) agent_->add_host_socket(socket, address);
  for (const auto& [server, url] : stun_servers_) agent_->add_stun_server(server, url);
  for (const auto& t : turn_servers_) agent_->add_turn_server(t);
}

void PeerConnection::handle_datagram(base::Timestamp now, ice::SocketId socket,
                                     const base::SocketAddress& from, base::ByteView data) {
  if (closed_ || !agent_) return;
  agent_->handle_datagram(now, socket, from, data);
  pump(now);
}

void PeerConnection::handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data) {
  if (closed_ || !agent_) return;
  agent_->handle_stream_data(now, stream, data);
  pump(now);
}

void PeerConnection::handle_stream_closed(base::Timestamp now, ice::StreamId stream) {
  if (closed_ || !agent_) return;
  agent_->handle_stream_closed(now, stream);
  pump(now);
}

void PeerConnection::handle_timeout(base::Timestamp now) {
  if (closed_) return;
  run_due_gathering(now);
  if (agent_) agent_->handle_timeout(now);
  if (dtls_) dtls_->handle_timeout(now);
  data_.handle_timeout(now);
  media_timeout(now);
  pump(now);
}

base::Deadline PeerConnection::poll_timeout() const {
  base::Deadline d;
  if (closed_) return d;
  if (gather_due_ || regather_due_ || reset_gathering_due_) d.merge(due_at_);
  if (agent_) d.merge(agent_->poll_timeout());
  if (dtls_) d.merge(dtls_->poll_timeout());
  d.merge(data_.poll_timeout());
  d.merge(media_deadline());
  return d;
}

// ---- data channels (pc/data_channels.h)

void PeerConnection::drain_channel_events() {
  while (auto e = data_.poll_event()) emit(std::move(*e));
}

void PeerConnection::create_data_channel(base::Timestamp now, const ChannelRequest& request) {
  if (closed_) return;
  data_.create_channel(request);
  jsep_.set_data_channels_wanted(true);
  if (data_.has_association()) {
    drain_channel_events();
    pump(now);
  }
}

void PeerConnection::send(base::Timestamp now, ChannelHandle channel, bool binary, base::ByteView data) {
  if (data_.send(channel, binary, data)) pump(now);
}

void PeerConnection::close_data_channel(base::Timestamp now, ChannelHandle channel) {
  if (data_.close_channel(channel)) pump(now);
  else drain_channel_events();
}

// webrtc-pc 4.4.1.5 "close the connection": tell the peer where we can
// (SCTP ABORT, DTLS close_notify, TURN deallocation), then go quiet. The
// page has already moved every state to closed; no events follow.
void PeerConnection::close(base::Timestamp now) {
  if (closed_) return;
  jsep_.close();
  send_rtcp_bye(now);
  data_.close(now);
  while (auto packet = data_.poll_transmit()) {
    if (dtls_ && dtls_->state() == dtls::State::Connected) (void)dtls_->send(now, *packet);
  }
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

}  // namespace wasmrtc::pc
