// RFC 4733 telephone-event payloads from the network (parse and a round
// trip), and a scripted run of the event sender (start, poll at arbitrary
// times): durations fit their field, only an event's first packet carries
// the marker, and every event ends with three end packets.
#include <cstddef>
#include <cstdint>

#include "input.h"
#include "require.h"
#include "rtp/telephone_event.h"

using namespace wasmrtc;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const base::ByteView payload = in.take(in.byte() % 16);
  if (auto e = rtp::parse_telephone_event(payload)) {
    const base::Bytes again = rtp::serialize_telephone_event(*e);
    fuzz::require(rtp::parse_telephone_event(again).value() == *e);
  }

  rtp::TelephoneEventSender sender;
  base::Timestamp now = base::Timestamp::from_millis(1000);
  bool open = false;  // an event has begun (marker) and not yet sent its three ends
  int ends = 0;
  while (!in.empty()) {
    const uint8_t op = in.byte();
    if (op & 1) {
      const uint32_t rate = (op & 2) ? 48000 : 8000;
      const auto duration = base::Duration::millis(1 + in.be(2) % 7000);
      const uint8_t event = in.byte() % 16;
      sender.start(now, event, duration, in.be(4), rate);
    } else {
      now += base::Duration::millis(in.be(2) % 3000);
    }
    for (const auto& p : sender.poll(now)) {
      if (p.marker) {
        fuzz::require(!open);
        open = true;
      }
      fuzz::require(open);
      if (p.event.end) {
        if (++ends == rtp::TelephoneEventSender::kEndRepeats) {
          open = false;
          ends = 0;
        }
      } else {
        fuzz::require(ends == 0);
      }
    }
    if (!sender.active() && !sender.poll_timeout()) fuzz::require(!open);
  }
  return 0;
}
