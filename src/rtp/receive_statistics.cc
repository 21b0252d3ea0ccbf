#include "rtp/receive_statistics.h"

#include <algorithm>
#include <cstdlib>

namespace wasmrtc::rtp {
namespace {

constexpr uint32_t kSeqMod = 1u << 16;  // RTP_SEQ_MOD

}  // namespace

ReceivedPacket ReceivedPacket::of(const RtpPacket& p, size_t wire_size) {
  ReceivedPacket r;
  r.sequence_number = p.sequence_number;
  r.rtp_timestamp = p.timestamp;
  r.payload_bytes = p.payload.size();
  // Everything that is not payload: header, CSRCs, extensions, padding.
  r.header_bytes = wire_size > r.payload_bytes ? wire_size - r.payload_bytes : 0;
  return r;
}

ReceiveStream::ReceiveStream(uint32_t ssrc, uint32_t clock_rate)
    : ssrc_(ssrc), clock_rate_(clock_rate == 0 ? 1 : clock_rate) {}

// Appendix A.1 init_seq(): a new sequence number space (first validation or
// a restart). The counts of RFC 3550 restart; the W3C totals do not.
void ReceiveStream::init_seq(uint16_t seq) {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
  seen_.reset();
}

void ReceiveStream::count(const ReceivedPacket& packet) {
  ++received_;
  ++packets_received_;
  header_bytes_ += packet.header_bytes;
  payload_bytes_ += packet.payload_bytes;
  received_since_report_ = true;
}

void ReceiveStream::credit_pending() {
  received_ += pending_.packets;
  packets_received_ += pending_.packets;
  header_bytes_ += pending_.header_bytes;
  payload_bytes_ += pending_.payload_bytes;
  pending_ = {};
}

bool ReceiveStream::seen_before(int64_t ext_seq, bool advances) {
  // ext_seq may be negative (a probation run across the wrap).
  const size_t bit = static_cast<size_t>(((ext_seq % kDuplicateWindow) + kDuplicateWindow) % kDuplicateWindow);
  if (advances) {
    seen_.set(bit);
    return false;
  }
  const int64_t highest = static_cast<int64_t>(extended_highest_sequence());
  if (ext_seq < base_seq_ || highest - ext_seq >= kDuplicateWindow) return false;  // too old to tell
  if (seen_.test(bit)) return true;
  seen_.set(bit);
  return false;
}

bool ReceiveStream::on_rtp(base::Timestamp arrival, const ReceivedPacket& packet) {
  const uint16_t seq = packet.sequence_number;
  last_arrival_ = arrival;

  if (!valid_) {
    // Appendix A.1: a source is valid after kMinSequential packets in
    // sequence. The first packet of a new source counts as "in sequence"
    // (A.1 starts with max_seq = seq - 1).
    if (pending_.packets > 0 && seq == static_cast<uint16_t>(max_seq_ + 1)) {
      --probation_;
    } else {
      probation_ = kMinSequential - 1;
      pending_ = {};
    }
    max_seq_ = seq;
    if (probation_ > 0) {
      ++pending_.packets;
      pending_.header_bytes += packet.header_bytes;
      pending_.payload_bytes += packet.payload_bytes;
      return false;
    }
    // Validated: the run of sequential packets starts the sequence space.
    valid_ = true;
    init_seq(seq);
    base_seq_ = static_cast<int64_t>(seq) - static_cast<int64_t>(pending_.packets);
    for (int64_t s = base_seq_; s < seq; ++s) seen_before(s, true);
    credit_pending();
    count(packet);
    seen_before(seq, true);
    update_jitter(arrival, packet.rtp_timestamp);
    return true;
  }

  const uint16_t udelta = static_cast<uint16_t>(seq - max_seq_);
  const int64_t old_highest = static_cast<int64_t>(extended_highest_sequence());
  if (udelta < kMaxDropout) {
    // In order, with a permissible gap (or a copy of the highest: udelta 0).
    if (seq < max_seq_) cycles_ += kSeqMod;  // wrapped
    max_seq_ = seq;
    const int64_t ext = static_cast<int64_t>(extended_highest_sequence());
    if (udelta == 0) {
      ++duplicates_;
      count(packet);
      return true;
    }
    for (int64_t s = old_highest + 1; s < ext && s - old_highest <= kDuplicateWindow; ++s) {
      seen_.reset(static_cast<size_t>(s % kDuplicateWindow));  // s > 0 here
    }
    seen_before(ext, true);
  } else if (udelta <= kSeqMod - kMaxMisorder) {
    // A very large jump. Appendix A.1: if two sequential packets arrive
    // after it, the sender restarted; otherwise the packet is ignored.
    if (seq == bad_seq_) {
      init_seq(seq);
      base_seq_ = static_cast<int64_t>(seq) - static_cast<int64_t>(pending_.packets);
      for (int64_t s = base_seq_; s < seq; ++s) seen_before(s, true);
      seen_before(seq, true);
      credit_pending();
      transit_.reset();  // a new timeline, most likely
    } else {
      bad_seq_ = (uint32_t{seq} + 1) & (kSeqMod - 1);
      pending_ = {1, packet.header_bytes, packet.payload_bytes};
      return false;
    }
  } else {
    // Duplicate or reordered (within kMaxMisorder behind the highest).
    int64_t ext = static_cast<int64_t>(cycles_) + seq;
    if (seq > max_seq_) ext -= kSeqMod;  // from the previous cycle
    if (seen_before(ext, false)) {
      ++duplicates_;
      count(packet);  // A.1 counts it: cumulative loss can go negative
      return true;
    }
  }
  count(packet);
  update_jitter(arrival, packet.rtp_timestamp);
  return true;
}

uint32_t ReceiveStream::arrival_rtp(base::Timestamp arrival) const {
  return rtp_ticks(arrival - *first_arrival_, clock_rate_);
}

// Appendix A.8: J += (|D(i-1,i)| - J) / 16, in integer form with J scaled
// by 16. Transit times are taken modulo 2^32 so timestamp wrap-around and
// the arbitrary offset between the two clocks cancel out.
void ReceiveStream::update_jitter(base::Timestamp arrival, uint32_t rtp_timestamp) {
  if (!first_arrival_) first_arrival_ = arrival;
  const uint32_t transit = arrival_rtp(arrival) - rtp_timestamp;
  if (transit_) {
    const int32_t d = static_cast<int32_t>(transit - *transit_);
    const int64_t magnitude = std::abs(static_cast<int64_t>(d));
    const uint64_t decay = (jitter_q4_ + 8) >> 4;  // never more than jitter_q4_
    jitter_q4_ = jitter_q4_ + static_cast<uint64_t>(magnitude) - decay;
  }
  transit_ = transit;
}

uint32_t ReceiveStream::jitter() const {
  return static_cast<uint32_t>(std::min<uint64_t>(jitter_q4_ >> 4, UINT32_MAX));
}

int64_t ReceiveStream::expected() const {
  if (!valid_) return 0;
  return static_cast<int64_t>(extended_highest_sequence()) - base_seq_ + 1;
}

void ReceiveStream::on_sender_report(base::Timestamp arrival, const SenderReport& sr) {
  if (sr.ssrc != ssrc_) return;
  last_sr_ = LastSenderReport{NtpTime(sr.ntp_timestamp), sr.rtp_timestamp, sr.packet_count,
                              sr.octet_count, arrival};
  ++sender_reports_;
}

std::optional<ReportBlock> ReceiveStream::report_block(base::Timestamp now) {
  if (!valid_) return std::nullopt;
  ReportBlock b;
  b.ssrc = ssrc_;
  // Appendix A.3.
  const int64_t expected_total = expected();
  const int64_t lost = expected_total - static_cast<int64_t>(received_);
  // Section 6.4.1: 24-bit signed, saturating.
  b.cumulative_lost = static_cast<int32_t>(std::clamp<int64_t>(lost, -0x800000, 0x7FFFFF));
  const int64_t expected_interval = expected_total - expected_prior_;
  expected_prior_ = expected_total;
  const int64_t received_interval = static_cast<int64_t>(received_ - received_prior_);
  received_prior_ = received_;
  const int64_t lost_interval = expected_interval - received_interval;
  if (expected_interval > 0 && lost_interval > 0) {
    b.fraction_lost = static_cast<uint8_t>(std::min<int64_t>((lost_interval << 8) / expected_interval, 255));
  }
  b.extended_highest_sequence = extended_highest_sequence();
  b.jitter = jitter();
  // Section 6.4.1: LSR and DLSR are zero until an SR has arrived.
  if (last_sr_) {
    b.last_sr = last_sr_->ntp.compact();
    b.delay_since_last_sr = duration_to_compact_ntp(now - last_sr_->arrival);
  }
  received_since_report_ = false;
  return b;
}

ReceiveStream& ReceiveStatistics::stream(uint32_t ssrc, uint32_t clock_rate) {
  auto it = streams_.find(ssrc);
  if (it == streams_.end()) it = streams_.emplace(ssrc, ReceiveStream(ssrc, clock_rate)).first;
  return it->second;
}

ReceiveStream* ReceiveStatistics::find(uint32_t ssrc) {
  auto it = streams_.find(ssrc);
  return it == streams_.end() ? nullptr : &it->second;
}

const ReceiveStream* ReceiveStatistics::find(uint32_t ssrc) const {
  auto it = streams_.find(ssrc);
  return it == streams_.end() ? nullptr : &it->second;
}

bool ReceiveStatistics::on_sender_report(base::Timestamp arrival, const SenderReport& sr) {
  ReceiveStream* s = find(sr.ssrc);
  if (!s) return false;
  s->on_sender_report(arrival, sr);
  return true;
}

std::vector<ReportBlock> ReceiveStatistics::report_blocks(base::Timestamp now) {
  std::vector<ReportBlock> out;
  for (auto& [ssrc, s] : streams_) {
    if (!s.received_since_last_report()) continue;
    if (auto b = s.report_block(now)) out.push_back(*b);
  }
  return out;
}

}  // namespace wasmrtc::rtp
