// PeerConnection: construction, transports offered by the embedder, input
// routing, data channel calls and close. See descriptions.cc (JSEP),
// transports.cc (the pump between transport_stack.h, data_channels.h and
// the media path) and stats.cc.
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
      jsep_(jsep_config(config_.certificate), random),
      transport_(config_.certificate, config_.relay_only, random) {}

PeerConnection::~PeerConnection() = default;

void PeerConnection::emit(Record event) { out_.push_back(PcEvent{handle_, std::move(event)}); }

void PeerConnection::add_host_socket(ice::SocketId socket, const base::SocketAddress& local) {
  transport_.add_host_socket(socket, local);
}

// Servers come at creation, before the agent exists (ensure_agent hands
// them over), or from setConfiguration once it runs: those wait for the
// next ICE restart, the next gathering phase (webrtc-pc 4.4.1.6).
void PeerConnection::add_stun_server(const base::SocketAddress& server, const std::string& url) {
  transport_.add_stun_server(server, url);
}

void PeerConnection::add_turn_server(const ice::TurnServer& server) { transport_.add_turn_server(server); }

void PeerConnection::report_candidate_error(Record error) {
  error.set("type", "icecandidateerror");
  emit(std::move(error));
}

// The agent is made when the first description fixes our role: the offerer
// controls (RFC 8445 section 6.1.1, RFC 8829 section 5.2.1).
void PeerConnection::ensure_agent(ice::Role role) {
  if (transport_.has_agent()) return;
  const sdp::IceCredentials local = jsep_.local_ice_credentials();
  transport_.create_agent(role, {local.ufrag, local.pwd});
}

void PeerConnection::handle_datagram(base::Timestamp now, ice::SocketId socket,
                                     const base::SocketAddress& from, base::ByteView data) {
  if (closed_ || !transport_.has_agent()) return;
  transport_.handle_datagram(now, socket, from, data);
  pump(now);
}

void PeerConnection::handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data) {
  if (closed_ || !transport_.has_agent()) return;
  transport_.handle_stream_data(now, stream, data);
  pump(now);
}

void PeerConnection::handle_stream_closed(base::Timestamp now, ice::StreamId stream) {
  if (closed_ || !transport_.has_agent()) return;
  transport_.handle_stream_closed(now, stream);
  pump(now);
}

void PeerConnection::handle_timeout(base::Timestamp now) {
  if (closed_) return;
  run_due_gathering(now);
  transport_.handle_timeout(now);
  data_.handle_timeout(now);
  media_timeout(now);
  pump(now);
}

base::Deadline PeerConnection::poll_timeout() const {
  base::Deadline d;
  if (closed_) return d;
  if (gather_due_ || regather_due_ || reset_gathering_due_) d.merge(due_at_);
  d.merge(transport_.poll_timeout());
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
  while (auto packet = data_.poll_transmit()) transport_.send_dtls(now, *packet);
  transport_.close(now);
  while (auto o = transport_.poll_output()) {
    if (auto* t = std::get_if<ice::Transmit>(&*o)) out_.push_back(std::move(*t));
    else if (auto* s = std::get_if<ice::StreamTransmit>(&*o)) out_.push_back(std::move(*s));
  }
  closed_ = true;
}

}  // namespace wasmrtc::pc
