#include "sdp/parse.h"

#include <optional>

#include "sdp/text.h"

namespace wasmrtc::sdp {
namespace {

using base::Unexpected;

Unexpected<ParseError> fail(ParseErrorCode code, size_t line, std::string detail = {}) {
  return Unexpected(ParseError{code, line, std::move(detail)});
}

struct Line {
  char type;
  std::string_view value;
  size_t number;
};

// RFC 8866 section 5 defines these type letters and no others.
bool is_known_type(char t) { return std::string_view("vosiuepcbtrzkam").find(t) != std::string_view::npos; }

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Splits on LF, drops one trailing CR per line, skips empty lines.
ParseResult<std::vector<Line>> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.empty()) continue;
    if (raw.size() < 2 || raw[1] != '=' || !is_letter(raw[0])) {
      return fail(ParseErrorCode::BadLine, number);
    }
    if (!is_known_type(raw[0])) return fail(ParseErrorCode::UnknownLineType, number, std::string(1, raw[0]));
    lines.push_back(Line{raw[0], raw.substr(2), number});
  }
  if (lines.empty()) return fail(ParseErrorCode::Empty, number == 0 ? 1 : number);
  return lines;
}

// sess-id is digits (RFC 8866 section 9); it may exceed 64 bits, so it stays text.
bool is_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// RFC 8866 section 5.2.
std::optional<Origin> parse_origin(std::string_view value) {
  auto f = text::tokens(value);
  if (f.size() != 6 || !is_digits(f[1])) return std::nullopt;
  auto version = text::parse_uint<uint64_t>(f[2]);
  if (!version) return std::nullopt;
  return Origin{std::string(f[0]), std::string(f[1]), *version,
                std::string(f[3]), std::string(f[4]), std::string(f[5])};
}

