// Two associations in one process, packets moved by the simulated link in
// sim.h: handshake, DCEP, messages of every kind, interleaving, many
// channels, closing, buffered amounts and the error cases.
#include "sctp/association.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "sctp/usrsctp_global.h"
#include "sim.h"

namespace wasmrtc::sctp {
namespace {

using test::bytes_of;
using test::Sim;

ChannelInit named(std::string label, std::string protocol = "") {
  ChannelInit init;
  init.label = std::move(label);
  init.protocol = std::move(protocol);
  return init;
}

// Opens a DCEP channel from side `from` and waits until both ends have it.
uint16_t open_both(Sim& sim, int from, ChannelInit init) {
  auto id = sim.side(from).open_channel(init);
  EXPECT_TRUE(id.ok());
  if (!id.ok()) return 0;
  const uint16_t sid = *id;
  EXPECT_TRUE(sim.run_until([&] {
    auto opened = sim.all<event::ChannelOpened>(from);
    auto remote = sim.all<event::RemoteChannelOpened>(1 - from);
    return std::any_of(opened.begin(), opened.end(), [&](auto& e) { return e.id == sid; }) &&
           std::any_of(remote.begin(), remote.end(), [&](auto& e) { return e.id == sid; });
  }));
  return sid;
}

TEST(sctp_Association, Connects) {
  Sim sim;
  EXPECT_EQ(sim.a.state(), State::New);
  EXPECT_FALSE(sim.a.poll_timeout().is_set());
  ASSERT_TRUE(sim.connect());
  EXPECT_EQ(sim.a.state(), State::Connected);
  EXPECT_EQ(sim.b.state(), State::Connected);
  EXPECT_EQ(sim.a.max_channels(), 65535);
  EXPECT_EQ(sim.b.max_channels(), 65535);
  EXPECT_TRUE(sim.a.interleaving());
  EXPECT_TRUE(sim.b.interleaving());
  // Connected comes first.
  EXPECT_TRUE(std::holds_alternative<event::Connected>(sim.events_a.front()));
  EXPECT_LE(sim.largest_packet, 1200u);
  EXPECT_TRUE(sim.a.poll_timeout().is_set());
  EXPECT_EQ(sim.a.start(sim.now).error(), Error::AlreadyStarted);
}


TEST(sctp_Association, ConnectsThroughLossAndReordering) {
  test::LinkConfig link;
  link.loss = 0.3;
  link.jitter = Duration::millis(20);
  Sim sim(Sim::client_config(), Sim::server_config(), link, 7);
  ASSERT_TRUE(sim.connect(Duration::seconds(120)));
}

TEST(sctp_Association, PeerHeardBeforeOwnStart) {
  Sim sim;
  // Only a starts; b's first call is the INIT arriving.
  ASSERT_TRUE(sim.a.start(sim.now).ok());
  ASSERT_TRUE(sim.run_until(
      [&] { return sim.has<event::Connected>(0) && sim.has<event::Connected>(1); }));
}

TEST(sctp_Association, WithoutInterleaving) {
  Config a = Sim::client_config();
  a.interleaving = false;
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.connect());
  EXPECT_FALSE(sim.a.interleaving());
  EXPECT_FALSE(sim.b.interleaving());
}

TEST(sctp_Association, StreamCountIsTheSmallerOffer) {
  Config a = Sim::client_config();
  a.streams = 1024;
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.connect());
  EXPECT_EQ(sim.a.max_channels(), 1024);
  EXPECT_EQ(sim.b.max_channels(), 1024);
}

TEST(sctp_Association, OpensChannelsFromEitherSideWithDcep) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const std::string label = "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac";
  const uint16_t from_client = open_both(sim, 0, named(label, "chat/1"));
  const uint16_t from_server = open_both(sim, 1, named("server", "\xce\xbb"));
  // RFC 8832 section 6: the DTLS client uses even ids, the server odd ones.
  EXPECT_EQ(from_client, 0);
  EXPECT_EQ(from_server, 1);
  EXPECT_EQ(open_both(sim, 0, named("second")), 2);
  EXPECT_EQ(open_both(sim, 1, named("second")), 3);

  auto remote_b = sim.all<event::RemoteChannelOpened>(1);
  ASSERT_EQ(remote_b.size(), 2u);
  EXPECT_EQ(remote_b[0].id, 0);
  EXPECT_EQ(remote_b[0].parameters.label, label);
  EXPECT_EQ(remote_b[0].parameters.protocol, "chat/1");
  EXPECT_TRUE(remote_b[0].parameters.ordered);
  EXPECT_EQ(remote_b[0].parameters.max_retransmits, std::nullopt);
  EXPECT_EQ(remote_b[0].parameters.max_packet_life_time_ms, std::nullopt);
  EXPECT_EQ(remote_b[0].parameters.priority, priority::kNormal);
  auto remote_a = sim.all<event::RemoteChannelOpened>(0);
  ASSERT_EQ(remote_a.size(), 2u);
  EXPECT_EQ(remote_a[0].parameters.protocol, "\xce\xbb");

  // Both directions work on both channels.
  for (uint16_t id : {from_client, from_server}) {
    ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("to b")).ok());
    ASSERT_TRUE(sim.b.send(id, false, base::as_bytes("to a")).ok());
  }
  ASSERT_TRUE(sim.run_until([&] {
    return sim.count<event::Message>(0) == 2 && sim.count<event::Message>(1) == 2;
  }));
  EXPECT_EQ(sim.messages(1, 0).at(0).data, bytes_of("to b"));
  EXPECT_EQ(sim.messages(0, 1).at(0).data, bytes_of("to a"));
}

