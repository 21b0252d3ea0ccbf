// pc::DataChannels alone: two of them back to back, each one's SCTP packets
// handed straight to the other (no DTLS, no ICE), on a simulated clock.
// What the page hears (RFC 8832 DCEP, webrtc-pc 6.1 and 6.2) and the sent
// accounting behind bufferedAmount.
#include "pc/data_channels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <queue>
#include <string>
#include <vector>

namespace wasmrtc::pc {
namespace {

using base::Duration;
using base::Timestamp;

constexpr uint32_t kMtu = 1200 - 29;  // what PeerConnection gives: datagram minus DTLS overhead

class BackToBack {
 public:
  DataChannels& side(int i) { return sides_[i]; }
  std::vector<Record>& events(int i) { return events_[i]; }
  Timestamp now() const { return now_; }

  // Both associations made and started as PeerConnection does once DTLS is
  // connected: side 0 is the DTLS client (even stream ids), side 1 the server.
  void connect_association() {
    sides_[0].create_association(now_, /*dtls_client=*/true, kMtu, /*dtls_connected=*/true);
    sides_[1].create_association(now_, /*dtls_client=*/false, kMtu, /*dtls_connected=*/true);
  }

  // Packets take 5 ms each way; `drop` loses the ones it returns true for.
  bool run_until(const std::function<bool()>& done, Duration limit = Duration::seconds(10)) {
    const Timestamp end = now_ + limit;
    drain();
    while (!done()) {
      Timestamp next = end;
      if (!wire_.empty()) next = std::min(next, wire_.front().at);
      for (auto& s : sides_) {
        auto d = s.poll_timeout();
        if (d.is_set()) next = std::min(next, std::max(d.value(), now_));
      }
      if (next >= end) return done();
      now_ = next;
      while (!wire_.empty() && wire_.front().at <= now_) {
        auto p = std::move(wire_.front());
        wire_.pop();
        sides_[p.to].handle_packet(now_, p.bytes);
      }
      for (auto& s : sides_) s.handle_timeout(now_);
      drain();
    }
    return true;
  }

  // Outputs after every call, as PeerConnection's pump does; sent reports last.
  void drain() {
    for (int i = 0; i < 2; ++i) {
      while (auto p = sides_[i].poll_transmit()) wire_.push({now_ + Duration::millis(5), 1 - i, std::move(*p)});
      sides_[i].report_sent();
      while (auto e = sides_[i].poll_event()) events_[i].push_back(std::move(*e));
    }
  }

  const Record* find(int i, const std::string& type, const std::string& key = "", const std::string& value = "") const {
    for (const auto& e : events_[i]) {
      if (e.get_string("type") != type) continue;
      if (key.empty() || e.get_string(key) == value) return &e;
    }
    return nullptr;
  }
  size_t count(int i, const std::string& type) const {
    size_t n = 0;
    for (const auto& e : events_[i]) n += e.get_string("type") == type;
    return n;
  }

 private:
  struct InFlight {
    Timestamp at;
    int to;
    base::Bytes bytes;
  };
  DataChannels sides_[2];
  std::vector<Record> events_[2];
  std::queue<InFlight> wire_;
  Timestamp now_ = Timestamp::from_millis(1000);
};

ChannelRequest request(ChannelHandle handle, const std::string& label, const std::string& protocol = "") {
  ChannelRequest r;
  r.handle = handle;
  r.init.label = label;
  r.init.protocol = protocol;
  return r;
}

ChannelHandle announced_handle(const Record& datachannel) {
  return static_cast<ChannelHandle>(*datachannel.get_number("channel"));
}

// A channel asked for before the association exists gets its stream id
// when the association is made (the DTLS client's are even, RFC 8832
// section 6), opens with DCEP, and is announced on the other side with
// what the page gave (webrtc-pc 6.2 "announce the data channel").
TEST(DataChannels, AChannelAskedForEarlyOpensAndIsAnnounced) {
  BackToBack net;
  net.side(0).create_channel(request(1, "chat", "json"));
  EXPECT_FALSE(net.side(0).poll_event());  // nothing before the association
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") && net.find(1, "datachannel"); }));

  const Record* state = net.find(0, "sctpstatechange", "state", "connecting");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->get_number("maxMessageSize"), 65536.0);
  ASSERT_TRUE(net.find(0, "sctpstatechange", "state", "connected"));
  EXPECT_GT(*net.find(0, "sctpstatechange", "state", "connected")->get_number("maxChannels"), 0.0);
  EXPECT_EQ(net.side(0).state(), sctp::State::Connected);
  const Record* id = net.find(0, "channelid");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->get_number("channel"), 1.0);
  EXPECT_EQ(std::fmod(*id->get_number("id"), 2.0), 0.0);

