#include "dtls/transport.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <string>

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_internal.h>  // mbedtls_ssl_handshake_params::mtu, see below
#include <mbedtls/x509_crt.h>

#include "base/log.h"
#include "dtls/certificate_internal.h"
#include "dtls/cookie.h"
#include "dtls/handshake_reassembly.h"
#include "dtls/keying_material.h"
#include "dtls/mbedtls_random.h"
#include "dtls/record.h"

namespace wasmrtc::dtls {
namespace {

constexpr const char* kTag = "dtls";

// Data decrypted before the peer's fingerprint is known is held, up to this
// much (a few dozen SCTP packets); beyond it, records are dropped as a lossy
// network would drop them, and SCTP retransmits.
constexpr size_t kMaxHeldBytes = 64 * 1024;

// Largest datagram passed to Mbed TLS: its input buffer holds one record of
// MBEDTLS_SSL_IN_CONTENT_LEN (16384) plus header and cipher expansion.
constexpr size_t kMaxDatagram = 16384 + 512;

// ECDHE with ECDSA or RSA certificates. ChaCha20-Poly1305 first: with no
// AES instructions (WebAssembly has none) Mbed TLS's ChaCha20-Poly1305 runs
// at about 3.8x its AES-128-GCM (243 against 64 MB/s in Node for 1200-byte
// records, measured), and every data-channel byte goes through it; natively
// it is ahead too. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, which RFC 8827
// section 6.5 makes mandatory, follows. As server our order decides; as
// client the peer's does. A server takes the suites its certificate can
// sign for; a client offers both kinds, as the peer's may be RSA.
constexpr std::array<int, 7> kCipherSuites = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    0,
};
// Without a list Mbed TLS picked secp384r1 for Chromium's ClientHello:
// x25519 and P-256 keep the handshake fast, notably in WebAssembly.
constexpr std::array<mbedtls_ecp_group_id, 3> kCurves = {
    MBEDTLS_ECP_DP_CURVE25519,
    MBEDTLS_ECP_DP_SECP256R1,
    MBEDTLS_ECP_DP_NONE,
};
// Signature hashes (RFC 5246 section 7.4.1.4.1), for ECDSA and RSA alike.
constexpr std::array<int, 4> kSigHashes = {MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384,
                                           MBEDTLS_MD_SHA512, MBEDTLS_MD_NONE};

std::string alert_text(uint8_t description) {
  const char* name = "?";
  switch (description) {
    case 0: name = "close_notify"; break;
    case 10: name = "unexpected_message"; break;
    case 20: name = "bad_record_mac"; break;
    case 40: name = "handshake_failure"; break;
    case 42: name = "bad_certificate"; break;
    case 43: name = "unsupported_certificate"; break;
    case 46: name = "certificate_unknown"; break;
    case 47: name = "illegal_parameter"; break;
    case 48: name = "unknown_ca"; break;
    case 49: name = "access_denied"; break;
    case 50: name = "decode_error"; break;
    case 51: name = "decrypt_error"; break;
    case 70: name = "protocol_version"; break;
    case 71: name = "insufficient_security"; break;
    case 80: name = "internal_error"; break;
    case 110: name = "unsupported_extension"; break;
  }
  return "alert " + std::to_string(description) + " (" + name + ")";
}

// Mbed TLS names suites "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"; IANA
// (and getStats' dtlsCipher) uses underscores.
std::string iana_suite_name(const char* mbedtls_name) {
  std::string s = mbedtls_name ? mbedtls_name : "";
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

// ClientHello errors a forged or corrupted datagram can cause; the server
// forgets it and waits for the genuine client's ClientHello.
bool is_malformed_client_hello(int ret) {
  return ret == MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO || ret == MBEDTLS_ERR_SSL_INVALID_RECORD ||
         ret == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE || ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ||
         ret == MBEDTLS_ERR_SSL_CONN_EOF;
}

}  // namespace

std::string_view to_string(State state) {
  switch (state) {
    case State::New: return "new";
    case State::Connecting: return "connecting";
    case State::Connected: return "connected";
    case State::Closed: return "closed";
    case State::Failed: return "failed";
  }
  return "unknown";
}

std::string_view to_string(Role role) { return role == Role::Client ? "client" : "server"; }

struct Transport::Impl {
  Impl(Config c, base::Random& r) : config(std::move(c)), random(r), cookies(r) {
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);
    random.fill(client_id);
  }
  ~Impl() {
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Result<void> init();

  // Mbed TLS callbacks; `ctx` is the Impl.
  static int bio_send(void* ctx, const unsigned char* buf, size_t len);
  static int bio_recv(void* ctx, unsigned char* buf, size_t len);
  static void set_timer(void* ctx, uint32_t int_ms, uint32_t fin_ms);
  static int get_timer(void* ctx);
  static int verify(void* ctx, mbedtls_x509_crt* crt, int depth, uint32_t* flags);
  static int cookie_write(void* ctx, unsigned char** p, unsigned char* end,
                          const unsigned char* info, size_t ilen);
  static int cookie_check(void* ctx, const unsigned char* cookie, size_t clen,
                          const unsigned char* info, size_t ilen);

  bool is_server() const { return config.role == Role::Server; }
  bool terminal() const { return state == State::Closed || state == State::Failed; }
  bool awaiting_client_hello() const {
    return is_server() && !handshake_done && ssl.state <= MBEDTLS_SSL_CLIENT_HELLO;
  }

  Bytes filter_for_mbedtls(ByteView datagram);
  void drive();
  void run_handshake();
  void on_handshake_error(int ret, size_t outq_before);
  void on_handshake_complete();
  void verify_and_connect();
  void read_application_data();
  void deliver(Bytes bytes);
  void restart_server_handshake();
  void fail(Error error, std::string detail);
  void peer_closed();

  Config config;
  base::Random& random;
  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  std::vector<mbedtls_ssl_srtp_profile> srtp_list;  // UNSET-terminated, outlives conf
  detail::MasterSecret master;
  detail::CookieJar cookies;
  std::array<uint8_t, 16> client_id{};  // the "transport id" cookies are bound to
  ClientHelloJoiner joiner;

  base::Timestamp now;
  // The Mbed TLS timer (mbedtls_ssl_set_timer_cb): armed at `timer_start`.
  bool timer_armed = false;
  base::Timestamp timer_start;
  uint32_t timer_int_ms = 0;
  uint32_t timer_fin_ms = 0;

  std::deque<Bytes> inq;   // datagrams for Mbed TLS to read
  std::deque<Bytes> outq;  // datagrams Mbed TLS wrote
  std::deque<Event> events;
  State state = State::New;
  bool handshake_done = false;     // mbedtls_ssl_handshake returned 0
  bool fingerprint_mismatch = false;  // set by verify() to tell why the handshake failed
  Connected pending;               // filled at handshake end, sent once verified
  std::deque<Bytes> held;          // data received before verification
  size_t held_bytes = 0;
  std::vector<unsigned char> read_buf = std::vector<unsigned char>(MBEDTLS_SSL_IN_CONTENT_LEN);
  TransportStats stats;
};

Result<void> Transport::Impl::init() {
  const bool server = is_server();
  if (mbedtls_ssl_config_defaults(&conf, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                  MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
    return Unexpected(Error::Internal);
  }
  // DTLS 1.2 only (Mbed TLS's "3.3"). Chromium offers 1.3 too and falls
  // back; DTLS 1.0 (RFC 4347) is not allowed by RFC 8827 section 6.5.
  mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_rng(&conf, detail::mbedtls_random, &random);
  mbedtls_ssl_conf_ciphersuites(&conf, kCipherSuites.data());
  mbedtls_ssl_conf_curves(&conf, kCurves.data());
  mbedtls_ssl_conf_sig_hashes(&conf, kSigHashes.data());
  // No CA: OPTIONAL makes Mbed TLS request the client's certificate and
  // run verify() on the peer's chain without failing on "not trusted";
  // verify() checks the fingerprint instead (RFC 8122 section 5). REQUIRED
  // would fail for lack of a CA chain before any callback runs.
  mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
  mbedtls_ssl_conf_verify(&conf, verify, this);
  if (mbedtls_ssl_conf_own_cert(&conf, CertificateAccess::crt(config.certificate),
                                CertificateAccess::key(config.certificate)) != 0) {
    return Unexpected(Error::Internal);
  }
  mbedtls_ssl_conf_handshake_timeout(&conf,
                                     static_cast<uint32_t>(config.handshake_timeout_min.ms()),
                                     static_cast<uint32_t>(config.handshake_timeout_max.ms()));
  mbedtls_ssl_conf_export_keys_ext_cb(&conf, detail::MasterSecret::capture, &master);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
  mbedtls_ssl_conf_session_tickets(&conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
  mbedtls_ssl_conf_renegotiation(&conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
  mbedtls_ssl_conf_extended_master_secret(&conf, MBEDTLS_SSL_EXTENDED_MS_ENABLED);

  if (!config.srtp_profiles.empty()) {
    for (SrtpProfile p : config.srtp_profiles) srtp_list.push_back(static_cast<uint16_t>(p));
    srtp_list.push_back(MBEDTLS_TLS_SRTP_UNSET);
    if (mbedtls_ssl_conf_dtls_srtp_protection_profiles(&conf, srtp_list.data()) != 0) {
      return Unexpected(Error::UnsupportedSrtpProfile);
    }
    mbedtls_ssl_conf_srtp_mki_value_supported(&conf, MBEDTLS_SSL_DTLS_SRTP_MKI_UNSUPPORTED);
  }
  if (server) {
    // Mbed TLS's defaults are dummies that always ask for a cookie and
    // fail: pass ours, or none at all.
    if (config.hello_verify) {
      mbedtls_ssl_conf_dtls_cookies(&conf, cookie_write, cookie_check, this);
    } else {
      mbedtls_ssl_conf_dtls_cookies(&conf, nullptr, nullptr, nullptr);
    }
  }

  if (mbedtls_ssl_setup(&ssl, &conf) != 0) return Unexpected(Error::Internal);
  mbedtls_ssl_set_bio(&ssl, this, bio_send, bio_recv, nullptr);
  mbedtls_ssl_set_timer_cb(&ssl, this, set_timer, get_timer);
  mbedtls_ssl_set_mtu(&ssl, static_cast<uint16_t>(config.mtu));
  if (server &&
      mbedtls_ssl_set_client_transport_id(&ssl, client_id.data(), client_id.size()) != 0) {
    return Unexpected(Error::Internal);
  }
  return {};
}

// --- Mbed TLS callbacks -----------------------------------------------------

int Transport::Impl::bio_send(void* ctx, const unsigned char* buf, size_t len) {
  auto* self = static_cast<Impl*>(ctx);
  self->outq.emplace_back(buf, buf + len);
  ++self->stats.datagrams_sent;
  return static_cast<int>(len);
}

int Transport::Impl::bio_recv(void* ctx, unsigned char* buf, size_t len) {
  auto* self = static_cast<Impl*>(ctx);
  while (!self->inq.empty()) {
    Bytes d = std::move(self->inq.front());
    self->inq.pop_front();
    if (d.size() > len) {  // cannot happen with kMaxDatagram; never truncate
      ++self->stats.datagrams_dropped;
      continue;
    }
    std::memcpy(buf, d.data(), d.size());
    return static_cast<int>(d.size());
  }
  return MBEDTLS_ERR_SSL_WANT_READ;
}

// Mbed TLS's timer contract: fin_ms == 0 cancels; get_timer returns -1
// when cancelled, 0 before int_ms, 1 between, 2 once fin_ms has passed.
// Time is the last `now` we were given.
void Transport::Impl::set_timer(void* ctx, uint32_t int_ms, uint32_t fin_ms) {
  auto* self = static_cast<Impl*>(ctx);
  self->timer_armed = fin_ms != 0;
  self->timer_start = self->now;
  self->timer_int_ms = int_ms;
  self->timer_fin_ms = fin_ms;
}

int Transport::Impl::get_timer(void* ctx) {
  const auto* self = static_cast<const Impl*>(ctx);
  if (!self->timer_armed) return -1;
  const int64_t elapsed_ms = (self->now - self->timer_start).ms();
  if (elapsed_ms >= self->timer_fin_ms) return 2;
  if (elapsed_ms >= self->timer_int_ms) return 1;
  return 0;
}

int Transport::Impl::verify(void* ctx, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
  auto* self = static_cast<Impl*>(ctx);
  // Not trusted, expired, self-signed: none of it matters in WebRTC; the
  // fingerprint from signaling is the trust anchor.
  *flags = 0;
  if (depth != 0) return 0;  // only the peer's own (end-entity) certificate counts
  if (self->config.remote_fingerprints.empty()) return 0;  // decided later
  const ByteView der(crt->raw.p, crt->raw.len);
  if (!match_fingerprint(self->config.remote_fingerprints, der)) {
    self->fingerprint_mismatch = true;
    // Any error other than VERIFY_FAILED is fatal even with OPTIONAL. Mbed
    // TLS then marks every verification flag and so sends access_denied
    // (RFC 5246 section 7.2.2: a valid certificate, refused by policy).
    return MBEDTLS_ERR_X509_FATAL_ERROR;
  }
  return 0;
}

int Transport::Impl::cookie_write(void* ctx, unsigned char** p, unsigned char* end,
                                  const unsigned char* info, size_t ilen) {
  auto* self = static_cast<Impl*>(ctx);
  if (end < *p || static_cast<size_t>(end - *p) < detail::CookieJar::kSize) {
    return MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL;
  }
  const auto cookie = self->cookies.make(self->now, ByteView(info, ilen));
  std::memcpy(*p, cookie.data(), cookie.size());
  *p += cookie.size();
  return 0;
}

int Transport::Impl::cookie_check(void* ctx, const unsigned char* cookie, size_t clen,
                                  const unsigned char* info, size_t ilen) {
  auto* self = static_cast<Impl*>(ctx);
  return self->cookies.check(self->now, ByteView(cookie, clen), ByteView(info, ilen)) ? 0 : -1;
}

// --- Input filtering ----------------------------------------------------------

// Keeps the records Mbed TLS may safely see, given where the handshake is:
//  - a server waiting for a ClientHello takes nothing but whole epoch-0
//    ClientHellos, because Mbed TLS reads the first record after
//    HelloRequest raw and fails fatally on anything else;
//  - a server past its handshake drops epoch-0 ClientHellos: Mbed TLS would
//    treat one carrying a valid cookie as a reconnect and reset the
//    session (MBEDTLS_SSL_DTLS_CLIENT_PORT_REUSE), which a replayed
//    ClientHello must not be able to do.
Bytes Transport::Impl::filter_for_mbedtls(ByteView datagram) {
  Bytes out;
  for (const Record& rec : parse_records(datagram)) {
    bool keep = true;
    if (awaiting_client_hello()) {
      keep = is_whole_client_hello(rec);
    } else if (is_server() && handshake_done) {
      keep = !is_client_hello_record(rec);
    }
    if (keep) {
      out.insert(out.end(), rec.bytes.begin(), rec.bytes.end());
    } else {
      ++stats.records_dropped;
    }
  }
  return out;
}

// --- Driving Mbed TLS ---------------------------------------------------------

void Transport::Impl::drive() {
  if (terminal() || state == State::New) return;
  if (!handshake_done) run_handshake();
  if (handshake_done && !terminal()) read_application_data();
}

void Transport::Impl::run_handshake() {
  // Each call reads at most what is queued, or retransmits once when the
  // timer has expired; bound the loop by what could make progress.
  for (size_t guard = inq.size() + 4; guard > 0; --guard) {
    const size_t outq_before = outq.size();
    const int ret = mbedtls_ssl_handshake(&ssl);
    if (ret == 0) {
      handshake_done = true;
      on_handshake_complete();
      return;
    }
    if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
      // The HelloVerifyRequest is out; the next ClientHello must carry the
      // cookie (RFC 6347 section 4.2.1). Mbed TLS needs a fresh session.
      restart_server_handshake();
      continue;
    }
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
      if (inq.empty()) return;
      continue;
    }
    on_handshake_error(ret, outq_before);
    if (terminal()) return;
  }
}

void Transport::Impl::on_handshake_error(int ret, size_t outq_before) {
  if (ret == MBEDTLS_ERR_SSL_TIMEOUT) {
    fail(Error::Timeout, "no answer to the handshake flight, " +
                             std::to_string(config.handshake_timeout_max.ms()) +
                             " ms after the last retransmission");
  } else if (fingerprint_mismatch) {
    fail(Error::FingerprintMismatch, "the peer's certificate matches no remote fingerprint");
  } else if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
    fail(Error::FatalAlert, alert_text(ssl.in_msg ? ssl.in_msg[1] : 0));
  } else if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    peer_closed();
  } else if (is_server() && ssl.state <= MBEDTLS_SSL_CLIENT_HELLO &&
             is_malformed_client_hello(ret)) {
    // Forget it, alert included, and wait for a ClientHello that parses.
    WASMRTC_LOG(base::LogLevel::Debug, kTag)
        << "dropping unparsable ClientHello: " << mbedtls_error_text(ret);
    outq.resize(std::min(outq.size(), outq_before));
    ++stats.handshake_restarts;
    restart_server_handshake();
  } else {
    fail(Error::HandshakeFailed, mbedtls_error_text(ret));
  }
}

