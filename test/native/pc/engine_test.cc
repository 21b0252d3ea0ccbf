// Two Engines (two RTCPeerConnections) on an in-memory network with a
// simulated clock: offer/answer, trickle, ICE -> DTLS -> SCTP, data
// channels both ways, close. What js/ drives through WASM, natively.
#include "pc/engine.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "dtls/srtp.h"
#include "net.h"

namespace wasmrtc::pc {
namespace {

using base::Timestamp;
using test::Net;
using test::sdp_of;


// Offer from side 0 with one data channel, answer from side 1.
void negotiate(Net& net, ChannelHandle channel = 1, const std::string& label = "chat") {
  ChannelRequest req;
  req.handle = channel;
  req.init.label = label;
  net.pc(0).create_data_channel(net.now(), req);
  auto offer = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(offer.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(offer)).ok());
  ASSERT_TRUE(net.pc(1).set_remote_description(net.now(), "offer", sdp_of(offer)).ok());
  auto answer = net.pc(1).create_answer(net.now());
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(net.pc(1).set_local_description(net.now(), "answer", sdp_of(answer)).ok());
  ASSERT_TRUE(net.pc(0).set_remote_description(net.now(), "answer", sdp_of(answer)).ok());
}

// webrtc-pc 4.4.1.5, in Chromium's order: gathering starts after
// setLocalDescription has returned (at the next handle_timeout), only for a
// description with a transport; rolling back the first offer takes the
// gathering state back to "new", and the next offer gathers again.
TEST(Engine, GatheringFollowsSetLocalDescription) {
  Net net;
  net.set_trickle(false);  // side 1 takes no part
  auto count = [&](const std::string& state) {
    int n = 0;
    for (const auto& e : net.side(0).events) {
      if (e.get_string("type") == "icegatheringstatechange" && e.get_string("state") == state) ++n;
    }
    return n;
  };
  auto empty = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(empty)).ok());
  EXPECT_FALSE(net.run_until([&] { return net.has_event(0, "icegatheringstatechange"); }, base::Duration::millis(200)));
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "rollback", "").ok());

  ChannelRequest req;
  req.handle = 1;
  req.init.label = "x";
  net.pc(0).create_data_channel(net.now(), req);
  auto offer = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(offer.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(offer)).ok());
  ASSERT_TRUE(net.run_until([] { return true; }));  // outputs so far, no timeout handled
  EXPECT_FALSE(net.has_event(0, "icegatheringstatechange"));
  EXPECT_FALSE(net.has_event(0, "icecandidate"));
  ASSERT_TRUE(net.run_until([&] { return count("complete") == 1; }));
  EXPECT_EQ(count("gathering"), 1);

  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "rollback", "").ok());
  ASSERT_TRUE(net.run_until([&] { return count("new") == 1; }));
  auto again = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(again)).ok());
  ASSERT_TRUE(net.run_until([&] { return count("complete") == 2; }));
  EXPECT_EQ(count("gathering"), 2);
}

// A local ICE restart offer is a new gathering phase at setLocalDescription
// (Chromium); rolling it back changes nothing; the answer does not gather again.
TEST(Engine, RestartOfferGathersAtSetLocalDescription) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen"); }));
  auto count = [&](const std::string& state) {
    int n = 0;
    for (const auto& e : net.side(0).events) {
      if (e.get_string("type") == "icegatheringstatechange" && e.get_string("state") == state) ++n;
    }
    return n;
  };
  ASSERT_EQ(count("complete"), 1);
  auto restart = net.pc(0).create_offer(net.now(), true);
  ASSERT_TRUE(restart.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(restart)).ok());
  ASSERT_TRUE(net.run_until([&] { return count("complete") == 2; }));
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "rollback", "").ok());
  net.run_until([] { return false; }, base::Duration::millis(200));
  EXPECT_EQ(count("gathering"), 2);
  EXPECT_EQ(count("complete"), 2);
  EXPECT_EQ(count("new"), 0);

  auto again = net.pc(0).create_offer(net.now(), true);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(again)).ok());
  ASSERT_TRUE(net.pc(1).set_remote_description(net.now(), "offer", sdp_of(again)).ok());
  auto answer = net.pc(1).create_answer(net.now());
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(net.pc(1).set_local_description(net.now(), "answer", sdp_of(answer)).ok());
  ASSERT_TRUE(net.pc(0).set_remote_description(net.now(), "answer", sdp_of(answer)).ok());
  net.run_until([] { return false; }, base::Duration::seconds(2));
  EXPECT_EQ(count("gathering"), 3);
  EXPECT_EQ(count("complete"), 3);
}