  const Record* announced = net.find(1, "datachannel");
  EXPECT_EQ(announced->get_string("label"), "chat");
  EXPECT_EQ(announced->get_string("protocol"), "json");
  EXPECT_EQ(announced->get_number("id"), id->get_number("id"));
  EXPECT_EQ(announced->get_bool("ordered"), true);
  EXPECT_LT(announced_handle(*announced), 0);  // remote channels have negative handles
  EXPECT_EQ(net.side(0).channels_opened(), 1u);
  EXPECT_EQ(net.side(1).channels_opened(), 1u);
}

// The DTLS server opens on odd stream ids.
TEST(DataChannels, TheDtlsServerOpensOnOddIds) {
  BackToBack net;
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(1, "sctpstatechange", "state", "connected") != nullptr; }));
  net.side(1).create_channel(request(7, "from the server"));
  ASSERT_TRUE(net.run_until([&] { return net.find(1, "channelopen") && net.find(0, "datachannel"); }));
  EXPECT_EQ(std::fmod(*net.find(1, "channelid")->get_number("id"), 2.0), 1.0);
  EXPECT_EQ(net.find(0, "datachannel")->get_string("label"), "from the server");
}

// Text and binary both ways; every byte handed over is eventually reported
// sent, no more, and the stats count the messages (webrtc-stats
// RTCDataChannelStats).
TEST(DataChannels, MessagesBothWaysAndEverySentByteIsReported) {
  BackToBack net;
  net.side(0).create_channel(request(1, "chat"));
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") && net.find(1, "datachannel"); }));
  const ChannelHandle remote = announced_handle(*net.find(1, "datachannel"));

  const std::string text = "hello";
  // 30 x 60 KB: more than SCTP's 1 MiB send buffer, so some waits in this
  // layer and is reported sent in steps as SACKs free the buffer.
  const base::Bytes big(60'000, 0xab);
  constexpr int kBig = 30;
  ASSERT_TRUE(net.side(0).send(1, false, base::as_bytes(text)));
  for (int i = 0; i < kBig; ++i) ASSERT_TRUE(net.side(0).send(1, true, big));
  ASSERT_TRUE(net.side(1).send(remote, true, base::Bytes{1, 2, 3}));
  ASSERT_TRUE(net.run_until([&] { return net.count(1, "message") == 1 + kBig && net.count(0, "message") == 1; }));

  std::vector<const Record*> got;
  for (const auto& e : net.events(1))
    if (e.get_string("type") == "message") got.push_back(&e);
  EXPECT_EQ(got[0]->get_string("data"), text);
  EXPECT_EQ(got[0]->get_bool("binary"), false);
  EXPECT_EQ(got[1]->get_bool("binary"), true);
  EXPECT_EQ(got[1]->get_number("channel"), static_cast<double>(remote));
  const Value* data = got[kBig]->get("data");
  ASSERT_TRUE(data && std::holds_alternative<base::Bytes>(*data));
  EXPECT_EQ(std::get<base::Bytes>(*data), big);

  const double total = static_cast<double>(text.size() + kBig * big.size());
  double sent = 0;
  for (const auto& e : net.events(0))
    if (e.get_string("type") == "sent") sent += *e.get_number("bytes");
  EXPECT_EQ(sent, total);
  EXPECT_GT(net.count(0, "sent"), 1u);

  RecordList stats;
  net.side(0).stats(stats);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].get_string("type"), "data-channel");
  EXPECT_EQ(stats[0].get_string("id"), "D1");
  EXPECT_EQ(stats[0].get_string("state"), "open");
  EXPECT_EQ(stats[0].get_number("messagesSent"), 1.0 + kBig);
  EXPECT_EQ(stats[0].get_number("bytesSent"), total);
  EXPECT_EQ(stats[0].get_number("messagesReceived"), 1.0);
  EXPECT_EQ(stats[0].get_number("bytesReceived"), 3.0);
}

// Before the channel has a stream nothing can be sent: the bytes are
// dropped and count as sent at once, so bufferedAmount does not stick.
TEST(DataChannels, WhatCannotBeSentIsDroppedNotBuffered) {
  BackToBack net;
  net.side(0).create_channel(request(1, "early"));
  EXPECT_FALSE(net.side(0).send(1, false, base::as_bytes(std::string("lost"))));
  EXPECT_FALSE(net.side(0).send(99, false, base::as_bytes(std::string("no such channel"))));
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") != nullptr; }));
  EXPECT_EQ(net.count(0, "sent"), 0u);
  EXPECT_EQ(net.count(1, "message"), 0u);
}

// A negotiated channel (webrtc-pc 6.2 negotiated = true) opens on the id
// both pages chose, without DCEP: no channelid, no datachannel.
TEST(DataChannels, NegotiatedChannelsOpenOnTheirIdWithoutAnnouncement) {
  BackToBack net;
  for (int i = 0; i < 2; ++i) {
    ChannelRequest r = request(3, "negotiated");
    r.negotiated = true;
    r.init.id = 5;
    net.side(i).create_channel(r);
  }
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") && net.find(1, "channelopen"); }));
  ASSERT_TRUE(net.side(0).send(3, false, base::as_bytes(std::string("on 5"))));
  ASSERT_TRUE(net.run_until([&] { return net.find(1, "message", "data", "on 5") != nullptr; }));
  EXPECT_EQ(net.find(1, "message")->get_number("channel"), 3.0);
  EXPECT_FALSE(net.find(0, "channelid"));
  EXPECT_FALSE(net.find(1, "datachannel"));
  RecordList stats;
  net.side(1).stats(stats);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].get_number("dataChannelIdentifier"), 5.0);
}

