#include "sdp/builder.h"

#include <algorithm>

namespace wasmrtc::sdp {

MediaDescription make_data_section(const LocalTransport& transport, const DataChannelSection& data) {
  MediaDescription m;
  m.media = "application";
  m.port = 9;
  m.proto = data.proto;
  m.formats = {data.legacy ? std::to_string(data.sctp_port) : std::string(kWebRtcDataChannel)};
  m.connections = {Connection{}};
  auto& a = m.attributes;
  a.add("ice-ufrag", transport.ice.ufrag);
  a.add("ice-pwd", transport.ice.pwd);
  if (transport.trickle) a.add("ice-options", "trickle");
  for (const auto& f : transport.fingerprints) a.add("fingerprint", f.to_string());
  a.add("setup", std::string(to_string(transport.setup)));
  a.add("mid", data.mid);
  if (data.legacy) {
    // The draft's default stream count, as legacy Chromium wrote it.
    a.add("sctpmap", Sctpmap{data.sctp_port, std::string(kWebRtcDataChannel), 1024}.to_string());
  } else {
    a.add("sctp-port", std::to_string(data.sctp_port));
    if (data.max_message_size) a.add("max-message-size", std::to_string(*data.max_message_size));
  }
  return m;
}

MediaDescription make_rejected_section(const MediaDescription& offered) {
  MediaDescription m;
  m.media = offered.media;
  m.port = 0;
  m.proto = offered.proto;
  if (!offered.formats.empty()) m.formats = {offered.formats.front()};
  m.connections = {Connection{}};
  if (auto mid = offered.mid()) m.attributes.add("mid", std::string(*mid));
  if (offered.media == "audio" || offered.media == "video") m.attributes.add("inactive");
  return m;
}

SessionDescription make_session(const Origin& origin) {
  SessionDescription s;
  s.origin = origin;
  s.session_name = "-";
  s.timings = {Timing{}};
  return s;
}

void set_bundle_group(SessionDescription& description, const std::vector<std::string>& mids) {
  auto& list = description.attributes.list();
  std::erase_if(list, [](const Attribute& a) {
    if (a.name != "group" || !a.value) return false;
    auto g = Group::parse(*a.value);
    return g && g->semantics == "BUNDLE";
  });
  if (mids.empty()) return;
  list.insert(list.begin(), Attribute{"group", Group{"BUNDLE", mids}.to_string()});
}

}  // namespace wasmrtc::sdp

namespace wasmrtc::sdp {

MediaDescription make_rtp_section(const LocalTransport& transport, const RtpSection& s) {
  MediaDescription m;
  m.media = s.media;
  m.port = 9;
  m.proto = s.proto;
  m.connections = {Connection{}};
  auto& a = m.attributes;
  // RFC 8829 section 5.2.1: a=rtcp with the "no candidate yet" address.
  a.add("rtcp", "9 IN IP4 0.0.0.0");
  a.add("ice-ufrag", transport.ice.ufrag);
  a.add("ice-pwd", transport.ice.pwd);
  if (transport.trickle) a.add("ice-options", "trickle");
  for (const auto& f : transport.fingerprints) a.add("fingerprint", f.to_string());
  a.add("setup", std::string(to_string(transport.setup)));
  a.add("mid", s.mid);
  add_extension_maps(m, s.extensions);
  a.add(std::string(to_string(s.direction)));
  const bool sends = s.direction == Direction::SendRecv || s.direction == Direction::SendOnly;
  if (sends) {
    if (s.stream_ids.empty()) a.add("msid", "- " + s.track_id);
    for (const auto& id : s.stream_ids) a.add("msid", id + " " + s.track_id);
  }
  a.add("rtcp-mux");  // RFC 8829 section 5.2.1: always, with BUNDLE
  if (s.rtcp_rsize) a.add("rtcp-rsize");
  add_codecs(m, s.codecs);
  if (sends && s.ssrc != 0) {
    if (s.rtx_ssrc != 0) a.add("ssrc-group", "FID " + std::to_string(s.ssrc) + " " + std::to_string(s.rtx_ssrc));
    for (uint32_t ssrc : {s.ssrc, s.rtx_ssrc}) {
      if (ssrc == 0) continue;
      a.add("ssrc", std::to_string(ssrc) + " cname:" + s.cname);
      const std::string stream = s.stream_ids.empty() ? "-" : s.stream_ids.front();
      a.add("ssrc", std::to_string(ssrc) + " msid:" + stream + " " + s.track_id);
    }
  }
  return m;
}

}  // namespace wasmrtc::sdp
