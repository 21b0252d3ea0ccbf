// Gathering (RFC 8445 section 5.1.1): host, server-reflexive through a STUN
// server stub behind NATs, relayed through the TURN test server over UDP
// and over a stream, and the icecandidateerror cases.
#include <gtest/gtest.h>

#include "ice/harness.h"
#include "turn/constants.h"

namespace wasmrtc::ice::test {
namespace {

const SocketAddress kStun = addr("198.51.100.1:3478");
const SocketAddress kTurn = addr("198.51.100.2:3478");
const SocketAddress kA = addr("10.0.0.1:5000");
const SocketAddress kB = addr("10.0.0.2:6000");
const vnet::LinkProfile kCut{0, Duration::millis(10), Duration::zero(), 0, false};

std::vector<Candidate> of_type(const std::vector<Candidate>& all, CandidateType t) {
  std::vector<Candidate> out;
  for (const Candidate& c : all) {
    if (c.type == t) out.push_back(c);
  }
  return out;
}

TEST(Gathering, HostCandidatesPerSocket) {
  vnet::Network net(30);
  AgentPeer a(net, "a", controlling_config(), 301);
  a.add_socket(kA);
  a.add_socket(addr("10.0.1.1:5001"));
  a.add_socket(addr("[2001:db8::1]:5002"));
  EXPECT_EQ(a.agent().gathering_state(), GatheringState::New);
  a.agent().gather(net.now());
  net.flush();
  ASSERT_EQ(a.candidates.size(), 3u);
  EXPECT_EQ(a.gathering, (std::vector<GatheringState>{GatheringState::Gathering,
                                                       GatheringState::Complete}));
  // Distinct local preferences (5.1.2.1), in the order the sockets came.
  EXPECT_GT(a.candidates[0].priority, a.candidates[1].priority);
  EXPECT_GT(a.candidates[1].priority, a.candidates[2].priority);
  // Different base addresses: different foundations (5.1.1.3).
  EXPECT_NE(a.candidates[0].foundation, a.candidates[1].foundation);
  for (const Candidate& c : a.candidates) {
    EXPECT_EQ(c.type, CandidateType::Host);
    EXPECT_EQ(c.component, 1);
    EXPECT_FALSE(c.related);
  }
  // A socket added later is gathered at once (and trickled).
  a.add_socket(addr("10.0.2.1:5003"));
  net.flush();
  EXPECT_EQ(a.candidates.size(), 4u);
  EXPECT_EQ(a.agent().local_candidates().size(), 4u);
}

TEST(Gathering, ServerReflexiveBehindNat) {
  vnet::Network net(31);
  const SocketAddress priv = addr("192.168.1.10:5000");
  const base::IpAddress pub = addr("203.0.113.50:0").ip;
  net.add_nat({priv.ip}, pub, vnet::NatType::PortRestricted);
  StunServerStub stun(net, kStun);
  AgentPeer a(net, "a", controlling_config(), 311);
  a.add_socket(priv);
  a.agent().add_stun_server(kStun, "stun:198.51.100.1:3478");
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(2)));
  auto srflx = of_type(a.candidates, CandidateType::ServerReflexive);
  ASSERT_EQ(srflx.size(), 1u);
  EXPECT_EQ(srflx[0].address.ip, pub);
  ASSERT_TRUE(srflx[0].related);
  EXPECT_EQ(*srflx[0].related, priv);  // RFC 8839: raddr is the base
  EXPECT_EQ(srflx[0].priority, compute_priority(CandidateType::ServerReflexive, 65535));
  EXPECT_NE(srflx[0].foundation, a.candidates[0].foundation);
  EXPECT_TRUE(a.errors.empty());
  EXPECT_EQ(stun.requests, 1);
}

TEST(Gathering, ServerReflexiveSameAsHostIsRedundant) {
  vnet::Network net(32);
  StunServerStub stun(net, kStun);
  AgentPeer a(net, "a", controlling_config(), 321);
  a.add_socket(kA);
  a.agent().add_stun_server(kStun, "stun:198.51.100.1:3478");
  a.agent().add_stun_server(addr("[2001:db8::99]:3478"), "stun:[2001:db8::99]:3478");
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(2)));
  // 5.1.3: same address and base as the host candidate: dropped. The IPv6
  // server has no IPv6 socket to be asked from.
  EXPECT_EQ(a.candidates.size(), 1u);
  EXPECT_EQ(stun.requests, 1);
  EXPECT_TRUE(a.errors.empty());
}

