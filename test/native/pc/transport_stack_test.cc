// pc::TransportStack alone: two of them over an in-memory network (5 ms
// each way) on a simulated clock, with no SDP: the test hands each the
// other's ICE credentials, candidates and certificate fingerprint, as JSEP
// would. ICE connects (RFC 8445), DTLS runs on top (RFC 6347) and exports
// the DTLS-SRTP keys (RFC 5764), and what arrives is demultiplexed once
// (RFC 7983): DTLS to DTLS, RTP and RTCP up as SRTP packets.
#include "pc/transport_stack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "base/random.h"
#include "dtls/fingerprint.h"
#include "srtp/session.h"

namespace wasmrtc::pc {
namespace {

using base::Duration;
using base::Timestamp;

dtls::Certificate certificate(base::Random& random) {
  auto c = dtls::Certificate::generate(random, dtls::validity_around(1700000000));
  EXPECT_TRUE(c.ok());
  return *c;
}

struct Side {
  Side(uint64_t seed, const char* address)
      : random(seed), cert(certificate(random)), stack(cert, /*relay_only=*/false, random),
        address(*base::SocketAddress::parse(address)) {}
  base::SeededRandom random;
  dtls::Certificate cert;
  TransportStack stack;
  base::SocketAddress address;
  ice::Credentials credentials;
  // What came out, by kind.
  std::vector<Record> events;
  std::vector<ice::State> ice_states;
  std::vector<ice::GatheringState> gathering;
  std::vector<std::string> candidates;
  std::vector<TransportStack::SrtpPacket> srtp;
  std::vector<base::Bytes> data;
  std::optional<dtls::Connected> connected;
  std::optional<dtls::Failed> failed;
  bool closed = false;
};

class Network {
 public:
  // Side 0 offers: it controls ICE and is the DTLS client.
  Network() : sides_{Side(1, "10.0.0.1:1000"), Side(2, "10.0.0.2:2000")} {
    for (int i = 0; i < 2; ++i) {
      Side& s = sides_[i];
      s.credentials = ice::random_credentials(s.random);
      s.stack.add_host_socket(static_cast<ice::SocketId>(i + 1), s.address);
    }
  }

  Side& side(int i) { return sides_[i]; }
  Timestamp now() const { return now_; }

  // What JSEP would do with an offer and an answer: roles, credentials,
  // gathering; candidates are trickled as they come (see drain()).
  void start_ice() {
    for (int i = 0; i < 2; ++i) {
      sides_[i].stack.create_agent(i == 0 ? ice::Role::Controlling : ice::Role::Controlled, sides_[i].credentials);
      sides_[i].stack.start_gathering(now_);
    }
    for (int i = 0; i < 2; ++i)
      sides_[i].stack.set_parameters(now_, sides_[i].credentials, sides_[1 - i].credentials, false);
  }

  // As start_ice, with the roles given (both controlling: a role conflict).
  void start_ice(ice::Role role0, ice::Role role1) {
    sides_[0].stack.create_agent(role0, sides_[0].credentials);
    sides_[1].stack.create_agent(role1, sides_[1].credentials);
    for (int i = 0; i < 2; ++i) sides_[i].stack.start_gathering(now_);
    for (int i = 0; i < 2; ++i)
      sides_[i].stack.set_parameters(now_, sides_[i].credentials, sides_[1 - i].credentials, false);
  }

  void create_dtls(int i, std::optional<dtls::Fingerprint> remote = std::nullopt) {
    const dtls::Fingerprint fp = remote.value_or(sides_[1 - i].cert.fingerprint(dtls::HashFunction::Sha256));
    sides_[i].stack.create_dtls(now_, i == 0 ? dtls::Role::Client : dtls::Role::Server, {fp});
    drain();
  }

  // The embedder's loop: process and drain until quiet, then the wire and
  // the timers, until `done` or the simulated limit.
  bool run_until(const std::function<bool()>& done, Duration limit = Duration::seconds(10)) {
    const Timestamp end = now_ + limit;
    drain();
    while (!done()) {
      Timestamp next = end;
      if (!wire_.empty()) next = std::min(next, wire_.front().at);
      for (auto& s : sides_) {
        auto d = s.stack.poll_timeout();
        if (d.is_set()) next = std::min(next, std::max(d.value(), now_));
      }
      if (next >= end) return done();
      now_ = next;
      while (!wire_.empty() && wire_.front().at <= now_) {
        auto p = std::move(wire_.front());
        wire_.pop();
        sides_[p.to].stack.handle_datagram(now_, static_cast<ice::SocketId>(p.to + 1), sides_[1 - p.to].address, p.data);
      }
      for (auto& s : sides_) s.stack.handle_timeout(now_);
      drain();
    }
    return true;
  }

