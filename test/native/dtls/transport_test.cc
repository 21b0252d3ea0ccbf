// Two Transports in one process on a simulated clock (dtls_test_support.h).
#include "dtls/transport.h"

#include <iostream>

#include <gtest/gtest.h>

#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::cert_a;
using test::cert_b;
using test::config_for;
using test::data_of;
using test::Dir;
using test::events_of;
using test::Network;

// A is the client when the parameter is true, the server otherwise.
class Handshake : public ::testing::TestWithParam<bool> {
 protected:
  Role role_a() const { return GetParam() ? Role::Client : Role::Server; }
  Role role_b() const { return GetParam() ? Role::Server : Role::Client; }
  Network make(uint64_t seed = 1) {
    return Network(config_for(role_a(), cert_a(), &cert_b()),
                   config_for(role_b(), cert_b(), &cert_a()), seed);
  }
};

INSTANTIATE_TEST_SUITE_P(BothWays, Handshake, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "AClient" : "AServer"; });

void expect_connected_pair(Network& n) {
  auto ca = events_of<Connected>(n.events_a);
  auto cb = events_of<Connected>(n.events_b);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(cb.size(), 1u);
  // Connected comes first.
  EXPECT_TRUE(std::holds_alternative<Connected>(n.events_a.front()));
  EXPECT_TRUE(std::holds_alternative<Connected>(n.events_b.front()));
  // Both offer the default list (supported_srtp_profiles()): its first
  // profile wins (AEAD_AES_128_GCM where the linked Mbed TLS knows GCM).
  // RFC 5764 section 4.2: both sides export the same 2 * (key + salt) bytes.
  ASSERT_TRUE(ca[0].srtp_profile.has_value());
  const SrtpProfile p = *ca[0].srtp_profile;
  EXPECT_EQ(p, supported_srtp_profiles().front());
  EXPECT_EQ(ca[0].srtp_profile, cb[0].srtp_profile);
  ASSERT_TRUE(ca[0].srtp_keys && cb[0].srtp_keys);
  const SrtpKeys& k = *ca[0].srtp_keys;
  EXPECT_EQ(k, *cb[0].srtp_keys);
  EXPECT_EQ(k.client_key.size() + k.client_salt.size() + k.server_key.size() +
                k.server_salt.size(),
            2 * (srtp_key_length(p) + srtp_salt_length(p)));
  EXPECT_EQ(k.client_key.size(), srtp_key_length(p));
  EXPECT_EQ(k.client_salt.size(), srtp_salt_length(p));
  EXPECT_NE(k.client_key, k.server_key);
  // Each side saw the other's certificate.
  EXPECT_TRUE(std::equal(ca[0].remote_certificate_der.begin(), ca[0].remote_certificate_der.end(),
                         cert_b().der().begin(), cert_b().der().end()));
  EXPECT_TRUE(std::equal(cb[0].remote_certificate_der.begin(), cb[0].remote_certificate_der.end(),
                         cert_a().der().begin(), cert_a().der().end()));
  EXPECT_EQ(ca[0].remote_fingerprint, cert_b().fingerprint());
  EXPECT_EQ(cb[0].remote_fingerprint, cert_a().fingerprint());
  EXPECT_EQ(ca[0].cipher_suite, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");  // our first choice
  EXPECT_EQ(cb[0].cipher_suite, ca[0].cipher_suite);
}

TEST_P(Handshake, ConnectsAndExportsEqualSrtpKeys) {
  Network n = make();
  EXPECT_EQ(n.a().state(), State::New);
  n.start();
  EXPECT_EQ(n.a().state(), State::Connecting);
  EXPECT_EQ(n.b().state(), State::Connecting);
  ASSERT_TRUE(n.run_until_connected());
  expect_connected_pair(n);
  // Four flights with 10 ms one-way delay, no retransmission needed.
  EXPECT_LT(n.now() - base::Timestamp::from_millis(1000000), base::Duration::millis(100));
  EXPECT_FALSE(n.a().poll_timeout().is_set() && n.b().poll_timeout().is_set());
}

TEST_P(Handshake, CarriesDataBothWays) {
  Network n = make();
  const Bytes hello = base::to_bytes("hello from A");
  EXPECT_EQ(n.a().send(n.now(), hello).error(), Error::NotConnected);
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  ASSERT_TRUE(n.a().send(n.now(), hello).ok());
  ASSERT_TRUE(n.b().send(n.now(), base::to_bytes("hi from B")).ok());
  Bytes big(n.a().max_payload(), 0x5A);
  EXPECT_GT(big.size(), 1100u);  // 1200 - 13 header - 8 nonce - 16 tag = 1163
  EXPECT_LE(big.size(), 1200u - 13);
  ASSERT_TRUE(n.a().send(n.now(), big).ok());
  Bytes too_big(big.size() + 1, 0);
  EXPECT_EQ(n.a().send(n.now(), too_big).error(), Error::MessageTooLong);
  n.pump();
  for (const Bytes& d : n.sent_a) EXPECT_LE(d.size(), 1200u);
  n.run_until([&] { return data_of(n.events_b).size() == 2 && !data_of(n.events_a).empty(); });
  auto at_b = data_of(n.events_b);
  ASSERT_EQ(at_b.size(), 2u);
  EXPECT_EQ(at_b[0], hello);
  EXPECT_EQ(at_b[1], big);
  ASSERT_EQ(data_of(n.events_a).size(), 1u);
  EXPECT_EQ(data_of(n.events_a)[0], base::to_bytes("hi from B"));
}

TEST_P(Handshake, CloseNotifyClosesThePeer) {
  Network n = make();
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  n.a().close(n.now());
  EXPECT_EQ(n.a().state(), State::Closed);
  n.run_until([&] { return n.b().state() == State::Closed; });
  EXPECT_EQ(n.b().state(), State::Closed);
  auto closed_a = events_of<Closed>(n.events_a);
  auto closed_b = events_of<Closed>(n.events_b);
  ASSERT_EQ(closed_a.size(), 1u);
  ASSERT_EQ(closed_b.size(), 1u);
  EXPECT_FALSE(closed_a[0].by_peer);
  EXPECT_TRUE(closed_b[0].by_peer);
  EXPECT_EQ(n.a().send(n.now(), base::to_bytes("x")).error(), Error::Closed);
  EXPECT_EQ(n.b().send(n.now(), base::to_bytes("x")).error(), Error::Closed);
  n.a().close(n.now());  // idempotent
  n.pump();
  EXPECT_EQ(events_of<Closed>(n.events_a).size(), 1u);
  EXPECT_FALSE(n.a().poll_timeout().is_set());
}

TEST_P(Handshake, WrongFingerprintFailsWithoutData) {
  Config a = config_for(role_a(), cert_a(), &cert_b());
  Config b = config_for(role_b(), cert_b(), &cert_a());
  a.remote_fingerprints[0].value[3] ^= 0x40;  // A expects another certificate
  Network n(a, b);
  n.start();
  n.run_until([&] { return n.a().state() == State::Failed && n.b().state() == State::Failed; });
  ASSERT_EQ(n.a().state(), State::Failed);
  auto fa = events_of<Failed>(n.events_a);
  ASSERT_EQ(fa.size(), 1u);
  EXPECT_EQ(fa[0].error, Error::FingerprintMismatch);
  // B learns of it through the fatal alert A sent.
  ASSERT_EQ(n.b().state(), State::Failed);
  auto fb = events_of<Failed>(n.events_b);
  ASSERT_EQ(fb.size(), 1u);
  EXPECT_EQ(fb[0].error, Error::FatalAlert);
  EXPECT_NE(fb[0].detail.find("access_denied"), std::string::npos) << fb[0].detail;
  EXPECT_TRUE(events_of<Connected>(n.events_a).empty());
  EXPECT_TRUE(data_of(n.events_a).empty());
  EXPECT_EQ(n.a().send(n.now(), base::to_bytes("x")).error(), Error::Closed);
}

// The remote fingerprint comes after the handshake: Connected and any data
// wait for it (set_remote_fingerprints), then flow.
TEST_P(Handshake, DeferredFingerprintHoldsConnectedAndData) {
  Network n(config_for(role_a(), cert_a(), nullptr), config_for(role_b(), cert_b(), &cert_a()));
  n.start();
  ASSERT_TRUE(n.run_until([&] { return n.b().state() == State::Connected; }));
  // B may finish first (when it is the client) or A may have finished
  // silently; either way A has told nothing and stays connecting.
  n.run_until([] { return false; }, base::Duration::seconds(2));
  EXPECT_EQ(n.a().state(), State::Connecting);
  EXPECT_TRUE(n.events_a.empty());
  ASSERT_TRUE(n.b().send(n.now(), base::to_bytes("early 1")).ok());
  ASSERT_TRUE(n.b().send(n.now(), base::to_bytes("early 2")).ok());
  n.run_until([] { return false; }, base::Duration::seconds(1));
  EXPECT_TRUE(n.events_a.empty());  // held, not delivered
  EXPECT_EQ(n.a().stats().data_held, 2u);
  EXPECT_EQ(n.a().send(n.now(), base::to_bytes("x")).error(), Error::NotConnected);

  ASSERT_TRUE(n.a().set_remote_fingerprints(n.now(), {cert_b().fingerprint()}).ok());
  n.pump();
  ASSERT_EQ(n.a().state(), State::Connected);
  ASSERT_EQ(n.events_a.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<Connected>(n.events_a[0]));
  EXPECT_EQ(data_of(n.events_a),
            (std::vector<Bytes>{base::to_bytes("early 1"), base::to_bytes("early 2")}));
  expect_connected_pair(n);
  EXPECT_EQ(n.a().set_remote_fingerprints(n.now(), {cert_b().fingerprint()}).error(),
            Error::InvalidState);
}

TEST_P(Handshake, DeferredWrongFingerprintFailsAndDropsHeldData) {
  Network n(config_for(role_a(), cert_a(), nullptr), config_for(role_b(), cert_b(), &cert_a()));
  n.start();
  ASSERT_TRUE(n.run_until([&] { return n.b().state() == State::Connected; }));
  n.run_until([] { return false; }, base::Duration::seconds(2));
  ASSERT_TRUE(n.b().send(n.now(), base::to_bytes("secret")).ok());
  n.run_until([] { return false; }, base::Duration::seconds(1));
  // The certificate of someone else.
  ASSERT_TRUE(n.a().set_remote_fingerprints(n.now(), {cert_a().fingerprint()}).ok());
  n.pump();
  EXPECT_EQ(n.a().state(), State::Failed);
  ASSERT_EQ(n.events_a.size(), 1u);
  EXPECT_EQ(std::get<Failed>(n.events_a[0]).error, Error::FingerprintMismatch);
  EXPECT_EQ(n.a().stats().data_dropped, 1u);
  // The peer hears bad_certificate.
  n.run_until([&] { return n.b().state() == State::Failed; }, base::Duration::seconds(1));
  ASSERT_EQ(events_of<Failed>(n.events_b).size(), 1u);
  EXPECT_NE(events_of<Failed>(n.events_b)[0].detail.find("bad_certificate"), std::string::npos);
  EXPECT_EQ(n.a().set_remote_fingerprints(n.now(), {cert_b().fingerprint()}).error(),
            Error::Closed);
}

// Fingerprints known before the peer's certificate arrives, given after
// start() but before the handshake ends.
TEST_P(Handshake, FingerprintSetDuringHandshake) {
  Network n(config_for(role_a(), cert_a(), nullptr), config_for(role_b(), cert_b(), &cert_a()));
  n.start();
  ASSERT_TRUE(n.a().set_remote_fingerprints(
      n.now(), {cert_b().fingerprint(HashFunction::Sha512), cert_a().fingerprint()}).ok());
  ASSERT_TRUE(n.run_until_connected());
  EXPECT_EQ(events_of<Connected>(n.events_a)[0].remote_fingerprint.algorithm,
            HashFunction::Sha512);
}

// Loss, reordering and duplication of handshake flights: retransmission on
// the simulated clock completes the handshake anyway.
TEST_P(Handshake, SurvivesLossOfEveryFirstFlight) {
  Network n = make();
  std::map<std::pair<int, int>, int> seen;
  n.filter = [&](Dir dir, size_t index, const Bytes& d) -> std::vector<Bytes> {
    // Drop the first two transmissions of each handshake datagram.
    (void)index;
    const int type = test::first_handshake_type(d);
    if (type < 0) return {d};
    if (seen[{static_cast<int>(dir), type}]++ < 2) return {};
    return {d};
  };
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  expect_connected_pair(n);
  // 400 ms + 800 ms of backoff at least.
  EXPECT_GE(n.now() - base::Timestamp::from_millis(1000000), base::Duration::millis(1200));
}

TEST_P(Handshake, SurvivesRandomLossReorderingAndDuplication) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    Network n = make(seed);
    base::SeededRandom chance(seed * 7919);
    n.reverse_batches = seed % 2 == 0;
    n.filter = [&](Dir, size_t, const Bytes& d) -> std::vector<Bytes> {
      const uint32_t r = chance.uniform(100);
      if (r < 30) return {};         // 30% loss
      if (r < 45) return {d, d};     // 15% duplicated
      return {d};
    };
    n.start();
    ASSERT_TRUE(n.run_until_connected(base::Duration::seconds(60)));
    expect_connected_pair(n);
    // Data after a lossy handshake: at least one of several gets through.
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(n.a().send(n.now(), base::to_bytes("ping")).ok());
    n.run_until([&] { return !data_of(n.events_b).empty(); }, base::Duration::seconds(1));
    EXPECT_FALSE(data_of(n.events_b).empty());
  }
}