TEST(sctp_Association, ReliabilityOptionsReachThePeer) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  ChannelInit rexmit = named("rexmit");
  rexmit.ordered = false;
  rexmit.max_retransmits = 0;
  rexmit.priority = priority::kExtraHigh;
  ChannelInit timed = named("timed");
  timed.max_packet_life_time_ms = 1500;
  open_both(sim, 0, rexmit);
  open_both(sim, 0, timed);
  auto remote = sim.all<event::RemoteChannelOpened>(1);
  ASSERT_EQ(remote.size(), 2u);
  EXPECT_FALSE(remote[0].parameters.ordered);
  EXPECT_EQ(remote[0].parameters.max_retransmits, 0u);
  EXPECT_EQ(remote[0].parameters.priority, priority::kExtraHigh);
  EXPECT_TRUE(remote[1].parameters.ordered);
  EXPECT_EQ(remote[1].parameters.max_packet_life_time_ms, 1500u);
}

TEST(sctp_Association, ChannelsOpenedBeforeConnecting) {
  Sim sim;
  auto id = sim.a.open_channel(named("early"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(sim.a.send(*id, false, base::as_bytes("queued before start")).ok());
  ASSERT_TRUE(sim.connect());
  ASSERT_TRUE(sim.run_until([&] {
    return sim.messages(1, *id).size() == 1 && sim.count<event::ChannelOpened>(0) == 1;
  }));
  EXPECT_EQ(sim.messages(1, *id)[0].data, bytes_of("queued before start"));
}

TEST(sctp_Association, ThousandOrderedMessagesInOrder) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("ordered"));
  for (int i = 0; i < 1000; ++i) {
    const std::string text = "message " + std::to_string(i);
    ASSERT_TRUE(sim.a.send(id, false, base::as_bytes(text)).ok());
  }
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1000; }));
  auto got = sim.messages(1, id);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(got[i].data, bytes_of("message " + std::to_string(i)));
    EXPECT_FALSE(got[i].binary);
  }
}

TEST(sctp_Association, OrderedMessagesSurviveLossAndReordering) {
  test::LinkConfig link;
  link.loss = 0.1;
  link.jitter = Duration::millis(15);
  Sim sim(Sim::client_config(), Sim::server_config(), link, 42);
  ASSERT_TRUE(sim.connect(Duration::seconds(120)));
  const uint16_t id = open_both(sim, 1, named("lossy"));
  for (int i = 0; i < 300; ++i) {
    base::Bytes m(100 + i * 37 % 3000, static_cast<uint8_t>(i));
    ASSERT_TRUE(sim.b.send(id, true, m).ok());
  }
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(0, id).size() == 300; },
                            Duration::seconds(300)));
  auto got = sim.messages(0, id);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(got[i].data, base::Bytes(100 + i * 37 % 3000, static_cast<uint8_t>(i)));
  }
}

TEST(sctp_Association, UnorderedWithoutRetransmissions) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  ChannelInit init = named("lossy");
  init.ordered = false;
  init.max_retransmits = 0;
  const uint16_t id = open_both(sim, 0, init);
  sim.capture = true;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(sim.a.send(id, true, base::Bytes{static_cast<uint8_t>(i)}).ok());
  }
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 200; }));
  // After the ACK user messages go with the U bit (RFC 4960 section 3.3.1).
  size_t unordered = 0;
  for (auto& p : sim.captured) {
    for (auto& c : test::data_chunks(p.bytes)) {
      if (c.sid == id && c.ppid == ppid::kBinary) unordered += (c.flags & 0x04) ? 1 : 0;
    }
  }
  EXPECT_EQ(unordered, 200u);

  // Over a lossy link messages may be lost, but never duplicated, and the
  // association keeps going.
  test::LinkConfig link;
  link.loss = 0.2;
  sim.set_link(link);
  sim.events_b.clear();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(sim.a.send(id, true, base::Bytes{static_cast<uint8_t>(i)}).ok());
  }
  sim.run_for(Duration::seconds(20));
  auto got = sim.messages(1, id);
  EXPECT_LT(got.size(), 200u);
  EXPECT_GT(got.size(), 50u);
  std::vector<bool> seen(200);
  for (auto& m : got) {
    ASSERT_EQ(m.data.size(), 1u);
    EXPECT_FALSE(seen[m.data[0]]);
    seen[m.data[0]] = true;
  }
  EXPECT_EQ(sim.a.state(), State::Connected);
}

