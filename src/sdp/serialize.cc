#include "sdp/serialize.h"

namespace wasmrtc::sdp {
namespace {

constexpr std::string_view kCrlf = "\r\n";

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += kCrlf;
}

void bandwidth(std::string& out, const Bandwidth& b) {
  line(out, 'b', b.type + ":" + std::to_string(b.value));
}

void attributes(std::string& out, const Attributes& list) {
  for (const auto& a : list) line(out, 'a', a.to_string());
}

std::string media_line(const MediaDescription& m) {
  std::string out = m.media + " " + std::to_string(m.port);
  if (m.port_count) out += "/" + std::to_string(*m.port_count);
  out += " " + m.proto;
  for (const auto& f : m.formats) out += " " + f;
  return out;
}

void media(std::string& out, const MediaDescription& m) {
  line(out, 'm', media_line(m));
  if (m.title) line(out, 'i', *m.title);
  for (const auto& c : m.connections) line(out, 'c', c.to_string());
  for (const auto& b : m.bandwidths) bandwidth(out, b);
  if (m.encryption_key) line(out, 'k', *m.encryption_key);
  attributes(out, m.attributes);
}

}  // namespace

std::string serialize(const MediaDescription& m) {
  std::string out;
  media(out, m);
  return out;
}

std::string serialize(const SessionDescription& s) {
  std::string out;
  out.reserve(1024);
  line(out, 'v', "0");
  line(out, 'o', s.origin.to_string());
  line(out, 's', s.session_name);
  if (s.information) line(out, 'i', *s.information);
  if (s.uri) line(out, 'u', *s.uri);
  for (const auto& e : s.emails) line(out, 'e', e);
  for (const auto& p : s.phones) line(out, 'p', p);
  if (s.connection) line(out, 'c', s.connection->to_string());
  for (const auto& b : s.bandwidths) bandwidth(out, b);
  // RFC 8866 section 5.9: at least one t= line, even for a hand-built
  // description that has none.
  if (s.timings.empty()) line(out, 't', "0 0");
  for (const auto& t : s.timings) {
    line(out, 't', std::to_string(t.start) + " " + std::to_string(t.stop));
    for (const auto& r : t.repeats) line(out, 'r', r);
  }
  if (s.time_zones) line(out, 'z', *s.time_zones);
  if (s.encryption_key) line(out, 'k', *s.encryption_key);
  attributes(out, s.attributes);
  for (const auto& m : s.media) media(out, m);
  return out;
}

}  // namespace wasmrtc::sdp
