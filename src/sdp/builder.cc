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
