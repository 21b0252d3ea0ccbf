// libFuzzer target for the ICE agent's input with known credentials
// (RFC 8445 sections 7.2-7.3, RFC 7675): the input is a script of
// datagrams and time. Checks are built with the agent's own password, and
// responses to the agent's own checks with the peer's, so the
// authenticated paths run: role conflicts, peer-reflexive candidates,
// triggered checks, nomination, consent, restarts. Raw datagrams (STUN or
// not), remote candidates and timeouts are mixed in. Properties that abort
// when violated: what the peer made the agent hold stays within its limits
// (Config::max_remote_candidates, max_peer_reflexive, CheckList::kMaxKept).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "base/random.h"
#include "ice/agent.h"
#include "ice/checklist.h"
#include "ice/stun_messages.h"
#include "input.h"
#include "require.h"
#include "stun/parse.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::ice;
using base::SocketAddress;
using fuzz::require;

SocketAddress address_of(uint8_t pick, fuzz::Input& in) {
  static const char* const kKnown[] = {"10.0.0.2:6000", "10.0.0.3:6001", "[2001:db8::2]:6000", "10.0.0.2:6002"};
  if (pick < 4) return *SocketAddress::parse(kKnown[pick]);
  // Any IPv4 source, as a peer behind NAT (or an attacker) could use.
  const std::string text = std::to_string(in.byte()) + "." + std::to_string(in.byte()) + "." +
                           std::to_string(in.byte()) + "." + std::to_string(in.byte() | 1) + ":" +
                           std::to_string(in.be(2) | 1);
  auto a = SocketAddress::parse(text);
  return a ? *a : *SocketAddress::parse(kKnown[0]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  base::SeededRandom random(in.be(4));
  const Credentials local{"lfrg", "localpasswordlocalpassword"};
  const Credentials remote{"rfrg", "remotepasswordremotepassword"};
  Config config;
  config.role = (in.byte() & 1) ? Role::Controlling : Role::Controlled;
  config.local = local;
  Agent agent(config, random);
  base::Timestamp now = base::Timestamp::from_millis(1000);
  const SocketAddress host4 = *SocketAddress::parse("10.0.0.1:5000");
  const SocketAddress host6 = *SocketAddress::parse("[2001:db8::1]:5000");
  agent.add_host_socket(1, host4);
  agent.add_host_socket(2, host6);
  agent.gather(now);
  agent.set_remote_credentials(remote);
  if (auto c = Candidate::parse("candidate:1 1 udp 2122260223 10.0.0.2 6000 typ host")) {
    (void)agent.add_remote_candidate(now, *c);
  }
  std::deque<stun::Message> our_checks;  // the agent's recent check requests
  auto drain = [&] {
    while (auto o = agent.poll_output()) {
      if (auto* t = std::get_if<Transmit>(&*o)) {
        auto m = stun::parse(t->data);
        if (m && m->message_class == stun::MessageClass::Request) {
          our_checks.push_back(std::move(*m));
          if (our_checks.size() > 8) our_checks.pop_front();
        }
      }
    }
  };
  drain();

  for (int step = 0; step < 200 && !in.empty(); ++step) {
    const uint8_t op = in.byte() % 8;
    const SocketId socket = (in.byte() & 1) ? 2 : 1;
    switch (op) {
      case 0:
      case 1: {  // an authenticated check from the peer
        stun::TransactionId id{};
        for (auto& b : id) b = in.byte();
        CheckRequest req;
        req.username = local.ufrag + ":" + remote.ufrag;
        req.priority = in.be(4);
        const uint8_t flags = in.byte();
        req.role = (flags & 1) ? Role::Controlling : Role::Controlled;
        req.use_candidate = (flags & 2) != 0;
        req.tie_breaker = in.be(4);
        base::Bytes wire = encode_check_request(id, req, local.pwd);
        if (flags & 4) {  // a few bytes flipped: integrity or fingerprint fails
          for (int k = in.byte() % 3; k >= 0; --k) wire[in.be(2) % wire.size()] ^= in.byte() | 1;
        }
        agent.handle_datagram(now, socket, address_of(in.byte() % 6, in), wire);
        break;
      }
      case 2: {  // a response to one of our checks, with the peer's password
        if (our_checks.empty()) break;
        const stun::Message& request = our_checks[in.byte() % our_checks.size()];
        const SocketAddress from = address_of(in.byte() % 4, in);
        const SocketAddress mapped = address_of(in.byte() % 6, in);
        base::Bytes wire = (in.byte() & 1)
                               ? encode_success_response(request, mapped, remote.pwd)
                               : encode_error_response(request, 487, {}, remote.pwd);
        agent.handle_datagram(now, socket, from, wire);
        break;
      }
      case 3: {  // raw bytes
        const size_t n = in.byte();
        agent.handle_datagram(now, socket, address_of(in.byte() % 6, in), in.take(n));
        break;
      }
      case 4: {  // time passes
        now = now + base::Duration::millis(in.byte() * 20);
        agent.handle_timeout(now);
        break;
      }
      case 5: {  // a remote candidate, as signalled
        const size_t n = in.byte() % 100;
        base::ByteView text = in.take(n);
        if (auto c = Candidate::parse(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()))) {
          (void)agent.add_remote_candidate(now, *c);
        }
        break;
      }
      case 6: {  // data on the selected pair, or a restart
        if (in.byte() & 1) {
          const base::Bytes payload{23, 1, 2, 3};
          (void)agent.send(now, payload);
        } else {
          agent.set_remote_credentials(Credentials{"rfr" + std::to_string(in.byte() % 3), remote.pwd});
        }
        break;
      }
      case 7:
        agent.end_of_remote_candidates();
        break;
    }
    drain();
    size_t prflx = 0, signalled = 0;
    for (const Candidate& c : agent.remote_candidates()) {
      (c.type == CandidateType::PeerReflexive ? prflx : signalled) += 1;
    }
    require(prflx <= config.max_peer_reflexive);
    require(signalled <= config.max_remote_candidates);
    require(agent.pair_stats().size() <= 2 * CheckList::kMaxKept);
  }
  agent.close(now);
  drain();
  return 0;
}
