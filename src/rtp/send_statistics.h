// Send-side statistics of one local RTP source (RFC 3550 section 6.4.1):
// the counts a Sender Report carries, the RTP timestamp for "now", and what
// the remote side's report blocks about this source say (round-trip time,
// loss, jitter: W3C RTCOutboundRtpStreamStats and
// RTCRemoteInboundRtpStreamStats).
//
//   rtp::SendStream tx(ssrc, 90000);
//   tx.on_rtp_sent(now, rtp::SentPacket::of(packet, size, capture_time));
//   rtp::SenderReport sr = tx.sender_report(now, rtp::NtpTime::from_unix_micros(wall_us));
//   tx.on_report_block(block, rtp::NtpTime::from_unix_micros(wall_us), now);
//
// Sans-IO: both `now` (a base::Timestamp) and the NTP wall clock come from
// the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/time.h"
#include "rtp/ntp.h"
#include "rtp/packet.h"
#include "rtp/rtcp.h"

namespace wasmrtc::rtp {

struct SentPacket {
  uint32_t rtp_timestamp = 0;
  // When the media sampled at rtp_timestamp was captured: anchors the RTP
  // clock for Sender Reports (retransmissions are not used as anchors).
  base::Timestamp capture_time;
  size_t header_bytes = 0;   // fixed header, CSRCs, extension block and padding
  size_t payload_bytes = 0;  // RFC 3550 6.4.1 "payload octets"
  bool retransmission = false;
  uint16_t sequence_number = 0;

  // From a packet and its size on the wire (before SRTP protect).
  static SentPacket of(const RtpPacket& p, size_t wire_size, base::Timestamp capture_time,
                       bool retransmission = false);
};

// What the remote receiver reports about this source (W3C
// RTCRemoteInboundRtpStreamStats).
struct RemoteInboundStats {
  std::optional<double> round_trip_time;  // seconds, the latest measurement
  double total_round_trip_time = 0;       // seconds, sum of all measurements
  uint64_t round_trip_time_measurements = 0;
  double fraction_lost = 0;               // 0..1, over the remote's last interval
  int64_t packets_lost = 0;               // cumulative, may be negative
  double jitter = 0;                      // seconds
  uint32_t extended_highest_sequence = 0;
  // W3C packetsReceived: RFC 3550 A.3's "expected" (the extended highest
  // sequence number less the first one we sent, plus one) less the
  // cumulative number lost. The remote counts from the first packet it
  // got, so packets lost before that one count here as received.
  uint64_t packets_received = 0;
  uint64_t reports_received = 0;
  std::optional<base::Timestamp> last_report;
};

class SendStream {
 public:
  // `clock_rate`: RTP timestamp rate in Hz (0 is taken as 1).
  SendStream(uint32_t ssrc, uint32_t clock_rate);

  void on_rtp_sent(base::Timestamp now, const SentPacket& packet);

  // The RTP timestamp that corresponds to `now`: the last original packet's
  // timestamp advanced by (now - its capture time) at the clock rate
  // (RFC 3550 6.4.1: "the same time as the NTP timestamp ... but in the
  // same units and with the same random offset as the RTP timestamps").
  // nullopt before the first original packet.
  std::optional<uint32_t> rtp_timestamp_at(base::Timestamp now) const;

  // RFC 3550 6.4.1 sender info for an SR sent at `now` (wall clock
  // `ntp_now`), without report blocks. Counts wrap modulo 2^32.
  SenderReport sender_report(base::Timestamp now, NtpTime ntp_now) const;

  // RFC 3550 6.4: an SR (rather than an RR) is sent if this source sent
  // data since the report before last.
  bool should_send_sender_report() const { return sent_in_interval_ || sent_in_previous_interval_; }
  // Call once per compound report sent (build_compound_report does).
  void on_report_sent();

  // RFC 3550 6.4.1 about a report block whose `ssrc` is ours, received at
  // wall clock `arrival_ntp` (and `arrival`): round-trip time
  // A - LSR - DLSR when LSR is set, loss and jitter. False (and ignored)
  // when the block is about another source.
  bool on_report_block(const ReportBlock& block, NtpTime arrival_ntp, base::Timestamp arrival);

  uint32_t ssrc() const { return ssrc_; }
  uint32_t clock_rate() const { return clock_rate_; }

  // W3C RTCSentRtpStreamStats / RTCOutboundRtpStreamStats; all include
  // retransmissions, which are also counted on their own.
  uint64_t packets_sent() const { return packets_sent_; }
  uint64_t bytes_sent() const { return payload_bytes_; }
  uint64_t header_bytes_sent() const { return header_bytes_; }
  uint64_t retransmitted_packets_sent() const { return retransmitted_packets_; }
  uint64_t retransmitted_bytes_sent() const { return retransmitted_bytes_; }
  std::optional<base::Timestamp> last_packet_sent() const { return last_sent_; }

  const RemoteInboundStats& remote_inbound() const { return remote_; }

 private:
  uint32_t ssrc_;
  uint32_t clock_rate_;

  uint64_t packets_sent_ = 0;
  uint64_t payload_bytes_ = 0;
  uint64_t header_bytes_ = 0;
  uint64_t retransmitted_packets_ = 0;
  uint64_t retransmitted_bytes_ = 0;
  std::optional<base::Timestamp> last_sent_;
  std::optional<uint16_t> first_sequence_;  // of the first original packet

  struct Anchor {
    uint32_t rtp_timestamp;
    base::Timestamp capture_time;
  };
  std::optional<Anchor> anchor_;

  bool sent_in_interval_ = false;
  bool sent_in_previous_interval_ = false;

  RemoteInboundStats remote_;
};

}  // namespace wasmrtc::rtp
