#include "ice/candidate.h"

#include <charconv>

namespace wasmrtc::ice {
namespace {

// RFC 8839 section 5.1: ice-char = ALPHA / DIGIT / "+" / "/".
bool is_ice_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// A hostname per RFC 8839 section 5.1 (connection-address may be an FQDN,
// RFC 8445 section 5.1 / the mDNS names of draft-ietf-mmusic-mdns-ice-candidates).
bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  bool has_alpha = false;
  for (char c : s) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool ok = alpha || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
    has_alpha = has_alpha || alpha || c == '-';
  }
  // All digits and dots would be a malformed IPv4 address, not a name.
  return has_alpha && s.front() != '.' && s.front() != '-';
}

// RFC 8839 section 5.1: extension-att-name = token (RFC 8866 section 9:
// visible characters except separators), extension-att-value = 1*(%x21-7E).
// Anything else (a NUL, a CR inside the line) would not survive being
// written back into SDP, so the candidate is malformed.
bool is_token(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2A || u == 0x2B ||
                    u == 0x2D || u == 0x2E || (u >= 0x30 && u <= 0x39) ||
                    (u >= 0x41 && u <= 0x5A) || (u >= 0x5E && u <= 0x7E);
    if (!ok) return false;
  }
  return !s.empty();
}

bool is_visible(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E) return false;
  }
  return !s.empty();
}

template <typename T>
bool parse_number(std::string_view s, T max, T& out) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  out = static_cast<T>(v);
  return true;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

const char* to_string(CandidateType t) {
  switch (t) {
    case CandidateType::Host: return "host";
    case CandidateType::ServerReflexive: return "srflx";
    case CandidateType::PeerReflexive: return "prflx";
    case CandidateType::Relay: return "relay";
  }
  return "?";
}

uint32_t type_preference(CandidateType t) {
  // RFC 8445 section 5.1.2.2: host 126, peer-reflexive 110,
  // server-reflexive 100, relayed 0.
  switch (t) {
    case CandidateType::Host: return 126;
    case CandidateType::PeerReflexive: return 110;
    case CandidateType::ServerReflexive: return 100;
    case CandidateType::Relay: return 0;
  }
  return 0;
}

uint32_t compute_priority(CandidateType type, uint16_t local_preference, uint8_t component) {
  // RFC 8445 section 5.1.2.1.
  return (type_preference(type) << 24) + (uint32_t{local_preference} << 8) +
         (256u - uint32_t{component});
}

const char* to_string(CandidateParseError e) {
  switch (e) {
    case CandidateParseError::NotACandidate: return "not a candidate attribute";
    case CandidateParseError::BadComponent: return "bad component id";
    case CandidateParseError::BadTransport: return "unsupported transport";
    case CandidateParseError::BadPriority: return "bad priority";
    case CandidateParseError::BadAddress: return "bad connection address";
    case CandidateParseError::BadPort: return "bad port";
    case CandidateParseError::BadType: return "bad candidate type";
    case CandidateParseError::BadRelatedAddress: return "bad related address";
  }
  return "?";
}

std::string Candidate::to_sdp() const {
  // RFC 8839 section 5.1 candidate-attribute.
  std::string s = "candidate:";
  s += foundation;
  s += ' ';
  s += std::to_string(component);
  s += ' ';
  s += transport;
  s += ' ';
  s += std::to_string(priority);
  s += ' ';
  s += hostname.empty() ? address.ip.to_string() : hostname;
  s += ' ';
  s += std::to_string(address.port);
  s += " typ ";
  s += ice::to_string(type);
  if (related) {
    s += " raddr ";
    s += related->ip.to_string();
    s += " rport ";
    s += std::to_string(related->port);
  }
  for (const auto& [name, value] : extensions) {
    s += ' ';
    s += name;
    s += ' ';
    s += value;
  }
  return s;
}

base::Result<Candidate, CandidateParseError> Candidate::parse(std::string_view line) {
  using base::Unexpected;
  using E = CandidateParseError;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  if (line.substr(0, 2) == "a=") line.remove_prefix(2);
  constexpr std::string_view kPrefix = "candidate:";
  if (line.size() < kPrefix.size() || !equals_ignore_case(line.substr(0, kPrefix.size()), kPrefix)) {
    return Unexpected(E::NotACandidate);
  }
  line.remove_prefix(kPrefix.size());
  const std::vector<std::string_view> f = split_fields(line);
  // foundation component transport priority address port "typ" type
  if (f.size() < 8) return Unexpected(E::NotACandidate);

  Candidate c;
  // foundation = 1*32ice-char
  if (f[0].empty() || f[0].size() > 32) return Unexpected(E::NotACandidate);
  for (char ch : f[0]) {
    if (!is_ice_char(ch)) return Unexpected(E::NotACandidate);
  }
  c.foundation = std::string(f[0]);

  // component-id = 1*3DIGIT; WebRTC uses 1 (RTP) and 2 (RTCP).
  uint32_t component = 0;
  if (!parse_number<uint32_t>(f[1], 255, component) || f[1].size() > 3 || component == 0) {
    return Unexpected(E::BadComponent);
  }
  c.component = static_cast<uint8_t>(component);

  if (!equals_ignore_case(f[2], "udp")) return Unexpected(E::BadTransport);
  c.transport = "udp";

  if (!parse_number<uint32_t>(f[3], UINT32_MAX, c.priority)) return Unexpected(E::BadPriority);

  if (auto ip = base::IpAddress::parse(f[4])) {
    c.address.ip = *ip;
  } else if (is_hostname(f[4])) {
    c.hostname = std::string(f[4]);
  } else {
    return Unexpected(E::BadAddress);
  }

  uint16_t port = 0;
  if (!parse_number<uint16_t>(f[5], 65535, port)) return Unexpected(E::BadPort);
  c.address.port = port;

  if (f[6] != "typ") return Unexpected(E::BadType);
  if (f[7] == "host") {
    c.type = CandidateType::Host;
  } else if (f[7] == "srflx") {
    c.type = CandidateType::ServerReflexive;
  } else if (f[7] == "prflx") {
    c.type = CandidateType::PeerReflexive;
  } else if (f[7] == "relay") {
    c.type = CandidateType::Relay;
  } else {
    return Unexpected(E::BadType);
  }

  size_t i = 8;
  // [SP rel-addr] [SP rel-port]: "raddr" SP connection-address, "rport" SP port.
  if (i < f.size() && f[i] == "raddr") {
    if (i + 1 >= f.size()) return Unexpected(E::BadRelatedAddress);
    auto ip = base::IpAddress::parse(f[i + 1]);
    if (!ip) return Unexpected(E::BadRelatedAddress);
    i += 2;
    if (i + 1 >= f.size() || f[i] != "rport") return Unexpected(E::BadRelatedAddress);
    uint16_t rport = 0;
    if (!parse_number<uint16_t>(f[i + 1], 65535, rport)) return Unexpected(E::BadRelatedAddress);
    i += 2;
    c.related = base::SocketAddress{*ip, rport};
  } else if (i < f.size() && f[i] == "rport") {
    return Unexpected(E::BadRelatedAddress);
  }

  // *(SP extension-att-name SP extension-att-value)
  if ((f.size() - i) % 2 != 0) return Unexpected(E::NotACandidate);
  for (; i < f.size(); i += 2) {
    if (!is_token(f[i]) || !is_visible(f[i + 1])) return Unexpected(E::NotACandidate);
    c.extensions.emplace_back(std::string(f[i]), std::string(f[i + 1]));
  }
  return c;
}

}  // namespace wasmrtc::ice