void Transport::Impl::restart_server_handshake() {
  mbedtls_ssl_session_reset(&ssl);
  mbedtls_ssl_set_client_transport_id(&ssl, client_id.data(), client_id.size());
  fingerprint_mismatch = false;
  master.wipe();
}

void Transport::Impl::on_handshake_complete() {
  const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(&ssl);
  if (peer == nullptr || peer->raw.len == 0) {
    // RFC 5763 section 5: both ends present certificates. A client that
    // sent none got past OPTIONAL; reject it here.
    mbedtls_ssl_send_alert_message(&ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                   MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
    fail(Error::NoRemoteCertificate, "the peer sent no certificate");
    return;
  }
  // After repeated retransmissions Mbed TLS shrinks the handshake's MTU
  // to 508 bytes (RFC 6347 section 4.1.1.1), and the server keeps its
  // handshake state, with that MTU, until the client's first application
  // record arrives; meanwhile every record is capped by it, so an SCTP
  // packet sized for `mtu` would be refused. Application data is sized to
  // the configured MTU (SCTP's packet size is set from it), so restore it
  // now. (2.28 has no public call for this; ssl_internal.h is installed.)
  if (ssl.handshake != nullptr) ssl.handshake->mtu = 0;

  pending.remote_certificate_der.assign(peer->raw.p, peer->raw.p + peer->raw.len);
  pending.cipher_suite = iana_suite_name(mbedtls_ssl_get_ciphersuite(&ssl));

  // RFC 5764 section 4.2: the SRTP master keys come from the exporter with
  // label "EXTRACTOR-dtls_srtp" and no context (RFC 5705 section 4).
  mbedtls_dtls_srtp_info srtp{};
  mbedtls_ssl_get_dtls_srtp_negotiation_result(&ssl, &srtp);
  if (srtp.chosen_dtls_srtp_profile != MBEDTLS_TLS_SRTP_UNSET) {
    const auto profile = static_cast<SrtpProfile>(srtp.chosen_dtls_srtp_profile);
    const size_t length = 2 * (srtp_key_length(profile) + srtp_salt_length(profile));
    auto material = master.export_keying_material(kSrtpExporterLabel, length);
    std::optional<SrtpKeys> keys;
    if (material) keys = split_srtp_keying_material(profile, *material);
    if (!keys) {
      fail(Error::Internal, "DTLS-SRTP key export failed");
      return;
    }
    pending.srtp_profile = profile;
    pending.srtp_keys = std::move(keys);
  }
  // Nothing else is exported from this session: forget the master secret.
  master.wipe();

  if (!config.remote_fingerprints.empty()) verify_and_connect();
  // Else Connected waits for set_remote_fingerprints().
}

void Transport::Impl::verify_and_connect() {
  auto match = match_fingerprint(config.remote_fingerprints, pending.remote_certificate_der);
  if (!match) {
    // Late verification (RFC 8122 section 5) failed: the peer has finished
    // its handshake, so tell it with a fatal alert.
    mbedtls_ssl_send_alert_message(&ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                   MBEDTLS_SSL_ALERT_MSG_BAD_CERT);
    fail(Error::FingerprintMismatch, "the peer's certificate matches no remote fingerprint");
    return;
  }
  pending.remote_fingerprint = *match;
  state = State::Connected;
  events.emplace_back(std::move(pending));
  pending = Connected{};
  while (!held.empty()) {
    events.emplace_back(Data{std::move(held.front())});
    held.pop_front();
  }
  held_bytes = 0;
}

void Transport::Impl::read_application_data() {
  for (size_t guard = inq.size() + 4; guard > 0 && !terminal(); --guard) {
    const int ret = mbedtls_ssl_read(&ssl, read_buf.data(), read_buf.size());
    if (ret > 0) {
      deliver(Bytes(read_buf.begin(), read_buf.begin() + ret));
      ++guard;  // progress: more records may follow in the same datagram
      continue;
    }
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
      if (inq.empty()) return;
      continue;
    }
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      peer_closed();
    } else if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
      fail(Error::FatalAlert, alert_text(ssl.in_msg ? ssl.in_msg[1] : 0));
    } else {
      fail(Error::ProtocolError, mbedtls_error_text(ret));
    }
    return;
  }
}

