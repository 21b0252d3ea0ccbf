// Certificate fingerprints as SDP carries them (RFC 8122 section 5):
//   a=fingerprint:sha-256 AB:CD:...:EF
// and as the W3C API shows them (RTCDtlsFingerprint {algorithm, value}).
// A fingerprint is a hash of the certificate's DER encoding.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "dtls/error.h"

namespace wasmrtc::dtls {

// The hash functions accepted here ("Hash Function Textual Names"
// registry). sha-256 is what every browser sends; md5, md2 and sha-224 are
// in the registry but refused (UnsupportedHashFunction).
enum class HashFunction : uint8_t { Sha1, Sha256, Sha384, Sha512 };

// "sha-1", "sha-256", "sha-384", "sha-512".
std::string_view to_string(HashFunction hash);
// Case-insensitive, as RFC 8122 section 5 says the names are.
Result<HashFunction> parse_hash_function(std::string_view name);
size_t digest_size(HashFunction hash);
// Strength order for RFC 8122 section 5's "most preferred" rule.
int strength(HashFunction hash);

struct Fingerprint {
  HashFunction algorithm = HashFunction::Sha256;
  base::Bytes value;  // the digest

  // The hash of `certificate_der`.
  static Fingerprint of(HashFunction algorithm, base::ByteView certificate_der);

  // An a=fingerprint attribute value: "sha-256 AB:CD:..". Hex digits may be
  // either case; the digest length must fit the hash function.
  static Result<Fingerprint> parse(std::string_view attribute_value);
  // The two halves separately, as in RTCDtlsFingerprint.
  static Result<Fingerprint> parse(std::string_view algorithm, std::string_view hex);

  // "AB:CD:..": uppercase hex pairs joined by colons (RFC 8122 section 5).
  std::string hex() const;
  // "sha-256 AB:CD:..", the a=fingerprint value.
  std::string to_string() const;

  bool operator==(const Fingerprint&) const = default;
};

// RFC 8122 section 5: out of several fingerprints, use only those with the
// strongest hash function among them (so a weak hash offered beside a
// strong one cannot be used to forge a match), and accept the certificate
// if it matches one of those. Returns the matching fingerprint, or
// FingerprintMismatch; UnsupportedHashFunction if `expected` is empty.
Result<Fingerprint> match_fingerprint(std::span<const Fingerprint> expected,
                                      base::ByteView certificate_der);

}  // namespace wasmrtc::dtls