TEST_P(Handshake, SmallMtuFragmentsFlightsAndStillConnects) {
  Config a = config_for(role_a(), cert_a(), &cert_b());
  Config b = config_for(role_b(), cert_b(), &cert_a());
  a.mtu = b.mtu = 256;
  Network n(a, b);
  n.reverse_batches = true;
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  expect_connected_pair(n);
  for (const Bytes& d : n.sent_a) EXPECT_LE(d.size(), 256u);
  for (const Bytes& d : n.sent_b) EXPECT_LE(d.size(), 256u);
}

TEST_P(Handshake, IgnoresGarbageDatagrams) {
  Network n = make();
  base::SeededRandom junk(99);
  auto garbage = [&](size_t len) {
    Bytes b(len);
    junk.fill(b);
    return b;
  };
  // Before anything: noise, a record of a TLS version, a truncated record,
  // an encrypted-looking record, a ClientHello fragment that never completes.
  auto blast = [&] {
    for (Dir to : {Dir::AtoB, Dir::BtoA}) {
      n.inject(to, garbage(1));
      n.inject(to, garbage(100));
      n.inject(to, Bytes{22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4});
      n.inject(to, Bytes{22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 1});
      n.inject(to, make_record(kContentApplicationData, 0xFEFD, 1, 5, garbage(64)));
      n.inject(to, test::fragment_client_hello(
                       make_record(kContentHandshake, 0xFEFD, 0, 0,
                                   [] {
                                     base::ByteWriter w;
                                     w.u8(1);
                                     w.u24(500);
                                     w.u16(0);
                                     w.u24(0);
                                     w.u24(500);
                                     w.zeros(500);
                                     return w.take();
                                   }()),
                       200)[1]);
      n.inject(to, Bytes{});
    }
  };
  n.start();
  blast();
  ASSERT_TRUE(n.run_until_connected());
  expect_connected_pair(n);
  blast();
  ASSERT_TRUE(n.a().send(n.now(), base::to_bytes("still here")).ok());
  n.run_until([&] { return !data_of(n.events_b).empty(); });
  EXPECT_EQ(data_of(n.events_b).size(), 1u);
  EXPECT_EQ(n.a().state(), State::Connected);
  EXPECT_EQ(n.b().state(), State::Connected);
  const auto sa = n.a().stats();
  const auto sb = n.b().stats();
  EXPECT_GT(sa.datagrams_dropped + sa.records_dropped + sa.join_drops, 5u);
  EXPECT_GT(sb.datagrams_dropped + sb.records_dropped + sb.join_drops, 5u);
}

