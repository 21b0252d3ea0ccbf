// libFuzzer target for src/dtls's input path: arbitrary datagrams into the
// ClientHello joiner and into a DTLS Transport (server, or client).
//
// Input: one flags byte, then datagrams as [u16 big-endian length][bytes].
//   flags bit 0: the server uses HelloVerifyRequest cookies
//   flags bit 1: feed a client Transport instead of a server
// Seeds (corpus/dtls_reassembly/) hold Chromium 156's two ClientHello
// fragments (test/data/dtls/) in this framing, in order, reversed and
// duplicated.
//
// Properties that must hold abort() when violated:
//   - every datagram the joiner emits parses as whole DTLS records;
//   - a joined record carries one whole ClientHello within the limit;
//   - the joiner never holds more than two messages' worth of bytes;
//   - the Transport never connects and never delivers Data (nobody here
//     can finish a handshake), and every datagram it sends fits the MTU.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "require.h"
#include "base/random.h"
#include "base/time.h"
#include "dtls/certificate.h"
#include "dtls/handshake_reassembly.h"
#include "dtls/record.h"
#include "dtls/transport.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::dtls;

using fuzz::require;

const Certificate& certificate() {
  static const Certificate c = [] {
    base::SeededRandom random(42);
    return Certificate::generate(random, validity_around(1700000000)).value();
  }();
  return c;
}

std::vector<base::ByteView> split(const uint8_t* data, size_t size) {
  std::vector<base::ByteView> out;
  size_t i = 0;
  while (i + 2 <= size) {
    size_t len = (size_t{data[i]} << 8) | data[i + 1];
    i += 2;
    if (len > size - i) len = size - i;
    out.emplace_back(data + i, len);
    i += len;
  }
  return out;
}

void check_joiner(const std::vector<base::ByteView>& datagrams) {
  ClientHelloJoiner::Limits limits;
  ClientHelloJoiner joiner(limits);
  for (base::ByteView d : datagrams) {
    const uint64_t joined_before = joiner.joined();
    uint64_t whole_hellos = 0;
    for (const base::Bytes& out : joiner.push(d)) {
      size_t consumed = 0;
      auto records = parse_records(out, &consumed);
      require(!records.empty() && consumed == out.size());  // whole records only
      if (records.size() == 1 && is_whole_client_hello(records[0])) {
        ++whole_hellos;
        require(records[0].fragment.size() <= kHandshakeHeaderSize + limits.max_message_length);
      }
    }
    // Every join yields one whole ClientHello record of its own.
    require(whole_hellos >= joiner.joined() - joined_before);
    require(joiner.held_bytes() <= 2 * limits.max_message_length);
  }
}

void check_transport(const std::vector<base::ByteView>& datagrams, uint8_t flags, uint64_t seed) {
  base::SeededRandom random(seed);
  Config config;
  config.role = (flags & 2) ? Role::Client : Role::Server;
  config.certificate = certificate();
  config.hello_verify = (flags & 1) != 0;
  config.remote_fingerprints = {certificate().fingerprint()};
  auto t = Transport::create(config, random);
  require(t.ok());
  Transport& transport = **t;
  base::Timestamp now = base::Timestamp::from_millis(1000);
  transport.start(now);
  auto drain = [&] {
    while (auto d = transport.poll_transmit()) require(d->size() <= config.mtu);
    while (auto e = transport.poll_event()) {
      require(!std::holds_alternative<Data>(*e));
      require(!std::holds_alternative<Connected>(*e));
    }
  };
  for (base::ByteView d : datagrams) {
    transport.handle_input(now, d);
    drain();
    now += base::Duration::millis(150);
    if (transport.poll_timeout().is_due(now)) transport.handle_timeout(now);
    drain();
    require(transport.state() != State::Connected);
  }
  require(!transport.send(now, base::ByteView()).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const auto datagrams = split(data + 1, size - 1);
  if (datagrams.size() > 64) return 0;  // keep executions fast
  check_joiner(datagrams);
  check_transport(datagrams, flags, size);
  return 0;
}
