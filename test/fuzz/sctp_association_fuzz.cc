// libFuzzer target for SCTP packets into a connected association (RFC 4960,
// RFC 8260, RFC 6525 through usrsctp, and our layer above it: DCEP, PPIDs,
// partial and legacy messages, stream resets). Two Associations connect in
// memory; then the input is a script: packets of chunks from the input
// behind the genuine common header (ports and verification tag) with a
// correct CRC32c, so they reach the chunk parsers; genuine packets with
// bytes flipped (CRC fixed again); messages and channels opened by the
// peer; time passing. One connected pair lives across inputs (see Pair).
// Properties that abort when violated: the bytes of
// incomplete messages held stay within Config::max_held_bytes.
#include <usrsctp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <variant>
#include <vector>

#include "input.h"
#include "require.h"
#include "sctp/association.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::sctp;
using fuzz::require;

void fix_checksum(base::Bytes& packet) {
  if (packet.size() < 12) return;
  std::memset(packet.data() + 8, 0, 4);
  const uint32_t crc = usrsctp_crc32c(packet.data(), packet.size());
  std::memcpy(packet.data() + 8, &crc, 4);
}

}  // namespace

namespace {

// One connected pair, kept across inputs while it stays connected: setting
// up and tearing down usrsctp associations waits on usrsctp's iterator
// thread (tens of ms), which would leave a few dozen inputs a second. An
// input therefore meets the state earlier inputs left (a crash is
// reproduced by running the corpus in order, as libFuzzer ran it).
struct Pair {
  Config ca;
  Config cb;
  Association a;
  Association b;
  base::Timestamp now = base::Timestamp::from_millis(1000);
  base::Bytes header;              // a's common header: ports and b's verification tag
  std::deque<base::Bytes> from_a;  // recent genuine packets of a
  std::vector<uint16_t> channels;

  static Config server() {
    Config c;
    c.dtls_client = false;
    c.max_held_bytes = 256 * 1024 + 4096;  // reached quickly
    return c;
  }
  Pair() : ca(), cb(server()), a(ca), b(cb) {
    (void)a.start(now);
    (void)b.start(now);
    exchange();
  }
  bool connected() const { return a.state() == State::Connected && b.state() == State::Connected && !header.empty(); }

  void exchange() {
    for (int round = 0; round < 50; ++round) {
      bool moved = false;
      while (auto p = a.poll_transmit()) {
        if (p->size() >= 12) header.assign(p->begin(), p->begin() + 12);
        from_a.push_back(*p);
        if (from_a.size() > 4) from_a.pop_front();
        b.handle_input(now, *p);
        moved = true;
      }
      while (auto p = b.poll_transmit()) {
        a.handle_input(now, *p);
        moved = true;
      }
      while (auto e = a.poll_event()) {
        if (auto* c = std::get_if<event::ChannelClosed>(&*e)) std::erase(channels, c->id);
      }
      while (b.poll_event()) {
      }
      if (!moved) return;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<Pair> pair;
  if (!pair || !pair->connected()) {
    pair.reset();
    pair = std::make_unique<Pair>();
    if (!pair->connected()) return 0;
  }
  Pair& p = *pair;
  fuzz::Input in(data, size);
  for (int step = 0; step < 64 && !in.empty(); ++step) {
    switch (in.byte() % 6) {
      case 0: {  // chunks from the input behind the genuine header
        base::Bytes packet = p.header;
        const base::ByteView chunks = in.take(in.be(2) % 1200);
        packet.insert(packet.end(), chunks.begin(), chunks.end());
        fix_checksum(packet);
        p.b.handle_input(p.now, packet);
        break;
      }
      case 1: {  // a genuine packet with bytes flipped past the header
        if (p.from_a.empty()) break;
        base::Bytes packet = p.from_a[in.byte() % p.from_a.size()];
        if (packet.size() <= 12) break;
        for (int k = in.byte() % 4; k >= 0; --k) packet[12 + in.be(2) % (packet.size() - 12)] ^= in.byte() | 1;
        fix_checksum(packet);
        p.b.handle_input(p.now, packet);
        break;
      }
      case 2: {  // the peer opens a channel
        if (p.channels.size() >= 32) break;
        ChannelInit init;
        init.label = "c";
        init.ordered = (in.byte() & 1) != 0;
        if (auto id = p.a.open_channel(init)) p.channels.push_back(*id);
        break;
      }
      case 3: {  // the peer sends a message
        if (p.channels.empty()) break;
        const uint16_t id = p.channels[in.byte() % p.channels.size()];
        base::Bytes m(in.be(3) % (300 * 1024), static_cast<uint8_t>(step));
        (void)p.a.send(id, (in.byte() & 1) != 0, m);
        break;
      }
      case 4: {  // the peer closes a channel
        if (p.channels.empty()) break;
        (void)p.a.close_channel(p.channels[in.byte() % p.channels.size()]);
        break;
      }
      case 5:
        p.now = p.now + base::Duration::millis(in.byte() * 10);
        p.a.handle_timeout(p.now);
        p.b.handle_timeout(p.now);
        break;
    }
    p.exchange();
    require(p.b.held_bytes() <= p.cb.max_held_bytes);
  }
  return 0;
}
