// Typed values of the SDP attributes WebRTC negotiates. Each parse function
// takes the attribute value (the text after "a=name:") and returns nullopt
// when it is malformed; to_string gives it back in the form browsers write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmrtc::sdp {

// a=setup (RFC 4145 section 4, used for DTLS by RFC 5763 section 5 and
// RFC 8842 section 5).
enum class Setup : uint8_t { ActPass, Active, Passive, HoldConn };
// "actpass", "active", "passive", "holdconn"
std::string_view to_string(Setup setup);
std::optional<Setup> parse_setup(std::string_view value);

// Media direction attributes (RFC 8866 sections 6.7.1-6.7.4). They are
// property attributes: the attribute name is the value.
enum class Direction : uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };
// "sendrecv", "sendonly", "recvonly", "inactive"
std::string_view to_string(Direction direction);
std::optional<Direction> parse_direction(std::string_view attribute_name);

// a=fingerprint (RFC 8122 section 5): "sha-256 AB:CD:..". Kept as text:
// src/dtls turns it into a digest and checks the hash function. The hash
// name compares case-insensitively; the hex may be either case here
// (RFC 8122 asks for uppercase, some peers send lowercase).
struct Fingerprint {
  std::string algorithm;  // "sha-256"
  std::string value;      // "AB:CD:...:EF"

  static std::optional<Fingerprint> parse(std::string_view value);
  std::string to_string() const;
  // Same hash function (case-insensitive) and same digest (hex case ignored).
  bool same_as(const Fingerprint& other) const;
  bool operator==(const Fingerprint&) const = default;
};

// a=group (RFC 5888 section 5): "BUNDLE 0 1 2".
struct Group {
  std::string semantics;  // "BUNDLE", "LS", ...
  std::vector<std::string> mids;

  static std::optional<Group> parse(std::string_view value);
  std::string to_string() const;
  bool contains(std::string_view mid) const;
  bool operator==(const Group&) const = default;
};

// Legacy a=sctpmap (draft-ietf-mmusic-sctp-sdp-05 section 6, before
// RFC 8841): "5000 webrtc-datachannel 1024" with "m=application 9 DTLS/SCTP
// 5000". The number is the SCTP port; streams is optional.
struct Sctpmap {
  uint16_t number = 5000;
  std::string protocol = "webrtc-datachannel";
  std::optional<uint32_t> streams;

  static std::optional<Sctpmap> parse(std::string_view value);
  std::string to_string() const;
  bool operator==(const Sctpmap&) const = default;
};

// a=ice-ufrag / a=ice-pwd (RFC 8839 section 5.4).
struct IceCredentials {
  std::string ufrag;
  std::string pwd;

  bool operator==(const IceCredentials&) const = default;
};

// RFC 8839 section 5.4: ice-char = ALPHA / DIGIT / "+" / "/"; the ufrag is
// 4 to 256 of them, the password 22 to 256.
bool is_valid_ice_ufrag(std::string_view ufrag);
bool is_valid_ice_pwd(std::string_view pwd);

}  // namespace wasmrtc::sdp
