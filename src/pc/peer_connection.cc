// PeerConnection: construction, transports offered by the embedder, input
// routing, data channel calls and close. See descriptions.cc (JSEP),
// transports.cc (the pump between transport_stack.h, data_channels.h and
// the media path) and stats.cc.
#include "pc/peer_connection.h"

#include "dtls/fingerprint.h"

namespace wasmrtc::pc {
namespace {

sdp::JsepConfig jsep_config(const dtls::Certificate& certificate, const CodecRegistry* codecs) {
  sdp::JsepConfig c;
  if (codecs) {
    c.audio_codecs = codecs->codecs(sdp::MediaKind::Audio);
    c.video_codecs = codecs->codecs(sdp::MediaKind::Video);
  }
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
      out_(out),
      jsep_(jsep_config(config_.certificate, config_.codecs), random),
      transport_(config_.certificate, config_.relay_only, random),
      media_(MediaSession::Config{jsep_.cname(), config_.wall_clock_offset_us, kDatagramMtu, config_.codecs}, random,
             media_link_) {}

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
  media_.handle_timeout(now);
  pump(now);
}

base::Deadline PeerConnection::poll_timeout() const {
  base::Deadline d;
  if (closed_) return d;
  if (gather_due_ || regather_due_ || reset_gathering_due_ || discard_due_) d.merge(due_at_);
  d.merge(transport_.poll_timeout());
  d.merge(data_.poll_timeout());
  d.merge(media_.poll_timeout());
  return d;
}

// ---- media (pc/media_session.h): JSEP keeps the transceivers, the media
// session what the negotiation made of them.

void PeerConnection::add_transceiver(const TransceiverRequest& r) {
  sdp::Transceiver t;
  t.handle = r.handle;
  t.kind = r.kind;
  t.direction = r.direction;
  t.sender_track_id = r.track_id;
  t.stream_ids = r.stream_ids;
  t.added_by_add_track = r.added_by_add_track;
  t.receiver_track_id = r.receiver_track_id;
  jsep_.add_transceiver(std::move(t));
}

void PeerConnection::update_transceiver(const TransceiverUpdate& u) {
  if (u.direction) jsep_.set_direction(u.handle, *u.direction);
  if (u.sender) jsep_.set_sender(u.handle, u.sender->first, u.sender->second);
  if (u.codec_preferences) jsep_.set_codec_preferences(u.handle, *u.codec_preferences);
  if (u.receiver_track_id) jsep_.set_receiver_track_id(u.handle, *u.receiver_track_id);
  if (u.stop) jsep_.stop_transceiver(u.handle);
  media_.set_encoding(u.handle, u.active, u.max_bitrate);
  if (u.stop) media_.remove(u.handle);
}

void PeerConnection::send_audio(base::Timestamp now, sdp::TransceiverHandle handle, std::span<const int16_t> pcm,
                                uint32_t sample_rate, uint8_t channels) {
  media_.send_audio(now, handle, pcm, sample_rate, channels);
}

void PeerConnection::insert_dtmf(base::Timestamp now, sdp::TransceiverHandle handle, char tone,
                                 base::Duration duration) {
  media_.insert_dtmf(now, handle, tone, duration);
}

void PeerConnection::send_video(base::Timestamp now, sdp::TransceiverHandle handle, uint32_t width, uint32_t height,
                                base::ByteView i420) {
  media_.send_video(now, handle, width, height, i420);
}

// RFC 5764 section 4.2: the keys DTLS exported.
void PeerConnection::start_srtp() {
  if (auto k = transport_.srtp_parameters()) media_.start_srtp(k->profile, k->local, k->remote);
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
  media_.close(now);
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
