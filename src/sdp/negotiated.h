// What an offer/answer exchange settled, in the terms the transports use:
// ICE credentials and candidates, DTLS fingerprints and role, SCTP ports
// and message size. JsepSession::negotiated() gives this to the layer that
// drives ICE -> DTLS -> SCTP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/capabilities.h"
#include "sdp/jsep_types.h"
#include "sdp/rtp_attributes.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// One audio or video m= section both sides accepted (RFC 3264 section 6,
// RFC 8829 section 5.10): what the RTP sender and receiver use.
struct NegotiatedMedia {
  std::string mid;
  size_t m_line_index = 0;
  MediaKind kind = MediaKind::Audio;
  // Ours: sendrecv, sendonly, ... as the answer settled it, from our side.
  Direction direction = Direction::Inactive;
  // The answer's formats in its order, with the shared payload types; we
  // send the first that is not RTX (RFC 3264 section 6.1).
  std::vector<RtpCodec> codecs;
  // The remote section's formats: their fmtp says what the peer's decoder
  // wants (RFC 7587 section 6.1 for opus).
  std::vector<RtpCodec> remote_codecs;
  std::vector<ExtensionMapEntry> extensions;  // the answer's (RFC 8285 section 6)
  std::vector<uint32_t> remote_ssrcs;
  std::vector<SsrcGroup> remote_ssrc_groups;
  std::vector<Msid> remote_msids;
  bool rtcp_rsize = false;  // both said a=rtcp-rsize (RFC 5506)
  std::optional<uint32_t> remote_ptime_ms;  // the remote's a=ptime (RFC 8866 section 6.4)
};

struct Negotiated {
  // An answer or pranswer to the latest offer is applied: ICE, DTLS and
  // SCTP can start (RFC 8829 sections 5.10 and 5.11).
  bool answered = false;
  bool provisional = false;  // that answer is a pranswer (RFC 8829 section 4.1.10.1)
  // Counts applied answers and pranswers; a change means new parameters.
  uint64_t generation = 0;
  // This exchange changed the local or the remote ICE credentials against
  // the previous one: an ICE restart (RFC 8445 section 9, RFC 8839
  // section 4.4.1.1.1).
  bool ice_restart = false;

  // The data channel m= section both sides accepted (RFC 8841), if any.
  std::optional<std::string> data_mid;
  std::optional<size_t> data_m_line_index;

  // The audio and video sections both sides accepted, in m= line order.
  std::vector<NegotiatedMedia> media;
  // The m= section whose transport carries everything (the BUNDLE tag of
  // the first accepted section), if any section was accepted.
  std::optional<size_t> transport_m_line_index;

  // ICE (RFC 8839 section 5).
  IceCredentials local_ice;
  IceCredentials remote_ice;
  bool remote_ice_lite = false;
  std::vector<std::string> remote_ice_options;
  // "candidate:..." lines of the transport section and of every section
  // bundled with it (RFC 8843 section 10), without duplicates.
  std::vector<std::string> remote_candidates;
  bool remote_end_of_candidates = false;  // RFC 8840 section 8.2

  // DTLS (RFC 8122 section 5, RFC 5763 section 5).
  std::vector<Fingerprint> remote_fingerprints;
  std::optional<DtlsRole> dtls_role;  // ours; nullopt with holdconn

  // SCTP (RFC 8841 sections 5 and 6).
  uint16_t local_sctp_port = kDefaultSctpPort;
  uint16_t remote_sctp_port = kDefaultSctpPort;
  uint64_t local_max_message_size = kDefaultMaxMessageSize;
  // What the peer can receive: its a=max-message-size, 65536 when absent
  // (RFC 8841 section 6), 0 meaning any size.
  uint64_t remote_max_message_size = kDefaultMaxMessageSize;
};

// The negotiated parameters of one exchange: `local` and `remote` are an
// offer and its (pr)answer, in either direction. Fills everything except
// generation and ice_restart, which need history (JsepSession tracks it).
Negotiated negotiate(const Description& local, const Description& remote);

// Our DTLS role from the setup attributes of one exchange (RFC 5763
// section 5, RFC 4145 section 4): the answerer's "active" is the client.
// An answer without a=setup defaults to passive (RFC 4145 section 4).
std::optional<DtlsRole> dtls_role(const Description& local, const Description& remote, size_t index);

}  // namespace wasmrtc::sdp
