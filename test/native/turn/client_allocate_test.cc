// The allocation's life: Allocate with the 401 challenge, 438 and 300
// handling, retransmission and timeouts, Refresh over long runs, close.
#include <gtest/gtest.h>

#include "harness.h"
#include "stun/attributes.h"
#include "stun/constants.h"
#include "stun/serialize.h"
#include "turn/constants.h"

namespace wasmrtc::turn::test {
namespace {

using base::Duration;

const base::SocketAddress kServer = addr("198.51.100.1:3478");
const base::SocketAddress kAlternate = addr("198.51.100.2:3478");

ServerOptions options_at(const base::SocketAddress& a) {
  ServerOptions o;
  o.address = a;
  return o;
}

std::vector<const ReceivedRequest*> requests_of(const TestServer& s, uint16_t method) {
  std::vector<const ReceivedRequest*> out;
  for (const ReceivedRequest& r : s.requests()) {
    if (r.method == method) out.push_back(&r);
  }
  return out;
}

TEST(TurnClientAllocate, SucceedsAfter401Challenge) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  EXPECT_EQ(client.state(), State::New);
  EXPECT_FALSE(client.poll_timeout().is_set());

  client.allocate(net.now);
  EXPECT_EQ(client.state(), State::Allocating);
  net.run_for(Duration::seconds(1));

  ASSERT_EQ(client.state(), State::Allocated);
  auto allocated = net.events_of<Allocated>();
  ASSERT_EQ(allocated.size(), 1u);
  EXPECT_EQ(allocated[0].relayed, server.relayed_address(net.client_address).value());
  EXPECT_EQ(allocated[0].mapped, net.client_address);
  EXPECT_EQ(allocated[0].lifetime, Duration::seconds(600));
  EXPECT_EQ(client.relayed_address(), allocated[0].relayed);
  EXPECT_EQ(client.mapped_address(), net.client_address);

  // RFC 8656 section 7.1 then RFC 8489 section 9.2.5: unauthenticated first,
  // then with USERNAME/REALM/NONCE/MESSAGE-INTEGRITY.
  auto allocates = requests_of(server, stun::method::kAllocate);
  ASSERT_EQ(allocates.size(), 2u);
  EXPECT_FALSE(allocates[0]->authenticated);
  EXPECT_TRUE(allocates[1]->authenticated);
  EXPECT_EQ(allocates[1]->lifetime, Duration::seconds(600));
  EXPECT_EQ(client.stats().retransmissions, 0u);
  EXPECT_STREQ(to_string(client.state()), "allocated");
}

TEST(TurnClientAllocate, NoAuthenticationNeeded) {
  Network net;
  ServerOptions o = options_at(kServer);
  o.require_auth = false;
  TestServer& server = net.add_server(o);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Allocated);
  EXPECT_EQ(server.count(stun::method::kAllocate), 1);
}

// RFC 8489 section 9.2.5: 438 -> retry with the new nonce.
TEST(TurnClientAllocate, RecoversFromStaleNonce) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  server.stale_nonce(2);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Allocated);
  // 401, 438, 438, success.
  EXPECT_EQ(server.count(stun::method::kAllocate), 4);
}

TEST(TurnClientAllocate, EndlessStaleNoncesFail) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  server.stale_nonce(100);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 438);
  EXPECT_EQ(client.state(), State::Failed);
}

TEST(TurnClientAllocate, WrongPasswordFailsWith401) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Config config = net.client_config(kServer);
  config.password = "wrong";
  Client& client = net.make_client(config);
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 401);
  EXPECT_NE(failed[0].reason.find("401"), std::string::npos) << failed[0].reason;
  EXPECT_EQ(client.state(), State::Failed);
  EXPECT_EQ(server.count(stun::method::kAllocate), 2);  // no endless retrying
  EXPECT_FALSE(client.poll_timeout().is_set());
}

TEST(TurnClientAllocate, OtherErrorsFailWithCodeAndReason) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  server.fail_next(stun::method::kAllocate, error_code::kAllocationQuotaReached);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 486);
  EXPECT_NE(failed[0].reason.find("Injected"), std::string::npos) << failed[0].reason;
}