TEST(sctp_Association, MessagesBeforeTheAckGoOrdered) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  sim.capture = true;
  ChannelInit init = named("early");
  init.ordered = false;
  auto id = sim.a.open_channel(init);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(sim.a.send(*id, false, base::as_bytes("before ack")).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, *id).size() == 1; }));
  bool saw_open = false;
  for (auto& p : sim.captured) {
    for (auto& c : test::data_chunks(p.bytes)) {
      if (c.sid != *id || !c.ppid) continue;
      if (*c.ppid == ppid::kDcep && p.from == 0) saw_open = true;
      if (*c.ppid == ppid::kString) {
        EXPECT_TRUE(saw_open);
        EXPECT_EQ(c.flags & 0x04, 0) << "sent unordered before the ACK";
      }
    }
  }
  EXPECT_TRUE(saw_open);
}

TEST(sctp_Association, StringBinaryAndEmptyMessagesUseTheirPpids) {
  Config a = Sim::client_config();
  a.interleaving = false;  // plain DATA chunks carry the PPID on every chunk
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("kinds"));
  sim.capture = true;
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("text")).ok());
  ASSERT_TRUE(sim.a.send(id, true, base::Bytes{0, 1, 2}).ok());
  ASSERT_TRUE(sim.a.send(id, false, {}).ok());
  ASSERT_TRUE(sim.a.send(id, true, {}).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 4; }));
  auto got = sim.messages(1, id);
  EXPECT_EQ(got[0].data, bytes_of("text"));
  EXPECT_FALSE(got[0].binary);
  EXPECT_EQ(got[1].data, (base::Bytes{0, 1, 2}));
  EXPECT_TRUE(got[1].binary);
  EXPECT_TRUE(got[2].data.empty());
  EXPECT_FALSE(got[2].binary);
  EXPECT_TRUE(got[3].data.empty());
  EXPECT_TRUE(got[3].binary);

  std::vector<std::pair<uint32_t, base::Bytes>> wire;
  for (auto& p : sim.captured) {
    if (p.from != 0) continue;
    for (auto& c : test::data_chunks(p.bytes)) {
      if (c.sid == id) wire.emplace_back(c.ppid.value_or(0), c.data);
    }
  }
  ASSERT_EQ(wire.size(), 4u);
  EXPECT_EQ(wire[0], std::make_pair(ppid::kString, bytes_of("text")));
  EXPECT_EQ(wire[1], std::make_pair(ppid::kBinary, base::Bytes{0, 1, 2}));
  // RFC 8831 section 6.6: an empty message is one 0 byte with PPID 56/57.
  EXPECT_EQ(wire[2], std::make_pair(ppid::kStringEmpty, base::Bytes{0}));
  EXPECT_EQ(wire[3], std::make_pair(ppid::kBinaryEmpty, base::Bytes{0}));
}

// A 256 KiB message arrives whole while small messages on another channel
// keep flowing; with I-DATA they overtake it.
void big_message_with_small_ones(bool interleaving) {
  Config a = Sim::client_config();
  Config b = Sim::server_config();
  a.interleaving = interleaving;
  a.max_message_size = 262144;
  b.max_message_size = 262144;
  Sim sim(a, b);
  ASSERT_TRUE(sim.connect());
  const uint16_t bulk = open_both(sim, 0, named("bulk"));
  const uint16_t chat = open_both(sim, 0, named("chat"));
  base::Bytes big(262144);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7 + i / 1000);
  ASSERT_TRUE(sim.a.send(bulk, true, big).ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(sim.a.send(chat, false, base::as_bytes("small " + std::to_string(i))).ok());
  }
  ASSERT_TRUE(sim.run_until([&] {
    return sim.messages(1, bulk).size() == 1 && sim.messages(1, chat).size() == 20;
  }));
  EXPECT_EQ(sim.messages(1, bulk)[0].data, big);
  EXPECT_LE(sim.largest_packet, 1200u);
  auto chat_got = sim.messages(1, chat);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(chat_got[i].data, bytes_of("small " + std::to_string(i)));
  if (interleaving) {
    // The first small message came before the big one was complete.
    size_t first_small = 0, big_at = 0;
    for (size_t i = 0; i < sim.events_b.size(); ++i) {
      if (auto* m = std::get_if<event::Message>(&sim.events_b[i])) {
        if (m->id == chat && first_small == 0) first_small = i;
        if (m->id == bulk) big_at = i;
      }
    }
    EXPECT_LT(first_small, big_at);
  }
}

TEST(sctp_Association, BigMessageDoesNotBlockOtherChannelsWithIData) {
  big_message_with_small_ones(true);
}

TEST(sctp_Association, BigMessageAndSmallOnesWithPlainData) { big_message_with_small_ones(false); }

// Config::mtu bounds the whole packet (common header included) and is
// used in full: the PeerConnection sizes it to what one DTLS record can
// carry, so a single byte over is a packet DTLS refuses.
TEST(sctp_Association, PacketsFillButNeverExceedTheMtu) {
  for (const uint32_t mtu : {1163u, 1200u, 600u}) {
    Config a = Sim::client_config();
    Config b = Sim::server_config();
    a.mtu = b.mtu = mtu;
    Sim sim(a, b);
    ASSERT_TRUE(sim.connect());
    const uint16_t id = open_both(sim, 0, named("bulk"));
    ASSERT_TRUE(sim.a.send(id, true, base::Bytes(50000, 0x5a)).ok());
    ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1; }));
    EXPECT_LE(sim.largest_packet, mtu);
    EXPECT_GE(sim.largest_packet, mtu - 4) << "packets should fill the MTU (up to chunk padding)";
  }
}

