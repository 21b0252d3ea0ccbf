// Consent freshness (RFC 7675) timing on the simulated clock, recovery,
// peer-reflexive discovery (RFC 8445 sections 7.2.5.3.1 and 7.3.1.3)
// through NATs, and failure when no pair works.
#include <gtest/gtest.h>

#include "ice/harness.h"

namespace wasmrtc::ice::test {
namespace {

const SocketAddress kA = addr("10.0.0.1:5000");
const SocketAddress kB = addr("10.0.0.2:6000");
const vnet::LinkProfile kCut{0, Duration::millis(10), Duration::zero(), 0, false};
const vnet::LinkProfile kFine{0, Duration::millis(10), Duration::zero(), 0, true};

TEST(Consent, LossGivesDisconnectedThenFailed) {
  vnet::Network net(21);
  AgentPeer a(net, "a", controlling_config(), 211);
  AgentPeer b(net, "b", controlled_config(), 212);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  net.run_for(Duration::seconds(17));  // somewhere between two consent checks
  ASSERT_TRUE(both_connected(a, b));
  const Timestamp cut = net.now();
  net.set_link(kA.ip, kB.ip, kCut);

  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Disconnected; }, Duration::seconds(10)));
  const Duration disconnected = net.now() - cut;
  // The pair is heard from at least every ~2.5 s, and disconnected_timeout
  // (5 s) after the last time it is reported disconnected.
  EXPECT_GE(disconnected, Duration::seconds(2));
  EXPECT_LE(disconnected, Duration::seconds(5) + Duration::millis(50));
  EXPECT_EQ(a.agent().send(net.now(), payload("still allowed")).ok(), true);

  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Failed; }, Duration::seconds(40)));
  const Duration failed = net.now() - cut;
  // Consent (answers to our own requests, every 4-6 s) expires 30 s after
  // the last one.
  EXPECT_GE(failed, Duration::seconds(23));
  EXPECT_LE(failed, Duration::seconds(30) + Duration::millis(50));
  EXPECT_EQ(a.agent().send(net.now(), payload("no consent")).error(), Error::NotConnected);
  ASSERT_TRUE(net.run_until([&] { return b.state() == State::Failed; }, Duration::seconds(10)));
  // Nothing more goes out on the failed pair.
  const size_t sent = a.datagrams_sent;
  net.run_for(Duration::seconds(30));
  EXPECT_EQ(a.datagrams_sent, sent);
  EXPECT_FALSE(net.stalled());
}

TEST(Consent, RecoversBeforeFailing) {
  vnet::Network net(22);
  AgentPeer a(net, "a", controlling_config(), 221);
  AgentPeer b(net, "b", controlled_config(), 222);
  a.signal_end_of_candidates = false;  // stay "connected" rather than "completed"
  b.signal_end_of_candidates = false;
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  net.set_link(kA.ip, kB.ip, kCut);
  ASSERT_TRUE(net.run_until(
      [&] { return a.state() == State::Disconnected && b.state() == State::Disconnected; },
      Duration::seconds(10)));
  net.run_for(Duration::seconds(8));
  EXPECT_EQ(a.state(), State::Disconnected);
  net.set_link(kA.ip, kB.ip, kFine);
  const Timestamp restored = net.now();
  ASSERT_TRUE(net.run_until(
      [&] { return a.state() == State::Connected && b.state() == State::Connected; },
      Duration::seconds(8)));
  EXPECT_LE(net.now() - restored, Duration::seconds(6));
  EXPECT_TRUE(deliver(net, a, b, payload("back")));
  EXPECT_TRUE(deliver(net, b, a, payload("back too")));
  // And it holds past the moment consent would have expired.
  net.run_for(Duration::seconds(40));
  EXPECT_EQ(a.state(), State::Connected);
  EXPECT_EQ(b.state(), State::Connected);
  EXPECT_EQ(a.selections.size(), 1u);
}

TEST(Checking, AllPairsFailWithEndOfCandidates) {
  vnet::Network net(23);
  AgentPeer a(net, "a", controlling_config(), 231);
  AgentPeer b(net, "b", controlled_config(), 232);
  a.add_socket(kA);
  b.add_socket(kB);
  net.set_link(kA.ip, kB.ip, kCut);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Failed && b.state() == State::Failed; },
                            Duration::seconds(40)));
  // Checks give up after their retransmissions (about 9.5 s), well before
  // checking_timeout.
  EXPECT_LT(*a.first_time_in(State::Failed) - *a.first_time_in(State::Checking),
            Duration::seconds(15));
  for (const PairStats& s : a.agent().pair_stats()) EXPECT_EQ(s.state, "failed");
  EXPECT_TRUE(a.selections.empty());
  net.run_for(Duration::seconds(30));
  EXPECT_FALSE(net.stalled());
  EXPECT_EQ(a.state(), State::Failed);
}

