#include "rtp/transport_feedback.h"

#include <algorithm>
#include <array>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::rtp {
namespace {

using base::ByteReader;
using base::ByteWriter;

// 3.1.1 packet status symbols. The symbol of a received packet is also the
// size in bytes of its delta.
constexpr uint8_t kNotReceived = 0;
constexpr uint8_t kSmallDelta = 1;  // 0 .. 255 ticks, one unsigned byte
constexpr uint8_t kLargeDelta = 2;  // -32768 .. 32767 ticks, two signed bytes
constexpr uint8_t kReserved = 3;

constexpr size_t kRunLengthCapacity = 0x1FFF;  // 3.1.3: 13-bit run length
constexpr size_t kOneBitCapacity = 14;         // 3.1.4: S=0, 14 symbols
constexpr size_t kTwoBitCapacity = 7;          // 3.1.4: S=1, 7 symbols

// RTCP header (4), the two SSRCs (8), base/count/reference/fb count (8).
constexpr size_t kFixedBytes = 20;
// The first packet of a feedback is added whatever the budget, so that each
// makes progress: after up to kMaxSequenceSpan - 1 losses (one run-length
// chunk) it takes a chunk and at most a 2-byte delta (256 ticks): 26 bytes,
// 28 padded. The generator's budget is never below that.
constexpr size_t kMinPacketBytes = 28;
static_assert(TransportFeedbackGenerator::kMaxSequenceSpan - 1 <= kRunLengthCapacity);

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}

// To the nearest tick, halves up.
int64_t to_ticks(int64_t us) { return floor_div(us + kTransportFeedbackDeltaUs / 2, kTransportFeedbackDeltaUs); }

// The 24-bit field read as signed: the reference time modulo 2^24 units.
int32_t wrap24(int64_t v) {
  int64_t low = v & 0xFFFFFF;
  if (low >= 0x800000) low -= 0x1000000;
  return static_cast<int32_t>(low);
}

uint8_t symbol_for(int64_t delta_ticks) { return delta_ticks >= 0 && delta_ticks <= 0xFF ? kSmallDelta : kLargeDelta; }

// Turns status symbols into chunks the way libwebrtc does, so our feedback
// has the sizes of its feedback: symbols gather while some chunk can still
// hold them all (7 of anything, 14 without a large delta, 8191 of one
// symbol); when the next one does not fit, a run of one symbol becomes a
// run-length chunk, 14 small/lost ones a one-bit vector, and otherwise the
// first 7 a two-bit vector, the rest staying. The last chunk is a run if it
// can be, else a two-bit vector up to 7 symbols, else a one-bit vector.
class ChunkWriter {
 public:
  struct Mark {
    size_t chunks;
    std::array<uint8_t, kOneBitCapacity> pending;
    size_t size;
    bool all_same;
    bool has_large;
    size_t delta_bytes;
  };

  void add(uint8_t symbol) {
    if (!can_add(symbol)) emit();
    if (size_ == 0) {
      all_same_ = true;
      has_large_ = false;
    } else {
      all_same_ = all_same_ && symbol == pending_[0];
    }
    if (size_ < kOneBitCapacity) pending_[size_] = symbol;
    has_large_ = has_large_ || symbol == kLargeDelta;
    ++size_;
    delta_bytes_ += symbol;
  }

  // All chunks, the pending symbols included.
  std::vector<uint16_t> finish() const {
    std::vector<uint16_t> out = chunks_;
    if (size_ == 0) return out;
    if (all_same_) {
      out.push_back(run_length());
    } else if (size_ <= kTwoBitCapacity) {
      out.push_back(two_bit(size_));
    } else {
      out.push_back(one_bit());
    }
    return out;
  }

  // The RTCP packet these symbols make, padding included.
  size_t packet_bytes() const {
    const size_t bytes = kFixedBytes + 2 * (chunks_.size() + (size_ > 0 ? 1 : 0)) + delta_bytes_;
    return (bytes + 3) & ~size_t{3};
  }

  Mark mark() const { return Mark{chunks_.size(), pending_, size_, all_same_, has_large_, delta_bytes_}; }
  void rollback(const Mark& m) {
    chunks_.resize(m.chunks);
    pending_ = m.pending;
    size_ = m.size;
    all_same_ = m.all_same;
    has_large_ = m.has_large;
    delta_bytes_ = m.delta_bytes;
  }