TEST(sctp_Association, BigMessagesThroughLoss) {
  Config a = Sim::client_config();
  Config b = Sim::server_config();
  a.max_message_size = b.max_message_size = 262144;
  test::LinkConfig link;
  link.loss = 0.05;
  link.jitter = Duration::millis(5);
  Sim sim(a, b, link, 3);
  ASSERT_TRUE(sim.connect(Duration::seconds(60)));
  const uint16_t id = open_both(sim, 0, named("bulk"));
  std::vector<base::Bytes> sent;
  for (int k = 0; k < 4; ++k) {
    base::Bytes m(200000 + k * 15000);
    for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<uint8_t>(i * (k + 3));
    ASSERT_TRUE(sim.a.send(id, true, m).ok());
    sent.push_back(std::move(m));
  }
  ASSERT_TRUE(
      sim.run_until([&] { return sim.messages(1, id).size() == 4; }, Duration::seconds(300)));
  auto got = sim.messages(1, id);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(got[k].data, sent[k]);
}

TEST(sctp_Association, ThousandAndTwentyFourChannels) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  std::vector<uint16_t> ids;
  for (int i = 0; i < 1024; ++i) {
    auto id = sim.a.open_channel(named("c" + std::to_string(i)));
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, 2 * i);
    ids.push_back(*id);
  }
  for (uint16_t id : ids) {
    ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("hello " + std::to_string(id))).ok());
  }
  ASSERT_TRUE(sim.run_until([&] {
    return sim.count<event::RemoteChannelOpened>(1) == 1024 &&
           sim.count<event::ChannelOpened>(0) == 1024 && sim.count<event::Message>(1) == 1024;
  }));
  for (uint16_t id : ids) {
    auto got = sim.messages(1, id);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].data, bytes_of("hello " + std::to_string(id)));
  }
  // The other side answers on every one.
  for (uint16_t id : ids) ASSERT_TRUE(sim.b.send(id, true, base::Bytes{1}).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.count<event::Message>(0) == 1024; }));
  // And closes them all.
  for (uint16_t id : ids) ASSERT_TRUE(sim.b.close_channel(id).ok());
  ASSERT_TRUE(sim.run_until([&] {
    return sim.count<event::ChannelClosed>(0) == 1024 && sim.count<event::ChannelClosed>(1) == 1024;
  }));
}

TEST(sctp_Association, NegotiatedChannels) {
  Sim sim;
  ChannelInit init = named("negotiated");
  init.id = 7;  // any parity
  ASSERT_EQ(sim.a.open_channel(init).value(), 7);
  ASSERT_EQ(sim.b.open_channel(init).value(), 7);
  sim.capture = true;
  ASSERT_TRUE(sim.connect());
  ASSERT_TRUE(sim.run_until(
      [&] { return sim.count<event::ChannelOpened>(0) == 1 && sim.count<event::ChannelOpened>(1) == 1; }));
  EXPECT_EQ(sim.all<event::ChannelOpened>(0)[0].id, 7);
  ASSERT_TRUE(sim.a.send(7, false, base::as_bytes("ping")).ok());
  ASSERT_TRUE(sim.b.send(7, false, base::as_bytes("pong")).ok());
  ASSERT_TRUE(sim.run_until(
      [&] { return sim.messages(0, 7).size() == 1 && sim.messages(1, 7).size() == 1; }));
  EXPECT_EQ(sim.messages(1, 7)[0].data, bytes_of("ping"));
  EXPECT_EQ(sim.messages(0, 7)[0].data, bytes_of("pong"));
  EXPECT_EQ(sim.count<event::RemoteChannelOpened>(0), 0u);
  EXPECT_EQ(sim.count<event::RemoteChannelOpened>(1), 0u);
  for (auto& p : sim.captured) {
    for (auto& c : test::data_chunks(p.bytes)) EXPECT_NE(c.ppid, ppid::kDcep);
  }
  // Once connected, a negotiated channel opens at once.
  init.id = 8;
  ASSERT_TRUE(sim.a.open_channel(init).ok());
  EXPECT_EQ(sim.a.poll_event().value(), Event(event::ChannelOpened{8}));
  // In-band ids skip negotiated ones.
  init.id = 0;
  ASSERT_TRUE(sim.a.open_channel(init).ok());
  EXPECT_EQ(sim.a.open_channel(named("inband")).value(), 2);
}

