// libFuzzer target for transport-wide congestion control feedback
// (src/rtp/transport_feedback.h, draft-holmer-rmcat-transport-wide-cc-
// extensions-01 3.1). Properties:
// - the input as an FCI: no crash; when it parses, make_transport_feedback
//   of the result succeeds and parses back to the same value, directly and
//   through serialize_rtcp/parse_rtcp, and making it again gives the same
//   bytes;
// - the input as a run of packets (sequence steps, arrival steps, builds)
//   for TransportFeedbackGenerator: every feedback round-trips, fits the
//   byte budget and ends on a received packet; a packet reported received
//   arrived, at the reported time to within half a tick; one reported lost
//   had not arrived; nothing is pending after build(); the history stays
//   within its bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>

#include "require.h"
#include "rtp/transport_feedback.h"

namespace {

using namespace wasmrtc;
using fuzz::require;

void check_round_trip(const rtp::TransportFeedback& t) {
  auto made = rtp::make_transport_feedback(t);
  require(made.ok());
  require(made->fci.size() % 4 == 0);
  auto back = rtp::parse_transport_feedback(*made);
  require(back.ok() && *back == t);
  auto wire = rtp::serialize_rtcp({*made});
  require(wire.ok());
  auto packets = rtp::parse_rtcp(*wire);
  require(packets.ok() && packets->size() == 1);
  const auto* f = std::get_if<rtp::Feedback>(&packets->front());
  require(f != nullptr && *f == *made);
  auto again = rtp::make_transport_feedback(*back);
  require(again.ok() && again->fci == made->fci);
}

void parse_fci(const uint8_t* data, size_t size) {
  rtp::Feedback f{rtp::rtcp_type::kTransportFeedback, rtp::kTransportFeedbackFormat, 0x01020304, 0x05060708,
                  base::Bytes(data, data + size)};
  auto t = rtp::parse_transport_feedback(f);
  if (!t) return;
  require(!t->arrivals_us.empty() && t->arrivals_us.size() <= rtp::kTransportFeedbackMaxStatusCount);
  check_round_trip(*t);
}

void run_generator(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const size_t budget = 28 + size_t{data[0]} * 8;
  rtp::TransportFeedbackGenerator gen(budget);
  std::map<int64_t, int64_t> first_arrival;  // sequence (as we count it) -> us
  int64_t highest = 0x10000 - 40;             // wraps early
  int64_t now = 0;
  bool started = false;

  auto build = [&] {
    for (const auto& t : gen.build(7, 9)) {
      check_round_trip(t);
      require(rtp::make_transport_feedback(t)->fci.size() + 12 <= budget);
      require(t.arrivals_us.back().has_value());
      // The base as we count it: within half the sequence space of highest.
      const int64_t base =
          highest + static_cast<int16_t>(static_cast<uint16_t>(t.base_sequence - static_cast<uint16_t>(highest)));
      for (size_t k = 0; k < t.arrivals_us.size(); ++k) {
        auto it = first_arrival.find(base + static_cast<int64_t>(k));
        if (!t.arrivals_us[k]) {
          require(it == first_arrival.end());
          continue;
        }
        require(it != first_arrival.end());
        const int64_t error = t.reference_time * int64_t{64000} + *t.arrivals_us[k] - it->second;
        require(error >= -125 && error <= 125);
      }
    }
    require(!gen.has_pending());
  };

  for (size_t i = 1; i + 1 < size; i += 2) {
    const uint8_t a = data[i];
    const uint8_t b = data[i + 1];
    if (a == 0xFF) {
      build();
      continue;
    }
    // Sequence: -8 .. +31 around the highest (reordering, duplicates, gaps).
    const int64_t s = started ? highest + static_cast<int64_t>(a % 40) - 8 : highest;
    started = true;
    highest = std::max(highest, s);
    // Arrival: steps of 0 .. 31.75 ms, or pauses up to 12.7 s.
    now += (b & 0x80) ? int64_t{b & 0x7F} * 100000 : int64_t{b} * 250 + (a & 3) * 37;
    gen.on_packet(base::Timestamp::from_micros(now), static_cast<uint16_t>(s));
    first_arrival.emplace(s, now);
    require(gen.history_size() <= static_cast<size_t>(rtp::TransportFeedbackGenerator::kMaxSequenceSpan));
  }
  build();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parse_fci(data, size);
  run_generator(data, size);
  return 0;
}
