// getStats (webrtc-pc 8.2, webrtc-stats): the dictionaries for one
// connection. Ids are stable across calls so reports can be diffed.
#include <string>

#include "pc/peer_connection.h"

namespace wasmrtc::pc {
namespace {

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

RecordList PeerConnection::stats(base::Timestamp now) const {
  RecordList out;
  {
    Record r;
    r.set("id", "P").set("type", "peer-connection")
        .set("dataChannelsOpened", data_.channels_opened())
        .set("dataChannelsClosed", data_.channels_closed());
    out.push_back(std::move(r));
  }
  data_.stats(out);

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
      const auto wall_ms = [&](base::Timestamp t) { return static_cast<double>(t.us() + config_.wall_clock_offset_us) / 1e3; };
      if (p.last_packet_sent) r.set("lastPacketSentTimestamp", wall_ms(*p.last_packet_sent));
      if (p.last_packet_received) r.set("lastPacketReceivedTimestamp", wall_ms(*p.last_packet_received));
      // webrtc-stats: the sender-side estimate of the congestion control,
      // on the pair it applies to; only while RTP is sent (we run it then).
      if (p.selected && sending_media()) r.set("availableOutgoingBitrate", static_cast<double>(bwe_.target_bps()));
      if (p.selected) selected_id = id;
      bytes_sent += p.bytes_sent;
      bytes_received += p.bytes_received;
      packets_sent += p.packets_sent;
      packets_received += p.packets_received;
      out.push_back(std::move(r));
    }
  }

  const dtls::Fingerprint local_fp = config_.certificate.fingerprint(dtls::HashFunction::Sha256);
  const std::string local_cert_id = "CF" + local_fp.hex();
  {
    Record r;
    r.set("id", local_cert_id).set("type", "certificate")
        .set("fingerprint", local_fp.hex()).set("fingerprintAlgorithm", "sha-256")
        .set("base64Certificate", base::to_base64(config_.certificate.der()));
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
      .set("iceState", ice_connection_state_)
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
  media_stats(now, out);
  return out;
}

}  // namespace wasmrtc::pc