void close_from(int closer) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("closing"));
  // Queued data is still delivered before the reset (W3C closing procedure).
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(sim.side(closer).send(id, false, base::as_bytes("last words")).ok());
  }
  ASSERT_TRUE(sim.side(closer).close_channel(id).ok());
  EXPECT_EQ(sim.side(closer).send(id, false, base::as_bytes("x")).error(), Error::ChannelNotOpen);
  ASSERT_TRUE(sim.run_until([&] {
    return sim.count<event::ChannelClosed>(0) == 1 && sim.count<event::ChannelClosed>(1) == 1;
  }));
  EXPECT_EQ(sim.messages(1 - closer, id).size(), 50u);
  // The peer was told (closing), the closer was not.
  EXPECT_EQ(sim.count<event::ChannelClosing>(1 - closer), 1u);
  EXPECT_EQ(sim.count<event::ChannelClosing>(closer), 0u);
  EXPECT_EQ(sim.side(0).send(id, false, base::as_bytes("x")).error(), Error::UnknownChannel);
  // The id is free again and the stream works after the reset.
  EXPECT_EQ(open_both(sim, 0, named("again")), id);
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("fresh")).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == (closer == 0 ? 51u : 1u); }));
  EXPECT_EQ(sim.messages(1, id).back().data, bytes_of("fresh"));
}

TEST(sctp_Association, CloseFromTheOpener) { close_from(0); }
TEST(sctp_Association, CloseFromTheOtherSide) { close_from(1); }

TEST(sctp_Association, CloseBothAtOnce) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 1, named("both"));
  ASSERT_TRUE(sim.a.close_channel(id).ok());
  ASSERT_TRUE(sim.b.close_channel(id).ok());
  ASSERT_TRUE(sim.run_until([&] {
    return sim.count<event::ChannelClosed>(0) == 1 && sim.count<event::ChannelClosed>(1) == 1;
  }));
}

TEST(sctp_Association, BufferedAmountAndLowThreshold) {
  Config a = Sim::client_config();
  a.send_buffer_size = 64 * 1024;
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("bulk"));
  ASSERT_TRUE(sim.a.set_buffered_amount_low_threshold(id, 100 * 1000).ok());
  const base::Bytes chunk(10 * 1000, 0xab);
  size_t total = 0;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(sim.a.send(id, true, chunk).ok());
    total += chunk.size();
  }
  // usrsctp's 64 KiB buffer took what it could; the rest waits here.
  const size_t buffered = sim.a.buffered_amount(id);
  EXPECT_GT(buffered, 300u * 1000);
  EXPECT_LE(buffered, total);
  EXPECT_EQ(sim.a.buffered_amount(999), 0u);
  ASSERT_TRUE(sim.run_until([&] { return sim.count<event::BufferedAmountLow>(0) == 1; }));
  EXPECT_LE(sim.a.buffered_amount(id), 100u * 1000);
  EXPECT_EQ(sim.all<event::BufferedAmountLow>(0)[0].id, id);
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 50; }));
  EXPECT_EQ(sim.a.buffered_amount(id), 0u);
  // Crossed once only.
  EXPECT_EQ(sim.count<event::BufferedAmountLow>(0), 1u);
  // A send that usrsctp takes at once never shows as buffered: no event.
  ASSERT_TRUE(sim.a.set_buffered_amount_low_threshold(id, 0).ok());
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("small")).ok());
  EXPECT_EQ(sim.a.buffered_amount(id), 0u);
  sim.run_for(Duration::seconds(1));
  EXPECT_EQ(sim.count<event::BufferedAmountLow>(0), 1u);
  EXPECT_EQ(sim.a.set_buffered_amount_low_threshold(999, 1).error(), Error::UnknownChannel);
}

TEST(sctp_Association, RejectsTooLargeMessages) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("limit"));
  EXPECT_EQ(sim.a.max_message_size(), 65536u);
  EXPECT_EQ(sim.a.send(id, true, base::Bytes(65537)).error(), Error::MessageTooLarge);
  EXPECT_EQ(sim.a.buffered_amount(id), 0u);
  ASSERT_TRUE(sim.a.send(id, true, base::Bytes(65536, 1)).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1; }));
  EXPECT_EQ(sim.messages(1, id)[0].data.size(), 65536u);
}

TEST(sctp_Association, DropsIncomingMessagesOverOurLimit) {
  Config a = Sim::client_config();
  Config b = Sim::server_config();
  a.max_message_size = 0;  // no limit on sending
  b.local_max_message_size = 100000;
  Sim sim(a, b);
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("limit"));
  ASSERT_TRUE(sim.a.send(id, true, base::Bytes(100001, 1)).ok());
  ASSERT_TRUE(sim.a.send(id, true, base::Bytes(100000, 2)).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1; }));
  sim.run_for(Duration::seconds(1));
  ASSERT_EQ(sim.messages(1, id).size(), 1u);
  EXPECT_EQ(sim.messages(1, id)[0].data, base::Bytes(100000, 2));
}

TEST(sctp_Association, ChannelApiErrors) {
  Sim sim;
  ChannelInit both = named("x");
  both.max_retransmits = 1;
  both.max_packet_life_time_ms = 1;
  EXPECT_EQ(sim.a.open_channel(both).error(), Error::InvalidReliability);
  ChannelInit neg = named("n");
  neg.id = 65535;
  EXPECT_EQ(sim.a.open_channel(neg).error(), Error::IdOutOfRange);
  neg.id = 4;
  ASSERT_TRUE(sim.a.open_channel(neg).ok());
  EXPECT_EQ(sim.a.open_channel(neg).error(), Error::IdInUse);
  ChannelInit long_label;
  long_label.label.assign(65536, 'x');
  EXPECT_EQ(sim.a.open_channel(long_label).error(), Error::LabelTooLong);
  EXPECT_EQ(sim.a.send(77, false, base::as_bytes("x")).error(), Error::UnknownChannel);
  EXPECT_EQ(sim.a.close_channel(77).error(), Error::UnknownChannel);
  // Closing before the association exists closes at once.
  ASSERT_TRUE(sim.a.close_channel(4).ok());
  EXPECT_EQ(sim.a.poll_event().value(), Event(event::ChannelClosed{4}));
}