 private:
  bool can_add(uint8_t symbol) const {
    if (size_ < kTwoBitCapacity) return true;
    if (size_ < kOneBitCapacity && !has_large_ && symbol != kLargeDelta) return true;
    return size_ < kRunLengthCapacity && all_same_ && symbol == pending_[0];
  }

  // Called only when the next symbol does not fit, so size_ >= 7.
  void emit() {
    if (all_same_) {
      chunks_.push_back(run_length());
      size_ = 0;
      return;
    }
    if (size_ == kOneBitCapacity) {
      chunks_.push_back(one_bit());
      size_ = 0;
      return;
    }
    // 7 to 13 mixed symbols: the first 7 as a two-bit vector, the rest stay.
    chunks_.push_back(two_bit(kTwoBitCapacity));
    size_ -= kTwoBitCapacity;
    all_same_ = true;
    has_large_ = false;
    for (size_t i = 0; i < size_; ++i) {
      pending_[i] = pending_[kTwoBitCapacity + i];
      all_same_ = all_same_ && pending_[i] == pending_[0];
      has_large_ = has_large_ || pending_[i] == kLargeDelta;
    }
  }

  // 3.1.3: T=0, S (2 bits), run length (13 bits).
  uint16_t run_length() const { return static_cast<uint16_t>(pending_[0] << 13 | size_); }
  // 3.1.4: T=1, S=0, 14 one-bit symbols, first in the most significant bit.
  uint16_t one_bit() const {
    uint16_t chunk = 0x8000;
    for (size_t i = 0; i < size_; ++i) chunk = static_cast<uint16_t>(chunk | pending_[i] << (kOneBitCapacity - 1 - i));
    return chunk;
  }
  // 3.1.4: T=1, S=1, 7 two-bit symbols.
  uint16_t two_bit(size_t n) const {
    uint16_t chunk = 0xC000;
    for (size_t i = 0; i < n; ++i) chunk = static_cast<uint16_t>(chunk | pending_[i] << 2 * (kTwoBitCapacity - 1 - i));
    return chunk;
  }

  std::vector<uint16_t> chunks_;
  std::array<uint8_t, kOneBitCapacity> pending_{};  // the first symbols (a longer run repeats pending_[0])
  size_t size_ = 0;
  bool all_same_ = true;
  bool has_large_ = false;
  size_t delta_bytes_ = 0;
};

}  // namespace

Result<TransportFeedback> parse_transport_feedback(const Feedback& f) {
  if (f.type != rtcp_type::kTransportFeedback || f.format != kTransportFeedbackFormat) {
    return Unexpected(Error::BadValue);
  }
  ByteReader r(f.fci);
  if (r.remaining() < 8) return Unexpected(Error::Truncated);
  TransportFeedback t;
  t.sender_ssrc = f.sender_ssrc;
  t.media_ssrc = f.media_ssrc;
  t.base_sequence = *r.u16();
  const size_t count = *r.u16();
  t.reference_time = wrap24(*r.u24());
  t.feedback_count = *r.u8();
  if (count == 0) return Unexpected(Error::BadValue);

  // Chunks until they give `count` statuses; the last may hold more, unused.
  std::vector<uint8_t> symbols;
  symbols.reserve(count);
  while (symbols.size() < count) {
    auto chunk = r.u16();
    if (!chunk) return Unexpected(Error::Truncated);
    const uint16_t c = *chunk;
    const size_t left = count - symbols.size();
    if ((c & 0x8000) == 0) {
      const uint8_t symbol = (c >> 13) & 3;
      const size_t run = std::min<size_t>(c & 0x1FFF, left);
      if (run > 0 && symbol == kReserved) return Unexpected(Error::BadValue);
      symbols.insert(symbols.end(), run, symbol);
    } else if ((c & 0x4000) == 0) {
      const size_t n = std::min(kOneBitCapacity, left);
      for (size_t i = 0; i < n; ++i) symbols.push_back((c >> (kOneBitCapacity - 1 - i)) & 1);
    } else {
      const size_t n = std::min(kTwoBitCapacity, left);
      for (size_t i = 0; i < n; ++i) {
        const uint8_t symbol = (c >> 2 * (kTwoBitCapacity - 1 - i)) & 3;
        // libwebrtc rejects the packet too (TransportFeedback::Parse).
        if (symbol == kReserved) return Unexpected(Error::BadValue);
        symbols.push_back(symbol);
      }
    }
  }

  // 3.1.5: each delta from the previous received packet, the first from
  // the reference time.
  t.arrivals_us.reserve(count);
  int64_t ticks = 0;
  for (uint8_t symbol : symbols) {
    if (symbol == kNotReceived) {
      t.arrivals_us.push_back(std::nullopt);
      continue;
    }
    if (symbol == kSmallDelta) {
      auto d = r.u8();
      if (!d) return Unexpected(Error::Truncated);
      ticks += *d;
    } else {
      auto d = r.u16();
      if (!d) return Unexpected(Error::Truncated);
      ticks += static_cast<int16_t>(*d);
    }
    t.arrivals_us.push_back(ticks * kTransportFeedbackDeltaUs);
  }
  return t;
}