TEST_P(Handshake, FragmentedClientHelloWithCookieExchange) {
  Config a = config_for(role_a(), cert_a(), &cert_b());
  Config b = config_for(role_b(), cert_b(), &cert_a());
  a.hello_verify = b.hello_verify = true;  // only the server's matters
  Network n(a, b);
  const Dir to_server = role_a() == Role::Server ? Dir::BtoA : Dir::AtoB;
  // Chromium-like: every ClientHello (the first and the one with the
  // cookie) cut into pieces, delivered backwards, the middle one twice.
  n.filter = [&](Dir dir, size_t, const Bytes& d) -> std::vector<Bytes> {
    if (dir != to_server) return {d};
    std::vector<Bytes> pieces = test::fragment_client_hello(d, 60);
    if (pieces.size() > 2) pieces.push_back(pieces[pieces.size() / 2]);
    std::reverse(pieces.begin(), pieces.end());
    return pieces;
  };
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  expect_connected_pair(n);
  Transport& server = role_a() == Role::Server ? n.a() : n.b();
  const auto& server_sent = role_a() == Role::Server ? n.sent_a : n.sent_b;
  ASSERT_FALSE(server_sent.empty());
  EXPECT_EQ(test::first_handshake_type(server_sent[0]), kHandshakeHelloVerifyRequest);
  EXPECT_EQ(server.stats().client_hellos_joined, 2u);  // message_seq 0 and 1
}