// RFC 8866 section 5.7.
std::optional<Connection> parse_connection(std::string_view value) {
  auto f = text::tokens(value);
  if (f.size() != 3) return std::nullopt;
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

// RFC 8866 section 5.8.
std::optional<Bandwidth> parse_bandwidth(std::string_view value) {
  size_t colon = value.find(':');
  if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
  auto number = text::parse_uint<uint64_t>(text::trim(value.substr(colon + 1)));
  if (!number) return std::nullopt;
  return Bandwidth{std::string(value.substr(0, colon)), *number};
}

// RFC 8866 section 5.9.
std::optional<Timing> parse_timing(std::string_view value) {
  auto f = text::tokens(value);
  if (f.size() != 2) return std::nullopt;
  auto start = text::parse_uint<uint64_t>(f[0]);
  auto stop = text::parse_uint<uint64_t>(f[1]);
  if (!start || !stop) return std::nullopt;
  return Timing{*start, *stop, {}};
}

// RFC 8866 section 5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
ParseResult<MediaDescription> parse_media(const Line& line) {
  auto f = text::tokens(line.value);
  if (f.size() < 4) return fail(ParseErrorCode::BadMedia, line.number);
  MediaDescription m;
  m.media = std::string(f[0]);
  std::string_view port = f[1];
  if (size_t slash = port.find('/'); slash != std::string_view::npos) {
    auto count = text::parse_uint<uint16_t>(port.substr(slash + 1));
    if (!count) return fail(ParseErrorCode::BadPort, line.number);
    m.port_count = *count;
    port = port.substr(0, slash);
  }
  auto number = text::parse_uint<uint16_t>(port);
  if (!number) return fail(ParseErrorCode::BadPort, line.number);
  m.port = *number;
  m.proto = std::string(f[2]);
  for (size_t i = 3; i < f.size(); ++i) m.formats.emplace_back(f[i]);
  return m;
}

// The attributes with typed accessors must be well-formed, so that a
// description that parses never hides a half-read value (libwebrtc also
// rejects these as parse errors).
bool is_valid_known_attribute(const Attribute& a) {
  const std::string_view name = a.name;
  const bool typed = name == "mid" || name == "setup" || name == "fingerprint" || name == "group" ||
                     name == "sctp-port" || name == "max-message-size" || name == "sctpmap" ||
                     name == "ice-ufrag" || name == "ice-pwd";
  if (!typed) return true;
  if (!a.value) return false;
  const std::string_view v = *a.value;
  if (name == "mid" || name == "ice-ufrag" || name == "ice-pwd") {
    auto t = text::trim(v);
    return !t.empty() && t.find(' ') == std::string_view::npos;
  }
  if (name == "setup") return parse_setup(v).has_value();
  if (name == "fingerprint") return Fingerprint::parse(v).has_value();
  if (name == "group") return Group::parse(v).has_value();
  if (name == "sctp-port") return text::parse_uint<uint16_t>(text::trim(v)).has_value();
  if (name == "max-message-size") return text::parse_uint<uint64_t>(text::trim(v)).has_value();
  return Sctpmap::parse(v).has_value();
}

// RFC 8866 section 5.13: a=<attribute-name>[:<attribute-value>]
ParseResult<Attribute> parse_attribute(const Line& line) {
  const std::string_view v = line.value;
  const size_t colon = v.find(':');
  Attribute a;
  a.name = std::string(v.substr(0, colon));
  if (a.name.empty()) return fail(ParseErrorCode::BadAttribute, line.number);
  if (colon != std::string_view::npos) a.value = std::string(v.substr(colon + 1));
  if (!is_valid_known_attribute(a)) return fail(ParseErrorCode::BadAttributeValue, line.number, a.name);
  return a;
}

// Sets a single-instance optional field, or reports the repeat.
bool set_once(std::optional<std::string>& field, std::string_view value) {
  if (field) return false;
  field = std::string(value);
  return true;
}

ParseResult<bool> parse_session_line(const Line& line, SessionDescription& s) {
  switch (line.type) {
    case 'i':
      if (!set_once(s.information, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "i");
      return true;
    case 'u':
      if (!set_once(s.uri, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "u");
      return true;
    case 'e': s.emails.emplace_back(line.value); return true;
    case 'p': s.phones.emplace_back(line.value); return true;
    case 'c': {
      if (s.connection) return fail(ParseErrorCode::UnexpectedLine, line.number, "c");
      auto c = parse_connection(line.value);
      if (!c) return fail(ParseErrorCode::BadConnection, line.number);
      s.connection = std::move(*c);
      return true;
    }
    case 'b': {
      auto b = parse_bandwidth(line.value);
      if (!b) return fail(ParseErrorCode::BadBandwidth, line.number);
      s.bandwidths.push_back(std::move(*b));
      return true;
    }
    case 't': {
      auto t = parse_timing(line.value);
      if (!t) return fail(ParseErrorCode::BadTiming, line.number);
      s.timings.push_back(std::move(*t));
      return true;
    }
    case 'r':
      // RFC 8866 section 5.10: a repeat belongs to the t= before it.
      if (s.timings.empty()) return fail(ParseErrorCode::UnexpectedLine, line.number, "r");
      s.timings.back().repeats.emplace_back(line.value);
      return true;
    case 'z':
      if (!set_once(s.time_zones, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "z");
      return true;
    case 'k':
      if (!set_once(s.encryption_key, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "k");
      return true;
    case 'a': {
      auto a = parse_attribute(line);
      if (!a) return Unexpected(a.error());
      s.attributes.list().push_back(std::move(*a));
      return true;
    }
    default:
      return fail(ParseErrorCode::UnexpectedLine, line.number, std::string(1, line.type));
  }
}

// RFC 8866 section 5: inside a media description only i= c= b= k= a=.
ParseResult<bool> parse_media_line(const Line& line, MediaDescription& m) {
  switch (line.type) {
    case 'i':
      if (!set_once(m.title, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "i");
      return true;
    case 'c': {
      auto c = parse_connection(line.value);
      if (!c) return fail(ParseErrorCode::BadConnection, line.number);
      m.connections.push_back(std::move(*c));
      return true;
    }
    case 'b': {
      auto b = parse_bandwidth(line.value);
      if (!b) return fail(ParseErrorCode::BadBandwidth, line.number);
      m.bandwidths.push_back(std::move(*b));
      return true;
    }
    case 'k':
      if (!set_once(m.encryption_key, line.value)) return fail(ParseErrorCode::UnexpectedLine, line.number, "k");
      return true;
    case 'a': {
      auto a = parse_attribute(line);
      if (!a) return Unexpected(a.error());
      m.attributes.list().push_back(std::move(*a));
      return true;
    }
    default:
      return fail(ParseErrorCode::UnexpectedLine, line.number, std::string(1, line.type));
  }
}

}  // namespace

ParseResult<SessionDescription> parse(std::string_view input) {
  auto split = split_lines(input);
  if (!split) return Unexpected(split.error());
  const std::vector<Line>& lines = *split;

  // RFC 8866 section 5: v=, o=, s= come first, in this order.
  const Line& v = lines[0];
  if (v.type != 'v') return fail(ParseErrorCode::MissingVersion, v.number);
  if (text::trim(v.value) != "0") return fail(ParseErrorCode::BadVersion, v.number);
  if (lines.size() < 2 || lines[1].type != 'o') {
    return fail(ParseErrorCode::MissingOrigin, lines.size() < 2 ? v.number + 1 : lines[1].number);
  }
  SessionDescription s;
  auto origin = parse_origin(lines[1].value);
  if (!origin) return fail(ParseErrorCode::BadOrigin, lines[1].number);
  s.origin = std::move(*origin);
  if (lines.size() < 3 || lines[2].type != 's') {
    return fail(ParseErrorCode::MissingSessionName, lines.size() < 3 ? lines[1].number + 1 : lines[2].number);
  }
  s.session_name = std::string(lines[2].value);
  s.timings.clear();

  size_t i = 3;
  for (; i < lines.size() && lines[i].type != 'm'; ++i) {
    auto r = parse_session_line(lines[i], s);
    if (!r) return Unexpected(r.error());
  }
  if (s.timings.empty()) {
    return fail(ParseErrorCode::MissingTiming, i < lines.size() ? lines[i].number : lines.back().number);
  }
  for (; i < lines.size(); ++i) {
    if (lines[i].type == 'm') {
      auto m = parse_media(lines[i]);
      if (!m) return Unexpected(m.error());
      s.media.push_back(std::move(*m));
      continue;
    }
    auto r = parse_media_line(lines[i], s.media.back());
    if (!r) return Unexpected(r.error());
  }
  return s;
}

}  // namespace wasmrtc::sdp
