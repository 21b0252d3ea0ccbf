// The BUNDLE transport of one RTCPeerConnection: the ICE agent (RFC 8445,
// RFC 8838 trickle, RFC 7675 consent), the DTLS transport on top of it
// (RFC 6347, RFC 8122 fingerprints, RFC 5764 DTLS-SRTP keys), and the one
// RFC 7983 demultiplexer of what arrives on it: DTLS to the DTLS transport,
// RTP and RTCP (RFC 5761 section 4) up to the media session. DTLS records
// that arrive before the DTLS transport starts are kept for it.
//
// W3C: webrtc-pc 5.6 RTCIceTransport (its state, selected candidate pair,
// role, gathering) and 5.5 RTCDtlsTransport (state, getRemoteCertificates,
// the failed states' RTCError details); webrtc-stats "transport",
// "candidate-pair", "local-candidate"/"remote-candidate" and "certificate".
// WebRTC uses max-bundle and rtcp-mux: one ICE and one DTLS transport per
// connection (RFC 8843, RFC 8829 section 4.1.1).
//
// Sans-IO like every layer, and knows nothing of SDP: the embedder
// (PeerConnection) gives it the ICE parameters and candidates and the DTLS
// role and fingerprints that JSEP negotiated. Inputs go to ICE and DTLS;
// process() then moves what ICE gave out (in its order), then what DTLS
// did, into poll_output(). The embedder's loop, the shape of str0m's:
//   while (stack.process(now)) {
//     while (auto o = stack.poll_output()) ...;  // may send through the stack
//     ...the layers above send through the stack...
//   }
// A few calls queue an output themselves (create_dtls may start DTLS):
// drain poll_output() after them too.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "dtls/certificate.h"
#include "dtls/transport.h"
#include "ice/agent.h"
#include "pc/record.h"
#include "srtp/session.h"

namespace wasmrtc::pc {

// Largest datagram DTLS sends (and so SCTP's packets plus the record
// overhead): leaves room for IPv6 + UDP + TURN framing on a 1280-byte path.
inline constexpr size_t kDatagramMtu = 1200;

// What a datagram on the transport is, by its first byte (RFC 7983 section
// 7: STUN 0..3, DTLS 20..63, RTP/RTCP 128..191; TURN channels 64..79 and
// ZRTP 16..19 are not ours) and, in the RTP range, RTCP when the second byte
// is an RTCP packet type (RFC 5761 section 4: 192..223 collide with no RTP
// payload type we negotiate) and there is an RTCP header's worth of bytes.
// Anything else in the RTP range goes to SRTP as RTP, which refuses what is
// too short and counts it.
enum class PacketKind : uint8_t { Stun, Dtls, Rtp, Rtcp, Unknown };
PacketKind demultiplex(base::ByteView packet);

class TransportStack {
 public:
  // An SRTP (or SRTCP) packet as it arrived, for the media session.
  struct SrtpPacket {
    base::Bytes data;
    bool rtcp = false;
  };
  // The DTLS-SRTP parameters (RFC 5764 section 4.2): the negotiated
  // profile, our write keys and the peer's.
  struct SrtpParameters {
    srtp::Profile profile;
    srtp::Keys local, remote;
  };
  // Outputs, in order:
  // - ice::Transmit, ice::StreamTransmit: for the embedder's sockets and streams;
  // - ice::LocalCandidate: a candidate to trickle (iceTransportPolicy applied);
  // - ice::GatheringStateChanged, ice::StateChanged: the RTCIceTransport's
  //   gathering and state, which the RTCPeerConnection aggregates; the
  //   state is reported again after an ICE role change (RFC 8445 section
  //   7.3.1.1), as the aggregate shows "completed" by role
  //   (pc/connection_state.h);
  // - Record: page events of the RTCIceTransport and RTCDtlsTransport
  //   (icecandidateerror, selectedcandidatepair, dtlsstatechange);
  // - SrtpPacket: demultiplexed media;
  // - dtls::Connected, dtls::Data, dtls::Failed, dtls::Closed: for the
  //   layers on DTLS (SRTP keys, SCTP packets), after their dtlsstatechange.
  using Output = std::variant<ice::Transmit, ice::StreamTransmit, ice::LocalCandidate, ice::GatheringStateChanged,
                              ice::StateChanged, Record, SrtpPacket, dtls::Connected, dtls::Data, dtls::Failed,
                              dtls::Closed>;

  TransportStack(dtls::Certificate certificate, bool relay_only, base::Random& random);
  ~TransportStack();
  TransportStack(const TransportStack&) = delete;
  TransportStack& operator=(const TransportStack&) = delete;

  // ---- what the embedder offers (kept for the agent when it is made)
  void add_host_socket(ice::SocketId socket, const base::SocketAddress& local);
  // Servers added once the agent runs wait for the next ICE restart, the
  // next gathering phase (webrtc-pc 4.4.1.6 setConfiguration).
  void add_stun_server(const base::SocketAddress& server, const std::string& url);
  void add_turn_server(const ice::TurnServer& server);
  // iceTransportPolicy "relay": candidates are filtered from now on, checks
  // from the next ICE restart (webrtc-pc 4.4.1.6).
  void set_relay_only(bool relay_only) { relay_only_ = relay_only; }

