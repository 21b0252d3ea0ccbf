// Permissions, channels and data through an allocation.
#include <gtest/gtest.h>

#include "harness.h"
#include "stun/attributes.h"
#include "stun/constants.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"
#include "turn/client_impl.h"
#include "turn/constants.h"

namespace wasmrtc::turn::test {
namespace {

using base::Duration;

const base::SocketAddress kServer = addr("198.51.100.1:3478");
const base::SocketAddress kPeer = addr("192.0.2.77:6000");
const base::SocketAddress kOtherPeer = addr("192.0.2.88:7000");

struct Relay {
  explicit Relay(Transport transport = Transport::Datagram) : net(transport) {
    ServerOptions o;
    o.address = kServer;
    server = &net.add_server(o);
    client = &net.make_client(net.client_config(kServer));
    client->allocate(net.now);
    net.run_for(Duration::seconds(1));
    EXPECT_EQ(client->state(), State::Allocated);
  }
  void send(const base::SocketAddress& peer, const std::string& text) {
    const base::Bytes b = bytes_of(text);
    EXPECT_TRUE(client->send_to(net.now, peer, b).ok());
  }
  std::vector<std::string> received() const {
    std::vector<std::string> out;
    for (const Data& d : net.events_of<Data>()) out.emplace_back(d.data.begin(), d.data.end());
    return out;
  }

  Network net;
  TestServer* server = nullptr;
  Client* client = nullptr;
};

// RFC 8656 section 11.1: nothing leaves before the permission exists; the
// client queues and delivers in order once it does.
TEST(TurnClientRelay, SendBeforePermissionIsQueuedThenDelivered) {
  Relay r;
  r.send(kPeer, "one");
  r.send(kPeer, "two");
  r.net.run_for(Duration::millis(19));  // the CreatePermission is in flight
  EXPECT_EQ(r.server->send_indications(), 0);
  EXPECT_EQ(r.server->count(stun::method::kCreatePermission), 0);
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.server->count(stun::method::kCreatePermission), 1);
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"one", "two"}));
  for (const ToPeer& p : r.net.to_peers) {
    EXPECT_EQ(p.peer, kPeer);
    EXPECT_EQ(p.relayed, *r.client->relayed_address());
  }
}

// Section 12: Send indications until the ChannelBind succeeds, ChannelData after.
TEST(TurnClientRelay, SendIndicationThenChannelDataAfterBind) {
  Relay r;
  r.send(kPeer, "early");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.server->send_indications(), 1);
  EXPECT_EQ(r.server->count(stun::method::kChannelBind), 1);
  EXPECT_EQ(r.server->channel_data_messages(), 0);
  ASSERT_TRUE(r.server->channel_alive(r.net.client_address, kPeer, r.net.now).has_value());

  r.send(kPeer, "later");
  r.send(kPeer, "odd");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.server->send_indications(), 1);
  EXPECT_EQ(r.server->channel_data_messages(), 2);
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"early", "later", "odd"}));
  EXPECT_EQ(r.server->dropped(), 0);
}

// Section 11.4: Data indications become Data events.
TEST(TurnClientRelay, DataIndicationDelivered) {
  Relay r;
  r.client->create_permission(r.net.now, kPeer.ip);
  r.net.run_for(Duration::seconds(1));
  ASSERT_TRUE(r.server->permission_alive(r.net.client_address, kPeer.ip, r.net.now));
  r.net.peer_sends(*r.server, kPeer, "hello");
  r.net.run_for(Duration::seconds(1));
  auto data = r.net.events_of<Data>();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].peer, kPeer);
  EXPECT_EQ(r.received(), (std::vector<std::string>{"hello"}));
}

