// TURN over a stream (TCP / WebSocket): reassembly of whatever chunks
// arrive, ChannelData padding (RFC 8656 section 12.5), and what happens when
// the stream loses sync.
#include <gtest/gtest.h>

#include "harness.h"
#include "stun/constants.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"

namespace wasmrtc::turn::test {
namespace {

using base::Duration;

const base::SocketAddress kServer = addr("198.51.100.1:3478");
const base::SocketAddress kPeer = addr("192.0.2.77:6000");
const base::SocketAddress kOtherPeer = addr("192.0.2.88:7000");

class TurnClientStream : public ::testing::TestWithParam<Chunking> {};

// A whole session with every payload size modulo 4, so every padding length
// shows up in both directions.
TEST_P(TurnClientStream, FullSession) {
  Network net(Transport::Stream);
  net.chunking = GetParam();
  ServerOptions o;
  o.address = kServer;
  TestServer& server = net.add_server(o);
  std::vector<base::Bytes> sent;
  net.drop_to_server_if = [&](const base::Bytes& b) {
    sent.push_back(b);
    return false;
  };
  Client& client = net.make_client(net.client_config(kServer));
  client.allocate(net.now);
  net.run_for(Duration::seconds(1));
  ASSERT_EQ(client.state(), State::Allocated);

  // A Data indication first (no channel toward this peer).
  client.create_permission(net.now, kOtherPeer.ip);
  net.run_for(Duration::seconds(1));
  net.peer_sends(server, kOtherPeer, "indication");

  const std::vector<std::string> payloads = {"a", "bb", "ccc", "dddd", "eeeee", ""};
  for (const std::string& p : payloads) {
    ASSERT_TRUE(client.send_to(net.now, kPeer, bytes_of(p)).ok());
  }
  net.run_for(Duration::seconds(1));
  for (const std::string& p : payloads) {
    ASSERT_TRUE(client.send_to(net.now, kPeer, bytes_of(p)).ok());
    net.peer_sends(server, kPeer, p);
  }
  net.run_for(Duration::seconds(1));

  std::vector<std::string> expected_at_peer = payloads;
  expected_at_peer.insert(expected_at_peer.end(), payloads.begin(), payloads.end());
  EXPECT_EQ(net.peer_payloads(), expected_at_peer);
  std::vector<std::string> received;
  for (const Data& d : net.events_of<Data>()) received.emplace_back(d.data.begin(), d.data.end());
  std::vector<std::string> expected_here = {"indication"};
  expected_here.insert(expected_here.end(), payloads.begin(), payloads.end());
  EXPECT_EQ(received, expected_here);
  EXPECT_EQ(server.channel_data_messages(), static_cast<int>(payloads.size()));
  EXPECT_EQ(server.dropped(), 0);

  // Section 12.5: every ChannelData the client wrote is padded to 4.
  int channel_data = 0;
  for (const base::Bytes& b : sent) {
    ASSERT_FALSE(b.empty());
    if (is_channel_data_first_byte(b[0])) {
      ++channel_data;
      EXPECT_EQ(b.size() % 4, 0u);
    }
  }
  EXPECT_EQ(channel_data, static_cast<int>(payloads.size()));

  client.close(net.now);
  net.run_for(Duration::seconds(1));
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_EQ(net.events_of<Closed>().size(), 1u);
  EXPECT_FALSE(server.allocation_alive(net.client_address, net.now));
  EXPECT_EQ(client.stats().dropped_malformed, 0u);
}

INSTANTIATE_TEST_SUITE_P(Chunkings, TurnClientStream,
                         ::testing::Values(Chunking::AsSent, Chunking::ByteByByte,
                                           Chunking::Merged),
                         [](const ::testing::TestParamInfo<Chunking>& info) -> std::string {
                           switch (info.param) {
                             case Chunking::AsSent: return "AsSent";
                             case Chunking::ByteByByte: return "ByteByByte";
                             case Chunking::Merged: return "Merged";
                           }
                           return "Unknown";
                         });

struct StreamClient {
  StreamClient() : net(Transport::Stream) {
    ServerOptions o;
    o.address = kServer;
    server = &net.add_server(o);
    client = &net.make_client(net.client_config(kServer));
    client->allocate(net.now);
    net.run_for(Duration::seconds(1));
    EXPECT_EQ(client->state(), State::Allocated);
  }
  Network net;
  TestServer* server = nullptr;
  Client* client = nullptr;
};

// A byte that cannot start a message: the stream is unusable.
TEST(TurnClientStreamErrors, GarbageFailsTheAllocation) {
  StreamClient s;
  const base::Bytes garbage = {0xff, 0x00, 0x12, 0x34};
  s.client->handle_input(s.net.now, garbage);
  s.net.run_for(Duration::seconds(1));
  auto failed = s.net.events_of<AllocationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, 0);
  EXPECT_NE(failed[0].reason.find("stream"), std::string::npos) << failed[0].reason;
  EXPECT_EQ(s.client->state(), State::Failed);
  EXPECT_FALSE(s.client->poll_timeout().is_set());
  // Nothing more is read.
  s.client->handle_input(s.net.now, garbage);
  s.net.run_for(Duration::seconds(1));
  EXPECT_EQ(s.net.events_of<AllocationFailed>().size(), 1u);
}

// Garbage in the middle of a chunk: what came before is still used.
TEST(TurnClientStreamErrors, MessagesBeforeGarbageAreProcessed) {
  StreamClient s;
  s.client->create_permission(s.net.now, kPeer.ip);
  s.net.run_for(Duration::seconds(1));
  base::Bytes chunk;
  stun::TransactionId id{};
  id.fill(1);
  stun::Message m(stun::MessageClass::Indication, stun::method::kData, id);
  add_xor_peer_address(m, kPeer);
  add_data(m, bytes_of("before"));
  chunk = stun::serialize(m).value();
  chunk.push_back(0x99);
  s.client->handle_input(s.net.now, chunk);
  s.net.run_for(Duration::seconds(1));
  auto data = s.net.events_of<Data>();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(std::string(data[0].data.begin(), data[0].data.end()), "before");
  EXPECT_EQ(s.net.events_of<AllocationFailed>().size(), 1u);
}

TEST(TurnClientStreamErrors, BadCookieFails) {
  StreamClient s;
  base::Bytes fake = {0x01, 0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef};
  for (uint8_t b : fake) s.client->handle_input(s.net.now, base::ByteView(&b, 1));
  s.net.run_for(Duration::seconds(1));
  ASSERT_EQ(s.net.events_of<AllocationFailed>().size(), 1u);
  EXPECT_NE(s.net.events_of<AllocationFailed>()[0].reason.find("cookie"), std::string::npos);
}

// While closing, a broken stream just ends the client.
TEST(TurnClientStreamErrors, GarbageWhileClosingCloses) {
  StreamClient s;
  s.server->set_silent(true);
  s.client->close(s.net.now);
  const base::Bytes garbage = {0xC0};
  s.client->handle_input(s.net.now, garbage);
  EXPECT_EQ(s.client->state(), State::Closed);
  s.net.run_for(Duration::seconds(1));
  EXPECT_EQ(s.net.events_of<Closed>().size(), 1u);
  EXPECT_FALSE(s.net.has_event<AllocationFailed>());
}

// A partial message at the end of the input is kept, not misread.
TEST(TurnClientStreamErrors, PartialMessageWaits) {
  StreamClient s;
  const base::Bytes header = {0x40, 0x00, 0x00, 0x10};
  s.client->handle_input(s.net.now, header);
  s.net.run_for(Duration::seconds(1));
  EXPECT_EQ(s.client->state(), State::Allocated);
  EXPECT_FALSE(s.net.has_event<AllocationFailed>());
}

}  // namespace
}  // namespace wasmrtc::turn::test