TEST(Engine, DataChannelOpensAndCarriesMessagesBothWays) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen") && net.has_event(1, "datachannel"); }));
  EXPECT_TRUE(net.has_event(0, "connectionstatechange", "state", "connected"));
  EXPECT_TRUE(net.has_event(1, "connectionstatechange", "state", "connected"));
  EXPECT_TRUE(net.has_event(0, "dtlsstatechange", "state", "connected"));
  EXPECT_TRUE(net.has_event(1, "sctpstatechange", "state", "connected"));

  // The remote channel's handle and label.
  ChannelHandle remote = 0;
  for (const auto& e : net.side(1).events) {
    if (e.get_string("type") == "datachannel") {
      remote = static_cast<ChannelHandle>(*e.get_number("channel"));
      EXPECT_EQ(e.get_string("label"), "chat");
    }
  }
  ASSERT_LT(remote, 0);

  const std::string hello = "hello from 0";
  net.pc(0).send(net.now(), 1, false, base::as_bytes(hello));
  const base::Bytes binary = {0, 1, 2, 3, 255};
  net.pc(1).send(net.now(), remote, true, binary);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "message", "data", hello) && net.has_event(0, "message"); }));
  bool got_binary = false;
  for (const auto& e : net.side(0).events) {
    if (e.get_string("type") != "message") continue;
    const Value* v = e.get("data");
    got_binary = v && std::holds_alternative<base::Bytes>(*v) && std::get<base::Bytes>(*v) == binary;
  }
  EXPECT_TRUE(got_binary);
  EXPECT_TRUE(net.has_event(0, "sent"));
}

// RTCIceConnectionState "completed" shows on the controlling side only, as
// in Chromium (pages wait for "connected" on the answerer).
TEST(Engine, IceCompletedOnlyOnTheControllingSide) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] {
    return net.has_event(0, "channelopen") && net.has_event(0, "icegatheringstatechange", "state", "complete") &&
           net.has_event(1, "icegatheringstatechange", "state", "complete");
  }));
  // End of candidates both ways: the agents can complete.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(net.pc(i).add_ice_candidate(net.now(), "", std::string("0"), std::nullopt, std::nullopt).ok());
  }
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "iceconnectionstatechange", "state", "completed"); }));
  ASSERT_TRUE(net.run_until([] { return false; }, base::Duration::seconds(5)) == false);
  EXPECT_TRUE(net.has_event(1, "iceconnectionstatechange", "state", "connected"));
  EXPECT_FALSE(net.has_event(1, "iceconnectionstatechange", "state", "completed"));
}

// Many small messages sent at once, both ways: every one arrives, in
// order (the bulk path: DTLS records, SCTP bundling and SACK-driven sending).
TEST(Engine, ThousandMessagesEachWayArriveInOrder) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen") && net.has_event(1, "datachannel"); }));
  ChannelHandle remote = 0;
  for (const auto& e : net.side(1).events)
    if (e.get_string("type") == "datachannel") remote = static_cast<ChannelHandle>(*e.get_number("channel"));
  constexpr int kCount = 1000;
  for (int i = 0; i < kCount; ++i) {
    const std::string a = "o" + std::to_string(i), b = "a" + std::to_string(i);
    net.pc(0).send(net.now(), 1, false, base::as_bytes(a));
    net.pc(1).send(net.now(), remote, false, base::as_bytes(b));
  }
  auto messages = [&](int i) {
    std::vector<std::string> out;
    for (const auto& e : net.side(i).events)
      if (e.get_string("type") == "message") out.push_back(*e.get_string("data"));
    return out;
  };
  ASSERT_TRUE(net.run_until([&] { return messages(0).size() == kCount && messages(1).size() == kCount; }))
      << messages(0).size() << " and " << messages(1).size() << " arrived";
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(messages(1)[i], "o" + std::to_string(i));
    EXPECT_EQ(messages(0)[i], "a" + std::to_string(i));
  }
}

TEST(Engine, ChannelCloseReachesTheOtherSide) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen") && net.has_event(1, "datachannel"); }));
  net.pc(0).close_data_channel(net.now(), 1);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelclose") && net.has_event(1, "channelclose"); }));
  // A clean close: no error for either side's channel.
  for (int i = 0; i < 2; ++i) {
    for (const auto& e : net.side(i).events)
      if (e.get_string("type") == "channelclose") EXPECT_EQ(e.get("error"), nullptr);
  }
}

// webrtc-pc 4.4.1.5: close() tells the peer (SCTP ABORT, DTLS close_notify):
// the other side's channels close at once, not after consent expiry.
TEST(Engine, ClosingAPeerConnectionClosesTheOthersChannels) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen") && net.has_event(1, "datachannel"); }));
  const Timestamp closed_at = net.now();
  net.side(0).engine.close_peer_connection(net.now(), 1);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "channelclose"); }, base::Duration::seconds(2)));
  EXPECT_LT(net.now() - closed_at, base::Duration::millis(500));
  EXPECT_TRUE(net.has_event(1, "dtlsstatechange", "state", "closed"));
  // The channel was lost with the association: webrtc-pc 6.2 "closed with
  // an error", sctp-failure with the ABORT's cause (12, User-Initiated
  // Abort), as Chromium reports a peer's close(); then the SCTP transport
  // closes.
  std::vector<std::string> order;
  for (const auto& e : net.side(1).events) {
    const auto type = e.get_string("type");
    if (type == "channelclose") {
      order.push_back("channelclose");
      const Value* error = e.get("error");
      ASSERT_NE(error, nullptr);
      ASSERT_TRUE(std::holds_alternative<std::shared_ptr<Record>>(*error));
      const Record& r = *std::get<std::shared_ptr<Record>>(*error);
      EXPECT_EQ(r.get_string("detail"), "sctp-failure");
      EXPECT_EQ(r.get_number("sctpCauseCode"), 12.0);
      EXPECT_FALSE(r.get_string("message").value_or("").empty());
    } else if (type == "sctpstatechange" && e.get_string("state") == "closed") {
      order.push_back("sctp closed");
    }
  }
  EXPECT_EQ(order, (std::vector<std::string>{"channelclose", "sctp closed"}));
}

