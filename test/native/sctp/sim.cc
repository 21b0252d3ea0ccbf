#include "sim.h"

#include <sys/time.h>
#include <usrsctp.h>

#include <cstring>

#include "base/byte_reader.h"
#include "sctp/usrsctp_global.h"

// usrsctp reads gettimeofday() itself (see usrsctp_global.h); in simulated
// time it must see the simulated clock, or a T3 timeout never finds a chunk
// "outstanding for an RTO" and retransmits nothing. Interposed for the
// whole test binary (usrsctp is a shared library here).
extern "C" int gettimeofday(struct timeval* __restrict tv, void* __restrict tz) noexcept {
  return wasmrtc_usrsctp_gettimeofday(tv, tz);
}

namespace wasmrtc::sctp::test {

std::vector<DataChunk> data_chunks(base::ByteView packet) {
  std::vector<DataChunk> out;
  constexpr size_t kCommonHeader = 12;
  if (packet.size() < kCommonHeader) return out;
  size_t pos = kCommonHeader;
  while (pos + 4 <= packet.size()) {
    const uint8_t type = packet[pos];
    const uint8_t flags = packet[pos + 1];
    const size_t length = static_cast<size_t>(packet[pos + 2]) << 8 | packet[pos + 3];
    if (length < 4 || pos + length > packet.size()) break;
    base::ByteReader r(packet.subspan(pos + 4, length - 4));
    if (type == 0 && length >= 16) {  // DATA
      DataChunk c{false, flags, 0, std::nullopt, {}};
      r.u32();  // TSN
      c.sid = *r.u16();
      r.u16();  // SSN
      c.ppid = *r.u32();
      auto rest = r.rest();
      c.data.assign(rest.begin(), rest.end());
      out.push_back(std::move(c));
    } else if (type == 64 && length >= 20) {  // I-DATA
      DataChunk c{true, flags, 0, std::nullopt, {}};
      r.u32();  // TSN
      c.sid = *r.u16();
      r.u16();  // reserved
      r.u32();  // MID
      const uint32_t ppid_or_fsn = *r.u32();
      if (flags & 0x02) c.ppid = ppid_or_fsn;
      auto rest = r.rest();
      c.data.assign(rest.begin(), rest.end());
      out.push_back(std::move(c));
    }
    pos += (length + 3) & ~size_t{3};
  }
  return out;
}

std::vector<size_t> data_chunk_offsets(base::ByteView packet) {
  std::vector<size_t> out;
  size_t pos = 12;
  while (pos + 4 <= packet.size()) {
    const size_t length = static_cast<size_t>(packet[pos + 2]) << 8 | packet[pos + 3];
    if (length < 4 || pos + length > packet.size()) break;
    if (packet[pos] == 0 || packet[pos] == 64) out.push_back(pos);
    pos += (length + 3) & ~size_t{3};
  }
  return out;
}

void fix_checksum(base::Bytes& packet) {
  std::memset(packet.data() + 8, 0, 4);
  // usrsctp_crc32c gives the value in the byte order the header stores.
  const uint32_t crc = usrsctp_crc32c(packet.data(), packet.size());
  std::memcpy(packet.data() + 8, &crc, 4);
}

}  // namespace wasmrtc::sctp::test
