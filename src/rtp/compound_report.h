// The regular compound RTCP report of one local source (RFC 3550 section
// 6.1): an SR if it sent media since the report before last (section 6.4),
// else an RR, carrying a report block for every remote source heard since
// the last report (section 6.4.2: more than 31 spill into further RRs);
// then SDES with the CNAME (section 6.5.1), which every compound packet
// must carry. Feedback alone may go out reduced-size (RFC 5506) instead:
// that does not come through here.
//
//   if (scheduler.handle_timeout(now))
//     send(rtp::build_compound_report(now, ntp(now), {ssrc, cname, &tx, &rx}));
//
// Building advances the statistics (fraction-lost intervals, SR-or-RR
// state), so build exactly once per report sent. With several local
// sources, send one compound report per source (RFC 8108 section 5.3).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/time.h"
#include "rtp/ntp.h"
#include "rtp/receive_statistics.h"
#include "rtp/rtcp.h"
#include "rtp/send_statistics.h"

namespace wasmrtc::rtp {

struct CompoundReportInput {
  uint32_t ssrc = 0;               // the reporting SSRC; the sender's when `sender` is set
  std::string_view cname;          // RFC 7022 / RFC 8834 section 4.9 CNAME, 1-255 bytes
  SendStream* sender = nullptr;    // null for a receive-only source
  ReceiveStatistics* receive = nullptr;
};

// RFC 3550 6.4.1 / 6.4.2: at most 31 report blocks in one SR or RR.
inline constexpr size_t kMaxReportBlocks = 31;

// The packets, in order, for inspection; `ntp_now` is the wall clock at
// `now`.
std::vector<RtcpPacket> compound_report_packets(base::Timestamp now, NtpTime ntp_now,
                                                const CompoundReportInput& input);

// The same, serialized (TooLarge for a CNAME longer than 255 bytes).
Result<base::Bytes> build_compound_report(base::Timestamp now, NtpTime ntp_now,
                                          const CompoundReportInput& input);

}  // namespace wasmrtc::rtp
