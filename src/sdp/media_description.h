// One media description ("m= section", RFC 8866 section 5.14) with its
// c=, b=, i=, k= lines and attributes, plus typed accessors for what
// WebRTC negotiates. Attributes the accessors do not know (rtpmap, fmtp,
// rtcp-fb, extmap, ssrc, ssrc-group, msid, rid, simulcast, ...) are kept
// as generic attributes, in order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/attribute.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// c=<nettype> <addrtype> <connection-address> (RFC 8866 section 5.7).
// The address keeps any "/ttl/count" suffix as written.
struct Connection {
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address = "0.0.0.0";

  std::string to_string() const;
  bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth> (RFC 8866 section 5.8).
struct Bandwidth {
  std::string type;  // "AS", "TIAS", "CT", ...
  uint64_t value = 0;

  bool operator==(const Bandwidth&) const = default;
};

// The proto of an SCTP-over-DTLS m= line (RFC 8841 section 4.1) and the
// legacy form before it.
inline constexpr std::string_view kProtoUdpDtlsSctp = "UDP/DTLS/SCTP";
inline constexpr std::string_view kProtoTcpDtlsSctp = "TCP/DTLS/SCTP";
inline constexpr std::string_view kProtoLegacyDtlsSctp = "DTLS/SCTP";
// The fmt of a data channel m= line (RFC 8841 section 4.3, RFC 8832).
inline constexpr std::string_view kWebRtcDataChannel = "webrtc-datachannel";
// RFC 8841 section 5: the port when a=sctp-port is absent.
inline constexpr uint16_t kDefaultSctpPort = 5000;
// RFC 8841 section 6: the maximum message size when a=max-message-size is
// absent (64K).
inline constexpr uint64_t kDefaultMaxMessageSize = 65536;

struct MediaDescription {
  std::string media = "application";  // "audio", "video", "application", ...
  uint16_t port = 9;
  std::optional<uint16_t> port_count;  // "m=video 49170/2 ..."
  std::string proto = std::string(kProtoUdpDtlsSctp);
  std::vector<std::string> formats;
  std::optional<std::string> title;  // i=
  std::vector<Connection> connections;
  std::vector<Bandwidth> bandwidths;
  std::optional<std::string> encryption_key;  // k= (obsolete, RFC 8866 section 5.12); kept as is
  Attributes attributes;

  bool operator==(const MediaDescription&) const = default;

  // a=mid (RFC 5888 section 4).
  std::optional<std::string_view> mid() const;
  // a=ice-ufrag / a=ice-pwd at media level (RFC 8839 section 5.4); see
  // SessionDescription::ice_credentials for the session-level fallback.
  std::optional<std::string_view> ice_ufrag() const;
  std::optional<std::string_view> ice_pwd() const;
  // a=ice-options (RFC 8839 section 5.6), split into tags ("trickle",
  // "ice2"); commas are accepted as separators too (libdatachannel).
  std::vector<std::string> ice_options() const;
  // Every a=fingerprint at media level that parses (RFC 8122 section 5).
  std::vector<Fingerprint> fingerprints() const;
  // a=setup at media level, if present and valid.
  std::optional<Setup> setup() const;
  // The a=candidate lines as "candidate:..." (the form RTCIceCandidate uses).
  std::vector<std::string> candidates() const;
  // a=end-of-candidates (RFC 8840 section 8.2).
  bool end_of_candidates() const;
  // The direction attribute at media level, if any (RFC 8866 section 6.7).
  std::optional<Direction> direction() const;
  // a=rtcp-mux (RFC 5761 section 5.1.1).
  bool rtcp_mux() const;
  // a=bundle-only (RFC 8843 section 6).
  bool bundle_only() const;

  // RFC 3264 section 6: port zero rejects a section, except a bundle-only
  // one (RFC 8843 section 6), which is accepted on the BUNDLE transport.
  bool is_rejected() const;

  // An SCTP-over-DTLS data channel section: "m=application" with
  // UDP/DTLS/SCTP or TCP/DTLS/SCTP and fmt webrtc-datachannel (RFC 8841
  // section 4), or the legacy "DTLS/SCTP <port>" with a=sctpmap.
  bool is_data_channel() const;
  bool is_legacy_data_channel() const;
  // The SCTP port: a=sctp-port (RFC 8841 section 5), or for the legacy form
  // the a=sctpmap number; RFC 8841's default 5000 when neither is there.
  // nullopt when not a data channel section or the value is malformed.
  std::optional<uint16_t> sctp_port() const;
  // a=max-message-size (RFC 8841 section 6) as written; nullopt if absent.
  // 0 means "any size".
  std::optional<uint64_t> max_message_size() const;
  // a=sctpmap (legacy).
  std::optional<Sctpmap> sctpmap() const;
};

}  // namespace wasmrtc::sdp