// RFC 8656 section 7.2 step 7: an IPv6 relay from a server without one.
TEST(TurnClientAllocate, UnsupportedFamilyFailsWith440) {
  Network net;
  net.add_server(options_at(kServer));
  Config config = net.client_config(kServer);
  config.family = base::AddressFamily::V6;
  Client& client = net.make_client(config);
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 440);
}

// RFC 8656 section 7.4 / RFC 8489 section 10, over UDP: the client moves.
TEST(TurnClientAllocate, TryAlternateOnDatagramSwitchesServer) {
  Network net;
  TestServer& first = net.add_server(options_at(kServer));
  TestServer& second = net.add_server(options_at(kAlternate));
  first.redirect(kAlternate);
  Client& client = net.make_client(net.client_config(kServer));
  EXPECT_TRUE(client.is_server(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));

  ASSERT_EQ(client.state(), State::Allocated);
  EXPECT_TRUE(client.is_server(kAlternate));
  EXPECT_FALSE(client.is_server(kServer));
  EXPECT_FALSE(first.relayed_address(net.client_address).has_value());
  ASSERT_TRUE(second.relayed_address(net.client_address).has_value());
  EXPECT_EQ(net.events_of<Allocated>().at(0).relayed, *second.relayed_address(net.client_address));
  EXPECT_FALSE(net.has_event<Redirected>());
  // 401 then 300 at the first; 401 then success at the second.
  EXPECT_EQ(first.count(stun::method::kAllocate), 2);
  EXPECT_EQ(second.count(stun::method::kAllocate), 2);
  EXPECT_EQ(client.config().server, kServer);
}

TEST(TurnClientAllocate, RedirectLoopsEnd) {
  Network net;
  TestServer& first = net.add_server(options_at(kServer));
  TestServer& second = net.add_server(options_at(kAlternate));
  first.redirect(kAlternate, 10);
  second.redirect(kServer, 10);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(5));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 300);
}

// Over a stream the embedder has to reconnect.
TEST(TurnClientAllocate, TryAlternateOnStreamIsAnEvent) {
  Network net(Transport::Stream);
  TestServer& server = net.add_server(options_at(kServer));
  server.redirect(kAlternate);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto redirected = net.events_of<Redirected>();
  ASSERT_EQ(redirected.size(), 1u);
  EXPECT_EQ(redirected[0].server, kAlternate);
  EXPECT_EQ(client.state(), State::Failed);
  EXPECT_FALSE(net.has_event<AllocationFailed>());
  EXPECT_FALSE(client.poll_timeout().is_set());
}

// RFC 8489 section 6.2.1: lost requests are sent again (500 ms, doubling).
TEST(TurnClientAllocate, LossRecoveredByRetransmission) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  net.drop_to_server = 3;
  Client& client = net.make_client(net.client_config(kServer));
  const base::Timestamp start = net.now;
  client.allocate(net.now);
  ASSERT_TRUE(net.run_while_not([&] { return client.state() == State::Allocated; }));
  EXPECT_EQ(client.stats().retransmissions, 3u);
  // The 4th transmission leaves at 0.5 + 1 + 2 = 3.5 s.
  EXPECT_GE(net.now - start, Duration::millis(3500));
  EXPECT_LT(net.now - start, Duration::seconds(4));
  EXPECT_EQ(server.count(stun::method::kAllocate), 2);
}

// Lost responses: the server answers retransmissions from its cache.
TEST(TurnClientAllocate, LostResponsesRecovered) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  net.drop_to_client = 2;
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  ASSERT_TRUE(net.run_while_not([&] { return client.state() == State::Allocated; }));
  EXPECT_EQ(client.stats().retransmissions, 2u);
  int retransmissions_seen = 0;
  for (const ReceivedRequest& r : server.requests()) retransmissions_seen += r.retransmission;
  EXPECT_EQ(retransmissions_seen, 2);
}

// RFC 8489 section 6.2.1: Rc = 7 transmissions, failure at 39.5 s.
TEST(TurnClientAllocate, TimeoutOnDatagramFailsWithCode0) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  server.set_silent(true);
  Client& client = net.make_client(net.client_config(kServer));
  const base::Timestamp start = net.now;
  client.allocate(net.now);
  net.run_for(Duration::millis(39499));
  EXPECT_EQ(client.state(), State::Allocating);
  net.run_for(Duration::millis(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 0);
  EXPECT_FALSE(failed[0].reason.empty());
  EXPECT_EQ(net.now - start, Duration::millis(39500));
  EXPECT_EQ(server.count(stun::method::kAllocate), 7);
  EXPECT_EQ(client.stats().retransmissions, 6u);
}

