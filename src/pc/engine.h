// The Engine: every RTCPeerConnection of a page or process, as handles
// into one sans-IO object (DESIGN: "The sans-IO loop"). The worker loop
// passes in commands, datagrams, stream bytes and the time; it drains
// poll_output() (transmits for its sockets and streams, events for the page)
// and sleeps until poll_timeout().
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/random.h"
#include "pc/peer_connection.h"

namespace wasmrtc::pc {

struct PeerConnectionInit {
  // PEM certificate and key from RTCConfiguration.certificates; a fresh
  // ECDSA P-256 certificate is made when absent.
  std::optional<std::string> certificate_pem;
  std::optional<std::string> private_key_pem;
  bool relay_only = false;
  int64_t now_unix = 0;  // wall-clock seconds, for a generated certificate's validity
  int64_t wall_clock_offset_us = 0;  // Unix microseconds minus the engine clock (RTCP NTP times)
};

struct GeneratedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
  std::string sha256_fingerprint;  // "AB:CD:..."
  int64_t expires_unix = 0;
};

class Engine {
 public:
  explicit Engine(base::Random& random);
  ~Engine();

  Result<void> create_peer_connection(PcHandle pc, const PeerConnectionInit& init);
  PeerConnection* find(PcHandle pc);
  void close_peer_connection(base::Timestamp now, PcHandle pc);

  // Sockets and streams belong to one connection; the engine routes by id.
  void add_host_socket(PcHandle pc, ice::SocketId socket, const base::SocketAddress& local);
  void add_turn_server(PcHandle pc, const ice::TurnServer& server);

  void handle_datagram(base::Timestamp now, ice::SocketId socket, const base::SocketAddress& from,
                       base::ByteView data);
  void handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data);
  void handle_stream_closed(base::Timestamp now, ice::StreamId stream);
  void handle_timeout(base::Timestamp now);

  // The codecs connections made from now on offer and accept
  // (pc/codec_registry.h); registering adds to them.
  CodecRegistry& codecs() { return codecs_; }

  std::optional<Output> poll_output();
  base::Deadline poll_timeout() const;

  // RTCPeerConnection.generateCertificate(): an invalid `key` is an error.
  // RSA keys take seconds in WebAssembly; the caller keeps that off busy
  // engines (js/webrtc/certificate.cjs).
  Result<GeneratedCertificate> generate_certificate(
      int64_t not_before_unix, int64_t not_after_unix,
      const dtls::KeyParams& key = dtls::KeyParams::ecdsa_p256());

 private:
  base::Random& random_;
  std::deque<Output> out_;
  CodecRegistry codecs_;
  std::map<PcHandle, std::unique_ptr<PeerConnection>> pcs_;
  std::map<ice::SocketId, PcHandle> socket_owner_;
  std::map<ice::StreamId, PcHandle> stream_owner_;
};

}  // namespace wasmrtc::pc