TEST(sctp_Association, RunsOutOfIds) {
  Config a = Sim::client_config();
  a.streams = 8;
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.connect());
  for (uint16_t expect : {0, 2, 4, 6}) EXPECT_EQ(sim.a.open_channel(named("x")).value(), expect);
  EXPECT_EQ(sim.a.open_channel(named("x")).error(), Error::NoFreeId);
  ChannelInit neg;
  neg.id = 8;
  EXPECT_EQ(sim.a.open_channel(neg).error(), Error::IdOutOfRange);
}

TEST(sctp_Association, ChannelsBeyondTheNegotiatedStreamsClose) {
  Config b = Sim::server_config();
  b.streams = 16;
  Sim sim(Sim::client_config(), b);
  ChannelInit neg;
  neg.id = 100;
  ASSERT_TRUE(sim.a.open_channel(neg).ok());
  ASSERT_TRUE(sim.connect());
  EXPECT_EQ(sim.a.max_channels(), 16);
  EXPECT_EQ(sim.all<event::ChannelClosed>(0).at(0).id, 100);
}

TEST(sctp_Association, GracefulClose) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("bye"));
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("last")).ok());
  sim.a.close(sim.now);
  EXPECT_EQ(sim.a.send(id, false, base::as_bytes("x")).error(), Error::AssociationClosed);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::Closed>(0) && sim.has<event::Closed>(1); }));
  EXPECT_EQ(sim.messages(1, id).size(), 1u);
  EXPECT_EQ(sim.a.state(), State::Closed);
  EXPECT_EQ(sim.b.state(), State::Closed);
  // Channels close before the association; Closed is last.
  EXPECT_TRUE(std::holds_alternative<event::Closed>(sim.events_b.back()));
  EXPECT_EQ(sim.count<event::ChannelClosed>(1), 1u);
  EXPECT_FALSE(sim.a.poll_timeout().is_set());
  EXPECT_EQ(sim.a.open_channel(named("late")).error(), Error::AssociationClosed);
}

TEST(sctp_Association, AbortFailsThePeer) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  open_both(sim, 0, named("x"));
  sim.a.abort(sim.now);
  EXPECT_EQ(sim.a.state(), State::Closed);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::Failed>(1); }));
  EXPECT_EQ(sim.b.state(), State::Failed);
  EXPECT_EQ(sim.count<event::ChannelClosed>(0), 1u);
  EXPECT_EQ(sim.count<event::ChannelClosed>(1), 1u);
  // Our own abort closes our channels without error; the peer's channels
  // were lost under it (W3C sctp-failure), with the ABORT's cause:
  // User-Initiated Abort (RFC 4960 section 3.3.10.12), as usrsctp sends it.
  EXPECT_FALSE(sim.all<event::ChannelClosed>(0).at(0).failure.has_value());
  const event::Failed failed = sim.all<event::Failed>(1).at(0);
  EXPECT_EQ(failed.cause, std::optional<uint16_t>(12));
  EXPECT_EQ(sim.all<event::ChannelClosed>(1).at(0).failure, std::optional(failed));
}

TEST(sctp_Association, FailsWhenThePeerNeverAnswers) {
  Config a = Sim::client_config();
  a.rto_max = Duration::seconds(2);
  Sim sim(a, Sim::server_config());
  ASSERT_TRUE(sim.a.start(sim.now).ok());
  // Nothing reaches b: drop everything.
  test::LinkConfig dead;
  dead.loss = 1.0;
  sim.set_link(dead);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::Failed>(0); }, Duration::seconds(120)));
  EXPECT_EQ(sim.a.state(), State::Failed);
}

TEST(sctp_Association, TimerTicksSlowDownWhenIdle) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  sim.run_for(Duration::seconds(5));
  sim.a.handle_timeout(sim.now);
  while (sim.a.poll_transmit()) {
  }
  EXPECT_EQ(sim.a.poll_timeout().remaining(sim.now), Duration::millis(250));
  // Busy again after an API call.
  ASSERT_TRUE(sim.a.open_channel(named("wake")).ok());
  while (sim.a.poll_transmit()) {
  }
  EXPECT_EQ(sim.a.poll_timeout().remaining(sim.now), Duration::millis(10));
  // Idle for a long time, heartbeats and all: still connected.
  sim.run_for(Duration::seconds(300));
  EXPECT_EQ(sim.a.state(), State::Connected);
  EXPECT_EQ(sim.b.state(), State::Connected);
}

