// What a packet on an ICE transport is, from its first bytes (RFC 7983
// section 7: STUN 0-3, DTLS 20-63, RTP/RTCP 128-191; ZRTP and TURN
// channels are not ours) and, for RTP/RTCP, its payload type (RFC 5761
// section 4: RTCP packet types 192-223 collide with no RTP payload type
// we negotiate).
#pragma once

#include <cstdint>

#include "base/bytes.h"

namespace wasmrtc::srtp {

enum class PacketKind : uint8_t { Stun, Dtls, Rtp, Rtcp, Unknown };

PacketKind classify(base::ByteView packet);

}  // namespace wasmrtc::srtp