// Section 12.6: ChannelData on a bound channel becomes a Data event with
// the channel's peer.
TEST(TurnClientRelay, ChannelDataDelivered) {
  Relay r;
  r.send(kPeer, "bind me");
  r.net.run_for(Duration::seconds(1));
  ASSERT_TRUE(r.server->channel_alive(r.net.client_address, kPeer, r.net.now).has_value());
  r.net.peer_sends(*r.server, kPeer, "via channel");
  r.net.peer_sends(*r.server, kPeer, "");
  r.net.run_for(Duration::seconds(1));
  auto data = r.net.events_of<Data>();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].peer, kPeer);
  EXPECT_EQ(r.received(), (std::vector<std::string>{"via channel", ""}));
}

TEST(TurnClientRelay, UnknownPeersAndChannelsDropped) {
  Relay r;
  r.send(kPeer, "x");
  r.net.run_for(Duration::seconds(1));
  // A Data indication from a peer without permission.
  stun::TransactionId id{};
  id.fill(3);
  stun::Message m(stun::MessageClass::Indication, stun::method::kData, id);
  add_xor_peer_address(m, kOtherPeer);
  add_data(m, bytes_of("sneaky"));
  r.client->handle_input(r.net.now, stun::serialize(m).value());
  // ChannelData on a channel never bound.
  r.client->handle_input(r.net.now, encode_channel_data(0x4ABC, bytes_of("nope"), false));
  // Garbage and a Data indication without DATA.
  r.client->handle_input(r.net.now, bytes_of("\xff\xfe"));
  stun::Message no_data(stun::MessageClass::Indication, stun::method::kData, id);
  add_xor_peer_address(no_data, kPeer);
  r.client->handle_input(r.net.now, stun::serialize(no_data).value());
  r.net.run_for(Duration::seconds(1));
  EXPECT_FALSE(r.net.has_event<Data>());
  EXPECT_EQ(r.client->stats().dropped_unknown_peer, 2u);
  EXPECT_EQ(r.client->stats().dropped_malformed, 2u);
  EXPECT_EQ(r.client->state(), State::Allocated);
}

// Permissions last 300 s (section 9), channels 10 minutes (section 12):
// both are refreshed for as long as the client runs.
TEST(TurnClientRelay, PermissionsAndChannelsRefreshedFor20Minutes) {
  Relay r;
  r.send(kPeer, "start");
  r.client->create_permission(r.net.now, kOtherPeer.ip);
  r.net.run_for(Duration::seconds(1));
  for (int i = 0; i < 120; ++i) {
    r.net.run_for(Duration::seconds(10));
    const base::Timestamp now = r.net.now;
    ASSERT_TRUE(r.server->allocation_alive(r.net.client_address, now)) << i;
    ASSERT_TRUE(r.server->permission_alive(r.net.client_address, kPeer.ip, now)) << i;
    ASSERT_TRUE(r.server->permission_alive(r.net.client_address, kOtherPeer.ip, now)) << i;
    ASSERT_TRUE(r.server->channel_alive(r.net.client_address, kPeer, now).has_value()) << i;
  }
  // Two permissions every 4 minutes; the channel every 9.
  EXPECT_GE(r.server->count(stun::method::kCreatePermission), 2 * 5);
  EXPECT_LE(r.server->count(stun::method::kCreatePermission), 2 * 6);
  EXPECT_EQ(r.server->count(stun::method::kChannelBind), 3);
  for (const ReceivedRequest& q : r.server->requests()) {
    if (q.method == stun::method::kChannelBind) {
      EXPECT_EQ(q.channel, kMinChannel);
    }
  }
  r.send(kPeer, "end");
  r.net.peer_sends(*r.server, kPeer, "back");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"start", "end"}));
  EXPECT_EQ(r.received(), (std::vector<std::string>{"back"}));
  EXPECT_EQ(r.server->channel_data_messages(), 1);
}

