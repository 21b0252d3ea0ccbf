// libFuzzer target for src/turn's input side: the stream framer and
// Client::handle_input over both transports.
//
// Input: one control byte, then the bytes "from the server". The control
// byte seeds how the bytes are cut into chunks (stream) or datagrams, and
// two of its bits choose whether STUN-looking datagrams get the transaction
// id of the client's latest request (so response handling is reached, not
// just "unknown transaction") and whether timers run between inputs.
//
// Before the fuzzed bytes, each client is driven to Allocated with a
// permission and a bound channel (0x4000 to 192.0.2.77:6000), so Data
// indications and ChannelData have somewhere to go, and a CreatePermission
// left outstanding for fuzzed responses to answer.
//
// Properties that must hold abort() when violated:
//   - the framer cuts the stream the same way whatever the chunking, and
//     reports the same error;
//   - every frame is a plausible STUN or ChannelData message;
//   - the framer never buffers a whole maximum-size frame;
//   - after handle_timeout(now), nothing is due at `now` any more (no
//     timer can spin);
//   - Allocated implies a relayed address.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "require.h"
#include "base/random.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "stun/address_attributes.h"
#include "stun/message.h"
#include "stun/parse.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"
#include "turn/client.h"
#include "turn/stream_framer.h"

namespace {

using namespace wasmrtc;

using fuzz::require;

// Chunk sizes from the control byte: a tiny xorshift, 1..67 bytes, and now
// and then everything left.
class Chunker {
 public:
  Chunker(uint8_t seed, size_t size) : state_(0x9E3779B9u ^ (seed * 2654435761u) ^ size) {
    if (state_ == 0) state_ = 1;
  }
  size_t next(size_t left) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    if (state_ % 16 == 0) return left;
    const size_t n = 1 + state_ % 67;
    return n < left ? n : left;
  }

 private:
  uint32_t state_;
};

std::vector<base::ByteView> cut(base::ByteView bytes, uint8_t seed) {
  std::vector<base::ByteView> out;
  Chunker chunker(seed, bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t n = chunker.next(bytes.size() - pos);
    out.push_back(bytes.subspan(pos, n));
    pos += n;
  }
  return out;
}

void check_frame(const turn::Frame& f) {
  require(!f.bytes.empty());
  if (f.kind == turn::FrameKind::Stun) {
    require(f.bytes.size() >= 20 && f.bytes.size() % 4 == 0 && f.bytes[0] < 4);
    require(f.bytes.size() == 20u + ((f.bytes[2] << 8) | f.bytes[3]));
  } else {
    require(turn::is_channel_data_first_byte(f.bytes[0]));
    require(f.bytes.size() == 4u + ((f.bytes[2] << 8) | f.bytes[3]));
  }
}

void fuzz_framer(base::ByteView input, uint8_t seed) {
  turn::StreamFramer whole;
  std::vector<turn::Frame> a;
  auto ra = whole.push(input, a);

  turn::StreamFramer chunked;
  std::vector<turn::Frame> b;
  base::Result<void, turn::FramingError> rb;
  for (base::ByteView chunk : cut(input, seed)) {
    rb = chunked.push(chunk, b);
    require(chunked.buffered() < turn::StreamFramer::kMaxFrameSize);
    if (!rb) break;
  }
  require(ra.ok() == rb.ok());
  if (!ra.ok()) require(ra.error() == rb.error());
  require(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    require(a[i].kind == b[i].kind && a[i].bytes == b[i].bytes);
    check_frame(a[i]);
  }
}

const base::SocketAddress kServer = *base::SocketAddress::parse("198.51.100.1:3478");
const base::SocketAddress kPeer = *base::SocketAddress::parse("192.0.2.77:6000");

// A client plus the little server-side scripting it takes to reach
// Allocated with a permission and a channel.
struct Session {
  explicit Session(turn::Transport transport) : client(make_config(transport), random) {}

  static turn::Config make_config(turn::Transport transport) {
    turn::Config c;
    c.server = kServer;
    c.transport = transport;
    c.username = "user";
    c.password = "pass";
    return c;
  }

  void drain() {
    while (auto t = client.poll_transmit()) {
      if (auto m = stun::parse(t->data); m && m->message_class == stun::MessageClass::Request) {
        last_request = m->transaction_id;
        last_method = m->method;
      }
    }
    while (client.poll_event()) {
    }
    require(client.state() != turn::State::Allocated || client.relayed_address().has_value());
  }