  void drain() {
    for (bool moved = true; moved;) {
      moved = false;
      for (int i = 0; i < 2; ++i) {
        moved |= sides_[i].stack.process(now_);
        while (auto o = sides_[i].stack.poll_output()) {
          moved = true;
          take(i, *o);
        }
      }
    }
  }

  bool has_event(int i, const std::string& type, const std::string& state = "") const {
    for (const auto& e : sides_[i].events)
      if (e.get_string("type") == type && (state.empty() || e.get_string("state") == state)) return true;
    return false;
  }

  bool connected() const { return sides_[0].connected && sides_[1].connected; }

 private:
  void take(int i, TransportStack::Output& o) {
    Side& s = sides_[i];
    if (auto* t = std::get_if<ice::Transmit>(&o)) {
      const int to = t->destination == sides_[1 - i].address ? 1 - i : -1;
      if (to >= 0) wire_.push({now_ + Duration::millis(5), to, std::move(t->data)});
    } else if (auto* c = std::get_if<ice::LocalCandidate>(&o)) {
      s.candidates.push_back(c->candidate.to_sdp());
      (void)sides_[1 - i].stack.add_remote_candidate(now_, c->candidate.to_sdp());
    } else if (auto* g = std::get_if<ice::GatheringStateChanged>(&o)) {
      s.gathering.push_back(g->state);
    } else if (auto* st = std::get_if<ice::StateChanged>(&o)) {
      s.ice_states.push_back(st->state);
    } else if (auto* r = std::get_if<Record>(&o)) {
      s.events.push_back(std::move(*r));
    } else if (auto* p = std::get_if<TransportStack::SrtpPacket>(&o)) {
      s.srtp.push_back(std::move(*p));
    } else if (auto* c = std::get_if<dtls::Connected>(&o)) {
      s.connected = *c;
    } else if (auto* d = std::get_if<dtls::Data>(&o)) {
      s.data.push_back(std::move(d->bytes));
    } else if (auto* f = std::get_if<dtls::Failed>(&o)) {
      s.failed = *f;
    } else if (std::get_if<dtls::Closed>(&o)) {
      s.closed = true;
    }
  }

  struct InFlight {
    Timestamp at;
    int to;
    base::Bytes data;
  };
  Side sides_[2];
  std::queue<InFlight> wire_;
  Timestamp now_ = Timestamp::from_millis(1000);
};

// RFC 7983 section 7 and RFC 5761 section 4, by the first two bytes.
TEST(TransportStack, DemultiplexesByTheFirstByte) {
  auto hex = [](std::string_view h) { return *base::from_hex(h); };
  EXPECT_EQ(demultiplex({}), PacketKind::Unknown);
  EXPECT_EQ(demultiplex(hex("0001000c2112a442")), PacketKind::Stun);
  EXPECT_EQ(demultiplex(hex("16fefd0000")), PacketKind::Dtls);  // handshake record
  EXPECT_EQ(demultiplex(hex("17fefd0000")), PacketKind::Dtls);  // application data
  EXPECT_EQ(demultiplex(hex("800f1234decafbadcafebabeabab")), PacketKind::Rtp);
  EXPECT_EQ(demultiplex(hex("80c80006cafebabe")), PacketKind::Rtcp);  // SR
  EXPECT_EQ(demultiplex(hex("81cd0002cafebabe")), PacketKind::Rtcp);  // RTPFB
  EXPECT_EQ(demultiplex(hex("806f0001decafbadcafebabe")), PacketKind::Rtp);  // PT 111 (Opus)
  EXPECT_EQ(demultiplex(hex("4000")), PacketKind::Unknown);  // TURN channel range
  EXPECT_EQ(demultiplex(hex("1000")), PacketKind::Unknown);  // ZRTP
  // In the RTP range but too short for an RTCP header: SRTP's to refuse
  // (and count), as RTP.
  EXPECT_EQ(demultiplex(hex("80c8")), PacketKind::Rtp);
  // What libsrtp protects as SRTCP still reads as RTCP.
  const srtp::Keys keys{base::Bytes(16, 1), base::Bytes(14, 2)};
  auto session = srtp::Session::create(srtp::Profile::Aes128CmHmacSha1_80, keys, keys);
  ASSERT_TRUE(session.ok());
  auto wire = session->protect_rtcp(hex("80c80006cafebabe0102030405060708090a0b0c0d0e0f1011121314"));
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(demultiplex(*wire), PacketKind::Rtcp);
}

// ICE connects, DTLS starts on it and connects with the fingerprints the
// other side gave, both ends derive mirrored DTLS-SRTP keys, and the page
// hears the RTCIceTransport and RTCDtlsTransport (webrtc-pc 5.5, 5.6).
TEST(TransportStack, IceThenDtlsConnectAndTheSrtpKeysMirror) {
  Network net;
  net.start_ice();
  net.create_dtls(0);
  net.create_dtls(1);
  EXPECT_EQ(net.side(0).stack.dtls_state(), dtls::State::New);  // waits for ICE
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));

