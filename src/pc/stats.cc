// getStats (webrtc-pc 8.2, webrtc-stats): the dictionaries for one
// connection. Ids are stable across calls so reports can be diffed.
#include <string>

#include "pc/peer_connection.h"

namespace wasmrtc::pc {

RecordList PeerConnection::stats(base::Timestamp now) const {
  RecordList out;
  {
    Record r;
    r.set("id", "P").set("type", "peer-connection")
        .set("dataChannelsOpened", data_.channels_opened())
        .set("dataChannelsClosed", data_.channels_closed());
    out.push_back(std::move(r));
  }
  data_.stats(out);

  transport_.stats(out, ice_connection_state_, config_.wall_clock_offset_us, media_.available_outgoing_bitrate());
  media_.stats(now, out, jsep_.transceivers());
  return out;
}

}  // namespace wasmrtc::pc
