#include "sdp/negotiated.h"

#include <algorithm>

#include "sdp/bundle.h"

namespace wasmrtc::sdp {
namespace {

std::optional<size_t> accepted_data_section(const SessionDescription& local, const SessionDescription& remote) {
  const size_t n = std::min(local.media.size(), remote.media.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& l = local.media[i];
    const auto& r = remote.media[i];
    if (l.is_data_channel() && r.is_data_channel() && !l.is_rejected() && !r.is_rejected()) return i;
  }
  return std::nullopt;
}

IceCredentials credentials_of(const SessionDescription& d, size_t index) {
  return transport_credentials(d, index).value_or(IceCredentials{});
}

std::vector<Fingerprint> fingerprints_of(const SessionDescription& d, size_t index) {
  auto f = d.fingerprints(index);
  return f.empty() ? d.fingerprints(transport_section(d, index)) : f;
}

std::optional<Setup> setup_of(const SessionDescription& d, size_t index) {
  if (auto s = d.setup(index)) return s;
  return d.setup(transport_section(d, index));
}

std::optional<DtlsRole> role_from_setup(std::optional<Setup> setup) {
  if (setup == Setup::Active) return DtlsRole::Client;
  if (setup == Setup::Passive) return DtlsRole::Server;
  return std::nullopt;
}

}  // namespace

std::optional<DtlsRole> dtls_role(const Description& local, const Description& remote, size_t index) {
  if (local.type == SdpType::Offer) {
    // The answerer chose; we take the other side. No a=setup in an answer
    // means passive (RFC 4145 section 4), which makes us the client.
    auto theirs = role_from_setup(setup_of(remote.sdp, index).value_or(Setup::Passive));
    if (!theirs) return std::nullopt;
    return *theirs == DtlsRole::Client ? DtlsRole::Server : DtlsRole::Client;
  }
  return role_from_setup(setup_of(local.sdp, index));
}

namespace {

// Our direction from the (pr)answer's direction attribute of section i.
Direction our_direction(const Description& local, const Description& remote, size_t i) {
  if (local.type != SdpType::Offer) return local.sdp.direction(i);
  switch (remote.sdp.direction(i)) {
    case Direction::SendOnly: return Direction::RecvOnly;
    case Direction::RecvOnly: return Direction::SendOnly;
    case Direction::SendRecv: return Direction::SendRecv;
    case Direction::Inactive: return Direction::Inactive;
  }
  return Direction::Inactive;
}

std::optional<NegotiatedMedia> negotiate_media(const Description& local, const Description& remote, size_t i) {
  const auto& l = local.sdp.media[i];
  const auto& r = remote.sdp.media[i];
  auto kind = parse_media_kind(l.media);
  if (!kind || l.is_rejected() || r.is_rejected() || !is_rtp_proto(r.proto)) return std::nullopt;
  const Description& answer = local.type == SdpType::Offer ? remote : local;
  NegotiatedMedia m;
  m.mid = std::string(l.mid().value_or(std::to_string(i)));
  m.m_line_index = i;
  m.kind = *kind;
  m.direction = our_direction(local, remote, i);
  m.codecs = rtp_codecs(answer.sdp.media[i]);
  m.remote_codecs = rtp_codecs(r);
  m.extensions = extension_maps(answer.sdp.media[i]);
  m.remote_ssrcs = ssrcs(r);
  m.remote_ssrc_groups = ssrc_groups(r);
  m.remote_msids = msids(r);
  m.rtcp_rsize = rtcp_rsize(l) && rtcp_rsize(r);
  if (auto ptime = r.attributes.value("ptime")) {
    uint32_t v = 0;
    for (char c : *ptime) {
      if (c < '0' || c > '9' || v > 100000) break;
      v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    if (v > 0) m.remote_ptime_ms = v;
  }
  return m;
}

}  // namespace

Negotiated negotiate(const Description& local, const Description& remote) {
  Negotiated n;
  n.answered = true;
  n.provisional = local.type == SdpType::Pranswer || remote.type == SdpType::Pranswer;
  n.remote_ice_lite = remote.sdp.ice_lite();
  const size_t count = std::min(local.sdp.media.size(), remote.sdp.media.size());
  for (size_t i = 0; i < count; ++i) {
    if (auto m = negotiate_media(local, remote, i)) n.media.push_back(std::move(*m));
  }
  auto data = accepted_data_section(local.sdp, remote.sdp);
  // Everything rides the transport of the first accepted section's BUNDLE
  // group (we always bundle, RFC 8843 "max-bundle" in effect).
  std::optional<size_t> first = data;
  if (!n.media.empty() && (!first || n.media.front().m_line_index < *first)) first = n.media.front().m_line_index;
  if (!first) return n;
  const size_t t = transport_section(remote.sdp, *first);
  n.transport_m_line_index = t;

  n.local_ice = credentials_of(local.sdp, t);
  n.remote_ice = credentials_of(remote.sdp, t);
  n.remote_ice_options = remote.sdp.ice_options(t);
  for (size_t s : bundled_sections(remote.sdp, t)) {
    const auto& m = remote.sdp.media[s];
    for (auto& c : m.candidates()) {
      if (std::find(n.remote_candidates.begin(), n.remote_candidates.end(), c) == n.remote_candidates.end()) {
        n.remote_candidates.push_back(std::move(c));
      }
    }
    n.remote_end_of_candidates = n.remote_end_of_candidates || m.end_of_candidates();
  }
  n.remote_fingerprints = fingerprints_of(remote.sdp, t);
  n.dtls_role = dtls_role(local, remote, t);

  if (!data) return n;
  const size_t i = *data;
  n.data_m_line_index = i;
  if (auto mid = local.sdp.media[i].mid()) n.data_mid = std::string(*mid);
  n.local_sctp_port = local.sdp.media[i].sctp_port().value_or(kDefaultSctpPort);
  n.remote_sctp_port = remote.sdp.media[i].sctp_port().value_or(kDefaultSctpPort);
  n.local_max_message_size = local.sdp.media[i].max_message_size().value_or(kDefaultMaxMessageSize);
  n.remote_max_message_size = remote.sdp.media[i].max_message_size().value_or(kDefaultMaxMessageSize);
  return n;
}

}  // namespace wasmrtc::sdp
