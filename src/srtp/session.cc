#include "srtp/session.h"

#include <srtp2/srtp.h>

#include <cstring>

#include "base/log.h"

namespace wasmrtc::srtp {
namespace {

constexpr const char* kTag = "srtp";
// libsrtp's replay window (RFC 3711 3.3.2 suggests at least 64); large
// enough for video bursts reordered by a relay.
constexpr unsigned long kReplayWindow = 1024;

bool library_ready() {
  // srtp_init registers the ciphers once per process; never shut down (other
  // sessions may live as long as the process).
  static const bool ready = srtp_init() == srtp_err_status_ok;
  return ready;
}

bool set_policies(Profile profile, srtp_policy_t& p) {
  switch (profile) {
    case Profile::Aes128CmHmacSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
      return true;
    case Profile::Aes128CmHmacSha1_32:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
      return true;
    case Profile::AeadAes128Gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
      return true;
    case Profile::AeadAes256Gcm:
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
      return true;
  }
  return false;
}

Error error_of(srtp_err_status_t s) {
  switch (s) {
    case srtp_err_status_auth_fail: return Error::AuthFailed;
    case srtp_err_status_replay_fail: return Error::Replayed;
    case srtp_err_status_replay_old: return Error::TooOld;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err: return Error::BadPacket;
    default:
      WASMRTC_LOG(base::LogLevel::Warn, kTag) << "libsrtp error " << static_cast<int>(s);
      return Error::Internal;
  }
}

bool is_version_2(base::ByteView packet) { return (packet[0] >> 6) == 2; }

}  // namespace

size_t key_length(Profile profile) { return profile == Profile::AeadAes256Gcm ? 32 : 16; }
size_t salt_length(Profile profile) {
  return profile == Profile::AeadAes128Gcm || profile == Profile::AeadAes256Gcm ? 12 : 14;
}

struct Session::Impl {
  Profile profile;
  srtp_t outbound = nullptr;
  srtp_t inbound = nullptr;
  ~Impl() {
    if (outbound) srtp_dealloc(outbound);
    if (inbound) srtp_dealloc(inbound);
  }

  Result<base::Bytes> run(srtp_t session, base::ByteView packet, size_t min_size, bool grows,
                          srtp_err_status_t (*op)(srtp_t, void*, int*)) {
    if (packet.size() < min_size || !is_version_2(packet)) return Unexpected(Error::BadPacket);
    base::Bytes buffer(packet.size() + (grows ? SRTP_MAX_TRAILER_LEN : 0));
    std::memcpy(buffer.data(), packet.data(), packet.size());
    int length = static_cast<int>(packet.size());
    if (const srtp_err_status_t s = op(session, buffer.data(), &length); s != srtp_err_status_ok) {
      return Unexpected(error_of(s));
    }
    buffer.resize(static_cast<size_t>(length));
    return buffer;
  }
};

Result<Session> Session::create(Profile profile, const Keys& local, const Keys& remote) {
  if (!library_ready()) return Unexpected(Error::Internal);
  for (const Keys* k : {&local, &remote}) {
    if (k->key.size() != key_length(profile) || k->salt.size() != salt_length(profile)) {
      return Unexpected(Error::BadKey);
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->profile = profile;
  for (const bool out : {true, false}) {
    const Keys& k = out ? local : remote;
    // libsrtp takes the master key followed by the master salt.
    base::Bytes material = k.key;
    material.insert(material.end(), k.salt.begin(), k.salt.end());
    srtp_policy_t policy{};
    if (!set_policies(profile, policy)) return Unexpected(Error::UnsupportedProfile);
    policy.ssrc.type = out ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = material.data();
    policy.window_size = kReplayWindow;
    policy.allow_repeat_tx = 0;
    srtp_t& session = out ? impl->outbound : impl->inbound;
    const srtp_err_status_t s = srtp_create(&session, &policy);
    std::fill(material.begin(), material.end(), uint8_t{0});
    if (s != srtp_err_status_ok) {
      session = nullptr;
      // A cipher the library was built without (e.g. GCM) shows up here.
      return Unexpected(s == srtp_err_status_cipher_fail || s == srtp_err_status_bad_param ? Error::UnsupportedProfile
                                                                                           : error_of(s));
    }
  }
  return Session(std::move(impl));
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

Profile Session::profile() const { return impl_->profile; }

Result<base::Bytes> Session::protect_rtp(base::ByteView packet) {
  return impl_->run(impl_->outbound, packet, 12, true, srtp_protect);
}
Result<base::Bytes> Session::unprotect_rtp(base::ByteView packet) {
  return impl_->run(impl_->inbound, packet, 12, false, srtp_unprotect);
}
Result<base::Bytes> Session::protect_rtcp(base::ByteView packet) {
  return impl_->run(impl_->outbound, packet, 8, true, srtp_protect_rtcp);
}
Result<base::Bytes> Session::unprotect_rtcp(base::ByteView packet) {
  return impl_->run(impl_->inbound, packet, 8, false, srtp_unprotect_rtcp);
}

}  // namespace wasmrtc::srtp
