// libFuzzer target for the DCEP codec (src/sctp/dcep.h, RFC 8832 section 5):
// parses arbitrary bytes as the payload of a PPID 50 message. Properties
// that must hold abort() when violated:
//   - an accepted ACK is exactly the one byte 0x02;
//   - an accepted OPEN re-encodes to the same bytes up to the end of its
//     protocol (what follows is ignored, as libwebrtc does), except the
//     Reliability Parameter of a reliable channel type, which goes out as 0
//     (section 5.1);
//   - re-parsing the re-encoding gives the same message;
//   - a rejected input that starts like an OPEN is rejected for a reason
//     consistent with its length fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "require.h"
#include "sctp/dcep.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::sctp;

using fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const base::ByteView input(data, size);
  auto parsed = parse_dcep(input);
  if (!parsed) {
    const Error e = parsed.error();
    if (size == 0) require(e == Error::DcepEmpty);
    if (size > 0 && data[0] != 0x02 && data[0] != 0x03) require(e == Error::DcepUnknownMessageType);
    if (size >= 12 && data[0] == 0x03) {
      const size_t declared = 12 + (size_t{data[8]} << 8 | data[9]) + (size_t{data[10]} << 8 | data[11]);
      if (declared > size) require(e == Error::DcepTruncated);
      if (declared <= size) require(e == Error::DcepUnknownChannelType);
    }
    return 0;
  }
  if (std::holds_alternative<DataChannelAck>(*parsed)) {
    require(size == 1 && data[0] == 0x02);
    require(encode_ack().size() == 1);
    return 0;
  }
  const DataChannelOpen& open = std::get<DataChannelOpen>(*parsed);
  require(is_known_channel_type(static_cast<uint8_t>(open.channel_type)));
  require(open.max_retransmits().has_value() + open.max_packet_life_time_ms().has_value() <= 1);
  auto wire = encode_open(open);
  require(wire.ok() && wire->size() <= size);
  const bool reliable = !open.max_retransmits() && !open.max_packet_life_time_ms();
  for (size_t i = 0; i < wire->size(); ++i) {
    if (reliable && i >= 4 && i < 8) {
      require((*wire)[i] == 0);
    } else {
      require((*wire)[i] == data[i]);
    }
  }
  auto again = parse_dcep(*wire);
  require(again.ok());
  DataChannelOpen expected = open;
  if (reliable) expected.reliability_parameter = 0;
  require(std::get<DataChannelOpen>(*again) == expected);
  return 0;
}
