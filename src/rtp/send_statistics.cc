#include "rtp/send_statistics.h"

#include <algorithm>

namespace wasmrtc::rtp {

SentPacket SentPacket::of(const RtpPacket& p, size_t wire_size, base::Timestamp capture_time,
                          bool retransmission) {
  SentPacket s;
  s.rtp_timestamp = p.timestamp;
  s.capture_time = capture_time;
  s.payload_bytes = p.payload.size();
  s.sequence_number = p.sequence_number;
  s.header_bytes = wire_size > s.payload_bytes ? wire_size - s.payload_bytes : 0;
  s.retransmission = retransmission;
  return s;
}

SendStream::SendStream(uint32_t ssrc, uint32_t clock_rate)
    : ssrc_(ssrc), clock_rate_(clock_rate == 0 ? 1 : clock_rate) {}

void SendStream::on_rtp_sent(base::Timestamp now, const SentPacket& packet) {
  ++packets_sent_;
  payload_bytes_ += packet.payload_bytes;
  header_bytes_ += packet.header_bytes;
  last_sent_ = now;
  sent_in_interval_ = true;
  if (packet.retransmission) {
    // W3C retransmittedBytesSent counts payload bytes, like bytesSent.
    ++retransmitted_packets_;
    retransmitted_bytes_ += packet.payload_bytes;
    return;  // an old timestamp: not a clock anchor
  }
  anchor_ = Anchor{packet.rtp_timestamp, packet.capture_time};
  if (!first_sequence_) first_sequence_ = packet.sequence_number;
}

std::optional<uint32_t> SendStream::rtp_timestamp_at(base::Timestamp now) const {
  if (!anchor_) return std::nullopt;
  return anchor_->rtp_timestamp + rtp_ticks(now - anchor_->capture_time, clock_rate_);
}

// RFC 3550 6.4.1, sender info: NTP and RTP timestamps of the same instant,
// then the sender's packet and octet counts (payload octets only, both
// wrapping modulo 2^32).
SenderReport SendStream::sender_report(base::Timestamp now, NtpTime ntp_now) const {
  SenderReport sr;
  sr.ssrc = ssrc_;
  sr.ntp_timestamp = ntp_now.value();
  sr.rtp_timestamp = rtp_timestamp_at(now).value_or(0);
  sr.packet_count = static_cast<uint32_t>(packets_sent_);
  sr.octet_count = static_cast<uint32_t>(payload_bytes_);
  return sr;
}

void SendStream::on_report_sent() {
  sent_in_previous_interval_ = sent_in_interval_;
  sent_in_interval_ = false;
}

bool SendStream::on_report_block(const ReportBlock& block, NtpTime arrival_ntp, base::Timestamp arrival) {
  if (block.ssrc != ssrc_) return false;
  ++remote_.reports_received;
  remote_.last_report = arrival;
  remote_.fraction_lost = block.fraction_lost / 256.0;
  remote_.packets_lost = block.cumulative_lost;
  remote_.jitter = static_cast<double>(block.jitter) / clock_rate_;
  remote_.extended_highest_sequence = block.extended_highest_sequence;
  if (first_sequence_) {
    // The remote's extension starts with 0 cycles (RFC 3550 A.1), ours too.
    const int64_t expected = static_cast<int64_t>(block.extended_highest_sequence) - *first_sequence_ + 1;
    remote_.packets_received = static_cast<uint64_t>(std::max<int64_t>(0, expected - block.cumulative_lost));
  }
  // RFC 3550 6.4.1: RTT = A - LSR - DLSR in 1/65536 s, A being the arrival
  // time in the same compact NTP form. LSR 0 means "no SR received yet".
  // Arithmetic is modulo 2^32 (the compact form wraps every 18 hours); a
  // result that comes out negative (DLSR rounding, a bogus LSR) counts as 0.
  if (block.last_sr != 0) {
    const uint32_t rtt_compact = arrival_ntp.compact() - block.last_sr - block.delay_since_last_sr;
    const int32_t signed_rtt = static_cast<int32_t>(rtt_compact);
    const double rtt = signed_rtt > 0 ? signed_rtt / 65536.0 : 0.0;
    remote_.round_trip_time = rtt;
    remote_.total_round_trip_time += rtt;
    ++remote_.round_trip_time_measurements;
  }
  return true;
}

}  // namespace wasmrtc::rtp
