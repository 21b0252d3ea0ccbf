// The local DTLS identity: a key (ECDSA P-256 or RSA) and a self-signed
// X.509 certificate, as RTCPeerConnection.generateCertificate() makes (W3C
// webrtc-pc section 4.9: both are MUSTs there) and as the `certificates`
// option takes back.
// WebRTC does not trust certificates through a CA: the peer learns our
// certificate's fingerprint from SDP (RFC 8122, RFC 5763 section 5).
//
// A Certificate is an immutable, cheaply copyable handle (copies share the
// key). Transports keep a copy, so it may go out of scope after use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/random.h"
#include "dtls/error.h"
#include "dtls/fingerprint.h"

namespace wasmrtc::dtls {

// A validity period in Unix seconds (UTC). src/ reads no clock, so the
// caller computes it from wall-clock time.
struct Validity {
  int64_t not_before = 0;
  int64_t not_after = 0;
};

inline constexpr int64_t kDay = 86400;

// The key to generate. ECDSA P-256 is the default and the fast one (RFC 8827
// section 6.5); RSA (RSASSA-PKCS1-v1_5 with SHA-256) is what older peers
// and WebCrypto's other generateCertificate() form ask for.
struct KeyParams {
  enum class Type { EcdsaP256, Rsa };
  Type type = Type::EcdsaP256;
  unsigned rsa_modulus_bits = 2048;
  uint32_t rsa_public_exponent = 65537;

  static KeyParams ecdsa_p256() { return {}; }
  static KeyParams rsa(unsigned modulus_bits, uint32_t public_exponent = 65537) {
    return {Type::Rsa, modulus_bits, public_exponent};
  }
  // What we generate and accept: RSA moduli of 1024..4096 bits, in whole
  // bytes, with the exponent 65537 (Chromium's limits, bar its 8192-bit
  // maximum, which would take minutes to generate in WebAssembly).
  bool valid() const;
};
inline constexpr unsigned kRsaMinModulusBits = 1024;
inline constexpr unsigned kRsaMaxModulusBits = 4096;

// The usual WebRTC choice: valid from `backdate` before `now_unix` (peers
// with slow clocks still accept it, if they check at all) until `lifetime`
// after it. W3C lets `expires` shorten the lifetime.
Validity validity_around(int64_t now_unix, int64_t lifetime = 365 * kDay,
                         int64_t backdate = 30 * kDay);

class Certificate {
 public:
  // An empty handle, to be assigned one of the below. A Transport refuses it.
  Certificate() = default;
  bool empty() const { return impl_ == nullptr; }

  // A new key and a self-signed certificate: X.509 v3, a random positive
  // 64-bit serial, subject = issuer = "CN=<common_name>", signed with
  // ecdsa-with-SHA256 or sha256WithRSAEncryption. `common_name` may hold
  // letters, digits, space, '-', '.', '_'; years must be 1950..9999; `key`
  // must be valid() (InvalidConfig otherwise). A 2048-bit RSA key takes
  // ~0.1-1 s natively and several seconds in WebAssembly.
  static Result<Certificate> generate(base::Random& random, const Validity& validity,
                                      std::string_view common_name = "WebRTC",
                                      const KeyParams& key = KeyParams::ecdsa_p256());
  static Result<Certificate> generate(base::Random& random, const Validity& validity,
                                      const KeyParams& key) {
    return generate(random, validity, "WebRTC", key);
  }

  // Imports a certificate and its private key, DER or PEM (PEM: one
  // CERTIFICATE block; the key as "EC PRIVATE KEY" (RFC 5915), "RSA PRIVATE
  // KEY" (PKCS#1) or "PRIVATE KEY" (PKCS#8), unencrypted). The key must be
  // P-256 or RSA as KeyParams::valid() allows, and belong to the certificate.
  static Result<Certificate> from_der(base::ByteView certificate_der,
                                      base::ByteView private_key_der);
  static Result<Certificate> from_pem(std::string_view certificate_pem,
                                      std::string_view private_key_pem);

  // The accessors below require !empty().

  // The certificate's DER encoding (what fingerprints hash).
  base::ByteView der() const;
  std::string pem() const;
  KeyParams::Type key_type() const;
  // The private key as an RFC 5915 ECPrivateKey or a PKCS#1 RSAPrivateKey.
  // Secret: store it as such.
  base::Bytes private_key_der() const;
  std::string private_key_pem() const;

  Fingerprint fingerprint(HashFunction hash = HashFunction::Sha256) const;
  // By name, as getFingerprints() callers ask: "sha-256".
  Result<Fingerprint> fingerprint(std::string_view hash_name) const;

  // Validity in Unix seconds. W3C RTCCertificate.expires is expires() * 1000.
  int64_t not_before() const;
  int64_t expires() const;

  struct Impl;  // opaque (certificate_internal.h)

 private:
  explicit Certificate(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
  friend struct CertificateAccess;
};

}  // namespace wasmrtc::dtls
