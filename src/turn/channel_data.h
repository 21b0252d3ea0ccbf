// The ChannelData message, RFC 8656 section 12.4: a 2-byte channel number,
// a 2-byte length, then the application data; over streams padded to a
// multiple of 4 bytes (section 12.5) with the padding not counted in the
// length.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"

namespace wasmrtc::turn {

struct ChannelDataView {
  uint16_t channel = 0;
  base::ByteView data;  // points into the parsed bytes
};

enum class ChannelDataError : uint8_t {
  Truncated,      // shorter than the header or than its length field says (section 12.6)
  BadChannel,     // number outside 0x4000-0x4FFF (section 12, table 2)
  TrailingBytes,  // more after the data than the 0-3 bytes of padding
};
const char* to_string(ChannelDataError e);

// RFC 7983 / RFC 8656 section 12, table 3: how the first byte tells what
// arrived from a TURN server: 0..3 STUN, 64..79 ChannelData; anything else
// (ZRTP, DTLS, RTP, reserved) has no business on the server connection.
constexpr bool is_stun_first_byte(uint8_t b) { return b <= 3; }
constexpr bool is_channel_data_first_byte(uint8_t b) { return b >= 0x40 && b <= 0x4F; }

// (4 + data length) rounded up to 4: the size of a ChannelData message on a
// stream (section 12.5).
constexpr size_t padded_channel_data_size(size_t data_size) {
  return (4 + data_size + 3) & ~size_t{3};
}

// Header + data, plus zero padding to 4 bytes when `pad` (streams; over UDP
// the padding "is not required but MAY be included"). Precondition:
// data.size() <= 65535.
base::Bytes encode_channel_data(uint16_t channel, base::ByteView data, bool pad);

// One whole ChannelData message (one datagram, or one frame cut from a
// stream), with or without its padding.
base::Result<ChannelDataView, ChannelDataError> decode_channel_data(base::ByteView bytes);

}  // namespace wasmrtc::turn