TEST(sctp_Association, LibraryIsReferenceCounted) {
  {
    Sim sim;
    EXPECT_EQ(detail::UsrsctpLibrary::references(), 2);
    ASSERT_TRUE(sim.connect());
  }
  EXPECT_EQ(detail::UsrsctpLibrary::references(), 0);
  // Every socket was closed with an ABORT, so usrsctp could shut down.
  EXPECT_FALSE(detail::UsrsctpLibrary::initialized());
  // And comes back for the next user.
  Sim again;
  EXPECT_TRUE(detail::UsrsctpLibrary::initialized());
  ASSERT_TRUE(again.connect());
}

TEST(sctp_Association, IsMovable) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  Association moved = std::move(sim.a);
  EXPECT_EQ(moved.state(), State::Connected);
  sim.a = std::move(moved);
  const uint16_t id = open_both(sim, 0, named("after move"));
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("ok")).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1; }));
}


// A lost packet with nothing sent after it is recovered by the T3 timer
// alone (no SACK gap to trigger a fast retransmit).
TEST(sctp_Association, RetransmitsOnTimeout) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  int dropped = 0;
  sim.filter = [&](int from, base::Bytes& p) {
    if (from == 0 && !test::data_chunks(p).empty() && dropped < 3) {
      ++dropped;
      return false;
    }
    return true;
  };
  const uint16_t id = open_both(sim, 0, named("t3"));
  EXPECT_EQ(dropped, 3);
  ASSERT_TRUE(sim.a.send(id, false, base::as_bytes("after")).ok());
  ASSERT_TRUE(sim.run_until([&] { return sim.messages(1, id).size() == 1; }));
}

TEST(sctp_Association, PacketLifetimeAbandonsOldMessages) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  ChannelInit init = named("timed");
  init.max_packet_life_time_ms = 200;
  const uint16_t id = open_both(sim, 0, init);
  // The link dies for 3 s: the first messages outlive their 200 ms.
  bool dead = true;
  sim.filter = [&](int, base::Bytes&) { return !dead; };
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(sim.a.send(id, true, base::Bytes{static_cast<uint8_t>(i)}).ok());
  }
  sim.run_for(Duration::seconds(3));
  dead = false;
  ASSERT_TRUE(sim.a.send(id, true, base::Bytes{100}).ok());
  ASSERT_TRUE(sim.run_until([&] {
    auto got = sim.messages(1, id);
    return !got.empty() && got.back().data == base::Bytes{100};
  }));
  // Abandoned (RFC 3758 FORWARD-TSN), not delivered late; the channel
  // goes on with what comes next.
  EXPECT_EQ(sim.messages(1, id).size(), 1u);
  EXPECT_EQ(sim.a.state(), State::Connected);
}

// RFC 8832 section 6: a DATA_CHANNEL_OPEN that is not well formed closes
// the stream; the opener sees its channel closed, the receiver nothing.
TEST(sctp_Association, MalformedOpenIsRefused) {
  Sim sim;
  ASSERT_TRUE(sim.connect());
  sim.filter = [&](int from, base::Bytes& p) {
    for (size_t off : test::data_chunk_offsets(p)) {
      const size_t header = p[off] == 64 ? 20 : 16;
      if (from == 0 && p[off + 8] == 0 && p[off + 9] == 0 && p.size() > off + header + 1 &&
          p[off + header] == 0x03) {
        p[off + header + 1] = 0x05;  // an unknown channel type
        test::fix_checksum(p);
      }
    }
    return true;
  };
  auto id = sim.a.open_channel(named("bad"));
  ASSERT_EQ(id.value(), 0);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::ChannelClosed>(0); }));
  EXPECT_EQ(sim.count<event::ChannelOpened>(0), 0u);
  EXPECT_EQ(sim.count<event::ChannelClosing>(0), 1u);
  sim.run_for(Duration::seconds(1));
  EXPECT_TRUE(sim.events_b.size() == 1);  // just Connected
  // The stream is usable again afterwards.
  sim.filter = nullptr;
  EXPECT_EQ(open_both(sim, 0, named("good")), 0);
}

// An OPEN on an id of the receiver's own parity is refused too: here both
// ends wrongly believe they are the DTLS client.
TEST(sctp_Association, OpenWithWrongParityIsRefused) {
  Sim sim(Sim::client_config(), Sim::client_config());
  ASSERT_TRUE(sim.connect());
  ASSERT_EQ(sim.a.open_channel(named("even")).value(), 0);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::ChannelClosed>(0); }));
  EXPECT_EQ(sim.count<event::ChannelOpened>(0), 0u);
  EXPECT_EQ(sim.count<event::RemoteChannelOpened>(1), 0u);
  EXPECT_EQ(sim.count<event::ChannelClosed>(1), 0u);  // never reported on b
  // Stream 0 was reset both ways and is free on both sides again.
  ASSERT_EQ(sim.b.open_channel(named("even too")).value(), 0);
  ASSERT_TRUE(sim.run_until([&] { return sim.has<event::ChannelClosed>(1); }));
  EXPECT_EQ(sim.count<event::RemoteChannelOpened>(0), 0u);
}

