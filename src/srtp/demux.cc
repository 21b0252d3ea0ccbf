#include "srtp/demux.h"

namespace wasmrtc::srtp {

PacketKind classify(base::ByteView packet) {
  if (packet.empty()) return PacketKind::Unknown;
  const uint8_t b = packet[0];
  if (b <= 3) return PacketKind::Stun;
  if (b >= 20 && b <= 63) return PacketKind::Dtls;
  if (b >= 128 && b <= 191) {
    // An RTP header is 12 bytes and an RTCP one 8: anything shorter is neither.
    if (packet.size() < 8) return PacketKind::Unknown;
    const uint8_t type = packet[1];  // RTCP packet type, or RTP M bit + payload type
    if (type >= 192 && type <= 223) return PacketKind::Rtcp;
    return packet.size() >= 12 ? PacketKind::Rtp : PacketKind::Unknown;
  }
  return PacketKind::Unknown;
}

}  // namespace wasmrtc::srtp
