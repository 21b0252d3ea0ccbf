// Reception statistics of one remote RTP source (RFC 3550 appendix A.1,
// A.3, A.8 and section 6.4.1), producing the report block an SR or RR
// carries about it, and the counters W3C RTCInboundRtpStreamStats needs.
//
//   rtp::ReceiveStream rx(remote_ssrc, 90000);
//   rx.on_rtp(now, rtp::ReceivedPacket::of(packet, size));   // per packet
//   rx.on_sender_report(now, sr);                           // per SR about it
//   std::optional<rtp::ReportBlock> block = rx.report_block(now);
//
// Sans-IO: arrival times are the caller's base::Timestamps.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/time.h"
#include "rtp/ntp.h"
#include "rtp/packet.h"
#include "rtp/rtcp.h"

namespace wasmrtc::rtp {

// What the statistics need of one received packet.
struct ReceivedPacket {
  uint16_t sequence_number = 0;
  uint32_t rtp_timestamp = 0;
  size_t header_bytes = 0;   // fixed header, CSRCs, extension block and padding
  size_t payload_bytes = 0;  // without padding (RFC 3550 6.4.1 octet count)

  // From a parsed packet and its size on the wire (after SRTP unprotect).
  static ReceivedPacket of(const RtpPacket& p, size_t wire_size);
};

// RFC 3550 appendix A.1 constants.
inline constexpr int kMaxDropout = 3000;
inline constexpr int kMaxMisorder = 100;
inline constexpr int kMinSequential = 2;

class ReceiveStream {
 public:
  // `clock_rate`: the RTP timestamp rate of the payload (Hz, > 0; 0 is
  // taken as 1 so bad input cannot divide by zero).
  ReceiveStream(uint32_t ssrc, uint32_t clock_rate);

  // Appendix A.1 update_seq() with A.8 jitter. Returns false when the packet
  // is not (yet) counted: during probation (a new source or a restart after
  // a jump of more than kMaxDropout) and for a lone jump. Packets held during
  // probation are counted once it ends, so a source's first packets are not
  // lost from the totals.
  bool on_rtp(base::Timestamp arrival, const ReceivedPacket& packet);

  // Section 6.4.1: remembers the middle 32 bits of the SR's NTP time and its
  // arrival, for LSR and DLSR. Also keeps the sender's counts.
  void on_sender_report(base::Timestamp arrival, const SenderReport& sr);

  // Appendix A.3 and section 6.4.1: the block to report now. Updates the
  // "prior" counts, so the next block's fraction lost covers the interval
  // since this one. nullopt while still in probation (nothing valid yet).
  std::optional<ReportBlock> report_block(base::Timestamp now);

  // Whether a packet was counted since the last report_block(): RFC 3550
  // section 6.4 reports only on sources heard during the interval.
  bool received_since_last_report() const { return received_since_report_; }

  uint32_t ssrc() const { return ssrc_; }
  uint32_t clock_rate() const { return clock_rate_; }
  bool valid() const { return valid_; }

  // Appendix A.3: extended highest sequence number (cycles + max_seq).
  uint32_t extended_highest_sequence() const { return cycles_ + max_seq_; }
  int64_t expected() const;
  // expected - received: negative with duplicates. Unclamped (the block
  // saturates it to 24 bits).
  int64_t cumulative_lost() const { return expected() - static_cast<int64_t>(received_); }
  // Appendix A.8, in RTP timestamp units and in seconds (W3C jitter).
  uint32_t jitter() const;
  double jitter_seconds() const { return static_cast<double>(jitter()) / clock_rate_; }

  // W3C RTCInboundRtpStreamStats. packets_received includes duplicates
  // (as RFC 3550's `received` does); the counts cover the current source
  // sync (a restart keeps them: they are cumulative for the SSRC).
  uint64_t packets_received() const { return packets_received_; }
  uint64_t header_bytes_received() const { return header_bytes_; }
  uint64_t bytes_received() const { return payload_bytes_; }
  uint64_t duplicates() const { return duplicates_; }
  std::optional<base::Timestamp> last_packet_received() const { return last_arrival_; }

  struct LastSenderReport {
    NtpTime ntp;
    uint32_t rtp_timestamp = 0;
    uint32_t packet_count = 0;
    uint32_t octet_count = 0;
    base::Timestamp arrival;
  };
  const std::optional<LastSenderReport>& last_sender_report() const { return last_sr_; }
  uint64_t sender_reports_received() const { return sender_reports_; }

 private:
  void init_seq(uint16_t seq);
  void credit_pending();
  void count(const ReceivedPacket& packet);
  // Records `ext_seq` as seen; true if it had been already.
  bool seen_before(int64_t ext_seq, bool advances);
  void update_jitter(base::Timestamp arrival, uint32_t rtp_timestamp);
  // Arrival time in RTP units since `first_arrival_` (modulo 2^32).
  uint32_t arrival_rtp(base::Timestamp arrival) const;

  uint32_t ssrc_;
  uint32_t clock_rate_;

  // Appendix A.1 source state; base_seq_ is extended (may be negative when
  // the probation run straddled a wrap).
  bool valid_ = false;
  int probation_ = kMinSequential;
  uint16_t max_seq_ = 0;
  uint32_t cycles_ = 0;
  int64_t base_seq_ = 0;
  uint32_t bad_seq_ = 0x10001;  // RTP_SEQ_MOD + 1: matches no sequence number
  uint64_t received_ = 0;
  int64_t expected_prior_ = 0;
  uint64_t received_prior_ = 0;
  bool received_since_report_ = false;
  // Which of the last kDuplicateWindow extended sequence numbers arrived,
  // to count duplicates (RFC 3550 cannot tell them from reordering).
  static constexpr int64_t kDuplicateWindow = 1024;
  std::bitset<kDuplicateWindow> seen_;

  // Packets seen but not yet valid (probation, or a jump awaiting its
  // successor): counted once confirmed, dropped otherwise.
  struct Pending {
    uint64_t packets = 0;
    uint64_t header_bytes = 0;
    uint64_t payload_bytes = 0;
  } pending_;

  // Appendix A.8.
  std::optional<base::Timestamp> first_arrival_;
  std::optional<uint32_t> transit_;
  uint64_t jitter_q4_ = 0;  // jitter * 16

  uint64_t packets_received_ = 0;
  uint64_t header_bytes_ = 0;
  uint64_t payload_bytes_ = 0;
  uint64_t duplicates_ = 0;
  std::optional<base::Timestamp> last_arrival_;

  std::optional<LastSenderReport> last_sr_;
  uint64_t sender_reports_ = 0;
};

// All remote sources of a session, by SSRC.
class ReceiveStatistics {
 public:
  // The stream for `ssrc`, created with `clock_rate` on first use.
  ReceiveStream& stream(uint32_t ssrc, uint32_t clock_rate);
  ReceiveStream* find(uint32_t ssrc);
  const ReceiveStream* find(uint32_t ssrc) const;
  void remove(uint32_t ssrc) { streams_.erase(ssrc); }

  // Routes an SR to the stream of its sender; false if unknown.
  bool on_sender_report(base::Timestamp arrival, const SenderReport& sr);

  // Section 6.4: blocks for the sources heard since the last report, in
  // SSRC order (each call starts those sources' next interval). More than 31
  // need several SR/RR packets (section 6.4.2); build_compound_report does that.
  std::vector<ReportBlock> report_blocks(base::Timestamp now);

  const std::map<uint32_t, ReceiveStream>& streams() const { return streams_; }

 private:
  std::map<uint32_t, ReceiveStream> streams_;
};

}  // namespace wasmrtc::rtp
