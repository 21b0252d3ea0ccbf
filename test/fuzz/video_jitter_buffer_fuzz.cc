// libFuzzer target for the video jitter buffer (src/media): the input is a
// program of inserts (arbitrary sequence numbers, timestamps, markers,
// payloads, retransmission flags, or whole VP8 frames from the packetizer
// with a loss pattern), clock advances, RTT changes, pops, NACK and
// keyframe-request takes and decoder failures. Properties: no crash; frames
// come out with strictly increasing extended timestamps, whole (a keyframe
// starts with P = 0); the memory bounds hold; no NACKs without NACK and no
// sequence number twice in one list; keyframe requests are rate limited;
// counters only grow; and after draining at deadline() nothing is still due
// (the deadline moves past now).
//
// Format: byte 0 is the config (bit 0: NACK; bit 1: small memory bounds;
// bit 2: 2 NACK retries with a long wait); then operations, an opcode byte
// and its operands:
//   op % 8 == 0  insert one packet:
//                seq: op bit 3 ? 2 bytes : seq + (int8) byte
//                ts:  op bit 4 ? 4 bytes : ts + (int8) byte * 750
//                marker: op bit 5; retransmission: op bit 6
//                payload: op bit 7 ? a VP8 descriptor from one byte (S, N,
//                picture id) + P bit + byte % 32 bytes : byte % 48 raw bytes
//   op % 8 == 1  a VP8 frame (keyframe: op bit 3) of byte * 4 + 1 bytes cut
//                into payloads of byte % 64 + 8 bytes; loss mask byte (bit i
//                drops packet i % 8); op bit 4 sends it backwards, bit 5
//                marks the packets as retransmissions
//   op % 8 == 2  now += byte % 64 ms
//   op % 8 == 3  now += byte * 8 ms
//   op % 8 == 4  set_rtt(byte * 4 ms)
//   op % 8 == 5  drain: pop until nothing, take_nacks, take_keyframe_request
//   op % 8 == 6  on_decode_failure
//   op % 8 == 7  advance to deadline() (if later), drain
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

#include "media/video_jitter_buffer.h"
#include "input.h"
#include "require.h"
#include "rtp/vp8_payload.h"

namespace {

using namespace wasmrtc;
using fuzz::Input;
using fuzz::require;


class Harness {
 public:
  explicit Harness(const media::VideoJitterBufferConfig& config) : jb_(config), config_(config) {}

  void insert(uint16_t seq, uint32_t ts, bool marker, base::ByteView payload, bool rtx) {
    jb_.insert(now(), seq, ts, marker, payload, rtx);
    ++inserted_;
    check();
  }

  void advance(int64_t ms) { now_ms_ += ms; }

  void advance_to_deadline() {
    const auto d = jb_.deadline();
    if (d.is_set() && d.value() > now()) now_ms_ = d.value().us() / 1000 + (d.value().us() % 1000 != 0);
    drain();
    // Everything due was done: the next wake-up is later (or none).
    const auto after = jb_.deadline();
    require(!after.is_set() || after.value() > now());
  }

  void set_rtt(int64_t ms) {
    jb_.set_rtt(base::Duration::millis(ms));
    check();
  }

  void decode_failure() {
    jb_.on_decode_failure(now());
    check();
  }

  // Calls everything until nothing more comes out at this time.
  void drain() {
    for (int round = 0;; ++round) {
      require(round < 10000);
      bool any = false;
      while (auto f = jb_.pop(now())) {
        any = true;
        require(!last_ts_ || f->extended_timestamp > *last_ts_);
        last_ts_ = f->extended_timestamp;
        require(static_cast<uint32_t>(f->extended_timestamp) == f->rtp_timestamp);
        require(!f->data.empty());
        require(!f->keyframe || (f->data[0] & 1) == 0);
        require(f->packets >= 1 && f->retransmitted_packets <= f->packets);
        require(static_cast<uint16_t>(f->last_sequence_number - f->first_sequence_number + 1) ==
                static_cast<uint16_t>(f->packets));
        require(f->first_packet <= f->last_packet);
        check();
      }
      const auto nacks = jb_.take_nacks(now());
      require(config_.nack || nacks.empty());
      require(std::set<uint16_t>(nacks.begin(), nacks.end()).size() == nacks.size());
      any = any || !nacks.empty();
      if (jb_.take_keyframe_request(now())) {
        require(!last_pli_ || now() - *last_pli_ >= config_.min_keyframe_request_interval);
        last_pli_ = now();
        any = true;
      }
      check();
      if (!any) break;
    }
  }