// Issue 14: a forged ClientHello fragment that arrives before the genuine
// ones must not block the handshake: one of another length before the
// first ClientHello, one with conflicting bytes before the one with the
// cookie. The genuine flights still complete.
TEST_P(Handshake, ForgedClientHelloFragmentsBeforeTheGenuineOnes) {
  Config a = config_for(role_a(), cert_a(), &cert_b());
  Config b = config_for(role_b(), cert_b(), &cert_a());
  a.hello_verify = b.hello_verify = true;
  Network n(a, b);
  const Dir to_server = role_a() == Role::Server ? Dir::BtoA : Dir::AtoB;
  int hellos = 0;
  n.filter = [&](Dir dir, size_t, const Bytes& d) -> std::vector<Bytes> {
    if (dir != to_server || test::first_handshake_type(d) != kHandshakeClientHello) return {d};
    std::vector<Bytes> pieces = test::fragment_client_hello(d, 60);
    if (pieces.size() < 2) return {d};
    Bytes forged = pieces[0];
    if (hellos++ == 0) {
      forged[13 + 3] ^= 0x01;  // the handshake length's low byte: another length
    } else {
      forged.back() ^= 0xFF;   // same length, conflicting bytes
    }
    pieces.insert(pieces.begin(), forged);
    return pieces;
  };
  n.start();
  const bool connected = n.run_until_connected();
  for (const auto* events : {&n.events_a, &n.events_b}) {
    for (const auto& e : *events) {
      if (auto* f = std::get_if<Failed>(&e)) ADD_FAILURE() << "failed: " << f->detail;
    }
  }
  ASSERT_TRUE(connected);
  expect_connected_pair(n);
  Transport& server = role_a() == Role::Server ? n.a() : n.b();
  EXPECT_GE(server.stats().client_hellos_joined, 2u);
  EXPECT_GE(hellos, 2);
}

