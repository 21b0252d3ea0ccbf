#include "sdp/session_description.h"

#include "sdp/text.h"

namespace wasmrtc::sdp {

std::string Origin::to_string() const {
  return username + " " + session_id + " " + std::to_string(session_version) + " " + nettype + " " +
         addrtype + " " + address;
}

std::vector<Group> SessionDescription::groups() const {
  std::vector<Group> out;
  for (auto value : attributes.values("group")) {
    if (auto g = Group::parse(value)) out.push_back(std::move(*g));
  }
  return out;
}

std::optional<Group> SessionDescription::bundle_group_of(std::string_view mid) const {
  for (auto& g : groups()) {
    if (g.semantics == "BUNDLE" && g.contains(mid)) return g;
  }
  return std::nullopt;
}

bool SessionDescription::ice_lite() const { return attributes.has("ice-lite"); }

bool SessionDescription::extmap_allow_mixed() const { return attributes.has("extmap-allow-mixed"); }

std::optional<std::string_view> SessionDescription::msid_semantic() const {
  return attributes.value("msid-semantic");
}

std::optional<size_t> SessionDescription::find_mid(std::string_view mid) const {
  for (size_t i = 0; i < media.size(); ++i) {
    if (media[i].mid() == mid) return i;
  }
  return std::nullopt;
}

std::optional<size_t> SessionDescription::find_data_channel() const {
  for (size_t i = 0; i < media.size(); ++i) {
    if (media[i].is_data_channel()) return i;
  }
  return std::nullopt;
}

std::optional<IceCredentials> SessionDescription::ice_credentials(size_t index) const {
  const auto& m = media.at(index);
  auto ufrag = m.ice_ufrag() ? m.ice_ufrag() : attributes.value("ice-ufrag");
  auto pwd = m.ice_pwd() ? m.ice_pwd() : attributes.value("ice-pwd");
  if (!ufrag || !pwd) return std::nullopt;
  return IceCredentials{std::string(*ufrag), std::string(*pwd)};
}

std::vector<std::string> SessionDescription::ice_options(size_t index) const {
  auto options = media.at(index).ice_options();
  if (!options.empty()) return options;
  for (auto value : attributes.values("ice-options")) {
    for (auto& tag : text::ice_option_tags(value)) options.push_back(std::move(tag));
  }
  return options;
}

std::vector<Fingerprint> SessionDescription::fingerprints(size_t index) const {
  auto out = media.at(index).fingerprints();
  if (!out.empty()) return out;
  for (auto value : attributes.values("fingerprint")) {
    if (auto f = Fingerprint::parse(value)) out.push_back(std::move(*f));
  }
  return out;
}

std::optional<Setup> SessionDescription::setup(size_t index) const {
  if (auto s = media.at(index).setup()) return s;
  auto value = attributes.value("setup");
  return value ? parse_setup(*value) : std::nullopt;
}

Direction SessionDescription::direction(size_t index) const {
  if (auto d = media.at(index).direction()) return *d;
  for (const auto& a : attributes) {
    if (auto d = parse_direction(a.name)) return *d;
  }
  return Direction::SendRecv;
}

}  // namespace wasmrtc::sdp