// Rewrites, in side 0's plain DATA chunks (no I-DATA: the PPID is in every
// chunk), PPID 53 (binary) to 52 (binary partial, deprecated: RFC 8831
// section 8) where the payload starts with `marker`.
void rewrite_to_partial_ppid(Sim& sim, uint8_t marker) {
  sim.filter = [marker](int from, base::Bytes& p) {
    if (from != 0) return true;
    bool changed = false;
    for (size_t off : test::data_chunk_offsets(p)) {
      if (p[off] != 0 || off + 17 > p.size()) continue;
      const uint32_t ppid = static_cast<uint32_t>(p[off + 12]) << 24 | p[off + 13] << 16 | p[off + 14] << 8 | p[off + 15];
      const bool first = (p[off + 1] & 0x02) != 0;  // B bit: the payload starts here
      if (ppid == ppid::kBinary && (!first || p[off + 16] == marker)) {
        p[off + 15] = static_cast<uint8_t>(ppid::kBinaryPartial);
        changed = true;
      }
    }
    if (changed) test::fix_checksum(p);
    return true;
  };
}

Config plain_data(Config c) {
  c.interleaving = false;
  c.max_message_size = 0;
  return c;
}

TEST(sctp_Association, LegacyPartialPiecesAreJoinedIntoOneMessage) {
  Sim sim(plain_data(Sim::client_config()), plain_data(Sim::server_config()));
  ASSERT_TRUE(sim.connect());
  const uint16_t id = open_both(sim, 0, named("legacy"));
  rewrite_to_partial_ppid(sim, 'P');
  ASSERT_TRUE(sim.a.send(id, true, bytes_of("P1")).ok());
  ASSERT_TRUE(sim.a.send(id, true, bytes_of("P2")).ok());
  ASSERT_TRUE(sim.a.send(id, true, bytes_of("end")).ok());
  ASSERT_TRUE(sim.run_until([&] { return !sim.messages(1, id).empty(); }));
  auto got = sim.messages(1, id);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, bytes_of("P1P2end"));
  EXPECT_TRUE(got[0].binary);
  EXPECT_EQ(sim.b.held_bytes(), 0u);
}

// Issue 14: a peer opens 4,000 channels and sends each 250 KiB of partial
// messages (PPID 52 pieces, never the last one). The association holds no
// more than Config::max_held_bytes: the channels that would pass it close
// with an error, and another association of the process keeps working.
TEST(sctp_Association, PartialMessagesOfThousandsOfChannelsStayUnderTheCap) {
  Config victim = plain_data(Sim::server_config());
  Sim sim(plain_data(Sim::client_config()), victim);
  ASSERT_TRUE(sim.connect());
  Sim other;
  ASSERT_TRUE(other.connect());
  const uint16_t other_id = open_both(other, 0, named("bystander"));

  constexpr int kChannels = 4000;
  constexpr size_t kPiece = 62 * 1024;  // four pieces: 248 KiB per channel
  std::vector<uint16_t> ids;
  for (int i = 0; i < kChannels; ++i) {
    auto id = sim.a.open_channel(named("c" + std::to_string(i)));
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  ASSERT_TRUE(sim.run_until([&] { return sim.count<event::RemoteChannelOpened>(1) == kChannels; }));
  rewrite_to_partial_ppid(sim, 'P');
  base::Bytes piece(kPiece, 'P');
  size_t most_held = 0;
  // Piece by piece over every channel, a hundred channels at a time; a
  // channel the victim has closed refuses send() (its stream is reset).
  for (int k = 0; k < 4; ++k) {
    for (size_t n = 0; n < ids.size(); n += 100) {
      const size_t end = std::min(ids.size(), n + 100);
      for (size_t i = n; i < end; ++i) (void)sim.a.send(ids[i], true, piece);
      sim.run_until([&] {
        most_held = std::max(most_held, sim.b.held_bytes());
        for (size_t i = n; i < end; ++i)
          if (sim.a.buffered_amount(ids[i]) != 0) return false;
        return true;
      }, Duration::seconds(60));
      most_held = std::max(most_held, sim.b.held_bytes());
    }
  }
  sim.run_for(Duration::seconds(2));
  EXPECT_LE(most_held, victim.max_held_bytes);
  EXPECT_GT(most_held, victim.max_held_bytes - 4 * kPiece);  // the cap was reached
  // The channels past the cap closed with an error; the others still hold.
  size_t failed = 0;
  for (const auto& c : sim.all<event::ChannelClosed>(1)) failed += c.failure ? 1 : 0;
  EXPECT_GE(failed, kChannels - victim.max_held_bytes / (4 * kPiece) - 1);
  EXPECT_GT(sim.b.messages_dropped(), 0u);
  EXPECT_EQ(sim.b.state(), State::Connected);
  EXPECT_TRUE(sim.messages(1, ids[0]).empty());
  // A bystander association still exchanges messages.
  ASSERT_TRUE(other.a.send(other_id, false, bytes_of("still here")).ok());
  ASSERT_TRUE(other.run_until([&] { return !other.messages(1, other_id).empty(); }));
  EXPECT_EQ(other.messages(1, other_id)[0].data, bytes_of("still here"));
}

}  // namespace
}  // namespace wasmrtc::sctp