TEST(Transport, HelloVerifyOffAnswersWithServerHello) {
  Network n(config_for(Role::Client, cert_a(), &cert_b()),
            config_for(Role::Server, cert_b(), &cert_a()));
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  EXPECT_EQ(test::first_handshake_type(n.sent_a[0]), kHandshakeClientHello);
  EXPECT_EQ(test::first_handshake_type(n.sent_b[0]), kHandshakeServerHello);
}

// RSA certificates (generateCertificate's RSASSA-PKCS1-v1_5 form) on either
// side: the server's certificate decides between ECDHE_ECDSA and ECDHE_RSA,
// so the client offers both.
TEST(Transport, RsaCertificatesOnEitherSide) {
  using test::cert_rsa;
  struct Case {
    const Certificate* client;
    const Certificate* server;
    const char* suite;
  };
  const Case cases[] = {
      {&cert_rsa(), &cert_a(), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
      {&cert_a(), &cert_rsa(), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
      {&cert_rsa(), &cert_rsa(), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
  };
  for (const Case& c : cases) {
    Network n(config_for(Role::Client, *c.client, c.server),
              config_for(Role::Server, *c.server, c.client));
    n.start();
    ASSERT_TRUE(n.run_until_connected()) << c.suite;
    auto ca = events_of<Connected>(n.events_a);
    auto cb = events_of<Connected>(n.events_b);
    ASSERT_EQ(ca.size(), 1u);
    ASSERT_EQ(cb.size(), 1u);
    EXPECT_EQ(ca[0].cipher_suite, c.suite);
    EXPECT_EQ(cb[0].cipher_suite, c.suite);
    EXPECT_EQ(ca[0].remote_fingerprint, c.server->fingerprint());
    EXPECT_EQ(cb[0].remote_fingerprint, c.client->fingerprint());
    ASSERT_TRUE(ca[0].srtp_keys && cb[0].srtp_keys);
    EXPECT_EQ(*ca[0].srtp_keys, *cb[0].srtp_keys);
  }
}

TEST(Transport, TimesOutWhenThePeerNeverAnswers) {
  Network n(config_for(Role::Client, cert_a(), &cert_b()),
            config_for(Role::Server, cert_b(), &cert_a()));
  n.filter = [](Dir dir, size_t, const Bytes& d) -> std::vector<Bytes> {
    if (dir == Dir::AtoB) return {};
    return {d};
  };
  const base::Timestamp t0 = n.now();
  n.start();
  ASSERT_EQ(n.a().poll_timeout().value(), t0 + base::Duration::millis(400));
  n.run_until([&] { return n.a().state() == State::Failed; });
  ASSERT_EQ(n.a().state(), State::Failed);
  auto f = events_of<Failed>(n.events_a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].error, Error::Timeout);
  // 0.4 + 0.8 + 1.6 + 3.2 + 6.4 + 12.8 s; the ClientHello sent 6 times.
  EXPECT_EQ(n.now() - t0, base::Duration::millis(25200));
  EXPECT_EQ(n.sent_a.size(), 6u);
  EXPECT_FALSE(n.a().poll_timeout().is_set());
  EXPECT_EQ(n.b().state(), State::Connecting);  // never heard a thing
}

TEST(Transport, ConnectsWithoutSrtp) {
  Config a = config_for(Role::Client, cert_a(), &cert_b());
  Config b = config_for(Role::Server, cert_b(), &cert_a());
  a.srtp_profiles.clear();
  Network n(a, b);
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  auto c = events_of<Connected>(n.events_a);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(c[0].srtp_profile.has_value());
  EXPECT_FALSE(c[0].srtp_keys.has_value());
}

TEST(Transport, NegotiatesTheServersPreferredCommonProfile) {
  Config a = config_for(Role::Client, cert_a(), &cert_b());
  Config b = config_for(Role::Server, cert_b(), &cert_a());
  a.srtp_profiles = {SrtpProfile::Aes128CmHmacSha1_32};
  Network n(a, b);
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  auto c = events_of<Connected>(n.events_b);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].srtp_profile, SrtpProfile::Aes128CmHmacSha1_32);
  EXPECT_EQ(c[0].srtp_keys->server_salt.size(), 14u);
}