// RFC 8489 section 6.2.2: reliable transports do not retransmit.
TEST(TurnClientAllocate, TimeoutOnStreamFailsWithCode0) {
  Network net(Transport::Stream);
  TestServer& server = net.add_server(options_at(kServer));
  server.set_silent(true);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(40));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 0);
  EXPECT_EQ(server.count(stun::method::kAllocate), 1);
  EXPECT_EQ(client.stats().retransmissions, 0u);
}

// RFC 8489 section 9.2.5: a response whose MESSAGE-INTEGRITY does not match
// is ignored over UDP (and the retransmission gets the genuine answer)...
TEST(TurnClientAllocate, BadIntegrityIgnoredOnDatagram) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  server.corrupt_integrity(1);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  ASSERT_TRUE(net.run_while_not([&] { return client.state() == State::Allocated; }));
  EXPECT_EQ(client.stats().ignored_responses, 1u);
  EXPECT_EQ(client.stats().retransmissions, 1u);
}

// ...and fails the transaction over a stream.
TEST(TurnClientAllocate, BadIntegrityFailsOnStream) {
  Network net(Transport::Stream);
  TestServer& server = net.add_server(options_at(kServer));
  server.corrupt_integrity(1);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 0);
  EXPECT_NE(failed[0].reason.find("MESSAGE-INTEGRITY"), std::string::npos) << failed[0].reason;
}

TEST(TurnClientAllocate, UnknownTransactionIdsIgnored) {
  Network net;
  net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  stun::TransactionId id{};
  id.fill(0x5a);
  stun::Message m(stun::MessageClass::SuccessResponse, stun::method::kAllocate, id);
  client.handle_input(net.now, stun::serialize(m).value());
  EXPECT_EQ(client.stats().ignored_responses, 1u);
  EXPECT_FALSE(client.poll_event().has_value());
  EXPECT_EQ(client.state(), State::Allocating);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Allocated);
}

// RFC 8656 section 8: refresh about a minute before expiry, and keep the
// allocation alive indefinitely.
TEST(TurnClientAllocate, RefreshKeepsAllocationAliveFor20Minutes) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  ASSERT_EQ(client.state(), State::Allocated);
  for (int i = 0; i < 120; ++i) {
    net.run_for(Duration::seconds(10));
    ASSERT_TRUE(server.allocation_alive(net.client_address, net.now)) << "at " << i * 10 << " s";
  }
  EXPECT_EQ(client.state(), State::Allocated);
  auto refreshes = requests_of(server, stun::method::kRefresh);
  ASSERT_EQ(refreshes.size(), 2u);  // at 540 s and 1080 s
  for (const ReceivedRequest* r : refreshes) {
    EXPECT_TRUE(r->authenticated);
    EXPECT_EQ(r->lifetime, Duration::seconds(600));
  }
  EXPECT_FALSE(net.has_event<AllocationFailed>());
}

// Short lifetimes are refreshed at half-life.
TEST(TurnClientAllocate, ShortLifetimeRefreshedAtHalfLife) {
  Network net;
  ServerOptions o = options_at(kServer);
  o.default_lifetime = Duration::seconds(60);
  o.max_lifetime = Duration::seconds(60);
  TestServer& server = net.add_server(o);
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  ASSERT_EQ(net.events_of<Allocated>().at(0).lifetime, Duration::seconds(60));
  for (int i = 0; i < 120; ++i) {
    net.run_for(Duration::seconds(10));
    ASSERT_TRUE(server.allocation_alive(net.client_address, net.now)) << "at " << i * 10 << " s";
  }
  EXPECT_GE(server.count(stun::method::kRefresh), 39);
  EXPECT_LE(server.count(stun::method::kRefresh), 41);
}

TEST(TurnClientAllocate, StaleNonceOnRefreshRetried) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.stale_nonce(1);
  net.run_for(Duration::seconds(600));
  EXPECT_EQ(client.state(), State::Allocated);
  EXPECT_EQ(server.count(stun::method::kRefresh), 2);  // 438, then the retry
  EXPECT_TRUE(server.allocation_alive(net.client_address, net.now));
}