Result<Feedback> make_transport_feedback(const TransportFeedback& t) {
  if (t.arrivals_us.empty()) return Unexpected(Error::BadValue);
  if (t.arrivals_us.size() > kTransportFeedbackMaxStatusCount) return Unexpected(Error::TooLarge);
  if (t.reference_time < -0x800000 || t.reference_time > 0x7FFFFF) return Unexpected(Error::TooLarge);

  ChunkWriter chunks;
  ByteWriter deltas;
  int64_t previous = 0;  // ticks
  for (const auto& arrival : t.arrivals_us) {
    if (!arrival) {
      chunks.add(kNotReceived);
      continue;
    }
    if (*arrival % kTransportFeedbackDeltaUs != 0) return Unexpected(Error::BadValue);
    const int64_t ticks = *arrival / kTransportFeedbackDeltaUs;
    const int64_t delta = ticks - previous;
    if (delta < INT16_MIN || delta > INT16_MAX) return Unexpected(Error::TooLarge);
    const uint8_t symbol = symbol_for(delta);
    chunks.add(symbol);
    if (symbol == kSmallDelta) {
      deltas.u8(static_cast<uint8_t>(delta));
    } else {
      deltas.u16(static_cast<uint16_t>(static_cast<int16_t>(delta)));
    }
    previous = ticks;
  }

  ByteWriter w;
  w.u16(t.base_sequence);
  w.u16(static_cast<uint16_t>(t.arrivals_us.size()));
  w.u24(static_cast<uint32_t>(t.reference_time) & 0xFFFFFF);
  w.u8(t.feedback_count);
  for (uint16_t chunk : chunks.finish()) w.u16(chunk);
  w.bytes(deltas.view());
  w.zeros((4 - w.size() % 4) % 4);  // 3.1: zero padding to 32 bits
  return Feedback{rtcp_type::kTransportFeedback, kTransportFeedbackFormat, t.sender_ssrc, t.media_ssrc, w.take()};
}

TransportFeedbackGenerator::TransportFeedbackGenerator(size_t max_packet_bytes)
    : max_packet_bytes_(std::max<size_t>(max_packet_bytes, kMinPacketBytes)) {}

// The nearest 64-bit value to the highest seen (RFC 3550 A.1 style).
int64_t TransportFeedbackGenerator::unwrap(uint16_t sequence) {
  if (!highest_) return sequence;
  const auto delta = static_cast<int16_t>(static_cast<uint16_t>(sequence - static_cast<uint16_t>(*highest_)));
  return *highest_ + delta;
}

void TransportFeedbackGenerator::drop_front(int64_t new_begin) {
  while (!history_.empty() && begin_ < new_begin) {
    history_.pop_front();
    ++begin_;
  }
  begin_ = std::max(begin_, new_begin);
  floor_ = std::max(floor_, begin_);
  next_to_report_ = std::max(next_to_report_, begin_);
}

