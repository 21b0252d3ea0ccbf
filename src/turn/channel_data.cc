#include "turn/channel_data.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "turn/constants.h"

namespace wasmrtc::turn {

const char* to_string(ChannelDataError e) {
  switch (e) {
    case ChannelDataError::Truncated: return "truncated ChannelData";
    case ChannelDataError::BadChannel: return "channel number outside 0x4000-0x4FFF";
    case ChannelDataError::TrailingBytes: return "bytes after ChannelData padding";
  }
  return "unknown ChannelData error";
}

base::Bytes encode_channel_data(uint16_t channel, base::ByteView data, bool pad) {
  base::ByteWriter w;
  w.u16(channel);
  w.u16(static_cast<uint16_t>(data.size()));
  w.bytes(data);
  if (pad) w.zeros(padded_channel_data_size(data.size()) - w.size());
  return w.take();
}

base::Result<ChannelDataView, ChannelDataError> decode_channel_data(base::ByteView bytes) {
  base::ByteReader r(bytes);
  auto channel = r.u16();
  auto length = r.u16();
  if (!channel || !length) return base::Unexpected(ChannelDataError::Truncated);
  // Section 12.6: numbers in the reserved range are discarded.
  if (!is_valid_channel(*channel)) return base::Unexpected(ChannelDataError::BadChannel);
  // Section 12.6: too short for the claimed length -> discard.
  auto data = r.bytes(*length);
  if (!data) return base::Unexpected(ChannelDataError::Truncated);
  if (bytes.size() > padded_channel_data_size(*length)) {
    return base::Unexpected(ChannelDataError::TrailingBytes);
  }
  return ChannelDataView{*channel, *data};
}

}  // namespace wasmrtc::turn