  for (int i = 0; i < 2; ++i) {
    const Side& s = net.side(i);
    EXPECT_FALSE(s.candidates.empty());
    ASSERT_FALSE(s.ice_states.empty());
    EXPECT_EQ(s.ice_states.front(), ice::State::Checking);
    EXPECT_TRUE(s.stack.ice_state() == ice::State::Connected || s.stack.ice_state() == ice::State::Completed);
    EXPECT_TRUE(s.stack.selected_pair());
    EXPECT_TRUE(net.has_event(i, "selectedcandidatepair"));
    EXPECT_TRUE(net.has_event(i, "dtlsstatechange", "connecting"));
    EXPECT_TRUE(net.has_event(i, "dtlsstatechange", "connected"));
    EXPECT_EQ(s.stack.dtls_state(), dtls::State::Connected);
  }
  EXPECT_EQ(net.side(0).stack.ice_role(), ice::Role::Controlling);
  EXPECT_EQ(net.side(1).stack.ice_role(), ice::Role::Controlled);
  EXPECT_EQ(net.side(0).stack.dtls_role(), dtls::Role::Client);
  // Each side checked the other's certificate.
  const base::ByteView der = net.side(1).cert.der();
  EXPECT_EQ(net.side(0).connected->remote_certificate_der, base::Bytes(der.begin(), der.end()));

  // RFC 5764 section 4.2: what one writes with, the other reads with.
  auto a = net.side(0).stack.srtp_parameters();
  auto b = net.side(1).stack.srtp_parameters();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->profile, b->profile);
  EXPECT_EQ(a->local.key, b->remote.key);
  EXPECT_EQ(a->local.salt, b->remote.salt);
  EXPECT_EQ(a->remote.key, b->local.key);
  EXPECT_NE(a->local.key, a->remote.key);

  // webrtc-stats: the transport as the page will see it.
  RecordList stats;
  net.side(0).stack.stats(stats, "connected", 0, 300000.0);
  const Record* transport = nullptr;
  const Record* selected = nullptr;
  for (const auto& r : stats) {
    if (r.get_string("type") == "transport") transport = &r;
    if (r.get_string("type") == "candidate-pair" && r.get("availableOutgoingBitrate")) selected = &r;
  }
  ASSERT_TRUE(transport && selected);
  EXPECT_EQ(transport->get_string("dtlsState"), "connected");
  EXPECT_EQ(transport->get_string("dtlsRole"), "client");
  EXPECT_EQ(transport->get_string("iceRole"), "controlling");
  EXPECT_EQ(transport->get_string("iceState"), "connected");
  EXPECT_EQ(transport->get_string("selectedCandidatePairId"), selected->get_string("id"));
  EXPECT_TRUE(transport->get_string("srtpCipher"));
  EXPECT_TRUE(transport->get_string("remoteCertificateId"));
}

// One demultiplexer: DTLS application data comes out as dtls::Data, RTP
// and RTCP as SRTP packets (marked), and what is neither is dropped.
TEST(TransportStack, WhatArrivesIsDemultiplexedOnce) {
  Network net;
  net.start_ice();
  net.create_dtls(0);
  net.create_dtls(1);
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));

  const base::Bytes sctp_packet{0x13, 0x88, 0x13, 0x88, 1, 2, 3, 4};
  net.side(0).stack.send_dtls(net.now(), sctp_packet);
  const base::Bytes rtp = *base::from_hex("806f0001decafbadcafebabe0102030405060708");
  const base::Bytes rtcp = *base::from_hex("80c80006cafebabe0102030405060708090a0b0c");
  const base::Bytes turn_channel = *base::from_hex("40000004deadbeef");
  net.side(0).stack.send_srtp(net.now(), rtp);
  net.side(0).stack.send_srtp(net.now(), rtcp);
  net.side(0).stack.send_srtp(net.now(), turn_channel);
  ASSERT_TRUE(net.run_until([&] { return net.side(1).data.size() == 1 && net.side(1).srtp.size() == 2; }));
  EXPECT_EQ(net.side(1).data[0], sctp_packet);
  EXPECT_EQ(net.side(1).srtp[0].data, rtp);
  EXPECT_FALSE(net.side(1).srtp[0].rtcp);
  EXPECT_EQ(net.side(1).srtp[1].data, rtcp);
  EXPECT_TRUE(net.side(1).srtp[1].rtcp);
  net.run_until([] { return false; }, Duration::millis(100));
  EXPECT_EQ(net.side(1).srtp.size(), 2u);  // the TURN-channel-looking datagram went nowhere
}

