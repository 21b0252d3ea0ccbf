// Two agents on the virtual network: connecting with and without loss,
// role conflicts, trickle orders, ice-lite peers, restarts, close.
#include <gtest/gtest.h>

#include "ice/checklist.h"
#include "ice/harness.h"
#include "ice/stun_messages.h"

namespace wasmrtc::ice::test {
namespace {

const SocketAddress kA = addr("10.0.0.1:5000");
const SocketAddress kB = addr("10.0.0.2:6000");

TEST(AgentConnect, NoLoss) {
  vnet::Network net(1);
  AgentPeer a(net, "a", controlling_config(), 11);
  AgentPeer b(net, "b", controlled_config(), 12);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  EXPECT_FALSE(net.stalled());
  // One host pair, 10 ms each way: well under a second.
  EXPECT_LT(*a.first_time_in(State::Connected) - *a.first_time_in(State::Checking),
            Duration::millis(500));
  EXPECT_TRUE(selections_agree(a, b));
  ASSERT_EQ(a.selections.size(), 1u);
  ASSERT_EQ(b.selections.size(), 1u);
  EXPECT_EQ(a.selections[0].local.address, kA);
  EXPECT_EQ(a.selections[0].remote.address, kB);
  // Gathering done and end-of-candidates signalled: both complete.
  ASSERT_TRUE(net.run_until(
      [&] { return a.state() == State::Completed && b.state() == State::Completed; },
      Duration::seconds(2)));
  EXPECT_EQ(a.agent().gathering_state(), GatheringState::Complete);
  EXPECT_TRUE(deliver(net, a, b, payload("a to b")));
  EXPECT_TRUE(deliver(net, b, a, payload("b to a")));
  // The states went new -> checking -> connected -> completed.
  ASSERT_GE(a.states.size(), 3u);
  EXPECT_EQ(a.states[0].second, State::Checking);
  EXPECT_EQ(a.states[1].second, State::Connected);
  EXPECT_EQ(a.states[2].second, State::Completed);
  EXPECT_TRUE(a.role_changes.empty());
  EXPECT_TRUE(b.role_changes.empty());
  // Stats: the selected pair is there, nominated, with traffic.
  bool found = false;
  for (const PairStats& s : a.agent().pair_stats()) {
    if (!s.selected) continue;
    found = true;
    EXPECT_TRUE(s.nominated);
    EXPECT_EQ(s.state, "succeeded");
    EXPECT_GE(s.requests_sent, 2u);  // the check and the nomination
    EXPECT_GE(s.responses_received, 2u);
    EXPECT_GT(s.bytes_sent, 0u);
    EXPECT_TRUE(s.current_rtt);
  }
  EXPECT_TRUE(found);
}

TEST(AgentConnect, StaysConnectedWithConsent) {
  vnet::Network net(2);
  AgentPeer a(net, "a", controlling_config(), 21);
  AgentPeer b(net, "b", controlled_config(), 22);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  const size_t states_a = a.states.size(), states_b = b.states.size();
  net.run_for(Duration::seconds(120));
  EXPECT_FALSE(net.stalled());
  EXPECT_TRUE(both_connected(a, b));
  EXPECT_EQ(a.states.size(), states_a);  // no flapping through disconnected
  EXPECT_EQ(b.states.size(), states_b);
  uint64_t consent = 0;
  for (const PairStats& s : a.agent().pair_stats()) consent += s.consent_requests_sent;
  // RFC 7675: every 4-6 s (plus a few when the pair is quiet): 120 s -> 20..60.
  EXPECT_GE(consent, 20u);
  EXPECT_LE(consent, 60u);
}

class LossyConnect : public ::testing::TestWithParam<uint64_t> {};

TEST_P(LossyConnect, TwentyPercentLoss) {
  const uint64_t seed = GetParam();
  vnet::Network net(seed);
  net.set_default_link(vnet::LinkProfile{0.2, Duration::millis(30), Duration::millis(20), 0.02});
  AgentPeer a(net, "a", controlling_config(), seed * 10 + 1);
  AgentPeer b(net, "b", controlled_config(), seed * 10 + 2);
  a.add_socket(kA);
  a.add_socket(addr("10.0.1.1:5001"));
  b.add_socket(kB);
  b.add_socket(addr("10.0.1.2:6001"));
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(30)))
      << "seed " << seed << " a=" << to_string(a.state()) << " b=" << to_string(b.state());
  EXPECT_FALSE(net.stalled());
  // The controlled side may select slightly later than the controlling.
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(10)));
  EXPECT_TRUE(deliver(net, a, b, payload("lossy a->b"), Duration::seconds(10)));
  EXPECT_TRUE(deliver(net, b, a, payload("lossy b->a"), Duration::seconds(10)));
  EXPECT_TRUE(selections_agree(a, b));
  EXPECT_EQ(a.agent().role(), Role::Controlling);
  EXPECT_EQ(b.agent().role(), Role::Controlled);
}

