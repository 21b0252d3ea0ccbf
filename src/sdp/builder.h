// Pieces of the descriptions we generate, laid out as Chromium lays them
// out (so peers that only ever saw browsers read them without surprise).
// JsepSession decides what goes in; these only write it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/rtp_attributes.h"
#include "sdp/session_description.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// Our transport attributes for an m= section (RFC 8839 section 5.4,
// RFC 8122 section 5, RFC 4145 section 4).
struct LocalTransport {
  IceCredentials ice;
  std::vector<Fingerprint> fingerprints;
  Setup setup = Setup::ActPass;
  bool trickle = true;  // a=ice-options:trickle (RFC 8840 section 5.2)
};

struct DataChannelSection {
  std::string mid;
  std::string proto = std::string(kProtoUdpDtlsSctp);  // an answer copies the offer's
  bool legacy = false;  // answer a pre-RFC 8841 offer in its own form (a=sctpmap)
  uint16_t sctp_port = kDefaultSctpPort;
  std::optional<uint64_t> max_message_size;  // omitted when nullopt
};

// m=application 9 UDP/DTLS/SCTP webrtc-datachannel, c=IN IP4 0.0.0.0, then
// ice-ufrag, ice-pwd, ice-options, fingerprint(s), setup, mid, sctp-port,
// max-message-size (RFC 8841 sections 4-6; RFC 8829 sections 5.2.1, 5.3.1).
// Port 9 and 0.0.0.0 are the "no candidate yet" values of RFC 8840
// section 4.1.1.
MediaDescription make_data_section(const LocalTransport& transport, const DataChannelSection& data);

// The answer (or later offer) form of a section we do not accept: port
// zero (RFC 3264 section 6), the same media and proto, the first offered
// format, c=IN IP4 0.0.0.0, the same mid (RFC 8829 section 5.3.1), and
// a=inactive for RTP media.
MediaDescription make_rejected_section(const MediaDescription& offered);

// v=0, o=<origin>, s=-, t=0 0 (RFC 8829 section 5.2.1).
SessionDescription make_session(const Origin& origin);

// Replaces the a=group:BUNDLE lines with one group of `mids`, first among
// the session attributes as browsers write it, or removes them when `mids`
// is empty (RFC 8843 section 7).
void set_bundle_group(SessionDescription& description, const std::vector<std::string>& mids);

}  // namespace wasmrtc::sdp

namespace wasmrtc::sdp {

// An audio or video m= section as we write it (RFC 8829 sections 5.2.1 and
// 5.3.1; RFC 8843 for the mid extension; RFC 5576/8830 for ssrc and msid).
struct RtpSection {
  std::string media = "audio";  // "audio" or "video"
  std::string proto = "UDP/TLS/RTP/SAVPF";
  std::string mid;
  Direction direction = Direction::SendRecv;
  std::vector<RtpCodec> codecs;
  std::vector<ExtensionMapEntry> extensions;
  bool rtcp_rsize = true;  // RFC 5506
  // What we send: ssrc lines and msid, written when `direction` sends.
  std::string cname;
  std::string track_id;
  std::vector<std::string> stream_ids;  // empty: "a=msid:- <track>"
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;  // 0: none
};

// m=<media> 9 UDP/TLS/RTP/SAVPF <pts>, c=, a=rtcp:9, the transport
// attributes, mid, extmap, direction, msid, rtcp-mux, rtcp-rsize, the
// codecs, ssrc-group FID and ssrc lines, in Chromium's order.
MediaDescription make_rtp_section(const LocalTransport& transport, const RtpSection& section);

}  // namespace wasmrtc::sdp