TEST(Gathering, UnreachableStunServerIs701) {
  vnet::Network net(33);
  StunServerStub stun(net, kStun);
  stun.silent = true;
  AgentPeer a(net, "a", controlling_config(), 331);
  a.add_socket(kA);
  a.agent().add_stun_server(kStun, "stun:198.51.100.1:3478");
  const Timestamp start = net.now();
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(60)));
  // RFC 8489 section 6.2.1: Rc = 7 transmissions, then Rm * RTO: 39.5 s.
  EXPECT_EQ(stun.requests, 7);
  EXPECT_EQ(net.now() - start, Duration::millis(39500));
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].code, 701);
  EXPECT_EQ(a.errors[0].url, "stun:198.51.100.1:3478");
  ASSERT_TRUE(a.errors[0].local);
  EXPECT_EQ(*a.errors[0].local, kA);
  EXPECT_EQ(a.candidates.size(), 1u);
}

TEST(Gathering, ConnectThroughTwoNatsWithServerReflexive) {
  vnet::Network net(34);
  net.add_nat({addr("192.168.1.10:1").ip}, addr("203.0.113.50:0").ip, vnet::NatType::AddressRestricted);
  net.add_nat({addr("192.168.2.10:1").ip}, addr("203.0.113.60:0").ip, vnet::NatType::AddressRestricted);
  StunServerStub stun(net, kStun);
  AgentPeer a(net, "a", controlling_config(), 341);
  AgentPeer b(net, "b", controlled_config(), 342);
  a.add_socket(addr("192.168.1.10:5000"));
  b.add_socket(addr("192.168.2.10:6000"));
  a.agent().add_stun_server(kStun, "stun:s");
  b.agent().add_stun_server(kStun, "stun:s");
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(10)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  EXPECT_EQ(a.agent().selected_pair()->second.address.ip, addr("203.0.113.60:0").ip);
  EXPECT_TRUE(deliver(net, a, b, payload("nat to nat")));
  EXPECT_TRUE(deliver(net, b, a, payload("nat to nat back")));
}

turn::test::ServerOptions turn_options(const SocketAddress& at, turn::Transport t) {
  turn::test::ServerOptions o;
  o.address = at;
  o.transport = t;
  return o;
}

TurnServer turn_config(const SocketAddress& at, TurnTransport t = TurnTransport::Udp,
                       std::string password = "secret", StreamId stream = 0) {
  TurnServer s;
  s.address = at;
  s.transport = t;
  s.stream = stream;
  s.username = "alice";
  s.password = std::move(password);
  s.url = "turn:" + at.to_string() + (t == TurnTransport::Udp ? "" : "?transport=tcp");
  return s;
}

// iceTransportPolicy "relay": even with the direct path open, only the
// relay candidate is announced and checked, and checks reaching the host
// socket directly get no answer (the host address stays private).
TEST(Relay, RelayOnlyUsesTheRelayEvenWhenTheDirectPathWorks) {
  vnet::Network net(36);
  TurnServerEndpoint turn(net, turn_options(kTurn, turn::Transport::Datagram));
  Config config = controlling_config();
  config.relay_only = true;
  AgentPeer a(net, "a", config, 361);
  AgentPeer b(net, "b", controlled_config(), 362);
  a.add_socket(kA);
  b.add_socket(kB);
  a.agent().add_turn_server(turn_config(kTurn));
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(15)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  ASSERT_FALSE(a.candidates.empty());
  for (const Candidate& c : a.candidates) EXPECT_EQ(c.type, CandidateType::Relay);
  EXPECT_EQ(a.agent().selected_pair()->first.type, CandidateType::Relay);
  EXPECT_TRUE(deliver(net, a, b, payload("relayed a->b")));
  EXPECT_TRUE(deliver(net, b, a, payload("relayed b->a")));
}

