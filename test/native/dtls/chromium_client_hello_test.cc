// Chromium 156's real ClientHello (two fragments in two datagrams, 1200 and
// 263 bytes; test/data/dtls/chromium156-clienthello-frag{1,2}.bin):
//  (a) Mbed TLS 2.28 alone refuses it;
//  (b) our server Transport joins it, in any order and with duplicates, and
//      answers with a ServerHello (or a HelloVerifyRequest with cookies on).
// The handshake cannot finish without Chromium, but it gets past
// ClientHello parsing, which is the part Mbed TLS lacks.
#include <deque>

#include <gtest/gtest.h>
#include <mbedtls/ssl.h>

#include "base/byte_reader.h"
#include "dtls/certificate_internal.h"
#include "dtls/mbedtls_random.h"
#include "dtls/transport.h"
#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::load_data;

Bytes frag1() { return load_data("chromium156-clienthello-frag1.bin"); }
Bytes frag2() { return load_data("chromium156-clienthello-frag2.bin"); }

// A bare Mbed TLS DTLS server with no help from us: memory BIO, dummy timer.
class PlainMbedtlsServer {
 public:
  PlainMbedtlsServer() : random_(3) {
    mbedtls_ssl_config_init(&conf_);
    mbedtls_ssl_init(&ssl_);
    EXPECT_EQ(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER,
                                          MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT),
              0);
    mbedtls_ssl_conf_rng(&conf_, detail::mbedtls_random, &random_);
    mbedtls_ssl_conf_dtls_cookies(&conf_, nullptr, nullptr, nullptr);
    EXPECT_EQ(mbedtls_ssl_conf_own_cert(&conf_, CertificateAccess::crt(test::cert_b()),
                                        CertificateAccess::key(test::cert_b())),
              0);
    EXPECT_EQ(mbedtls_ssl_setup(&ssl_, &conf_), 0);
    mbedtls_ssl_set_bio(&ssl_, this, &send, &recv, nullptr);
    mbedtls_ssl_set_timer_cb(&ssl_, this, &set_timer, &get_timer);
  }
  ~PlainMbedtlsServer() {
    mbedtls_ssl_free(&ssl_);
    mbedtls_ssl_config_free(&conf_);
  }

  // Feeds datagrams and runs the handshake until it wants more or fails.
  int feed(const std::vector<Bytes>& datagrams) {
    for (const Bytes& d : datagrams) in_.push_back(d);
    int ret = 0;
    while (!in_.empty()) {
      ret = mbedtls_ssl_handshake(&ssl_);
      if (ret != MBEDTLS_ERR_SSL_WANT_READ) return ret;
    }
    return ret;
  }
  size_t sent() const { return sent_; }

 private:
  static int send(void* ctx, const unsigned char*, size_t len) {
    ++static_cast<PlainMbedtlsServer*>(ctx)->sent_;
    return static_cast<int>(len);
  }
  static int recv(void* ctx, unsigned char* buf, size_t len) {
    auto* self = static_cast<PlainMbedtlsServer*>(ctx);
    if (self->in_.empty()) return MBEDTLS_ERR_SSL_WANT_READ;
    Bytes d = std::move(self->in_.front());
    self->in_.pop_front();
    if (d.size() > len) return MBEDTLS_ERR_SSL_WANT_READ;
    std::copy(d.begin(), d.end(), buf);
    return static_cast<int>(d.size());
  }
  static void set_timer(void*, uint32_t, uint32_t) {}
  static int get_timer(void*) { return 0; }

  base::SeededRandom random_;
  mbedtls_ssl_config conf_;
  mbedtls_ssl_context ssl_;
  std::deque<Bytes> in_;
  size_t sent_ = 0;
};

TEST(ChromiumClientHello, PlainMbedtlsRejectsTheFragments) {
  {
    PlainMbedtlsServer s;
    EXPECT_EQ(s.feed({frag1(), frag2()}), MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO);  // -0x7900
    EXPECT_EQ(s.sent(), 0u);
  }
  {
    PlainMbedtlsServer s;
    EXPECT_EQ(s.feed({frag2(), frag1()}), MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO);
  }
}

// What our server sends first, decoded: record and handshake type, and for
// a ServerHello its cipher suite and use_srtp profile (RFC 5246 section
// 7.4.1.3, RFC 5764 section 4.1.1).
struct FirstFlight {
  int handshake_type = -1;
  uint16_t cipher_suite = 0;
  uint16_t srtp_profile = 0;
  uint16_t record_version = 0;
};

FirstFlight decode_first(const Bytes& datagram) {
  FirstFlight out;
  auto records = parse_records(datagram);
  if (records.empty() || records[0].content_type != kContentHandshake) return out;
  out.record_version = records[0].version;
  auto hs = parse_handshake_fragment(records[0].fragment);
  if (!hs) return out;
  out.handshake_type = hs->msg_type;
  if (hs->msg_type != kHandshakeServerHello || !hs->is_whole()) return out;
  base::ByteReader r(hs->body);
  r.skip(2 + 32);                         // server_version, random
  r.skip(r.u8().value_or(0));             // session_id
  out.cipher_suite = r.u16().value_or(0);
  r.skip(1);                              // compression_method
  r.skip(2);                              // extensions length
  while (r.remaining() >= 4) {
    const uint16_t type = *r.u16();
    const uint16_t len = *r.u16();
    auto body = r.bytes(len);
    if (!body) break;
    if (type == 14 && body->size() >= 4) {  // use_srtp: list length, profile, mki
      out.srtp_profile = static_cast<uint16_t>((*body)[2] << 8 | (*body)[3]);
    }
  }
  return out;
}