INSTANTIATE_TEST_SUITE_P(Seeds, LossyConnect, ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8));

TEST(AgentConnect, SameSeedSameRun) {
  // Determinism: everything comes from the seeds and the simulated clock.
  auto run = [](std::vector<std::pair<Timestamp, State>>& states) {
    vnet::Network net(99);
    net.set_default_link(vnet::LinkProfile{0.2, Duration::millis(25), Duration::millis(10), 0});
    AgentPeer a(net, "a", controlling_config(), 1);
    AgentPeer b(net, "b", controlled_config(), 2);
    a.add_socket(kA);
    b.add_socket(kB);
    start(a, b);
    net.run_for(Duration::seconds(15));
    states = a.states;
    return net.stats().sent;
  };
  std::vector<std::pair<Timestamp, State>> s1, s2;
  EXPECT_EQ(run(s1), run(s2));
  EXPECT_EQ(s1, s2);
}

class RoleConflict : public ::testing::TestWithParam<Role> {};

TEST_P(RoleConflict, Resolves) {
  const Role both = GetParam();
  vnet::Network net(3);
  Config ca, cb;
  ca.role = cb.role = both;
  AgentPeer a(net, "a", ca, 31);
  AgentPeer b(net, "b", cb, 32);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(10)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  // Section 7.3.1.1: exactly one ends up controlling, and that one changed
  // its role (or the other did) with RoleChanged.
  EXPECT_NE(a.agent().role(), b.agent().role());
  EXPECT_EQ(a.role_changes.size() + b.role_changes.size(), 1u);
  EXPECT_TRUE(deliver(net, a, b, payload("x")));
  EXPECT_TRUE(deliver(net, b, a, payload("y")));
}

INSTANTIATE_TEST_SUITE_P(Both, RoleConflict, ::testing::Values(Role::Controlling, Role::Controlled),
                         [](const auto& info) {
                           return std::string(info.param == Role::Controlling ? "Controlling"
                                                                              : "Controlled");
                         });

TEST(AgentTrickle, RemoteCandidatesArriveBeforeRemoteCredentials) {
  vnet::Network net(4);
  AgentPeer a(net, "a", controlling_config(), 41);
  AgentPeer b(net, "b", controlled_config(), 42);
  a.add_socket(kA);
  b.add_socket(kB);
  a.agent().gather(net.now());
  b.agent().gather(net.now());
  net.flush();
  // b gets a's candidates first, a's credentials 2 s later.
  for (const Candidate& c : a.candidates) ASSERT_TRUE(b.agent().add_remote_candidate(net.now(), c).ok());
  for (const Candidate& c : b.candidates) ASSERT_TRUE(a.agent().add_remote_candidate(net.now(), c).ok());
  a.agent().set_remote_credentials(b.agent().local_credentials());
  net.run_for(Duration::seconds(2));
  // a's checks reach b, which answers (its own password suffices) and
  // queues triggered checks it cannot send yet.
  EXPECT_FALSE(b.connected());
  b.agent().set_remote_credentials(a.agent().local_credentials());
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  EXPECT_TRUE(selections_agree(a, b));
  EXPECT_TRUE(deliver(net, b, a, payload("late creds")));
}