  // ---- ICE (RFC 8445)
  // Makes the agent, once: the role comes from the first description (the
  // offerer controls, RFC 8445 section 6.1.1), the credentials from ours.
  void create_agent(ice::Role role, const ice::Credentials& local);
  bool has_agent() const { return agent_ != nullptr; }
  // Gathering (webrtc-pc 4.4.1.5). When each step is taken is the
  // embedder's, which follows JSEP (PeerConnection::schedule_gathering).
  // The first gathering phase: once per agent (the gatherer's own guard).
  void start_gathering(base::Timestamp now);
  // A local ICE restart offer's gathering phase, at its setLocalDescription
  // (ice::Agent::regather): "gathering" then "complete", the candidates
  // announced again; checks keep the current credentials until the answer.
  void regather(base::Timestamp now);
  // No transport remains (the first offer rolled back, or an exchange that
  // accepts no m= section): the DTLS transport and the agent go
  // (TURN allocations released, their transmits queued; its events are not
  // the page's) with the remote parameters it had. The next description
  // makes a new one (create_agent) with every server offered so far.
  void discard_agent(base::Timestamp now);
  // The local ufrag the agent checks with ("" without an agent).
  std::string local_ufrag() const;
  // The negotiated parameters: new credentials on either side are an ICE
  // restart (RFC 8445 section 9), which also takes the servers and policy
  // set since; then the remote credentials. `reannounce` false: a restart
  // we offered, whose candidates regather() announced already.
  void set_parameters(base::Timestamp now, const ice::Credentials& local, const ice::Credentials& remote,
                      bool remote_lite, bool reannounce = true);
  // A remote candidate line ("candidate:..."), once each per ICE
  // generation; false when unusable here (another family, mDNS, TCP) or
  // known already, which is no error for the page (webrtc-pc 4.4.1.6).
  bool add_remote_candidate(base::Timestamp now, const std::string& line);
  void end_of_remote_candidates();
  std::optional<ice::Role> ice_role() const { return ice_role_; }
  ice::State ice_state() const { return ice_state_; }
  const std::optional<std::pair<ice::Candidate, ice::Candidate>>& selected_pair() const { return selected_pair_; }
  // The selected pair's latest round trip (consent checks, RFC 7675).
  std::optional<base::Duration> selected_pair_rtt() const;

  // ---- DTLS (RFC 6347, RFC 5763 section 5 for the role)
  // Makes the DTLS transport once, started when ICE is connected; records
  // that came before are handed to it then.
  void create_dtls(base::Timestamp now, dtls::Role role, std::vector<dtls::Fingerprint> remote_fingerprints);
  bool has_dtls() const { return dtls_ != nullptr; }
  dtls::Role dtls_role() const;
  dtls::State dtls_state() const { return dtls_state_; }
  // Once DTLS is connected with DTLS-SRTP negotiated.
  std::optional<SrtpParameters> srtp_parameters() const;

  // ---- sending
  // One SCTP packet as one DTLS record (RFC 8261); dropped unless DTLS is connected.
  void send_dtls(base::Timestamp now, base::ByteView packet);
  // One protected RTP or RTCP packet on the selected pair (lost like any
  // datagram when there is none).
  void send_srtp(base::Timestamp now, base::ByteView packet);

  // ---- input and time
  void handle_datagram(base::Timestamp now, ice::SocketId socket, const base::SocketAddress& from,
                       base::ByteView data);
  void handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data);
  void handle_stream_closed(base::Timestamp now, ice::StreamId stream);
  void handle_timeout(base::Timestamp now);
  base::Deadline poll_timeout() const;
  // One round: everything ICE has to give, then everything DTLS has (its
  // datagrams go out through ICE, within the stack). True when anything
  // moved; call again until false, draining poll_output() in between.
  bool process(base::Timestamp now);
  std::optional<Output> poll_output();

  // webrtc-pc 4.4.1.5 "close the connection": DTLS close_notify and TURN
  // deallocation go out (as transmits), then nothing more.
  void close(base::Timestamp now);

  // webrtc-stats: local-candidate, remote-candidate, candidate-pair (with
  // `available_outgoing_bitrate` on the selected pair when set),
  // certificate and transport ("T01", whose iceState the page's
  // RTCIceTransportState gives). `wall_clock_offset_us` puts timestamps on
  // the Unix clock.
  void stats(RecordList& out, const std::string& ice_state, int64_t wall_clock_offset_us,
             std::optional<double> available_outgoing_bitrate) const;

 private:
  bool process_ice(base::Timestamp now);
  bool process_dtls(base::Timestamp now);
  void on_data(base::Timestamp now, base::ByteView data);
  void on_ice_state(base::Timestamp now, ice::State state);
  void start_dtls(base::Timestamp now);
  void emit(Record event) { out_.push_back(std::move(event)); }

  dtls::Certificate certificate_;
  bool relay_only_ = false;
  base::Random& random_;
  bool closed_ = false;
  std::deque<Output> out_;

  std::unique_ptr<ice::Agent> agent_;
  std::optional<ice::Role> ice_role_;
  ice::State ice_state_ = ice::State::New;
  std::optional<ice::Credentials> remote_ice_;
  std::set<std::string> remote_candidates_added_;
  std::optional<std::pair<ice::Candidate, ice::Candidate>> selected_pair_;
  // Offered transports, kept to hand to the agent when it is made.
  std::vector<std::pair<ice::SocketId, base::SocketAddress>> host_sockets_;
  std::vector<std::pair<base::SocketAddress, std::string>> stun_servers_;
  std::vector<ice::TurnServer> turn_servers_;
  // Added by setConfiguration after the agent started: for the next restart.
  std::vector<std::pair<base::SocketAddress, std::string>> pending_stun_servers_;
  std::vector<ice::TurnServer> pending_turn_servers_;

  std::unique_ptr<dtls::Transport> dtls_;
  bool dtls_started_ = false;
  std::vector<base::Bytes> early_dtls_;  // DTLS datagrams before the transport started
  std::optional<dtls::Connected> dtls_connected_;
  dtls::State dtls_state_ = dtls::State::New;
};

}  // namespace wasmrtc::pc