TEST(TurnClientRelay, PermissionFailureReportedAndRetriedOnRequest) {
  Relay r;
  r.server->fail_next(stun::method::kCreatePermission, error_code::kForbidden);
  r.send(kPeer, "lost");
  r.net.run_for(Duration::seconds(1));
  auto failed = r.net.events_of<PermissionFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].peer, kPeer.ip);
  EXPECT_EQ(failed[0].code, 403);
  EXPECT_EQ(r.client->stats().dropped_sends, 1u);
  r.send(kPeer, "also lost");
  EXPECT_EQ(r.client->stats().dropped_sends, 2u);
  EXPECT_EQ(r.client->state(), State::Allocated);

  r.client->create_permission(r.net.now, kPeer.ip);
  r.net.run_for(Duration::seconds(1));
  r.send(kPeer, "works");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"works"}));
}

TEST(TurnClientRelay, SendToErrors) {
  Network net;
  ServerOptions o;
  o.address = kServer;
  net.add_server(o);
  Client& client = net.make_client(net.client_config(kServer));
  const base::Bytes b = bytes_of("x");
  EXPECT_EQ(client.send_to(net.now, kPeer, b).error(), Error::NotAllocated);
  client.allocate(net.now);
  EXPECT_EQ(client.send_to(net.now, kPeer, b).error(), Error::NotAllocated);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.send_to(net.now, addr("[2001:db8::1]:5000"), b).error(),
            Error::PeerFamilyMismatch);
  const base::Bytes huge(70000, 0);
  EXPECT_EQ(client.send_to(net.now, kPeer, huge).error(), Error::TooLarge);
  const base::Bytes largest(65504, 1);
  EXPECT_TRUE(client.send_to(net.now, kPeer, largest).ok());
  net.run_for(Duration::seconds(1));
  ASSERT_EQ(net.to_peers.size(), 1u);
  EXPECT_EQ(net.to_peers[0].data.size(), 65504u);
  client.close(net.now);
  EXPECT_EQ(client.send_to(net.now, kPeer, b).error(), Error::NotAllocated);
}

// The queue waiting for a permission is bounded; the oldest go first.
TEST(TurnClientRelay, QueueIsBounded) {
  Relay r;
  for (int i = 0; i < 100; ++i) r.send(kPeer, std::to_string(i));
  EXPECT_EQ(r.client->stats().dropped_sends, 36u);
  r.net.run_for(Duration::seconds(1));
  auto got = r.net.peer_payloads();
  ASSERT_EQ(got.size(), 64u);
  EXPECT_EQ(got.front(), "36");
  EXPECT_EQ(got.back(), "99");
}

// Section 12.3: a failed ChannelBind; Send indications carry on.
TEST(TurnClientRelay, ChannelBindFailureFallsBackToSendIndications) {
  Relay r;
  r.server->fail_next(stun::method::kChannelBind, stun::error_code::kBadRequest);
  r.send(kPeer, "a");
  r.net.run_for(Duration::seconds(1));
  r.send(kPeer, "b");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.server->send_indications(), 2);
  EXPECT_EQ(r.server->channel_data_messages(), 0);
  EXPECT_EQ(r.server->count(stun::method::kChannelBind), 1);
}

TEST(TurnClientRelay, LostCreatePermissionRetransmitted) {
  Relay r;
  r.net.drop_to_server = 1;
  r.send(kPeer, "patient");
  r.net.run_for(Duration::seconds(2));
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"patient"}));
  EXPECT_EQ(r.client->stats().retransmissions, 1u);
}

TEST(TurnClientRelay, PermissionRequestedBeforeAllocationIsSentAfter) {
  Network net;
  ServerOptions o;
  o.address = kServer;
  TestServer& server = net.add_server(o);
  Client& client = net.make_client(net.client_config(kServer));
  client.create_permission(net.now, kPeer.ip);
  client.allocate(net.now);
  client.create_permission(net.now, kOtherPeer.ip);
  net.run_for(Duration::seconds(1));
  EXPECT_TRUE(server.permission_alive(net.client_address, kPeer.ip, net.now));
  EXPECT_TRUE(server.permission_alive(net.client_address, kOtherPeer.ip, net.now));
  EXPECT_EQ(server.count(stun::method::kCreatePermission), 2);
}