TEST(AgentTrickle, ReversedAndDelayedCandidates) {
  vnet::Network net(5);
  AgentPeer a(net, "a", controlling_config(), 51);
  AgentPeer b(net, "b", controlled_config(), 52);
  a.add_socket(addr("10.0.0.1:5000"));
  a.add_socket(addr("10.9.0.1:5000"));  // unreachable from b
  b.add_socket(kB);
  b.add_socket(addr("10.8.0.2:6000"));  // unreachable from a
  net.set_link(addr("10.9.0.1:1").ip, kB.ip, vnet::LinkProfile{0, Duration::millis(10), {}, 0, false});
  net.set_link(addr("10.9.0.1:1").ip, addr("10.8.0.2:1").ip,
               vnet::LinkProfile{0, Duration::millis(10), {}, 0, false});
  net.set_link(kA.ip, addr("10.8.0.2:1").ip, vnet::LinkProfile{0, Duration::millis(10), {}, 0, false});
  a.signal_end_of_candidates = false;
  b.signal_end_of_candidates = false;
  a.agent().set_remote_credentials(b.agent().local_credentials());
  b.agent().set_remote_credentials(a.agent().local_credentials());
  a.agent().gather(net.now());
  b.agent().gather(net.now());
  net.flush();
  // Trickle in reverse order, one every 300 ms, alternating sides.
  std::vector<Candidate> from_a(a.candidates.rbegin(), a.candidates.rend());
  std::vector<Candidate> from_b(b.candidates.rbegin(), b.candidates.rend());
  for (size_t i = 0; i < std::max(from_a.size(), from_b.size()); ++i) {
    if (i < from_a.size()) {
      ASSERT_TRUE(b.agent().add_remote_candidate(net.now(), from_a[i]).ok());
    }
    net.run_for(Duration::millis(300));
    if (i < from_b.size()) {
      ASSERT_TRUE(a.agent().add_remote_candidate(net.now(), from_b[i]).ok());
    }
    net.run_for(Duration::millis(300));
  }
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(15)));
  EXPECT_TRUE(selections_agree(a, b));
  EXPECT_EQ(a.agent().selected_pair()->first.address, kA);
  a.agent().end_of_remote_candidates();
  b.agent().end_of_remote_candidates();
  ASSERT_TRUE(net.run_until(
      [&] { return a.state() == State::Completed && b.state() == State::Completed; },
      Duration::seconds(15)));
  // After end-of-candidates, new candidates are ignored (RFC 8838 section 14).
  Candidate late = b.candidates[0];
  late.address = addr("10.7.0.7:7777");
  EXPECT_TRUE(a.agent().add_remote_candidate(net.now(), late).ok());
  EXPECT_EQ(a.agent().remote_candidates().size(), 2u);
}

TEST(AgentTrickle, UnusableRemoteCandidates) {
  vnet::Network net(6);
  AgentPeer a(net, "a", controlling_config(), 61);
  a.add_socket(kA);
  a.agent().gather(net.now());
  net.flush();
  // mDNS names are ignored without an error.
  auto mdns = Candidate::parse("candidate:1 1 udp 2113937151 abc-def.local 5000 typ host");
  ASSERT_TRUE(mdns.ok());
  EXPECT_TRUE(a.agent().add_remote_candidate(net.now(), *mdns).ok());
  EXPECT_TRUE(a.agent().remote_candidates().empty());
  // RTCP component candidates: ignored (rtcp-mux).
  auto rtcp = Candidate::parse("candidate:1 2 udp 2113937150 10.0.0.2 5001 typ host");
  EXPECT_TRUE(a.agent().add_remote_candidate(net.now(), *rtcp).ok());
  EXPECT_TRUE(a.agent().remote_candidates().empty());
  // Port 0 or an unspecified address: unusable.
  auto zero = Candidate::parse("candidate:1 1 udp 2113937151 10.0.0.2 0 typ host");
  EXPECT_EQ(a.agent().add_remote_candidate(net.now(), *zero).error(), Error::BadCandidate);
  auto any = Candidate::parse("candidate:1 1 udp 2113937151 0.0.0.0 9 typ host");
  EXPECT_EQ(a.agent().add_remote_candidate(net.now(), *any).error(), Error::BadCandidate);
  Candidate tcp = *zero;
  tcp.transport = "tcp";
  tcp.address.port = 9;
  EXPECT_EQ(a.agent().add_remote_candidate(net.now(), tcp).error(), Error::BadCandidate);
  // Duplicates are accepted once.
  auto ok = Candidate::parse("candidate:1 1 udp 2113937151 10.0.0.2 6000 typ host");
  EXPECT_TRUE(a.agent().add_remote_candidate(net.now(), *ok).ok());
  EXPECT_TRUE(a.agent().add_remote_candidate(net.now(), *ok).ok());
  EXPECT_EQ(a.agent().remote_candidates().size(), 1u);
  EXPECT_EQ(a.agent().send(net.now(), payload("nope")).error(), Error::NotConnected);
}