TEST(Engine, StatsDescribeTheConnection) {
  Net net;
  negotiate(net);
  ASSERT_TRUE(net.run_until([&] { return net.has_event(0, "channelopen"); }));
  std::map<std::string, int> types;
  for (const auto& r : net.pc(0).stats(net.now())) {
    types[*r.get_string("type")]++;
    if (r.get_string("type") != "transport") continue;
    // webrtc-stats RTCTransportStats: the negotiated suite and SRTP profile.
    // Both sides offer dtls::supported_srtp_profiles(), so its first wins.
    EXPECT_EQ(r.get_string("dtlsCipher"), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(r.get_string("tlsVersion"), "FEFD");
    EXPECT_EQ(r.get_string("srtpCipher"), std::string(dtls::to_string(dtls::supported_srtp_profiles().front())));
  }
  EXPECT_EQ(types["peer-connection"], 1);
  EXPECT_EQ(types["transport"], 1);
  EXPECT_GE(types["candidate-pair"], 1);
  EXPECT_GE(types["local-candidate"], 1);
  EXPECT_GE(types["remote-candidate"], 1);
  EXPECT_EQ(types["certificate"], 2);
  EXPECT_EQ(types["data-channel"], 1);
}

TEST(Engine, WrongStateIsInvalidStateError) {
  Net net;
  auto answer = net.pc(0).create_answer(net.now());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().name, "InvalidStateError");
  auto r = net.pc(0).set_remote_description(net.now(), "answer", "v=0\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().name, "InvalidStateError");
}

// webrtc-pc 4.4.1.5: text that is not SDP is an RTCError (OperationError)
// with errorDetail "sdp-syntax-error" and the 1-based sdpLineNumber; the
// binding hands both to the page (wasm/bindings/engine.cc error_js).
TEST(Engine, SdpSyntaxErrorCarriesErrorDetailAndLine) {
  Net net;
  auto r = net.pc(0).set_remote_description(net.now(), "offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nbogus\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().name, "OperationError");
  EXPECT_EQ(r.error().error_detail, "sdp-syntax-error");
  EXPECT_EQ(r.error().sdp_line_number, 3u);
  // setLocalDescription parses text unlike the last created offer (with no
  // offer created, it is a DescriptionModified InvalidModificationError).
  ASSERT_TRUE(net.pc(0).create_offer(net.now(), false).ok());
  auto l = net.pc(0).set_local_description(net.now(), "offer", "garbage");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().error_detail, "sdp-syntax-error");
  EXPECT_EQ(l.error().sdp_line_number, 1u);
  // Other errors are plain DOMExceptions: no errorDetail.
  auto w = net.pc(0).set_remote_description(net.now(), "answer", "v=0\r\n");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().error_detail, std::nullopt);
  EXPECT_EQ(w.error().sdp_line_number, std::nullopt);
}

TEST(Engine, WrongFingerprintFailsTheConnection) {
  Net net;
  ChannelRequest req;
  req.handle = 1;
  req.init.label = "x";
  net.pc(0).create_data_channel(net.now(), req);
  auto offer = net.pc(0).create_offer(net.now(), false);
  ASSERT_TRUE(net.pc(0).set_local_description(net.now(), "offer", sdp_of(offer)).ok());
  // Tamper with one hex digit of the offer's fingerprint.
  std::string tampered = sdp_of(offer);
  const size_t at = tampered.find("a=fingerprint:sha-256 ") + 22;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(net.pc(1).set_remote_description(net.now(), "offer", tampered).ok());
  auto answer = net.pc(1).create_answer(net.now());
  ASSERT_TRUE(net.pc(1).set_local_description(net.now(), "answer", sdp_of(answer)).ok());
  ASSERT_TRUE(net.pc(0).set_remote_description(net.now(), "answer", sdp_of(answer)).ok());
  ASSERT_TRUE(net.run_until([&] { return net.has_event(1, "connectionstatechange", "state", "failed"); }));
  EXPECT_FALSE(net.has_event(1, "datachannel"));
  EXPECT_FALSE(net.has_event(0, "channelopen"));
}

}  // namespace
}  // namespace wasmrtc::pc