// supported_srtp_profiles() is a probe of the linked Mbed TLS: check it
// against real handshakes between two of our transports.
TEST(Transport, DefaultSrtpProfilesAreTheProbedList) {
  const Config c = config_for(Role::Client, cert_a(), &cert_b());
  const auto s = supported_srtp_profiles();
  EXPECT_EQ(c.srtp_profiles, std::vector<SrtpProfile>(s.begin(), s.end()));
}

// Every reported profile, offered alone by the client to a server accepting
// the whole list (and the other way round), is negotiated, with keys of its
// length equal on both sides.
TEST(Transport, EveryReportedSrtpProfileNegotiates) {
  const auto s = supported_srtp_profiles();
  for (SrtpProfile p : s) {
    for (bool client_alone : {true, false}) {
      SCOPED_TRACE(std::string(to_string(p)) + (client_alone ? " offered alone" : " accepted alone"));
      Config a = config_for(Role::Client, cert_a(), &cert_b());
      Config b = config_for(Role::Server, cert_b(), &cert_a());
      (client_alone ? a : b).srtp_profiles = {p};
      Network n(a, b);
      n.start();
      ASSERT_TRUE(n.run_until_connected());
      auto ca = events_of<Connected>(n.events_a);
      auto cb = events_of<Connected>(n.events_b);
      ASSERT_EQ(ca.size(), 1u);
      ASSERT_EQ(cb.size(), 1u);
      EXPECT_EQ(ca[0].srtp_profile, p);
      EXPECT_EQ(cb[0].srtp_profile, p);
      ASSERT_TRUE(ca[0].srtp_keys && cb[0].srtp_keys);
      EXPECT_EQ(*ca[0].srtp_keys, *cb[0].srtp_keys);
      EXPECT_EQ(ca[0].srtp_keys->client_key.size(), srtp_key_length(p));
      EXPECT_EQ(ca[0].srtp_keys->server_salt.size(), srtp_salt_length(p));
    }
  }
}