TEST(Relay, ConnectsOverTurnUdpWhenTheDirectPathIsBlocked) {
  vnet::Network net(35);
  TurnServerEndpoint turn(net, turn_options(kTurn, turn::Transport::Datagram));
  AgentPeer a(net, "a", controlling_config(), 351);
  AgentPeer b(net, "b", controlled_config(), 352);
  a.add_socket(kA);
  b.add_socket(kB);
  a.agent().add_turn_server(turn_config(kTurn));
  net.set_link(kA.ip, kB.ip, kCut);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(15)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  auto relay = of_type(a.candidates, CandidateType::Relay);
  ASSERT_EQ(relay.size(), 1u);
  EXPECT_EQ(relay[0].address.ip, turn.server().options().relay_ip);
  ASSERT_TRUE(relay[0].related);
  EXPECT_EQ(*relay[0].related, kA);  // the allocation's mapped address
  EXPECT_EQ(relay[0].priority, compute_priority(CandidateType::Relay, 65535));
  // The mapped address equals the host one: no extra srflx (5.1.3).
  EXPECT_TRUE(of_type(a.candidates, CandidateType::ServerReflexive).empty());
  EXPECT_EQ(a.agent().selected_pair()->first.type, CandidateType::Relay);
  EXPECT_EQ(b.agent().selected_pair()->second.address, relay[0].address);
  EXPECT_TRUE(deliver(net, a, b, payload("relayed a->b")));
  EXPECT_TRUE(deliver(net, b, a, payload("relayed b->a")));
  EXPECT_TRUE(a.errors.empty());
  EXPECT_GT(turn.server().send_indications() + turn.server().channel_data_messages(), 0);
  // Consent and the allocation's refreshes keep it up.
  net.run_for(Duration::seconds(60));
  EXPECT_TRUE(both_connected(a, b));
  EXPECT_TRUE(deliver(net, b, a, payload("still relayed")));

  // close() deallocates (RFC 8656 section 7.3: Refresh with LIFETIME 0).
  a.agent().close(net.now());
  net.run_for(Duration::seconds(2));
  EXPECT_FALSE(turn.server().allocation_alive(kA, net.now()));
  ASSERT_FALSE(a.transmits_after_close.empty());
  for (const Transmit& t : a.transmits_after_close) EXPECT_EQ(t.destination, kTurn);
  bool saw_zero_lifetime = false;
  for (const auto& r : turn.server().requests()) {
    if (r.method == stun::method::kRefresh && r.lifetime && *r.lifetime == Duration::zero()) {
      saw_zero_lifetime = true;
    }
  }
  EXPECT_TRUE(saw_zero_lifetime);
}

TEST(Relay, ConnectsOverTurnStream) {
  vnet::Network net(36);
  const SocketAddress turn_tcp = addr("198.51.100.3:443");
  TurnServerEndpoint turn(net, turn_options(turn_tcp, turn::Transport::Stream));
  AgentPeer a(net, "a", controlling_config(), 361);
  AgentPeer b(net, "b", controlled_config(), 362);
  a.add_socket(kA);
  b.add_socket(kB);
  turn.connect_stream(a, 7, addr("10.0.0.1:40000"));
  a.agent().add_turn_server(turn_config(turn_tcp, TurnTransport::Stream, "secret", 7));
  net.set_link(kA.ip, kB.ip, kCut);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(15)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  EXPECT_EQ(a.agent().selected_pair()->first.type, CandidateType::Relay);
  // Relayed over a stream: the relay ranks below a UDP one (local preference).
  EXPECT_EQ(a.agent().selected_pair()->first.priority,
            compute_priority(CandidateType::Relay, 32767));
  EXPECT_TRUE(deliver(net, a, b, payload("over the stream")));
  EXPECT_TRUE(deliver(net, b, a, payload("back over the stream")));
  // The stream closing ends the relay. a, whose only path it was, knows at
  // once: disconnected, then failed, without waiting out consent (30 s);
  // b then loses consent.
  const Timestamp closed_at = net.now();
  a.agent().handle_stream_closed(net.now(), 7);
  EXPECT_EQ(a.state(), State::Failed);
  net.run_for(Duration::millis(10));
  ASSERT_TRUE(a.first_time_in(State::Disconnected).has_value());
  EXPECT_GE(*a.first_time_in(State::Disconnected), closed_at);
  EXPECT_EQ(*a.last_time_in(State::Failed), *a.first_time_in(State::Disconnected));
  ASSERT_EQ(a.states.back().second, State::Failed);
  ASSERT_GE(a.states.size(), 2u);
  EXPECT_EQ(a.states[a.states.size() - 2].second, State::Disconnected);
  EXPECT_FALSE(deliver(net, a, b, payload("nothing after the relay is gone")));
  ASSERT_TRUE(net.run_until([&] { return b.state() == State::Failed; }, Duration::seconds(40)));
}

