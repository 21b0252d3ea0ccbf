#include "pc/engine.h"

#include "dtls/certificate.h"

namespace wasmrtc::pc {

Engine::Engine(base::Random& random) : random_(random) {}
Engine::~Engine() = default;

Result<void> Engine::create_peer_connection(PcHandle pc, const PeerConnectionInit& init) {
  if (pcs_.count(pc)) return Unexpected(Error::operation("peer connection handle in use"));
  Configuration config;
  config.relay_only = init.relay_only;
  config.wall_clock_offset_us = init.wall_clock_offset_us;
  config.codecs = &codecs_;
  if (init.certificate_pem && init.private_key_pem) {
    auto cert = dtls::Certificate::from_pem(*init.certificate_pem, *init.private_key_pem);
    if (!cert) return Unexpected(Error::invalid_access("the RTCCertificate cannot be used"));
    config.certificate = *cert;
  } else {
    auto cert = dtls::Certificate::generate(random_, dtls::validity_around(init.now_unix));
    if (!cert) return Unexpected(Error::operation("cannot generate a DTLS certificate"));
    config.certificate = *cert;
  }
  pcs_[pc] = std::make_unique<PeerConnection>(pc, std::move(config), random_, out_);
  return {};
}

PeerConnection* Engine::find(PcHandle pc) {
  auto it = pcs_.find(pc);
  return it == pcs_.end() ? nullptr : it->second.get();
}

void Engine::close_peer_connection(base::Timestamp now, PcHandle pc) {
  auto it = pcs_.find(pc);
  if (it == pcs_.end()) return;
  it->second->close(now);
  pcs_.erase(it);
  for (auto s = socket_owner_.begin(); s != socket_owner_.end();) {
    s = s->second == pc ? socket_owner_.erase(s) : std::next(s);
  }
  for (auto s = stream_owner_.begin(); s != stream_owner_.end();) {
    s = s->second == pc ? stream_owner_.erase(s) : std::next(s);
  }
}

void Engine::add_host_socket(PcHandle pc, ice::SocketId socket, const base::SocketAddress& local) {
  PeerConnection* p = find(pc);
  if (!p) return;
  socket_owner_[socket] = pc;
  p->add_host_socket(socket, local);
}

void Engine::add_turn_server(PcHandle pc, const ice::TurnServer& server) {
  PeerConnection* p = find(pc);
  if (!p) return;
  if (server.transport == ice::TurnTransport::Stream) stream_owner_[server.stream] = pc;
  p->add_turn_server(server);
}

void Engine::handle_datagram(base::Timestamp now, ice::SocketId socket, const base::SocketAddress& from,
                             base::ByteView data) {
  auto it = socket_owner_.find(socket);
  if (it == socket_owner_.end()) return;
  if (PeerConnection* p = find(it->second)) p->handle_datagram(now, socket, from, data);
}

void Engine::handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data) {
  auto it = stream_owner_.find(stream);
  if (it == stream_owner_.end()) return;
  if (PeerConnection* p = find(it->second)) p->handle_stream_data(now, stream, data);
}

void Engine::handle_stream_closed(base::Timestamp now, ice::StreamId stream) {
  auto it = stream_owner_.find(stream);
  if (it == stream_owner_.end()) return;
  if (PeerConnection* p = find(it->second)) p->handle_stream_closed(now, stream);
}

void Engine::handle_timeout(base::Timestamp now) {
  for (auto& [handle, p] : pcs_) {
    const base::Deadline d = p->poll_timeout();
    if (d.is_due(now)) p->handle_timeout(now);
  }
}

std::optional<Output> Engine::poll_output() {
  if (out_.empty()) return std::nullopt;
  Output o = std::move(out_.front());
  out_.pop_front();
  return o;
}

base::Deadline Engine::poll_timeout() const {
  base::Deadline d;
  for (const auto& [handle, p] : pcs_) d.merge(p->poll_timeout());
  return d;
}

Result<GeneratedCertificate> Engine::generate_certificate(int64_t not_before_unix, int64_t not_after_unix,
                                                          const dtls::KeyParams& key) {
  if (!key.valid()) return Unexpected(Error::not_supported("unsupported key parameters"));
  dtls::Validity validity;
  validity.not_before = not_before_unix;
  validity.not_after = not_after_unix;
  auto cert = dtls::Certificate::generate(random_, validity, key);
  if (!cert) return Unexpected(Error::operation("cannot generate a certificate"));
  GeneratedCertificate g;
  g.certificate_pem = cert->pem();
  g.private_key_pem = cert->private_key_pem();
  g.sha256_fingerprint = cert->fingerprint(dtls::HashFunction::Sha256).hex();
  g.expires_unix = not_after_unix;
  return g;
}

}  // namespace wasmrtc::pc