// The probe's list is in our preference order, always has the AES-CM
// profiles every WebRTC peer has, and agrees with is_supported() and with
// Transport::create().
TEST(Transport, SrtpProbeIsConsistent) {
  const std::vector<SrtpProfile> order = {SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                                          SrtpProfile::Aes128CmHmacSha1_80,
                                          SrtpProfile::Aes128CmHmacSha1_32};
  const auto s = supported_srtp_profiles();
  std::vector<SrtpProfile> expected;
  for (SrtpProfile p : order) {
    if (is_supported(p)) expected.push_back(p);
  }
  EXPECT_EQ(std::vector<SrtpProfile>(s.begin(), s.end()), expected);
  EXPECT_TRUE(is_supported(SrtpProfile::Aes128CmHmacSha1_80));
  EXPECT_TRUE(is_supported(SrtpProfile::Aes128CmHmacSha1_32));
  // Both GCM profiles or neither: they hang on the same Mbed TLS check.
  EXPECT_EQ(is_supported(SrtpProfile::AeadAes128Gcm), is_supported(SrtpProfile::AeadAes256Gcm));
  base::SeededRandom r(1);
  for (SrtpProfile p : order) {
    Config c = config_for(Role::Server, cert_b(), &cert_a());
    c.srtp_profiles = {p};
    EXPECT_EQ(Transport::create(c, r).ok(), is_supported(p)) << to_string(p);
  }
  std::cout << "[ INFO     ] supported_srtp_profiles():";
  for (SrtpProfile p : s) std::cout << " " << to_string(p);
  std::cout << "\n";
}

// Mbed TLS as the server takes the first profile of the client's list that
// it also has, so the client's preference decides between two of ours.
TEST(Transport, NegotiatesTheClientsFirstCommonProfile) {
  Config a = config_for(Role::Client, cert_a(), &cert_b());
  Config b = config_for(Role::Server, cert_b(), &cert_a());
  a.srtp_profiles = {SrtpProfile::Aes128CmHmacSha1_32, SrtpProfile::Aes128CmHmacSha1_80};
  b.srtp_profiles = {SrtpProfile::Aes128CmHmacSha1_80, SrtpProfile::Aes128CmHmacSha1_32};
  Network n(a, b);
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  auto c = events_of<Connected>(n.events_b);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].srtp_profile, SrtpProfile::Aes128CmHmacSha1_32);
}

// With GCM in the linked library, a default handshake picks AEAD_AES_128_GCM;
// an AES-CM-only peer still gets AES128_CM_HMAC_SHA1_80.
TEST(Transport, GcmChosenWhenTheLibraryHasIt) {
  if (!is_supported(SrtpProfile::AeadAes128Gcm)) {
    GTEST_SKIP() << "the linked Mbed TLS knows no GCM SRTP profile (unpatched 2.28)";
  }
  {
    Network n(config_for(Role::Client, cert_a(), &cert_b()),
              config_for(Role::Server, cert_b(), &cert_a()));
    n.start();
    ASSERT_TRUE(n.run_until_connected());
    EXPECT_EQ(events_of<Connected>(n.events_a)[0].srtp_profile, SrtpProfile::AeadAes128Gcm);
  }
  Config a = config_for(Role::Client, cert_a(), &cert_b());
  a.srtp_profiles = {SrtpProfile::Aes128CmHmacSha1_80, SrtpProfile::Aes128CmHmacSha1_32};
  Network n(a, config_for(Role::Server, cert_b(), &cert_a()));
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  EXPECT_EQ(events_of<Connected>(n.events_b)[0].srtp_profile, SrtpProfile::Aes128CmHmacSha1_80);
}