void Transport::Impl::deliver(Bytes bytes) {
  if (state == State::Connected) {
    events.emplace_back(Data{std::move(bytes)});
    return;
  }
  // Not verified yet: hold, never deliver (RFC 8122 section 5).
  if (held_bytes + bytes.size() > kMaxHeldBytes) {
    ++stats.data_dropped;
    return;
  }
  ++stats.data_held;
  held_bytes += bytes.size();
  held.push_back(std::move(bytes));
}

void Transport::Impl::peer_closed() {
  // RFC 5246 section 7.2.1: answer close_notify with close_notify.
  if (handshake_done) mbedtls_ssl_close_notify(&ssl);
  state = State::Closed;
  timer_armed = false;
  stats.data_dropped += held.size();
  held.clear();
  held_bytes = 0;
  master.wipe();
  events.emplace_back(Closed{true});
}

void Transport::Impl::fail(Error error, std::string detail) {
  WASMRTC_LOG(base::LogLevel::Info, kTag)
      << to_string(config.role) << " failed: " << to_string(error) << ": " << detail;
  state = State::Failed;
  timer_armed = false;
  stats.data_dropped += held.size();
  held.clear();
  held_bytes = 0;
  master.wipe();
  pending = Connected{};
  events.emplace_back(Failed{error, std::move(detail)});
}

