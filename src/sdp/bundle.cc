#include "sdp/bundle.h"

namespace wasmrtc::sdp {

size_t transport_section(const SessionDescription& d, size_t index) {
  auto mid = d.media.at(index).mid();
  if (!mid) return index;
  auto group = d.bundle_group_of(*mid);
  if (!group) return index;
  for (const auto& member : group->mids) {
    auto i = d.find_mid(member);
    if (i && !d.media[*i].is_rejected() && !d.media[*i].bundle_only()) return *i;
  }
  return index;
}

std::vector<size_t> bundled_sections(const SessionDescription& d, size_t index) {
  auto mid = d.media.at(index).mid();
  auto group = mid ? d.bundle_group_of(*mid) : std::nullopt;
  if (!group) return {index};
  std::vector<size_t> out;
  for (size_t i = 0; i < d.media.size(); ++i) {
    auto m = d.media[i].mid();
    if (m && group->contains(*m) && (i == index || !d.media[i].is_rejected())) out.push_back(i);
  }
  return out;
}

std::optional<IceCredentials> transport_credentials(const SessionDescription& d, size_t index) {
  if (auto c = d.ice_credentials(index)) return c;
  const size_t tag = transport_section(d, index);
  return tag == index ? std::nullopt : d.ice_credentials(tag);
}

std::optional<size_t> primary_section(const SessionDescription& d) {
  if (auto i = d.find_data_channel(); i && !d.media[*i].is_rejected()) return i;
  for (size_t i = 0; i < d.media.size(); ++i) {
    if (!d.media[i].is_rejected()) return i;
  }
  return std::nullopt;
}

}  // namespace wasmrtc::sdp