  // A success response to the latest request, unauthenticated (the server
  // never challenged, so the client expects no MESSAGE-INTEGRITY).
  void answer(bool allocate) {
    if (!last_request) return;
    stun::Message m(stun::MessageClass::SuccessResponse, last_method, *last_request);
    if (allocate) {
      turn::add_xor_relayed_address(m, *base::SocketAddress::parse("203.0.113.1:49152"));
      stun::add_xor_mapped_address(m, *base::SocketAddress::parse("192.0.2.10:50000"));
      turn::add_lifetime(m, base::Duration::seconds(600));
    }
    client.handle_input(now, stun::serialize(m).value());
    drain();
  }

  void set_up() {
    client.allocate(now);
    drain();
    answer(true);
    client.create_permission(now, kPeer.ip);
    drain();
    answer(false);
    const uint8_t x = 'x';
    (void)client.send_to(now, kPeer, base::ByteView(&x, 1));
    drain();
    answer(false);
    // Leave one request outstanding for the fuzzed responses to answer.
    client.create_permission(now, *base::IpAddress::parse("192.0.2.99"));
    drain();
  }

  // Gives a STUN message at `p` the transaction id and method of the latest
  // request, keeping its class.
  void impersonate_response(uint8_t* p) const {
    if (!last_request) return;
    uint16_t method = 0;
    stun::MessageClass cls{};
    stun::decode_message_type(static_cast<uint16_t>((p[0] << 8) | p[1]), method, cls);
    const uint16_t type = stun::encode_message_type(last_method, cls);
    p[0] = static_cast<uint8_t>(type >> 8);
    p[1] = static_cast<uint8_t>(type);
    for (size_t i = 0; i < 12; ++i) p[8 + i] = (*last_request)[i];
  }

  void run_timers(int rounds) {
    for (int i = 0; i < rounds; ++i) {
      auto deadline = client.poll_timeout();
      if (!deadline.is_set()) return;
      if (deadline.value() > now) now = deadline.value();
      client.handle_timeout(now);
      require(!client.poll_timeout().is_due(now));
      drain();
    }
  }

  base::SeededRandom random{1};
  turn::Client client;
  base::Timestamp now = base::Timestamp::from_millis(1000);
  std::optional<stun::TransactionId> last_request;
  uint16_t last_method = 0;
};

// On a stream: every STUN message found by walking the boundaries (as far
// as they make sense) answers the request outstanding after set-up.
std::vector<uint8_t> impersonate_stream(const Session& s, base::ByteView input) {
  std::vector<uint8_t> out(input.begin(), input.end());
  size_t pos = 0;
  while (pos + 4 <= out.size()) {
    const size_t length = (out[pos + 2] << 8) | out[pos + 3];
    if (turn::is_stun_first_byte(out[pos])) {
      if (pos + 20 <= out.size()) s.impersonate_response(&out[pos]);
      pos += 20 + length;
    } else if (turn::is_channel_data_first_byte(out[pos])) {
      pos += turn::padded_channel_data_size(length);
    } else {
      break;
    }
  }
  return out;
}

void fuzz_client(turn::Transport transport, base::ByteView input, uint8_t control) {
  const bool rewrite_ids = (control & 0x40) != 0;
  const bool timers = (control & 0x80) != 0;
  Session s(transport);
  s.set_up();
  std::vector<uint8_t> stream_bytes;
  if (transport == turn::Transport::Stream && rewrite_ids) {
    stream_bytes = impersonate_stream(s, input);
    input = stream_bytes;
  }
  for (base::ByteView piece : cut(input, control)) {
    if (transport == turn::Transport::Datagram && rewrite_ids && piece.size() >= 20 &&
        turn::is_stun_first_byte(piece[0])) {
      std::vector<uint8_t> patched(piece.begin(), piece.end());
      s.impersonate_response(patched.data());
      s.client.handle_input(s.now, patched);
    } else {
      s.client.handle_input(s.now, piece);
    }
    s.drain();
    if (timers) s.run_timers(1);
    s.now += base::Duration::millis(10);
  }
  // Small payloads through whatever state the client is in.
  const uint8_t payload[3] = {1, 2, 3};
  (void)s.client.send_to(s.now, kPeer, payload);
  s.drain();
  s.run_timers(16);
  s.client.close(s.now);
  s.drain();
  s.run_timers(16);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const base::ByteView input(data + 1, size - 1);
  fuzz_framer(input, control);
  fuzz_client(turn::Transport::Datagram, input, control);
  fuzz_client(turn::Transport::Stream, input, control);
  return 0;
}
