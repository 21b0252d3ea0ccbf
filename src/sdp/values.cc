#include "sdp/values.h"

#include "sdp/text.h"

namespace wasmrtc::sdp {

std::string_view to_string(Setup setup) {
  switch (setup) {
    case Setup::ActPass: return "actpass";
    case Setup::Active: return "active";
    case Setup::Passive: return "passive";
    case Setup::HoldConn: return "holdconn";
  }
  return "actpass";
}

std::optional<Setup> parse_setup(std::string_view value) {
  value = text::trim(value);
  if (value == "actpass") return Setup::ActPass;
  if (value == "active") return Setup::Active;
  if (value == "passive") return Setup::Passive;
  if (value == "holdconn") return Setup::HoldConn;
  return std::nullopt;
}

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> parse_direction(std::string_view attribute_name) {
  if (attribute_name == "sendrecv") return Direction::SendRecv;
  if (attribute_name == "sendonly") return Direction::SendOnly;
  if (attribute_name == "recvonly") return Direction::RecvOnly;
  if (attribute_name == "inactive") return Direction::Inactive;
  return std::nullopt;
}

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 8122 section 5: fingerprint = 2UHEX *(":" 2UHEX)
bool is_fingerprint_hex(std::string_view s) {
  if (s.size() < 2 || (s.size() + 1) % 3 != 0) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':') return false;
    } else if (!is_hex(s[i])) {
      return false;
    }
  }
  return true;
}

// RFC 8122 section 5: hash-func is a token (RFC 3261 token characters).
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool is_ice_chars(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<Fingerprint> Fingerprint::parse(std::string_view value) {
  auto fields = text::tokens(text::trim(value));
  if (fields.size() != 2 || !is_token(fields[0]) || !is_fingerprint_hex(fields[1])) {
    return std::nullopt;
  }
  return Fingerprint{std::string(fields[0]), std::string(fields[1])};
}

std::string Fingerprint::to_string() const { return algorithm + " " + value; }

bool Fingerprint::same_as(const Fingerprint& other) const {
  return text::iequals(algorithm, other.algorithm) && text::iequals(value, other.value);
}

std::optional<Group> Group::parse(std::string_view value) {
  auto fields = text::tokens(value);
  if (fields.empty()) return std::nullopt;
  Group g;
  g.semantics = std::string(fields[0]);
  for (size_t i = 1; i < fields.size(); ++i) g.mids.emplace_back(fields[i]);
  return g;
}

std::string Group::to_string() const {
  std::string out = semantics;
  for (const auto& mid : mids) out += " " + mid;
  return out;
}

bool Group::contains(std::string_view mid) const {
  for (const auto& m : mids) {
    if (m == mid) return true;
  }
  return false;
}

std::optional<Sctpmap> Sctpmap::parse(std::string_view value) {
  auto fields = text::tokens(value);
  if (fields.size() < 2 || fields.size() > 3) return std::nullopt;
  auto number = text::parse_uint<uint16_t>(fields[0]);
  if (!number) return std::nullopt;
  Sctpmap m;
  m.number = *number;
  m.protocol = std::string(fields[1]);
  if (fields.size() == 3) {
    auto streams = text::parse_uint<uint32_t>(fields[2]);
    if (!streams) return std::nullopt;
    m.streams = *streams;
  }
  return m;
}

std::string Sctpmap::to_string() const {
  std::string out = std::to_string(number) + " " + protocol;
  if (streams) out += " " + std::to_string(*streams);
  return out;
}

bool is_valid_ice_ufrag(std::string_view ufrag) {
  return ufrag.size() >= 4 && ufrag.size() <= 256 && is_ice_chars(ufrag);
}

bool is_valid_ice_pwd(std::string_view pwd) {
  return pwd.size() >= 22 && pwd.size() <= 256 && is_ice_chars(pwd);
}

}  // namespace wasmrtc::sdp