TEST(AgentLite, RemoteLitePeer) {
  vnet::Network net(7);
  Config lite;
  lite.lite = true;
  // A full agent configured as controlled still takes control of a lite peer.
  AgentPeer a(net, "a", controlled_config(), 71);
  AgentPeer b(net, "b", lite, 72);
  a.add_socket(kA);
  b.add_socket(kB);
  a.signal_to(b);
  b.signal_to(a);
  b.send_credentials(/*lite=*/true);
  a.agent().gather(net.now());
  b.agent().gather(net.now());
  net.flush();
  EXPECT_EQ(a.agent().role(), Role::Controlling);
  EXPECT_EQ(b.agent().role(), Role::Controlled);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  EXPECT_TRUE(selections_agree(a, b));
  EXPECT_TRUE(deliver(net, a, b, payload("to lite")));
  EXPECT_TRUE(deliver(net, b, a, payload("from lite")));
  // The lite agent never sends a check of its own.
  for (const PairStats& s : b.agent().pair_stats()) EXPECT_EQ(s.requests_sent, 0u);
  // Consent keeps going from the full side only, answered by the lite one.
  net.run_for(Duration::seconds(40));
  EXPECT_TRUE(a.connected());
  EXPECT_TRUE(b.connected());
}

TEST(AgentRestart, NewPathAfterTheOldOneIsCut) {
  vnet::Network net(8);
  AgentPeer a(net, "a", controlling_config(), 81);
  AgentPeer b(net, "b", controlled_config(), 82);
  const SocketId old_socket = a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  // a moves to another network: the old address is gone.
  net.set_host_up(kA.ip, false);
  a.drop_socket(old_socket);
  const SocketAddress moved = addr("10.0.5.1:5000");
  a.add_socket(moved);
  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Disconnected; }, Duration::seconds(10)));
  // Section 9: both restart with fresh credentials, a's offer first.
  base::SeededRandom r(800);
  a.agent().restart(net.now(), random_credentials(r));
  a.send_credentials();
  b.agent().restart(net.now(), random_credentials(r));
  b.send_credentials();
  net.flush();
  ASSERT_TRUE(net.run_until(
      [&] { return both_connected(a, b) && a.agent().selected_pair()->first.address == moved; },
      Duration::seconds(10)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(5)));
  EXPECT_EQ(b.agent().selected_pair()->second.address, moved);
  EXPECT_TRUE(deliver(net, a, b, payload("after restart")));
  EXPECT_TRUE(deliver(net, b, a, payload("after restart back")));
  EXPECT_GE(a.selections.size(), 2u);
}

