// libFuzzer target for the H.264 RTP payload format (src/rtp/h264_payload.h,
// RFC 6184 packetization-mode 1): what a remote peer's H.264 packets go
// through. Properties: no crash; a run of arbitrary packets assembles or is
// refused exactly when one of them is malformed, and a complete frame is
// Annex B whose NAL units the packets held; the H.264 syntax readers
// (codec/h264_syntax.h: QP, picture size) take any NAL units without harm
// and answer in range; an Annex B stream made from the input, packetized
// under any limit, comes back as the same NAL units.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "input.h"
#include "require.h"
#include "codec/h264_syntax.h"
#include "rtp/h264_payload.h"

namespace {
using wasmrtc::fuzz::require;
namespace rtp = wasmrtc::rtp;
namespace base = wasmrtc::base;

std::vector<base::Bytes> units(base::ByteView stream) {
  std::vector<base::Bytes> out;
  for (auto u : rtp::split_annex_b(stream)) out.emplace_back(u.begin(), u.end());
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasmrtc::fuzz::Input in(data, size);
  // Packets: [flags][length] then the payload; flags give the marker and a
  // sequence step.
  std::vector<base::Bytes> payloads;
  std::vector<rtp::Vp8RtpPayload> run;
  uint16_t seq = static_cast<uint16_t>(in.be(2));
  bool any_malformed = false;
  while (!in.empty() && payloads.size() < 64) {
    const uint8_t flags = in.byte();
    const auto p = in.take(in.byte());
    payloads.emplace_back(p.begin(), p.end());
    if (!rtp::depacketize_h264(payloads.back())) any_malformed = true;
    seq = static_cast<uint16_t>(seq + ((flags & 2) ? 2 : 1));
    run.push_back(rtp::Vp8RtpPayload{seq, bool(flags & 1), {}});
  }
  for (size_t i = 0; i < run.size(); ++i) run[i].payload = payloads[i];
  auto f = rtp::assemble_h264_frame(run);
  require(f.ok() != any_malformed || run.empty());
  if (f && f->complete) require(!rtp::split_annex_b(f->data).empty());
  // The QP reader takes any bytes (its SPS/PPS state across frames too).
  wasmrtc::codec::H264QpParser qp;
  for (const auto& p : payloads) {
    base::Bytes annex_b{0, 0, 0, 1};
    annex_b.insert(annex_b.end(), p.begin(), p.end());
    if (auto q = qp.parse(annex_b)) require(*q >= 0 && *q <= 51);
    if (auto size = wasmrtc::codec::h264_picture_size(annex_b)) require(size->width > 0 && size->height > 0);
  }
  if (f && !f->complete) require(f->data.empty());

  // Round trip: NAL units cut from the input by length bytes, as Annex B.
  if (size > 1) {
    const size_t limit = 3 + data[0] % 200;
    base::Bytes stream;
    bool plain = true;  // every NAL unit type is one a single NAL unit packet may carry (1-23)
    for (size_t pos = 1; pos < size;) {
      const size_t n = 1 + data[pos] % 64;
      const size_t take = std::min(n, size - pos - 1);
      pos += 1;
      if (take == 0) break;
      stream.insert(stream.end(), {0, 0, 0, 1});
      stream.insert(stream.end(), data + pos, data + pos + take);
      pos += take;
    }
    const auto original = units(stream);
    for (const auto& u : original) plain = plain && (u[0] & 0x1f) >= 1 && (u[0] & 0x1f) <= 23;
    auto packets = rtp::packetize_h264(stream, limit);
    require(packets.ok() == !original.empty());
    if (!packets || !plain) return 0;
    std::vector<rtp::Vp8RtpPayload> back;
    for (size_t i = 0; i < packets->size(); ++i) {
      require((*packets)[i].size() <= limit);
      back.push_back(rtp::Vp8RtpPayload{static_cast<uint16_t>(65530 + i), i + 1 == packets->size(), (*packets)[i]});
    }
    auto whole = rtp::assemble_h264_frame(back);
    require(whole.ok());
    const auto first = rtp::depacketize_h264(back[0].payload);
    require(first.ok());
    require(whole->complete == first->first_of_frame);
    if (whole->complete) require(units(whole->data) == original);
  }
  return 0;
}