TEST(Checking, FailsAfterCheckingTimeoutWithoutEndOfCandidates) {
  vnet::Network net(24);
  AgentPeer a(net, "a", controlling_config(), 241);
  AgentPeer b(net, "b", controlled_config(), 242);
  a.signal_end_of_candidates = false;
  b.signal_end_of_candidates = false;
  a.add_socket(kA);
  b.add_socket(kB);
  net.set_link(kA.ip, kB.ip, kCut);
  start(a, b);
  net.run_for(Duration::seconds(20));
  EXPECT_EQ(a.state(), State::Checking);  // more candidates might still come
  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Failed; }, Duration::seconds(30)));
  EXPECT_FALSE(net.stalled());
}

TEST(PeerReflexive, RemoteCandidatesWithheld) {
  vnet::Network net(25);
  AgentPeer a(net, "a", controlling_config(), 251);
  AgentPeer b(net, "b", controlled_config(), 252);
  a.add_socket(kA);
  b.add_socket(kB);
  // b never hears of a's candidates: it learns a from a's checks (7.3.1.3).
  a.candidate_filter = [](const Candidate&) { return false; };
  a.signal_end_of_candidates = false;
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(2)));
  auto sel = b.agent().selected_pair();
  EXPECT_EQ(sel->second.type, CandidateType::PeerReflexive);
  EXPECT_EQ(sel->second.address, kA);
  // Its priority is the PRIORITY attribute of a's check (7.1.1).
  EXPECT_EQ(sel->second.priority, compute_priority(CandidateType::PeerReflexive, 65535));
  EXPECT_TRUE(deliver(net, b, a, payload("to prflx")));
  // The real candidate arriving later replaces the peer-reflexive one (RFC 8838 11).
  ASSERT_FALSE(a.candidates.empty());
  ASSERT_TRUE(b.agent().add_remote_candidate(net.now(), a.candidates[0]).ok());
  ASSERT_EQ(b.agent().remote_candidates().size(), 1u);
  EXPECT_EQ(b.agent().remote_candidates()[0].type, CandidateType::Host);
}

TEST(PeerReflexive, ThroughPortRestrictedNat) {
  // a sits behind a NAT and has no STUN server: its only candidate is the
  // private host one, useless to b. a's checks to b punch the NAT; b learns
  // a's public address as peer-reflexive (7.3.1.3), and a learns its own
  // mapped address as a peer-reflexive local candidate (7.2.5.3.1).
  vnet::Network net(26);
  const SocketAddress priv = addr("192.168.1.10:5000");
  const base::IpAddress pub = addr("198.51.100.20:0").ip;
  net.add_nat({priv.ip}, pub, vnet::NatType::PortRestricted);
  AgentPeer a(net, "a", controlled_config(), 261);
  AgentPeer b(net, "b", controlling_config(), 262);
  a.add_socket(priv);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(10)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  auto on_a = a.agent().selected_pair();
  auto on_b = b.agent().selected_pair();
  EXPECT_EQ(on_a->first.type, CandidateType::PeerReflexive);
  EXPECT_EQ(on_a->first.address.ip, pub);
  ASSERT_TRUE(on_a->first.related);
  EXPECT_EQ(*on_a->first.related, priv);
  EXPECT_EQ(on_b->second.type, CandidateType::PeerReflexive);
  EXPECT_EQ(on_b->second.address, on_a->first.address);
  EXPECT_TRUE(deliver(net, a, b, payload("out of the nat")));
  EXPECT_TRUE(deliver(net, b, a, payload("into the nat")));
  // Peer-reflexive candidates are not trickled.
  for (const Candidate& c : a.candidates) EXPECT_NE(c.type, CandidateType::PeerReflexive);
}

TEST(PeerReflexive, BothBehindSymmetricNatsFail) {
  // Without a relay two symmetric NATs cannot be traversed: the agents
  // must give up cleanly (end-of-candidates -> failed).
  vnet::Network net(27);
  net.add_nat({addr("192.168.1.10:1").ip}, addr("198.51.100.20:0").ip, vnet::NatType::Symmetric);
  net.add_nat({addr("192.168.2.10:1").ip}, addr("198.51.100.30:0").ip, vnet::NatType::Symmetric);
  AgentPeer a(net, "a", controlling_config(), 271);
  AgentPeer b(net, "b", controlled_config(), 272);
  a.add_socket(addr("192.168.1.10:5000"));
  b.add_socket(addr("192.168.2.10:6000"));
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Failed && b.state() == State::Failed; },
                            Duration::seconds(40)));
  EXPECT_FALSE(net.stalled());
}

}  // namespace
}  // namespace wasmrtc::ice::test