void TransportFeedbackGenerator::prune(int64_t newest_us) {
  // Only what was reported goes: the rest still has to be.
  const int64_t limit = newest_us - kHistory.us();
  int64_t new_begin = begin_;
  for (const Entry& e : history_) {
    if (new_begin >= next_to_report_ || e.time_us >= limit) break;
    ++new_begin;
  }
  if (new_begin > begin_) drop_front(new_begin);
}

void TransportFeedbackGenerator::on_packet(base::Timestamp arrival, uint16_t transport_sequence) {
  const int64_t t = arrival.us();
  const int64_t s = unwrap(transport_sequence);
  if (!highest_) {
    highest_ = s;
    begin_ = s;
    next_to_report_ = s;
    history_.push_back({t, true});
    newest_us_ = t;
    return;
  }
  if (s < floor_) return;  // forgotten already: reporting it would need its neighbours
  if (s > *highest_) {
    if (s - begin_ >= kMaxSequenceSpan) drop_front(s - kMaxSequenceSpan + 1);
    while (begin_ + static_cast<int64_t>(history_.size()) < s) history_.push_back({t, false});
    history_.push_back({t, true});
    highest_ = s;
  } else if (s >= begin_) {
    Entry& e = history_[static_cast<size_t>(s - begin_)];
    if (e.received) return;  // a duplicate: the first arrival counts
    e = {t, true};
  } else {
    if (*highest_ - s >= kMaxSequenceSpan) return;
    while (begin_ > s + 1) {
      history_.push_front({t, false});
      --begin_;
    }
    history_.push_front({t, true});
    --begin_;
  }
  // A packet already reported as lost: the next feedback starts again from it.
  next_to_report_ = std::min(next_to_report_, s);
  newest_us_ = std::max(newest_us_, t);
  prune(newest_us_);
}

bool TransportFeedbackGenerator::has_pending() const { return highest_ && next_to_report_ <= *highest_; }

std::vector<TransportFeedback> TransportFeedbackGenerator::build(uint32_t sender_ssrc, uint32_t media_ssrc) {
  std::vector<TransportFeedback> out;
  while (has_pending()) {
    // next_to_report_ >= begin_, and the last entry (highest_) is received.
    const size_t start = static_cast<size_t>(next_to_report_ - begin_);
    size_t first = start;
    while (!history_[first].received) ++first;
    const int64_t reference = floor_div(history_[first].time_us, kTransportFeedbackReferenceUs);
    const int64_t reference_us = reference * kTransportFeedbackReferenceUs;

    TransportFeedback fb;
    fb.sender_ssrc = sender_ssrc;
    fb.media_ssrc = media_ssrc;
    fb.base_sequence = static_cast<uint16_t>(next_to_report_);
    fb.feedback_count = feedback_count_++;
    fb.reference_time = wrap24(reference);

    ChunkWriter chunks;
    int64_t previous = 0;  // ticks
    size_t gaps = 0;       // lost since the last received one added
    int64_t end = next_to_report_;
    for (size_t i = start; i < history_.size(); ++i) {
      const Entry& e = history_[i];
      if (!e.received) {
        ++gaps;
        continue;
      }
      const int64_t ticks = to_ticks(e.time_us - reference_us);
      const int64_t delta = ticks - previous;
      // The first received packet always fits (0 .. 256 ticks), so each
      // feedback makes progress.
      if (delta < INT16_MIN || delta > INT16_MAX) break;
      if (fb.arrivals_us.size() + gaps + 1 > kTransportFeedbackMaxStatusCount) break;
      const auto mark = chunks.mark();
      for (size_t g = 0; g < gaps; ++g) chunks.add(kNotReceived);
      chunks.add(symbol_for(delta));
      if (chunks.packet_bytes() > max_packet_bytes_ && !fb.arrivals_us.empty()) {
        chunks.rollback(mark);
        break;
      }
      fb.arrivals_us.insert(fb.arrivals_us.end(), gaps, std::nullopt);
      fb.arrivals_us.push_back(ticks * kTransportFeedbackDeltaUs);
      gaps = 0;
      previous = ticks;
      end = begin_ + static_cast<int64_t>(i) + 1;
    }
    next_to_report_ = end;
    out.push_back(std::move(fb));
  }
  return out;
}

}  // namespace wasmrtc::rtp