std::unique_ptr<Transport> make_server(base::Random& random, bool hello_verify) {
  Config c;
  c.role = Role::Server;
  c.certificate = test::cert_b();
  c.hello_verify = hello_verify;
  return Transport::create(c, random).value();
}

void expect_server_hello(Transport& server) {
  auto first = server.poll_transmit();
  ASSERT_TRUE(first.has_value());
  const FirstFlight f = decode_first(*first);
  EXPECT_EQ(f.handshake_type, kHandshakeServerHello);
  EXPECT_EQ(f.record_version, 0xFEFD);                 // DTLS 1.2
  EXPECT_EQ(f.cipher_suite, 0xCCA9);  // ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: Chromium offers it, we prefer it
  EXPECT_EQ(f.srtp_profile, 0x0001);                   // SRTP_AES128_CM_HMAC_SHA1_80
  // The rest of the flight: Certificate, ServerKeyExchange,
  // CertificateRequest, ServerHelloDone, within the MTU.
  EXPECT_LE(first->size(), 1200u);
  EXPECT_EQ(server.state(), State::Connecting);
  EXPECT_FALSE(server.poll_event().has_value());
  EXPECT_TRUE(server.poll_timeout().is_set());  // retransmission armed
  EXPECT_EQ(server.stats().client_hellos_joined, 1u);
}

const std::vector<std::vector<int>> kOrders = {
    {1, 2},        // as sent
    {2, 1},        // reordered
    {1, 1, 2},     // duplicate first
    {2, 1, 2},     // retransmitted second
    {2, 2, 1, 1},  // everything twice
};

TEST(ChromiumClientHello, ServerTransportJoinsAndAnswersServerHello) {
  for (const auto& order : kOrders) {
    SCOPED_TRACE(::testing::PrintToString(order));
    base::SeededRandom random(4);
    auto server = make_server(random, /*hello_verify=*/false);
    base::Timestamp now = base::Timestamp::from_millis(1000);
    server->start(now);
    bool answered = false;
    for (int which : order) {
      server->handle_input(now, which == 1 ? frag1() : frag2());
      if (!answered && server->stats().client_hellos_joined == 1) {
        expect_server_hello(*server);
        while (server->poll_transmit()) {
        }
        answered = true;
        continue;
      }
      // Before the join: nothing. After it, a lone repeated fragment is
      // held by the joiner and changes nothing.
      EXPECT_FALSE(server->poll_transmit().has_value());
    }
    EXPECT_TRUE(answered);
    EXPECT_EQ(server->state(), State::Connecting);
    EXPECT_EQ(server->stats().client_hellos_joined, 1u);
  }
}

TEST(ChromiumClientHello, ServerTransportAnswersHelloVerifyRequest) {
  for (const auto& order : kOrders) {
    SCOPED_TRACE(::testing::PrintToString(order));
    base::SeededRandom random(5);
    auto server = make_server(random, /*hello_verify=*/true);
    base::Timestamp now = base::Timestamp::from_millis(1000);
    server->start(now);
    size_t hvr = 0;
    for (int which : order) {
      server->handle_input(now, which == 1 ? frag1() : frag2());
      while (auto d = server->poll_transmit()) {
        EXPECT_EQ(decode_first(*d).handshake_type, kHandshakeHelloVerifyRequest);
        ++hvr;
      }
    }
    // One HelloVerifyRequest per complete ClientHello; the server keeps
    // waiting for the one carrying its cookie.
    EXPECT_EQ(hvr, server->stats().client_hellos_joined);
    EXPECT_GE(hvr, 1u);
    EXPECT_EQ(server->state(), State::Connecting);
    EXPECT_FALSE(server->poll_event().has_value());
    EXPECT_FALSE(server->poll_timeout().is_set());  // stateless until the cookie comes back
  }
}

// Issue 14: a forged fragment arrives before Chromium's two ClientHello
// datagrams, claiming another length or carrying other bytes where it
// overlaps the genuine first fragment. The server still joins the genuine
// ClientHello and answers it with its ServerHello flight.
TEST(ChromiumClientHello, ForgedFragmentBeforeTheGenuineOnesDoesNotBlockTheServer) {
  Bytes other_length = frag1();
  other_length[13 + 3] ^= 0x10;  // handshake length, low byte
  Bytes other_bytes = frag1();
  other_bytes[13 + 12 + 40] ^= 0xFF;  // a byte of the body (in the random / session id)
  Bytes late_start = frag2();
  late_start[13 + 12 + 10] ^= 0xFF;  // the second fragment's bytes, forged
  for (const Bytes& forged : {other_length, other_bytes, late_start}) {
    base::SeededRandom random(6);
    auto server = make_server(random, /*hello_verify=*/false);
    base::Timestamp now = base::Timestamp::from_millis(1000);
    server->start(now);
    server->handle_input(now, forged);
    EXPECT_FALSE(server->poll_transmit().has_value());
    server->handle_input(now, frag1());
    server->handle_input(now, frag2());
    // The genuine message was joined and answered (a forged alternative
    // that completed with it comes first and is forgotten as unparsable,
    // or answered and then superseded).
    ASSERT_GE(server->stats().client_hellos_joined, 1u);
    EXPECT_NE(server->state(), State::Failed);
    bool server_hello = false;
    while (auto d = server->poll_transmit()) server_hello |= decode_first(*d).handshake_type == kHandshakeServerHello;
    EXPECT_TRUE(server_hello);
  }
}

}  // namespace
}  // namespace wasmrtc::dtls
