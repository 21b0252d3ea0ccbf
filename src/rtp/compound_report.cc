#include "rtp/compound_report.h"

#include <algorithm>
#include <string>

namespace wasmrtc::rtp {
namespace {

constexpr uint8_t kSdesCname = 1;  // RFC 3550 section 6.5.1

}  // namespace

std::vector<RtcpPacket> compound_report_packets(base::Timestamp now, NtpTime ntp_now,
                                                const CompoundReportInput& input) {
  const uint32_t ssrc = input.sender ? input.sender->ssrc() : input.ssrc;
  std::vector<ReportBlock> blocks;
  if (input.receive) blocks = input.receive->report_blocks(now);
  const size_t first = std::min(blocks.size(), kMaxReportBlocks);

  std::vector<RtcpPacket> out;
  if (input.sender && input.sender->should_send_sender_report()) {
    SenderReport sr = input.sender->sender_report(now, ntp_now);
    sr.reports.assign(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(first));
    out.emplace_back(std::move(sr));
  } else {
    out.emplace_back(ReceiverReport{ssrc, {blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(first)}});
  }
  // Section 6.4.2: further blocks in additional RRs from the same SSRC.
  for (size_t i = first; i < blocks.size(); i += kMaxReportBlocks) {
    const size_t end = std::min(blocks.size(), i + kMaxReportBlocks);
    out.emplace_back(ReceiverReport{ssrc, {blocks.begin() + static_cast<std::ptrdiff_t>(i),
                                           blocks.begin() + static_cast<std::ptrdiff_t>(end)}});
  }
  out.emplace_back(Sdes{{SdesChunk{ssrc, {{kSdesCname, std::string(input.cname)}}}}});
  if (input.sender) input.sender->on_report_sent();
  return out;
}

Result<base::Bytes> build_compound_report(base::Timestamp now, NtpTime ntp_now,
                                          const CompoundReportInput& input) {
  return serialize_rtcp(compound_report_packets(now, ntp_now, input));
}

}  // namespace wasmrtc::rtp