// The client's ClientHello can arrive before the server has its DTLS
// transport (its answer is not applied yet): it is kept, and the handshake
// goes on from it at once instead of after the client's retransmission.
TEST(TransportStack, DtlsThatArrivesEarlyIsKeptForTheTransport) {
  Network net;
  net.start_ice();
  net.create_dtls(0);
  ASSERT_TRUE(net.run_until([&] {
    return net.has_event(0, "dtlsstatechange", "connecting") && !net.side(1).ice_states.empty() &&
           net.side(1).ice_states.back() == ice::State::Connected;
  }));
  // Let the ClientHello land on a side with no DTLS transport yet.
  net.run_until([] { return false; }, Duration::millis(20));
  EXPECT_EQ(net.side(1).stack.dtls_state(), dtls::State::New);
  const Timestamp created = net.now();
  net.create_dtls(1);  // ICE is connected: it starts at once
  EXPECT_TRUE(net.has_event(1, "dtlsstatechange", "connecting"));
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));
  // Two round trips of 10 ms, well before the client's first retransmission (400 ms).
  EXPECT_LT(net.now() - created, Duration::millis(200));
}

// RFC 8122 section 5: a certificate that does not match the fingerprint
// fails the transport, with webrtc-pc's fingerprint-failure detail.
TEST(TransportStack, AWrongFingerprintFailsDtls) {
  Network net;
  net.start_ice();
  base::SeededRandom other(99);
  net.create_dtls(0, certificate(other).fingerprint(dtls::HashFunction::Sha256));
  net.create_dtls(1);
  ASSERT_TRUE(net.run_until([&] { return net.side(0).failed.has_value(); }));
  EXPECT_EQ(net.side(0).failed->error, dtls::Error::FingerprintMismatch);
  EXPECT_EQ(net.side(0).stack.dtls_state(), dtls::State::Failed);
  const Record* failed = nullptr;
  for (const auto& e : net.side(0).events)
    if (e.get_string("type") == "dtlsstatechange" && e.get_string("state") == "failed") failed = &e;
  ASSERT_TRUE(failed);
  const Value* error = failed->get("error");
  ASSERT_TRUE(error && std::holds_alternative<std::shared_ptr<Record>>(*error));
  EXPECT_EQ(std::get<std::shared_ptr<Record>>(*error)->get_string("detail"), "fingerprint-failure");
  EXPECT_FALSE(net.side(0).stack.srtp_parameters());
}

// webrtc-pc 4.4.1.5 "close the connection": close_notify reaches the peer,
// whose DTLS transport closes; the closed side says nothing more.
TEST(TransportStack, CloseSendsCloseNotify) {
  Network net;
  net.start_ice();
  net.create_dtls(0);
  net.create_dtls(1);
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));
  net.side(0).stack.close(net.now());
  ASSERT_TRUE(net.run_until([&] { return net.side(1).closed; }, Duration::seconds(1)));
  EXPECT_TRUE(net.has_event(1, "dtlsstatechange", "closed"));
  EXPECT_EQ(net.side(1).stack.dtls_state(), dtls::State::Closed);
  EXPECT_FALSE(net.side(0).stack.process(net.now()));
}

// iceTransportPolicy "relay" (webrtc-pc 4.4.1.6): host candidates are
// gathered but never trickled.
TEST(TransportStack, RelayOnlyTricklesNoHostCandidates) {
  Network net;
  net.side(0).stack.set_relay_only(true);
  net.start_ice();
  net.run_until([] { return false; }, Duration::seconds(1));
  EXPECT_TRUE(net.side(0).candidates.empty());
  EXPECT_FALSE(net.side(1).candidates.empty());
}

