// A session description (RFC 8866 section 5): the session-level lines
// (v=, o=, s=, i=, u=, e=, p=, c=, b=, t=/r=, z=, k=, a=) and the media
// descriptions. parse.h reads one from text, serialize.h writes it back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/attribute.h"
#include "sdp/media_description.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
// (RFC 8866 section 5.2). sess-id is digits, kept as written; the version
// is a number because JSEP increments it (RFC 8829 section 5.2.2).
struct Origin {
  std::string username = "-";
  std::string session_id = "0";
  uint64_t session_version = 0;
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address = "127.0.0.1";

  std::string to_string() const;
  bool operator==(const Origin&) const = default;
};

// t=<start-time> <stop-time> (RFC 8866 section 5.9) and its r= lines
// (section 5.10), which are kept as written. WebRTC always has "t=0 0".
struct Timing {
  uint64_t start = 0;
  uint64_t stop = 0;
  std::vector<std::string> repeats;

  bool operator==(const Timing&) const = default;
};

struct SessionDescription {
  Origin origin;
  std::string session_name = "-";           // s=
  std::optional<std::string> information;   // i=
  std::optional<std::string> uri;           // u=
  std::vector<std::string> emails;          // e=
  std::vector<std::string> phones;          // p=
  std::optional<Connection> connection;     // c=
  std::vector<Bandwidth> bandwidths;        // b=
  std::vector<Timing> timings{Timing{}};    // t= (and r=)
  std::optional<std::string> time_zones;    // z=
  std::optional<std::string> encryption_key;  // k= (obsolete)
  Attributes attributes;
  std::vector<MediaDescription> media;

  bool operator==(const SessionDescription&) const = default;

  // Session-level typed accessors.
  std::vector<Group> groups() const;  // every a=group that parses (RFC 5888 section 5)
  // The BUNDLE group holding `mid` (RFC 8843 section 7), if any.
  std::optional<Group> bundle_group_of(std::string_view mid) const;
  bool ice_lite() const;  // a=ice-lite (RFC 8839 section 5.3), session level only
  bool extmap_allow_mixed() const;  // RFC 8285 section 6
  std::optional<std::string_view> msid_semantic() const;  // a=msid-semantic as written

  // The index of the m= section with this mid.
  std::optional<size_t> find_mid(std::string_view mid) const;
  // The first data channel section (RFC 8841), rejected or not.
  std::optional<size_t> find_data_channel() const;

  // What applies to media section `index`, with the session-level
  // fallback the RFCs allow (a media-level value wins):
  // ice-ufrag/ice-pwd (RFC 8839 section 5.4), ice-options (section 5.6),
  // fingerprint (RFC 8122 section 5), setup (RFC 4145 section 4) and
  // direction (RFC 8866 section 6.7; sendrecv when absent).
  std::optional<IceCredentials> ice_credentials(size_t index) const;
  std::vector<std::string> ice_options(size_t index) const;
  std::vector<Fingerprint> fingerprints(size_t index) const;
  std::optional<Setup> setup(size_t index) const;
  Direction direction(size_t index) const;
};

}  // namespace wasmrtc::sdp