  void check() {
    require(jb_.frames_buffered() <= config_.max_frames);
    require(jb_.packets_buffered() <= config_.max_packets);
    require(jb_.largest_frame_packets() <= config_.max_packets_per_frame);
    require(jb_.missing_count() <= config_.max_missing);
    const auto& s = jb_.stats();
    require(s.packets_received == inserted_);
    require(s.packets_duplicated + s.packets_too_late + s.packets_invalid + s.packets_padding +
                s.packets_discarded <= s.packets_received);
    require(s.packets_retransmitted <= s.packets_received);
    require(s.keyframes_assembled <= s.frames_assembled);
    // Counters only grow.
    const uint64_t now_counts[] = {s.frames_assembled, s.frames_dropped, s.nack_requests, s.nack_packets,
                                   s.keyframe_requests, s.stream_restarts, s.packets_too_late};
    for (size_t i = 0; i < std::size(now_counts); ++i) {
      require(now_counts[i] >= counts_[i]);
      counts_[i] = now_counts[i];
    }
    require(s.nack_packets <= s.nack_requests);
  }

  base::Timestamp now() const { return base::Timestamp::from_millis(now_ms_); }

 private:
  media::VideoJitterBuffer jb_;
  media::VideoJitterBufferConfig config_;
  int64_t now_ms_ = 1000;
  uint64_t inserted_ = 0;
  std::optional<int64_t> last_ts_;
  std::optional<base::Timestamp> last_pli_;
  uint64_t counts_[7] = {};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const uint8_t setup = in.byte();
  media::VideoJitterBufferConfig config;
  config.nack = setup & 1;
  if (setup & 2) {
    config.max_frames = 8;
    config.max_packets_per_frame = 16;
    config.max_packets = 40;
    config.max_missing = 20;
  }
  if (setup & 4) {
    config.max_nack_retries = 2;
    config.min_wait = base::Duration::seconds(2);
    config.max_wait = base::Duration::seconds(2);
  }
  Harness h(config);
  rtp::Vp8Packetizer packetizer(static_cast<uint16_t>(setup * 131));

  uint16_t seq = static_cast<uint16_t>(setup * 257);
  uint32_t ts = static_cast<uint32_t>(setup) * 0x01010101u;
  while (!in.empty()) {
    const uint8_t op = in.byte();
    switch (op % 8) {
      case 0: {
        seq = (op & 8) ? static_cast<uint16_t>(in.be(2)) : static_cast<uint16_t>(seq + static_cast<int8_t>(in.byte()));
        ts = (op & 16) ? in.be(4) : ts + static_cast<uint32_t>(static_cast<int8_t>(in.byte()) * 750);
        base::Bytes payload;
        if (op & 128) {
          const uint8_t d = in.byte();
          rtp::Vp8Descriptor desc;
          desc.start_of_partition = d & 1;
          desc.non_reference = d & 2;
          if (d & 4) desc.picture_id = static_cast<uint16_t>(d >> 3);
          payload = *rtp::serialize_vp8_descriptor(desc);
          const size_t n = in.byte() % 32;
          for (size_t i = 0; i < n; ++i) payload.push_back(static_cast<uint8_t>(i == 0 ? (d >> 7) : i));
        } else {
          const auto raw = in.take(in.byte() % 48);
          payload.assign(raw.begin(), raw.end());
        }
        h.insert(seq, ts, op & 32, payload, op & 64);
        break;
      }
      case 1: {
        base::Bytes frame(static_cast<size_t>(in.byte()) * 4 + 1);
        for (size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<uint8_t>(i * 13 + 1);
        frame[0] = (op & 8) ? 0x10 : 0x11;  // P bit (RFC 7741 4.3)
        const size_t max_payload = in.byte() % 64 + 8;
        const uint8_t loss = in.byte();
        auto payloads = packetizer.packetize(frame, max_payload);
        require(payloads.ok());
        ts += 3000;
        std::vector<size_t> order;
        for (size_t i = 0; i < payloads->size(); ++i) order.push_back(i);
        if (op & 16) std::reverse(order.begin(), order.end());
        for (size_t i : order) {
          if (loss >> (i % 8) & 1) continue;
          h.insert(static_cast<uint16_t>(seq + 1 + i), ts, i + 1 == payloads->size(), (*payloads)[i], op & 32);
        }
        seq = static_cast<uint16_t>(seq + payloads->size());
        break;
      }
      case 2:
        h.advance(in.byte() % 64);
        break;
      case 3:
        h.advance(in.byte() * 8);
        break;
      case 4:
        h.set_rtt(in.byte() * 4);
        break;
      case 5:
        h.drain();
        break;
      case 6:
        h.decode_failure();
        break;
      case 7:
        h.advance_to_deadline();
        break;
    }
  }
  // Let the rest play out: a few wake-ups, each one later than the last.
  for (int i = 0; i < 50; ++i) h.advance_to_deadline();
  return 0;
}
