// libFuzzer target for the RTP statistics (src/rtp receive_statistics,
// send_statistics, header_extensions, rtcp_scheduler, compound_report).
// The input is a list of records, each
//   op (1 byte) | time step (1 byte, x 1 ms) | length (1 byte) | bytes
// where op selects: an RTP packet to parse and feed to the receive and send
// statistics (with every typed extension read through a full map); an RTCP
// datagram whose SRs and report blocks feed them; a bare (sequence number,
// timestamp) pair, so sequence logic is explored without RTP framing; or a
// report built and parsed back. Properties: no crash or UB; a report block
// stays in range (24-bit loss, fraction <= 255); expected >= 0 once valid;
// the compound report serializes and parses back to what was built; the
// scheduler's deadline lies ahead after it fires.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/byte_reader.h"
#include "base/random.h"
#include "require.h"
#include "rtp/compound_report.h"
#include "rtp/header_extensions.h"
#include "rtp/receive_statistics.h"
#include "rtp/rtcp.h"
#include "rtp/rtcp_scheduler.h"
#include "rtp/send_statistics.h"

namespace {

using wasmrtc::fuzz::require;
using namespace wasmrtc;

constexpr uint32_t kClockRates[] = {90000, 48000, 8000, 0};
constexpr size_t kMaxStreams = 64;

void check_block(const rtp::ReportBlock& b) {
  require(b.cumulative_lost >= -0x800000 && b.cumulative_lost <= 0x7FFFFF);
}

void check_stream(const rtp::ReceiveStream& s) {
  if (!s.valid()) return;
  require(s.expected() >= 1);
  require(s.packets_received() >= s.duplicates());
}

void read_all(const rtp::ExtensionMap& map, const rtp::RtpPacket& p) {
  (void)map.mid(p);
  (void)map.rtp_stream_id(p);
  (void)map.repaired_rtp_stream_id(p);
  if (auto level = map.audio_level(p)) require(level->level <= 127);
  if (auto t = map.abs_send_time(p)) require(*t <= 0xFFFFFF);
  (void)map.transport_sequence_number(p);
  if (auto o = map.transmission_offset(p)) require(*o >= -(1 << 23) && *o < (1 << 23));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rtp::ExtensionMap map;
  // Ids as browsers commonly negotiate them, one above 14 for the two-byte form.
  (void)map.add(1, rtp::ext_uri::kAudioLevel);
  (void)map.add(2, rtp::ext_uri::kAbsSendTime);
  (void)map.add(3, rtp::ext_uri::kTransportWideCc);
  (void)map.add(4, rtp::ext_uri::kMid);
  (void)map.add(10, rtp::ext_uri::kRtpStreamId);
  (void)map.add(11, rtp::ext_uri::kRepairedRtpStreamId);
  (void)map.add(20, rtp::ext_uri::kTransmissionOffset);

  base::SeededRandom random(size);
  base::Timestamp now = base::Timestamp::from_millis(1000);
  rtp::ReceiveStatistics rx;
  std::map<uint32_t, rtp::SendStream> tx;
  rtp::RtcpScheduler scheduler(rtp::kVideoReportInterval, random, now);
  const int64_t wall_offset_us = int64_t{1700000000} * 1000000;

  base::ByteReader r(base::ByteView(data, size));
  while (r.remaining() >= 3) {
    const uint8_t op = *r.u8();
    now += base::Duration::millis(*r.u8());
    const size_t length = *r.u8();
    const base::ByteView chunk = r.bytes(std::min(length, r.remaining())).value();
    const rtp::NtpTime ntp_now = rtp::NtpTime::from_unix_micros(wall_offset_us + now.us());
    const uint32_t clock_rate = kClockRates[(op >> 2) & 3];

    switch (op & 3) {
      case 0: {  // an RTP packet, received and (as if) sent
        auto p = rtp::parse_rtp(chunk);
        if (!p) break;
        read_all(map, *p);
        if (rx.streams().size() < kMaxStreams || rx.find(p->ssrc)) {
          rtp::ReceiveStream& s = rx.stream(p->ssrc, clock_rate);
          s.on_rtp(now, rtp::ReceivedPacket::of(*p, chunk.size()));
          check_stream(s);
        }
        if (tx.size() < kMaxStreams || tx.count(p->ssrc)) {
          auto& sender = tx.try_emplace(p->ssrc, p->ssrc, clock_rate).first->second;
          const auto capture = now - base::Duration::millis(op >> 4);
          sender.on_rtp_sent(now, rtp::SentPacket::of(*p, chunk.size(), capture, (op & 0x80) != 0));
          (void)sender.sender_report(now, ntp_now);
        }
        // Writing the typed values back must work for what was read.
        if (auto mid = map.mid(*p); mid && mid->size() <= rtp::kMaxStringExtensionSize) {
          require(map.set_mid(*p, *mid).ok());
          require(map.mid(*p) == mid);
        }
        break;
      }
      case 1: {  // an RTCP datagram from the remote
        auto packets = rtp::parse_rtcp(chunk);
        if (!packets) break;
        for (const auto& packet : *packets) {
          const std::vector<rtp::ReportBlock>* blocks = nullptr;
          if (const auto* sr = std::get_if<rtp::SenderReport>(&packet)) {
            rx.on_sender_report(now, *sr);
            blocks = &sr->reports;
          } else if (const auto* rr = std::get_if<rtp::ReceiverReport>(&packet)) {
            blocks = &rr->reports;
          }
          if (!blocks) continue;
          for (const auto& b : *blocks) {
            auto it = tx.find(b.ssrc);
            if (it == tx.end()) {
              if (tx.size() >= kMaxStreams) continue;
              it = tx.try_emplace(b.ssrc, b.ssrc, clock_rate).first;
            }
            require(it->second.on_report_block(b, ntp_now, now));
            const auto& remote = it->second.remote_inbound();
            require(remote.fraction_lost >= 0 && remote.fraction_lost < 1);
            if (remote.round_trip_time) require(*remote.round_trip_time >= 0);
          }
        }
        break;
      }
      case 2: {  // a bare sequence number and timestamp for one stream
        base::ByteReader c(chunk);
        auto seq = c.u16();
        auto ts = c.u32();
        if (!seq || !ts) break;
        rtp::ReceiveStream& s = rx.stream(op >> 4, clock_rate);
        s.on_rtp(now, rtp::ReceivedPacket{*seq, *ts, 12, c.remaining()});
        check_stream(s);
        break;
      }
      case 3: {  // report time
        if (op & 0x10) (void)scheduler.request_early_report(now);
        if (scheduler.handle_timeout(now)) require(scheduler.poll_timeout().value() > now);
        rtp::SendStream* sender = tx.empty() ? nullptr : &tx.begin()->second;
        auto packets = rtp::compound_report_packets(now, ntp_now, {0x1234, "fuzz", sender, &rx});
        for (const auto& packet : packets) {
          if (const auto* sr = std::get_if<rtp::SenderReport>(&packet)) {
            for (const auto& b : sr->reports) check_block(b);
          } else if (const auto* rr = std::get_if<rtp::ReceiverReport>(&packet)) {
            for (const auto& b : rr->reports) check_block(b);
          }
        }
        auto wire = rtp::serialize_rtcp(packets);
        require(wire.ok());
        auto back = rtp::parse_rtcp(*wire);
        require(back.ok() && *back == packets);
        break;
      }
    }
  }
  return 0;
}
