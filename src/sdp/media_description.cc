#include "sdp/media_description.h"

#include "sdp/text.h"

namespace wasmrtc::sdp {

std::string Connection::to_string() const { return nettype + " " + addrtype + " " + address; }

std::optional<std::string_view> MediaDescription::mid() const { return attributes.value("mid"); }

std::optional<std::string_view> MediaDescription::ice_ufrag() const {
  return attributes.value("ice-ufrag");
}

std::optional<std::string_view> MediaDescription::ice_pwd() const {
  return attributes.value("ice-pwd");
}

std::vector<std::string> MediaDescription::ice_options() const {
  std::vector<std::string> out;
  for (auto value : attributes.values("ice-options")) {
    for (auto& tag : text::ice_option_tags(value)) out.push_back(std::move(tag));
  }
  return out;
}

std::vector<Fingerprint> MediaDescription::fingerprints() const {
  std::vector<Fingerprint> out;
  for (auto value : attributes.values("fingerprint")) {
    if (auto f = Fingerprint::parse(value)) out.push_back(std::move(*f));
  }
  return out;
}

std::optional<Setup> MediaDescription::setup() const {
  auto value = attributes.value("setup");
  return value ? parse_setup(*value) : std::nullopt;
}

std::vector<std::string> MediaDescription::candidates() const {
  std::vector<std::string> out;
  for (auto value : attributes.values("candidate")) out.push_back("candidate:" + std::string(value));
  return out;
}

bool MediaDescription::end_of_candidates() const { return attributes.has("end-of-candidates"); }

std::optional<Direction> MediaDescription::direction() const {
  for (const auto& a : attributes) {
    if (auto d = parse_direction(a.name)) return d;
  }
  return std::nullopt;
}

bool MediaDescription::rtcp_mux() const { return attributes.has("rtcp-mux"); }

bool MediaDescription::bundle_only() const { return attributes.has("bundle-only"); }

bool MediaDescription::is_rejected() const { return port == 0 && !bundle_only(); }

bool MediaDescription::is_legacy_data_channel() const {
  return media == "application" && proto == kProtoLegacyDtlsSctp && !formats.empty() &&
         attributes.has("sctpmap");
}

bool MediaDescription::is_data_channel() const {
  if (media != "application") return false;
  if (proto == kProtoUdpDtlsSctp || proto == kProtoTcpDtlsSctp) {
    for (const auto& f : formats) {
      if (f == kWebRtcDataChannel) return true;
    }
    return false;
  }
  return is_legacy_data_channel();
}

std::optional<Sctpmap> MediaDescription::sctpmap() const {
  auto value = attributes.value("sctpmap");
  return value ? Sctpmap::parse(*value) : std::nullopt;
}

std::optional<uint16_t> MediaDescription::sctp_port() const {
  if (!is_data_channel()) return std::nullopt;
  if (is_legacy_data_channel()) {
    auto map = sctpmap();
    if (map) return map->number;
    return text::parse_uint<uint16_t>(formats.front());
  }
  if (auto value = attributes.value("sctp-port")) return text::parse_uint<uint16_t>(text::trim(*value));
  return kDefaultSctpPort;
}

std::optional<uint64_t> MediaDescription::max_message_size() const {
  auto value = attributes.value("max-message-size");
  return value ? text::parse_uint<uint64_t>(text::trim(*value)) : std::nullopt;
}

}  // namespace wasmrtc::sdp
