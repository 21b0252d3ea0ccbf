// An SRTP/SRTCP session (RFC 3711) for one DTLS-SRTP transport.
//
//   auto s = srtp::Session::create(profile, local_keys, remote_keys);
//   auto wire = s->protect_rtp(rtp);        // what we send
//   auto rtp  = s->unprotect_rtp(wire);     // what the peer sent
//
// `local` is our write key and salt (the client_write ones when we were the
// DTLS client, RFC 5764 section 4.2), `remote` the peer's. Any SSRC is
// accepted in both directions. Not copyable; movable.
#pragma once

#include <cstdint>
#include <memory>

#include "base/bytes.h"
#include "srtp/error.h"

namespace wasmrtc::srtp {

// IANA "DTLS-SRTP Protection Profiles" values.
enum class Profile : uint16_t {
  Aes128CmHmacSha1_80 = 0x0001,
  Aes128CmHmacSha1_32 = 0x0002,  // RTCP keeps the 80-bit tag (RFC 5764 section 4.1.2)
  AeadAes128Gcm = 0x0007,        // RFC 7714
  AeadAes256Gcm = 0x0008,
};

// Master key and salt lengths: 16/14 for AES-CM, 16/12 and 32/12 for GCM.
size_t key_length(Profile profile);
size_t salt_length(Profile profile);

struct Keys {
  base::Bytes key;
  base::Bytes salt;
};

class Session {
 public:
  static Result<Session> create(Profile profile, const Keys& local, const Keys& remote);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Profile profile() const;
  Result<base::Bytes> protect_rtp(base::ByteView packet);
  Result<base::Bytes> unprotect_rtp(base::ByteView packet);
  Result<base::Bytes> protect_rtcp(base::ByteView packet);
  Result<base::Bytes> unprotect_rtcp(base::ByteView packet);

  struct Impl;

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmrtc::srtp