TEST(AgentRestart, OldPairCarriesDataUntilTheNewOneIsSelected) {
  vnet::Network net(9);
  AgentPeer a(net, "a", controlling_config(), 91);
  AgentPeer b(net, "b", controlled_config(), 92);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  base::SeededRandom r(900);
  // b (answerer side) learns a's new credentials before restarting itself.
  a.agent().restart(net.now(), random_credentials(r));
  a.send_credentials();
  // Data still flows on the old pair both ways meanwhile.
  EXPECT_TRUE(deliver(net, a, b, payload("during restart")));
  EXPECT_TRUE(deliver(net, b, a, payload("during restart back")));
  b.agent().restart(net.now(), random_credentials(r));
  b.send_credentials();
  // The same path is selected again in the new generation (no
  // SelectedPairChanged: the candidates did not change).
  auto reselected = [](AgentPeer& p) {
    for (const PairStats& s : p.agent().pair_stats()) {
      if (s.selected) return true;
    }
    return false;
  };
  ASSERT_TRUE(net.run_until([&] { return reselected(a) && reselected(b); }, Duration::seconds(5)));
  EXPECT_EQ(a.selections.size(), 1u);
  // Still connected, consent running.
  net.run_for(Duration::seconds(40));
  EXPECT_TRUE(both_connected(a, b));
  EXPECT_TRUE(deliver(net, a, b, payload("new generation")));
}

TEST(AgentRestart, RecoversFromFailed) {
  vnet::Network net(11);
  AgentPeer a(net, "a", controlling_config(), 111);
  AgentPeer b(net, "b", controlled_config(), 112);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  const vnet::LinkProfile cut{0, Duration::millis(10), Duration::zero(), 0, false};
  net.set_link(kA.ip, kB.ip, cut);
  ASSERT_TRUE(net.run_until([&] { return a.state() == State::Failed && b.state() == State::Failed; },
                            Duration::seconds(40)));
  net.set_link(kA.ip, kB.ip, vnet::LinkProfile{});
  base::SeededRandom r(1100);
  a.agent().restart(net.now(), random_credentials(r));
  a.send_credentials();
  b.agent().restart(net.now(), random_credentials(r));
  b.send_credentials();
  net.flush();
  EXPECT_EQ(a.state(), State::Checking);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  EXPECT_TRUE(deliver(net, a, b, payload("alive again")));
  EXPECT_TRUE(deliver(net, b, a, payload("alive again too")));
}

TEST(AgentConnect, DualStackPairsByFamily) {
  vnet::Network net(12);
  AgentPeer a(net, "a", controlling_config(), 121);
  AgentPeer b(net, "b", controlled_config(), 122);
  a.add_socket(addr("[2001:db8::1]:5000"));
  a.add_socket(kA);
  b.add_socket(addr("[2001:db8::2]:6000"));
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  ASSERT_TRUE(net.run_until([&] { return selections_agree(a, b); }, Duration::seconds(2)));
  // IPv4 and IPv6 candidates are never paired with each other (6.1.2.2),
  // and the first socket (IPv6 here) has the higher local preference.
  for (const PairStats& s : a.agent().pair_stats()) {
    EXPECT_EQ(s.local.address.family(), s.remote.address.family());
  }
  EXPECT_EQ(a.agent().selected_pair()->first.address, addr("[2001:db8::1]:5000"));
  EXPECT_TRUE(deliver(net, a, b, payload("v6")));
}

TEST(AgentClose, OnlyTurnDeallocationAfterClose) {
  vnet::Network net(10);
  AgentPeer a(net, "a", controlling_config(), 101);
  AgentPeer b(net, "b", controlled_config(), 102);
  a.add_socket(kA);
  b.add_socket(kB);
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  a.agent().close(net.now());
  net.flush();
  EXPECT_EQ(a.state(), State::Closed);
  const size_t sent = a.datagrams_sent;
  net.run_for(Duration::seconds(10));
  EXPECT_EQ(a.datagrams_sent, sent);
  EXPECT_FALSE(a.agent().poll_timeout().is_set());
  EXPECT_EQ(a.agent().send(net.now(), payload("x")).error(), Error::Closed);
  // b loses consent and fails.
  ASSERT_TRUE(net.run_until([&] { return b.state() == State::Failed; }, Duration::seconds(40)));
}