TEST(TurnClientAllocate, RefreshErrorRetriedBeforeExpiry) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.fail_next(stun::method::kRefresh, stun::error_code::kServerError);
  net.run_for(Duration::seconds(600));
  EXPECT_EQ(client.state(), State::Allocated);
  EXPECT_EQ(server.count(stun::method::kRefresh), 2);
  EXPECT_TRUE(server.allocation_alive(net.client_address, net.now));
}

// RFC 8656 section 8.3: 437 to a Refresh means the allocation is gone.
TEST(TurnClientAllocate, AllocationMismatchOnRefreshFails) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.drop_allocation(net.client_address);
  net.run_for(Duration::seconds(600));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 437);
  EXPECT_EQ(client.state(), State::Failed);
  EXPECT_FALSE(client.relayed_address().has_value());
}

// Refreshes that never get through: the allocation ends at its expiry.
TEST(TurnClientAllocate, UnansweredRefreshesEndAtExpiry) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  const base::Timestamp start = net.now;
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.set_silent(true);
  net.run_for(Duration::seconds(700));
  auto failed = net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 0);
  EXPECT_GT(server.count(stun::method::kRefresh), 7);  // more than one attempt
  (void)start;
}

// RFC 8656 section 8.1: close = Refresh with LIFETIME 0, then Closed.
TEST(TurnClientAllocate, CloseDeallocates) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  ASSERT_TRUE(server.allocation_alive(net.client_address, net.now));
  client.close(net.now);
  EXPECT_EQ(client.state(), State::Closing);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_EQ(net.events_of<Closed>().size(), 1u);
  auto refreshes = requests_of(server, stun::method::kRefresh);
  ASSERT_EQ(refreshes.size(), 1u);
  EXPECT_EQ(refreshes[0]->lifetime, Duration::zero());
  EXPECT_FALSE(server.allocation_alive(net.client_address, net.now));
  EXPECT_FALSE(client.poll_timeout().is_set());
  client.close(net.now);  // idempotent
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(net.events_of<Closed>().size(), 1u);
}

TEST(TurnClientAllocate, CloseWithStaleNonce) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.stale_nonce(1);
  client.close(net.now);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_EQ(server.count(stun::method::kRefresh), 2);
  EXPECT_FALSE(server.allocation_alive(net.client_address, net.now));
}

TEST(TurnClientAllocate, CloseTimesOut) {
  Network net;
  TestServer& server = net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  server.set_silent(true);
  client.close(net.now);
  net.run_for(Duration::seconds(39));
  EXPECT_EQ(client.state(), State::Closing);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_EQ(net.events_of<Closed>().size(), 1u);
}

TEST(TurnClientAllocate, CloseWithoutAllocation) {
  Network net;
  net.add_server(options_at(kServer));
  Client& client = net.make_client(net.client_config(kServer));
  client.close(net.now);
  EXPECT_EQ(client.state(), State::Closed);
  ASSERT_TRUE(client.poll_event().has_value());
  EXPECT_FALSE(client.poll_transmit().has_value());
  client.allocate(net.now);  // too late
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_FALSE(client.poll_transmit().has_value());
}

// Same seed, same bytes: nothing depends on anything but the inputs.
TEST(TurnClientAllocate, Deterministic) {
  auto run = [] {
    Network net;
    net.add_server(options_at(kServer));
    Client& client = net.make_client(net.client_config(kServer));
    std::vector<base::Bytes> sent;
    net.drop_to_server_if = [&](const base::Bytes& b) {
      sent.push_back(b);
      return false;
    };
    client.allocate(net.now);
    net.run_for(Duration::seconds(1200));
    return sent;
  };
  auto a = run();
  auto b = run();
  EXPECT_GT(a.size(), 3u);
  EXPECT_EQ(a, b);
}

TEST(TurnClientAllocate, StringsForEnums) {
  for (State s : {State::New, State::Allocating, State::Allocated, State::Failed, State::Closing,
                  State::Closed}) {
    EXPECT_STRNE(to_string(s), "unknown");
  }
  for (Error e : {Error::NotAllocated, Error::PeerFamilyMismatch, Error::TooLarge}) {
    EXPECT_STRNE(to_string(e), "unknown TURN error");
  }
}

}  // namespace
}  // namespace wasmrtc::turn::test
