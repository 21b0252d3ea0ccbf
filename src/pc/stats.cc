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

  // webrtc-stats availableOutgoingBitrate: the sender-side estimate, only
  // while RTP is sent (congestion control runs then).
  std::optional<double> available;
  if (sending_media()) available = static_cast<double>(bwe_.target_bps());
  transport_.stats(out, ice_connection_state_, config_.wall_clock_offset_us, available);
  media_stats(now, out);
  return out;
}

}  // namespace wasmrtc::pc