// Issue 14: what a remote peer can make an agent hold is bounded.
// Signalled candidates past Config::max_remote_candidates are refused, and
// the connection still comes up on the ones taken.
TEST(AgentLimits, RemoteCandidatesPastTheLimitAreRefused) {
  vnet::Network net(41);
  Config ca = controlling_config();
  ca.max_remote_candidates = 4;
  AgentPeer a(net, "a", ca, 411);
  AgentPeer b(net, "b", controlled_config(), 412);
  b.signal_end_of_candidates = false;  // after it, later candidates are ignored (RFC 8838 section 14)
  a.add_socket(kA);
  b.add_socket(kB);
  // Three candidates that lead nowhere come first.
  for (int i = 0; i < 3; ++i) {
    auto junk = Candidate::parse("candidate:9 1 udp 2113937151 10.0.9." + std::to_string(i + 1) + " 7000 typ host");
    ASSERT_TRUE(a.agent().add_remote_candidate(net.now(), *junk).ok());
  }
  start(a, b);
  ASSERT_TRUE(net.run_until([&] { return both_connected(a, b); }, Duration::seconds(5)));
  EXPECT_EQ(a.agent().remote_candidates().size(), 4u);
  auto fifth = Candidate::parse("candidate:9 1 udp 2113937151 10.0.9.200 7000 typ host");
  EXPECT_EQ(a.agent().add_remote_candidate(net.now(), *fifth).error(), Error::TooManyCandidates);
  EXPECT_EQ(a.agent().remote_candidates().size(), 4u);
  EXPECT_EQ(a.agent().dropped_remote_candidates(), 1u);
  EXPECT_TRUE(deliver(net, a, b, payload("still fine")));
}

// A peer that knows our password checks from ever new source addresses:
// every check is answered, but no more than Config::max_peer_reflexive
// peer-reflexive candidates are made, and the pairs stay bounded.
TEST(AgentLimits, PeerReflexiveCandidatesFromAFloodOfSourcesAreBounded) {
  vnet::Network net(42);
  AgentPeer a(net, "a", controlled_config(), 421);
  const SocketId socket = a.add_socket(kA);
  a.agent().gather(net.now());
  net.flush();
  const Credentials evil{"evil", "evilpasswordevilpassword"};
  a.agent().set_remote_credentials(evil);
  const Credentials& local = a.agent().local_credentials();
  size_t answered = 0;
  constexpr int kSources = 1000;
  for (int i = 0; i < kSources; ++i) {
    stun::TransactionId id{};
    id[0] = static_cast<uint8_t>(i);
    id[1] = static_cast<uint8_t>(i >> 8);
    CheckRequest req;
    req.username = local.ufrag + ":" + evil.ufrag;
    req.priority = 1000 + i;
    req.role = Role::Controlling;
    req.tie_breaker = 1;
    const std::string text = "10.66." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) + ":4000";
    const auto from = addr(text.c_str());
    a.agent().handle_datagram(net.now(), socket, from, encode_check_request(id, req, local.pwd));
    while (auto o = a.agent().poll_output()) {
      if (auto* t = std::get_if<Transmit>(&*o); t && t->destination == from) ++answered;
    }
  }
  EXPECT_GE(answered, static_cast<size_t>(kSources));  // each answered (7.3.1.2)
  size_t prflx = 0;
  for (const Candidate& c : a.agent().remote_candidates()) prflx += c.type == CandidateType::PeerReflexive;
  EXPECT_EQ(prflx, Config{}.max_peer_reflexive);
  EXPECT_EQ(a.agent().dropped_remote_candidates(), kSources - Config{}.max_peer_reflexive);
  EXPECT_LE(a.agent().pair_stats().size(), CheckList::kMaxKept);
}

// The check list keeps kMaxPairs in play (RFC 8445 section 6.1.2.5) and no
// more than kMaxKept pairs in all, however many better pairs keep coming.
TEST(CheckListLimits, KeptPairsStayBounded) {
  CheckList list;
  size_t refused = 0;
  for (size_t i = 0; i < 5 * CheckList::kMaxKept; ++i) {
    if (!list.add(0, i, "f" + std::to_string(i), 1000 + i)) ++refused;
  }
  EXPECT_LE(list.size(), CheckList::kMaxKept);
  EXPECT_GT(refused, 0u);
  size_t active = 0;
  for (const CandidatePair& p : list.pairs()) active += p.in_check_list && !p.removed;
  EXPECT_LE(active, CheckList::kMaxPairs);
}

}  // namespace
}  // namespace wasmrtc::ice::test