// RFC 8445 section 7.3.1.1: two controlling agents, and one gives way.
// Its state is reported again with the new role, since the connection's
// aggregate shows "completed" by role (pc/connection_state.h); the other
// side reports each state once.
TEST(TransportStack, ARoleChangeReportsTheStateAgain) {
  Network net;
  net.start_ice(ice::Role::Controlling, ice::Role::Controlling);
  ASSERT_TRUE(net.run_until([&] {
    for (int i = 0; i < 2; ++i) {
      const auto s = net.side(i).stack.ice_state();
      if (s != ice::State::Connected && s != ice::State::Completed) return false;
    }
    return true;
  }));
  const int yielded = net.side(0).stack.ice_role() == ice::Role::Controlled ? 0 : 1;
  EXPECT_EQ(net.side(yielded).stack.ice_role(), ice::Role::Controlled);
  EXPECT_EQ(net.side(1 - yielded).stack.ice_role(), ice::Role::Controlling);
  const auto& again = net.side(yielded).ice_states;
  EXPECT_NE(std::adjacent_find(again.begin(), again.end()), again.end());
  const auto& once = net.side(1 - yielded).ice_states;
  EXPECT_EQ(std::adjacent_find(once.begin(), once.end()), once.end());
}

// A local ICE restart offer gathers at its setLocalDescription
// (regather(): "gathering", the candidates again, "complete"), and the
// restart that its answer brings announces nothing more; the connection
// carries on over the old pair and then with the new credentials.
TEST(TransportStack, ARestartOfferGathersOnceAtRegather) {
  Network net;
  net.start_ice();
  net.create_dtls(0);
  net.create_dtls(1);
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));
  Side& a = net.side(0);
  const size_t first = a.candidates.size();
  ASSERT_GT(first, 0u);
  EXPECT_EQ(a.gathering, (std::vector{ice::GatheringState::Gathering, ice::GatheringState::Complete}));

  a.stack.regather(net.now());
  net.drain();
  EXPECT_EQ(a.candidates.size(), 2 * first);
  EXPECT_EQ(a.gathering.size(), 4u);
  EXPECT_EQ(a.gathering.back(), ice::GatheringState::Complete);
  const std::string old_ufrag = a.stack.local_ufrag();
  EXPECT_EQ(old_ufrag, a.credentials.ufrag);  // checks keep the old credentials

  const ice::Credentials restarted = ice::random_credentials(a.random);
  a.stack.set_parameters(net.now(), restarted, net.side(1).credentials, false, /*reannounce=*/false);
  net.side(1).stack.set_parameters(net.now(), net.side(1).credentials, restarted, false);
  net.run_until([] { return false; }, Duration::seconds(2));
  EXPECT_EQ(a.stack.local_ufrag(), restarted.ufrag);
  EXPECT_EQ(a.candidates.size(), 2 * first);
  EXPECT_EQ(a.gathering.size(), 4u);
  for (int i = 0; i < 2; ++i) {
    const auto s = net.side(i).stack.ice_state();
    EXPECT_TRUE(s == ice::State::Connected || s == ice::State::Completed);
  }
}

// The first offer rolled back (webrtc-pc 4.4.1.5): the agent goes with
// what it knew, silently, and the next description's agent gathers afresh
// on the same sockets and connects.
TEST(TransportStack, ADiscardedAgentGivesWayToANewOne) {
  Network net;
  Side& a = net.side(0);
  a.stack.create_agent(ice::Role::Controlling, a.credentials);
  a.stack.start_gathering(net.now());
  net.drain();
  const size_t first = a.candidates.size();
  ASSERT_GT(first, 0u);
  ASSERT_EQ(a.gathering.size(), 2u);

  a.stack.discard_agent(net.now());
  net.drain();
  EXPECT_FALSE(a.stack.has_agent());
  EXPECT_FALSE(a.stack.ice_role());
  EXPECT_EQ(a.stack.local_ufrag(), "");
  EXPECT_EQ(a.gathering.size(), 2u);  // nothing of the closing agent's
  EXPECT_TRUE(a.ice_states.empty());

  a.credentials = ice::random_credentials(a.random);
  net.start_ice();
  net.create_dtls(0);
  net.create_dtls(1);
  ASSERT_TRUE(net.run_until([&] { return net.connected(); }));
  EXPECT_EQ(a.candidates.size(), 2 * first);
  EXPECT_EQ(a.stack.local_ufrag(), a.credentials.ufrag);
}

}  // namespace
}  // namespace wasmrtc::pc