TEST(Transport, RejectsBadConfig) {
  base::SeededRandom r(1);
  Config c = config_for(Role::Client, cert_a(), &cert_b());
  Config no_cert = c;
  no_cert.certificate = Certificate();
  EXPECT_EQ(Transport::create(no_cert, r).error(), Error::InvalidConfig);
  // SRTP_NULL_HMAC_SHA1_80 (0x0005): Mbed TLS knows it, we never offer it.
  Config null_profile = c;
  null_profile.srtp_profiles = {static_cast<SrtpProfile>(0x0005)};
  EXPECT_EQ(Transport::create(null_profile, r).error(), Error::UnsupportedSrtpProfile);
  Config gcm = c;
  gcm.srtp_profiles = {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmHmacSha1_80};
  if (is_supported(SrtpProfile::AeadAes128Gcm)) {
    EXPECT_TRUE(Transport::create(gcm, r).ok());
  } else {
    EXPECT_EQ(Transport::create(gcm, r).error(), Error::UnsupportedSrtpProfile);
  }
  Config five = c;
  five.srtp_profiles = {SrtpProfile::Aes128CmHmacSha1_80, SrtpProfile::Aes128CmHmacSha1_32,
                        SrtpProfile::Aes128CmHmacSha1_80, SrtpProfile::Aes128CmHmacSha1_32,
                        SrtpProfile::Aes128CmHmacSha1_80};
  EXPECT_EQ(Transport::create(five, r).error(), Error::InvalidConfig);
  Config tiny = c;
  tiny.mtu = 100;
  EXPECT_EQ(Transport::create(tiny, r).error(), Error::InvalidConfig);
  Config timers = c;
  timers.handshake_timeout_max = base::Duration::millis(100);
  EXPECT_EQ(Transport::create(timers, r).error(), Error::InvalidConfig);
  EXPECT_TRUE(Transport::create(c, r).ok());
}

TEST(Transport, ClientIgnoresInputBeforeStart) {
  base::SeededRandom r(1);
  auto t = Transport::create(config_for(Role::Client, cert_a(), &cert_b()), r).value();
  t->handle_input(base::Timestamp::from_millis(5), Bytes{22, 0xFE, 0xFD});
  EXPECT_EQ(t->state(), State::New);
  EXPECT_FALSE(t->poll_transmit().has_value());
  EXPECT_FALSE(t->poll_timeout().is_set());
  EXPECT_EQ(t->stats().datagrams_dropped, 1u);
  EXPECT_EQ(t->max_payload(), 0u);
  EXPECT_EQ(t->role(), Role::Client);
  EXPECT_EQ(t->local_certificate().fingerprint(), cert_a().fingerprint());
}

}  // namespace
}  // namespace wasmrtc::dtls

namespace wasmrtc::dtls {
namespace {

// RFC 6347 section 4.1.1.1 lets a handshake fall back to a small MTU after
// repeated retransmissions (Mbed TLS: 508 bytes). That must not shrink what
// the application may send once connected.
TEST(Transport, RetransmissionBackoffDoesNotShrinkMaxPayload) {
  Network n(config_for(Role::Client, cert_a(), &cert_b()),
            config_for(Role::Server, cert_b(), &cert_a()));
  int server_flights = 0;
  n.filter = [&](Dir dir, size_t, const Bytes& d) -> std::vector<Bytes> {
    if (dir == Dir::BtoA && test::first_handshake_type(d) == kHandshakeServerHello &&
        server_flights++ < 3) {
      return {};
    }
    return {d};
  };
  n.start();
  ASSERT_TRUE(n.run_until_connected());
  EXPECT_GT(n.sent_b.size(), 4u);  // the server did retransmit
  EXPECT_GE(n.b().max_payload(), 1100u);
  EXPECT_GE(n.a().max_payload(), 1100u);
  Bytes big(1150, 0x42);
  ASSERT_TRUE(n.b().send(n.now(), big).ok());
  ASSERT_TRUE(n.a().send(n.now(), big).ok());
  n.run_until([&] { return !data_of(n.events_a).empty() && !data_of(n.events_b).empty(); });
  EXPECT_EQ(data_of(n.events_a).size(), 1u);
  EXPECT_EQ(data_of(n.events_b).size(), 1u);
}

}  // namespace
}  // namespace wasmrtc::dtls
