#include "codec/opus_fmtp.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace wasmrtc::codec {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Digits only (no sign, no spaces inside), within [lo, hi].
std::optional<uint32_t> parse_uint(std::string_view s, uint32_t lo, uint32_t hi) {
  uint32_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "0") return false;
  if (s == "1") return true;
  return std::nullopt;
}

// The only packet times an Opus encoder produces (RFC 6716 2.1.4 lists
// 2.5-60 ms frames; we encode whole 10 ms device frames).
constexpr std::array<uint32_t, 4> kPtimes = {10, 20, 40, 60};

}  // namespace

OpusFmtp OpusFmtp::webrtc_default() {
  OpusFmtp f;
  f.minptime = 10;
  f.useinbandfec = true;
  return f;
}

Result<OpusFmtp> parse_opus_fmtp(std::string_view fmtp) {
  OpusFmtp out;
  while (!fmtp.empty()) {
    const size_t semi = fmtp.find(';');
    std::string_view item = trim(fmtp.substr(0, semi));
    fmtp = semi == std::string_view::npos ? std::string_view() : fmtp.substr(semi + 1);
    if (item.empty()) continue;  // "a=1;" or "a=1;;b=0": tolerated, as browsers do
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return Unexpected(Error::BadFmtp);
    const std::string_view name = trim(item.substr(0, eq));
    const std::string_view value = trim(item.substr(eq + 1));

    auto number = [&](std::optional<uint32_t>& field, uint32_t lo, uint32_t hi) {
      field = parse_uint(value, lo, hi);
      return field.has_value();
    };
    auto flag = [&](bool& field) {
      auto b = parse_bool(value);
      if (b) field = *b;
      return b.has_value();
    };
    bool ok = true;
    // Ranges from RFC 7587 6.1.
    if (iequals(name, "maxplaybackrate")) ok = number(out.maxplaybackrate, 8000, 48000);
    else if (iequals(name, "sprop-maxcapturerate")) ok = number(out.sprop_maxcapturerate, 8000, 48000);
    else if (iequals(name, "maxptime")) ok = number(out.maxptime, 3, 120);
    else if (iequals(name, "ptime")) ok = number(out.ptime, 3, 120);
    else if (iequals(name, "minptime")) ok = number(out.minptime, 3, 120);
    else if (iequals(name, "maxaveragebitrate")) ok = number(out.maxaveragebitrate, 6000, 510000);
    else if (iequals(name, "stereo")) ok = flag(out.stereo);
    else if (iequals(name, "sprop-stereo")) ok = flag(out.sprop_stereo);
    else if (iequals(name, "cbr")) ok = flag(out.cbr);
    else if (iequals(name, "useinbandfec")) ok = flag(out.useinbandfec);
    else if (iequals(name, "usedtx")) ok = flag(out.usedtx);
    else if (name.empty()) ok = false;
    if (!ok) return Unexpected(Error::BadFmtp);
  }
  return out;
}

std::string to_string(const OpusFmtp& f) {
  std::string out;
  auto add = [&](std::string_view name, uint32_t value) {
    if (!out.empty()) out += ';';
    out += name;
    out += '=';
    out += std::to_string(value);
  };
  if (f.maxplaybackrate) add("maxplaybackrate", *f.maxplaybackrate);
  if (f.sprop_maxcapturerate) add("sprop-maxcapturerate", *f.sprop_maxcapturerate);
  if (f.maxptime) add("maxptime", *f.maxptime);
  if (f.ptime) add("ptime", *f.ptime);
  if (f.minptime) add("minptime", *f.minptime);
  if (f.maxaveragebitrate) add("maxaveragebitrate", *f.maxaveragebitrate);
  if (f.stereo) add("stereo", 1);
  if (f.sprop_stereo) add("sprop-stereo", 1);
  if (f.cbr) add("cbr", 1);
  if (f.useinbandfec) add("useinbandfec", 1);
  if (f.usedtx) add("usedtx", 1);
  return out;
}

AudioEncoderConfig encoder_config_for(const OpusFmtp& remote, AudioEncoderConfig local) {
  AudioEncoderConfig c = local;
  c.channels = remote.stereo ? 2 : 1;
  c.fec = remote.useinbandfec;
  c.dtx = remote.usedtx;
  c.cbr = remote.cbr;
  if (remote.maxplaybackrate) c.max_playback_rate = std::min(local.max_playback_rate, *remote.maxplaybackrate);
  if (remote.maxaveragebitrate) {
    c.bitrate_bps = local.bitrate_bps == 0 ? *remote.maxaveragebitrate
                                           : std::min(local.bitrate_bps, *remote.maxaveragebitrate);
  }
  // The remote's ptime is a preference, maxptime/minptime are limits
  // (RFC 7587 6.1); ours is a preference too, so theirs wins, and the
  // result is the nearest packet time Opus can make within the limits.
  const uint32_t want = remote.ptime.value_or(local.ptime_ms);
  const uint32_t lo = remote.minptime.value_or(0);
  const uint32_t hi = remote.maxptime.value_or(120);
  std::optional<uint32_t> best;
  auto distance = [&](uint32_t p) { return p > want ? p - want : want - p; };
  for (uint32_t p : kPtimes) {
    if (p < lo || p > hi) continue;
    if (!best || distance(p) < distance(*best)) best = p;
  }
  // Limits no Opus packet time meets (maxptime=5): the smallest we have.
  c.ptime_ms = best.value_or(kPtimes.front());
  return c;
}

}  // namespace wasmrtc::codec