// --- Public surface -----------------------------------------------------------

Result<std::unique_ptr<Transport>> Transport::create(Config config, base::Random& random) {
  if (config.certificate.empty() || config.mtu < 256 || config.mtu > 65535 ||
      config.handshake_timeout_min < base::Duration::millis(1) ||
      config.handshake_timeout_max < config.handshake_timeout_min ||
      config.handshake_timeout_max > base::Duration::seconds(3600)) {
    return Unexpected(Error::InvalidConfig);
  }
  if (config.srtp_profiles.size() > MBEDTLS_TLS_SRTP_MAX_PROFILE_LIST_LENGTH) {
    return Unexpected(Error::InvalidConfig);
  }
  for (SrtpProfile p : config.srtp_profiles) {
    if (!is_supported(p)) return Unexpected(Error::UnsupportedSrtpProfile);
  }
  auto impl = std::make_unique<Impl>(std::move(config), random);
  if (auto r = impl->init(); !r) return Unexpected(r.error());
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() = default;

void Transport::start(base::Timestamp now) {
  Impl& t = *impl_;
  t.now = now;
  if (t.state != State::New) return;
  t.state = State::Connecting;
  t.drive();  // the client writes its ClientHello; the server reads nothing yet
}

void Transport::handle_input(base::Timestamp now, base::ByteView datagram) {
  Impl& t = *impl_;
  t.now = now;
  ++t.stats.datagrams_received;
  if (t.terminal() || datagram.empty() || datagram.size() > kMaxDatagram) {
    ++t.stats.datagrams_dropped;
    return;
  }
  if (t.state == State::New) {
    if (!t.is_server()) {  // a client speaks first; nothing is expected yet
      ++t.stats.datagrams_dropped;
      return;
    }
    t.state = State::Connecting;
  }
  std::vector<Bytes> pieces;
  if (t.is_server() && !t.handshake_done) {
    pieces = t.joiner.push(datagram);
  } else {
    size_t consumed = 0;
    if (parse_records(datagram, &consumed).empty()) {
      ++t.stats.datagrams_dropped;
      return;
    }
    pieces.emplace_back(datagram.begin(), datagram.begin() + consumed);
  }
  for (const Bytes& piece : pieces) {
    Bytes kept = t.filter_for_mbedtls(piece);
    if (!kept.empty()) t.inq.push_back(std::move(kept));
  }
  t.drive();
}

void Transport::handle_timeout(base::Timestamp now) {
  Impl& t = *impl_;
  t.now = now;
  if (t.state == State::Connecting && !t.handshake_done && t.timer_armed) t.drive();
}

Result<void> Transport::set_remote_fingerprints(base::Timestamp now,
                                                std::vector<Fingerprint> fingerprints) {
  Impl& t = *impl_;
  t.now = now;
  if (t.terminal()) return Unexpected(Error::Closed);
  if (fingerprints.empty()) return Unexpected(Error::UnsupportedHashFunction);
  if (t.state == State::Connected) return Unexpected(Error::InvalidState);
  t.config.remote_fingerprints = std::move(fingerprints);
  if (t.handshake_done) t.verify_and_connect();
  return {};
}

Result<void> Transport::send(base::Timestamp now, base::ByteView data) {
  Impl& t = *impl_;
  t.now = now;
  if (t.terminal()) return Unexpected(Error::Closed);
  if (t.state != State::Connected) return Unexpected(Error::NotConnected);
  if (data.size() > max_payload()) return Unexpected(Error::MessageTooLong);
  if (data.empty()) return {};
  const int ret = mbedtls_ssl_write(&t.ssl, data.data(), data.size());
  if (ret < 0) {
    WASMRTC_LOG(base::LogLevel::Warn, kTag) << "write failed: " << mbedtls_error_text(ret);
    return Unexpected(Error::Internal);
  }
  return {};
}

void Transport::close(base::Timestamp now) {
  Impl& t = *impl_;
  t.now = now;
  if (t.terminal()) return;
  if (t.handshake_done) mbedtls_ssl_close_notify(&t.ssl);
  t.state = State::Closed;
  t.timer_armed = false;
  t.held.clear();
  t.held_bytes = 0;
  t.master.wipe();
  t.events.emplace_back(Closed{false});
}

std::optional<base::Bytes> Transport::poll_transmit() {
  Impl& t = *impl_;
  if (t.outq.empty()) return std::nullopt;
  Bytes d = std::move(t.outq.front());
  t.outq.pop_front();
  return d;
}

std::optional<Event> Transport::poll_event() {
  Impl& t = *impl_;
  if (t.events.empty()) return std::nullopt;
  Event e = std::move(t.events.front());
  t.events.pop_front();
  return e;
}

base::Deadline Transport::poll_timeout() const {
  const Impl& t = *impl_;
  if (t.terminal() || !t.timer_armed) return base::Deadline::none();
  return base::Deadline(t.timer_start + base::Duration::millis(t.timer_fin_ms));
}

State Transport::state() const { return impl_->state; }
Role Transport::role() const { return impl_->config.role; }
const Certificate& Transport::local_certificate() const { return impl_->config.certificate; }

size_t Transport::max_payload() const {
  if (impl_->state != State::Connected) return 0;
  const int n = mbedtls_ssl_get_max_out_record_payload(&impl_->ssl);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

TransportStats Transport::stats() const {
  TransportStats s = impl_->stats;
  s.client_hellos_joined = impl_->joiner.joined();
  uint64_t drops = 0;
  for (size_t i = 0; i < kJoinDropCount; ++i) drops += impl_->joiner.dropped(static_cast<JoinDrop>(i));
  s.join_drops = drops;
  return s;
}

}  // namespace wasmrtc::dtls
