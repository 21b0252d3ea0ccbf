// An ICE candidate (RFC 8445 section 5.1) and its SDP attribute form
// (RFC 8839 section 5.1):
//   candidate:<foundation> <component> udp <priority> <address> <port> typ <type>
//             [raddr <address> rport <port>] [extension name/value pairs]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/socket_address.h"

namespace wasmrtc::ice {

enum class CandidateType : uint8_t { Host, ServerReflexive, PeerReflexive, Relay };
// "host", "srflx", "prflx", "relay"
const char* to_string(CandidateType t);

// RFC 8445 section 5.1.2.2 recommended type preferences.
uint32_t type_preference(CandidateType t);
// RFC 8445 section 5.1.2.1: (2^24)*type + (2^8)*local + (256 - component).
uint32_t compute_priority(CandidateType type, uint16_t local_preference, uint8_t component = 1);

enum class CandidateParseError : uint8_t {
  NotACandidate,   // no "candidate:" prefix / wrong field count
  BadComponent,
  BadTransport,    // only UDP is supported (TCP candidates are ignored, not an error upstream)
  BadPriority,
  BadAddress,      // also: an mDNS ".local" name this agent cannot resolve is reported by the agent
  BadPort,
  BadType,
  BadRelatedAddress,
};
const char* to_string(CandidateParseError e);

struct Candidate {
  std::string foundation;
  uint8_t component = 1;
  std::string transport = "udp";
  uint32_t priority = 0;
  // Address may be a hostname (e.g. an mDNS "*.local" name) when parsed from
  // a remote peer; `hostname` then holds it and `address.ip` is unset (0.0.0.0).
  base::SocketAddress address;
  std::string hostname;
  CandidateType type = CandidateType::Host;
  std::optional<base::SocketAddress> related;
  std::vector<std::pair<std::string, std::string>> extensions;  // e.g. {"generation","0"},{"ufrag","abcd"}
  // Ours only, never in SDP (W3C RTCIceCandidate.url / relayProtocol): the
  // STUN/TURN server URL a server-reflexive or relayed candidate came from,
  // and how a relayed one reaches its TURN server ("udp", "tcp" or "tls").
  std::string url;
  std::string relay_protocol;

  // The attribute value with the "candidate:" prefix, no "a=".
  std::string to_sdp() const;
  // Accepts with or without a leading "a=" and the "candidate:" prefix.
  static base::Result<Candidate, CandidateParseError> parse(std::string_view line);

  bool operator==(const Candidate&) const = default;
};

}  // namespace wasmrtc::ice
