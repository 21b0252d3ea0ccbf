#include "sdp/rtp_attributes.h"

#include <algorithm>

#include "sdp/h264_profile.h"
#include "sdp/text.h"

namespace wasmrtc::sdp {
namespace {

// "<pt> <rest>" -> (pt, rest).
std::optional<std::pair<uint8_t, std::string_view>> split_payload_type(std::string_view value) {
  const size_t sp = value.find(' ');
  auto pt = text::parse_uint<uint8_t>(value.substr(0, sp));
  if (!pt || *pt > 127) return std::nullopt;
  return std::pair{*pt, sp == std::string_view::npos ? std::string_view{} : text::trim(value.substr(sp + 1))};
}

// RFC 3551 table 4: the static audio payload types browsers still offer.
std::optional<RtpCodec> static_codec(uint8_t pt) {
  switch (pt) {
    case 0: return RtpCodec{0, "PCMU", 8000, 1, {}, {}};
    case 8: return RtpCodec{8, "PCMA", 8000, 1, {}, {}};
    case 9: return RtpCodec{9, "G722", 8000, 1, {}, {}};
    case 13: return RtpCodec{13, "CN", 8000, 1, {}, {}};
    default: return std::nullopt;
  }
}

// "<name>/<clock>[/<channels>]"
bool parse_encoding(std::string_view s, RtpCodec& c) {
  const size_t a = s.find('/');
  if (a == std::string_view::npos || a == 0) return false;
  c.name = std::string(s.substr(0, a));
  std::string_view rest = s.substr(a + 1);
  const size_t b = rest.find('/');
  auto clock = text::parse_uint<uint32_t>(rest.substr(0, b));
  if (!clock || *clock == 0) return false;
  c.clock_rate = *clock;
  c.channels = 1;
  if (b != std::string_view::npos) {
    auto ch = text::parse_uint<uint16_t>(rest.substr(b + 1));
    if (!ch || *ch == 0) return false;
    c.channels = *ch;
  }
  return true;
}

// "a=ssrc:<ssrc> <attribute>[:<value>]" -> (ssrc, attribute, value).
struct SsrcLine {
  uint32_t ssrc;
  std::string_view attribute;
  std::string_view value;
};
std::optional<SsrcLine> parse_ssrc_line(std::string_view v) {
  const size_t sp = v.find(' ');
  auto ssrc = text::parse_uint<uint32_t>(v.substr(0, sp));
  if (!ssrc) return std::nullopt;
  SsrcLine line{*ssrc, {}, {}};
  if (sp == std::string_view::npos) return line;
  std::string_view rest = text::trim(v.substr(sp + 1));
  const size_t colon = rest.find(':');
  line.attribute = rest.substr(0, colon);
  if (colon != std::string_view::npos) line.value = rest.substr(colon + 1);
  return line;
}

std::optional<Msid> parse_msid(std::string_view value) {
  auto t = text::tokens(value);
  if (t.empty() || t.size() > 2) return std::nullopt;
  Msid m{std::string(t[0]), std::nullopt};
  if (t.size() == 2) m.track_id = std::string(t[1]);
  return m;
}

}  // namespace

bool RtpCodec::same_encoding(const RtpCodec& o) const {
  return text::iequals(name, o.name) && clock_rate == o.clock_rate && channels == o.channels;
}

bool RtpCodec::same_format(const RtpCodec& o) const {
  if (!same_encoding(o)) return false;
  if (text::iequals(name, "H264")) return same_h264_format(*this, o);
  return true;
}

std::optional<std::string> RtpCodec::fmtp_parameter(std::string_view key) const {
  std::string_view rest = fmtp;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view part = text::trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && text::iequals(text::trim(part.substr(0, eq)), key)) {
      return std::string(text::trim(part.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::vector<RtpCodec> rtp_codecs(const MediaDescription& m) {
  std::vector<RtpCodec> out;
  for (const auto& f : m.formats) {
    auto pt = text::parse_uint<uint8_t>(f);
    if (!pt || *pt > 127) continue;
    std::optional<RtpCodec> codec;
    for (auto v : m.attributes.values("rtpmap")) {
      auto p = split_payload_type(v);
      if (!p || p->first != *pt) continue;
      RtpCodec c;
      c.payload_type = *pt;
      if (parse_encoding(p->second, c)) codec = std::move(c);
      break;
    }
    if (!codec) codec = static_codec(*pt);
    if (!codec) continue;
    for (auto v : m.attributes.values("fmtp")) {
      auto p = split_payload_type(v);
      if (p && p->first == *pt) {
        codec->fmtp = std::string(p->second);
        break;
      }
    }
    for (auto v : m.attributes.values("rtcp-fb")) {
      // "a=rtcp-fb:* nack" applies to every format (RFC 4585 section 4.2).
      const size_t sp = v.find(' ');
      std::string_view which = v.substr(0, sp);
      if (sp == std::string_view::npos) continue;
      if (which != "*" && text::parse_uint<uint8_t>(which) != *pt) continue;
      std::string fb(text::trim(v.substr(sp + 1)));
      if (std::find(codec->feedback.begin(), codec->feedback.end(), fb) == codec->feedback.end()) {
        codec->feedback.push_back(std::move(fb));
      }
    }
    out.push_back(std::move(*codec));
  }
  return out;
}

std::vector<ExtensionMapEntry> extension_maps(const MediaDescription& m) {
  std::vector<ExtensionMapEntry> out;
  for (auto v : m.attributes.values("extmap")) {
    auto t = text::tokens(v);
    if (t.size() < 2) continue;
    ExtensionMapEntry e;
    std::string_view id = t[0];
    const size_t slash = id.find('/');
    if (slash != std::string_view::npos) {
      e.direction = parse_direction(id.substr(slash + 1));
      if (!e.direction) continue;
      id = id.substr(0, slash);
    }
    auto n = text::parse_uint<uint16_t>(id);
    // RFC 8285 section 5: 1-14 one-byte, 1-255 two-byte (4095 reserved range unused).
    if (!n || *n == 0 || *n > 255) continue;
    e.id = *n;
    e.uri = std::string(t[1]);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Msid> msids(const MediaDescription& m) {
  std::vector<Msid> out;
  // A repeated a=msid line names the stream once (RFC 8830 section 2; WPT
  // RTCTrackEvent-fire "Duplicate a=msid").
  for (auto v : m.attributes.values("msid")) {
    if (auto msid = parse_msid(v)) {
      if (std::find(out.begin(), out.end(), *msid) == out.end()) out.push_back(std::move(*msid));
    }
  }
  if (!out.empty()) return out;
  for (auto v : m.attributes.values("ssrc")) {
    auto line = parse_ssrc_line(v);
    if (!line || line->attribute != "msid") continue;
    if (auto msid = parse_msid(line->value)) {
      if (std::find(out.begin(), out.end(), *msid) == out.end()) out.push_back(std::move(*msid));
    }
  }
  return out;
}

std::vector<uint32_t> ssrcs(const MediaDescription& m) {
  std::vector<uint32_t> out;
  for (auto v : m.attributes.values("ssrc")) {
    auto line = parse_ssrc_line(v);
    if (line && std::find(out.begin(), out.end(), line->ssrc) == out.end()) out.push_back(line->ssrc);
  }
  return out;
}

std::vector<SsrcGroup> ssrc_groups(const MediaDescription& m) {
  std::vector<SsrcGroup> out;
  for (auto v : m.attributes.values("ssrc-group")) {
    auto t = text::tokens(v);
    if (t.size() < 2) continue;
    SsrcGroup g{std::string(t[0]), {}};
    bool ok = true;
    for (size_t i = 1; i < t.size() && ok; ++i) {
      auto n = text::parse_uint<uint32_t>(t[i]);
      ok = n.has_value();
      if (n) g.ssrcs.push_back(*n);
    }
    if (ok) out.push_back(std::move(g));
  }
  return out;
}

std::optional<std::string> ssrc_cname(const MediaDescription& m) {
  for (auto v : m.attributes.values("ssrc")) {
    auto line = parse_ssrc_line(v);
    if (line && line->attribute == "cname" && !line->value.empty()) return std::string(line->value);
  }
  return std::nullopt;
}

bool rtcp_rsize(const MediaDescription& m) { return m.attributes.has("rtcp-rsize"); }

void add_codecs(MediaDescription& m, const std::vector<RtpCodec>& codecs) {
  m.formats.clear();
  for (const auto& c : codecs) m.formats.push_back(std::to_string(c.payload_type));
  for (const auto& c : codecs) {
    std::string map = std::to_string(c.payload_type) + " " + c.name + "/" + std::to_string(c.clock_rate);
    if (c.channels > 1) map += "/" + std::to_string(c.channels);
    m.attributes.add("rtpmap", map);
    for (const auto& fb : c.feedback) m.attributes.add("rtcp-fb", std::to_string(c.payload_type) + " " + fb);
    if (!c.fmtp.empty()) m.attributes.add("fmtp", std::to_string(c.payload_type) + " " + c.fmtp);
  }
}

void add_extension_maps(MediaDescription& m, const std::vector<ExtensionMapEntry>& extensions) {
  for (const auto& e : extensions) {
    std::string id = std::to_string(e.id);
    if (e.direction) id += "/" + std::string(to_string(*e.direction));
    m.attributes.add("extmap", id + " " + e.uri);
  }
}

}  // namespace wasmrtc::sdp