// webrtc-pc 6.2: a channel whose stream cannot be had closes with
// data-channel-failure; the first one on that id is unharmed.
TEST(DataChannels, AnIdInUseClosesTheChannelWithAnError) {
  BackToBack net;
  for (ChannelHandle h : {1, 2}) {
    ChannelRequest r = request(h, "same id");
    r.negotiated = true;
    r.init.id = 2;
    net.side(0).create_channel(r);
  }
  net.connect_association();
  net.drain();
  const Record* closed = net.find(0, "channelclose");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->get_number("channel"), 2.0);
  const Value* error = closed->get("error");
  ASSERT_TRUE(error && std::holds_alternative<std::shared_ptr<Record>>(*error));
  EXPECT_EQ(std::get<std::shared_ptr<Record>>(*error)->get_string("detail"), "data-channel-failure");
  EXPECT_EQ(net.count(0, "channelclose"), 1u);
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") != nullptr; }));
  EXPECT_EQ(net.find(0, "channelopen")->get_number("channel"), 1.0);
}

// close() on an open channel resets its streams (RFC 8831 section 6.7):
// the other side goes through closing to closed, both leave the table.
TEST(DataChannels, ClosingAChannelClosesItOnBothSides) {
  BackToBack net;
  net.side(0).create_channel(request(1, "chat"));
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") && net.find(1, "datachannel"); }));
  EXPECT_TRUE(net.side(0).close_channel(1));
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelclose") && net.find(1, "channelclose"); }));
  EXPECT_TRUE(net.find(1, "channelclosing"));
  EXPECT_EQ(net.find(1, "channelclose")->get("error"), nullptr);
  EXPECT_EQ(net.side(0).channels_closed(), 1u);
  EXPECT_EQ(net.side(1).channels_closed(), 1u);
  RecordList stats;
  net.side(1).stats(stats);
  EXPECT_TRUE(stats.empty());
}

// A channel never put on an association closes at once (webrtc-pc 6.2
// close(), step 3).
TEST(DataChannels, AChannelWithoutAStreamClosesAtOnce) {
  DataChannels channels;
  channels.create_channel(request(4, "never opened"));
  EXPECT_FALSE(channels.close_channel(4));
  auto e = channels.poll_event();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->get_string("type"), "channelclose");
  EXPECT_EQ(e->get_number("channel"), 4.0);
  RecordList stats;
  channels.stats(stats);
  EXPECT_TRUE(stats.empty());
}

// The RTCPeerConnection closing: an ABORT for the peer, whose channels
// close with sctp-failure (cause 12, User-Initiated Abort) before its
// transport closes; nothing is sent afterwards.
TEST(DataChannels, CloseAbortsAndThePeersChannelsFail) {
  BackToBack net;
  net.side(0).create_channel(request(1, "chat"));
  net.connect_association();
  ASSERT_TRUE(net.run_until([&] { return net.find(0, "channelopen") && net.find(1, "datachannel"); }));
  net.side(0).close(net.now());
  ASSERT_TRUE(net.run_until([&] { return net.find(1, "sctpstatechange", "state", "closed") != nullptr; }));
  const Record* closed = net.find(1, "channelclose");
  ASSERT_TRUE(closed);
  const Value* error = closed->get("error");
  ASSERT_TRUE(error && std::holds_alternative<std::shared_ptr<Record>>(*error));
  EXPECT_EQ(std::get<std::shared_ptr<Record>>(*error)->get_string("detail"), "sctp-failure");
  EXPECT_EQ(std::get<std::shared_ptr<Record>>(*error)->get_number("sctpCauseCode"), 12.0);
  EXPECT_FALSE(net.side(0).send(1, false, base::as_bytes(std::string("after close"))));
}

// webrtc-pc 6.1.1: a remote max-message-size of 0 means no limit, +Infinity.
TEST(DataChannels, ARemoteMaxMessageSizeOfZeroIsInfinity) {
  DataChannels channels;
  EXPECT_EQ(channels.max_message_size(), 65536.0);
  channels.set_remote_max_message_size(0);
  EXPECT_TRUE(std::isinf(channels.max_message_size()));
  channels.set_remote_max_message_size(1024);
  channels.create_association(Timestamp::from_millis(0), true, kMtu, false);
  auto e = channels.poll_event();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->get_string("state"), "connecting");
  EXPECT_EQ(e->get_number("maxMessageSize"), 1024.0);
  // Not started without DTLS: nothing to send yet.
  EXPECT_FALSE(channels.poll_transmit());
}

}  // namespace
}  // namespace wasmrtc::pc