TEST(Relay, RelayToRelay) {
  // Only the TURN server can reach either side: both relay.
  vnet::Network net(39);
  TurnServerEndpoint turn(net, turn_options(kTurn, turn::Transport::Datagram), 32);
  const base::IpAddress relay_ip = turn.server().options().relay_ip;
  AgentPeer a(net, "a", controlling_config(), 391);
  AgentPeer b(net, "b", controlled_config(), 392);
  a.add_socket(kA);
  b.add_socket(kB);
  a.agent().add_turn_server(turn_config(kTurn));
  b.agent().add_turn_server(turn_config(kTurn));
  net.set_link(kA.ip, kB.ip, kCut);
  net.set_link(kA.ip, relay_ip, kCut);
  net.set_link(kB.ip, relay_ip, kCut);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(20)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  EXPECT_EQ(a.agent().selected_pair()->first.type, CandidateType::Relay);
  EXPECT_EQ(a.agent().selected_pair()->second.type, CandidateType::Relay);
  EXPECT_TRUE(deliver(net, a, b, payload("relay to relay")));
  EXPECT_TRUE(deliver(net, b, a, payload("relay to relay back")));
}

TEST(Relay, AllocateErrorCodeIsReported) {
  vnet::Network net(40);
  TurnServerEndpoint turn(net, turn_options(kTurn, turn::Transport::Datagram));
  turn.server().fail_next(stun::method::kAllocate, 486, 5);
  AgentPeer a(net, "a", controlling_config(), 401);
  a.add_socket(kA);
  a.agent().add_turn_server(turn_config(kTurn));
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(60)));
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].code, 486);
  ASSERT_TRUE(a.errors[0].local);
  EXPECT_EQ(*a.errors[0].local, kA);
}

TEST(Relay, WrongPasswordIsACandidateError) {
  vnet::Network net(37);
  TurnServerEndpoint turn(net, turn_options(kTurn, turn::Transport::Datagram));
  AgentPeer a(net, "a", controlling_config(), 371);
  a.add_socket(kA);
  a.agent().add_turn_server(turn_config(kTurn, TurnTransport::Udp, "wrong"));
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(60)));
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].code, 401);
  EXPECT_EQ(a.errors[0].url, "turn:198.51.100.2:3478");
  EXPECT_FALSE(a.errors[0].text.empty());
  EXPECT_TRUE(of_type(a.candidates, CandidateType::Relay).empty());
}

TEST(Relay, UnreachableTurnServerIs701) {
  vnet::Network net(38);
  AgentPeer a(net, "a", controlling_config(), 381);
  a.add_socket(kA);
  a.agent().add_turn_server(turn_config(addr("198.51.100.9:3478")));
  a.agent().add_turn_server(turn_config(addr("[2001:db8::9]:3478")));  // no IPv6 socket
  a.agent().gather(net.now());
  ASSERT_TRUE(net.run_until([&] { return a.agent().gathering_state() == GatheringState::Complete; },
                            Duration::seconds(120)));
  ASSERT_EQ(a.errors.size(), 2u);
  for (const CandidateError& e : a.errors) EXPECT_EQ(e.code, 701);
  EXPECT_FALSE(net.stalled());
}

}  // namespace
}  // namespace wasmrtc::ice::test