TEST(TurnClientRelay, StaleNonceOnCreatePermission) {
  Relay r;
  r.server->stale_nonce(1);
  r.send(kPeer, "fresh nonce");
  r.net.run_for(Duration::seconds(1));
  EXPECT_EQ(r.net.peer_payloads(), (std::vector<std::string>{"fresh nonce"}));
  EXPECT_EQ(r.server->count(stun::method::kCreatePermission), 2);
}

// Section 5: 437 to a non-Allocate request means the allocation is gone.
TEST(TurnClientRelay, AllocationMismatchOnCreatePermissionFails) {
  Relay r;
  r.server->drop_allocation(r.net.client_address);
  r.send(kPeer, "x");
  r.net.run_for(Duration::seconds(1));
  auto failed = r.net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 437);
  EXPECT_EQ(r.client->stats().dropped_sends, 1u);
}

// An IPv6 relay (REQUESTED-ADDRESS-FAMILY, section 18.6) with IPv6 peers:
// XOR-PEER-ADDRESS then mixes in the transaction id.
TEST(TurnClientRelay, Ipv6Relay) {
  Network net;
  ServerOptions o;
  o.address = kServer;
  o.relay_ip = ip("2001:db8::1");
  TestServer& server = net.add_server(o);
  Config config = net.client_config(kServer);
  config.family = base::AddressFamily::V6;
  Client& client = net.make_client(config);
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  ASSERT_EQ(client.state(), State::Allocated);
  EXPECT_TRUE(client.relayed_address()->ip.is_v6());
  const base::SocketAddress peer6 = addr("[2001:db8::77]:6000");
  EXPECT_EQ(client.send_to(net.now, kPeer, bytes_of("v4")).error(), Error::PeerFamilyMismatch);
  ASSERT_TRUE(client.send_to(net.now, peer6, bytes_of("first")).ok());
  net.run_for(Duration::seconds(1));
  ASSERT_TRUE(client.send_to(net.now, peer6, bytes_of("second")).ok());
  net.peer_sends(server, peer6, "back");
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(net.peer_payloads(), (std::vector<std::string>{"first", "second"}));
  auto data = net.events_of<Data>();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].peer, peer6);
}

// Peers the client never asked for do not get through the server either.
TEST(TurnClientRelay, ServerDropsPeersWithoutPermission) {
  Relay r;
  r.net.peer_sends(*r.server, kOtherPeer, "blocked");
  r.net.run_for(Duration::seconds(1));
  EXPECT_FALSE(r.net.has_event<Data>());
  EXPECT_EQ(r.server->dropped(), 1);
}

// Issue 14: the client keeps at most kMaxPermissions (client_impl.h). A
// 65th peer address makes it forget the oldest (no longer refreshed: the
// server lets it expire after 300 s, RFC 8656 section 9), while the newest
// stay installed and refreshed.
TEST(TurnClientRelay, PermissionsStayBounded) {
  Relay r;
  std::vector<base::IpAddress> peers;
  for (int i = 0; i < 100; ++i) {
    peers.push_back(addr(("198.18.0." + std::to_string(i + 1) + ":1").c_str()).ip);
    r.client->create_permission(r.net.now, peers.back());
  }
  r.net.run_for(Duration::seconds(2));
  EXPECT_EQ(r.client->stats().forgotten_permissions, 100u - kMaxPermissions);
  EXPECT_TRUE(r.server->permission_alive(r.net.client_address, peers.back(), r.net.now));
  // Past one lifetime the forgotten ones are gone; the kept ones were refreshed.
  r.net.run_for(Duration::seconds(320));
  EXPECT_FALSE(r.server->permission_alive(r.net.client_address, peers.front(), r.net.now));
  EXPECT_TRUE(r.server->permission_alive(r.net.client_address, peers.back(), r.net.now));
  EXPECT_TRUE(r.server->permission_alive(r.net.client_address, peers[100 - kMaxPermissions], r.net.now));
}

}  // namespace
}  // namespace wasmrtc::turn::test
