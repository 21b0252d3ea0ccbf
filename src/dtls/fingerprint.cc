#include "dtls/fingerprint.h"

#include <cstdlib>

#include <mbedtls/md.h>

#include "crypto/constant_time.h"
#include "crypto/hash.h"

namespace wasmrtc::dtls {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// crypto/ has SHA-1 and SHA-256 only; SHA-384/512 come straight from
// mbedtls's md.h here (see README: a candidate to move into crypto/).
base::Bytes sha2_long(mbedtls_md_type_t type, base::ByteView data) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(type);
  if (info == nullptr) std::abort();  // mbedtls built without SHA-512: misconfiguration
  base::Bytes out(mbedtls_md_get_size(info));
  if (mbedtls_md(info, data.data(), data.size(), out.data()) != 0) std::abort();
  return out;
}

}  // namespace

std::string_view to_string(HashFunction hash) {
  switch (hash) {
    case HashFunction::Sha1: return "sha-1";
    case HashFunction::Sha256: return "sha-256";
    case HashFunction::Sha384: return "sha-384";
    case HashFunction::Sha512: return "sha-512";
  }
  return "unknown";
}

Result<HashFunction> parse_hash_function(std::string_view name) {
  for (HashFunction h : {HashFunction::Sha1, HashFunction::Sha256, HashFunction::Sha384,
                         HashFunction::Sha512}) {
    if (iequals(name, to_string(h))) return h;
  }
  return Unexpected(Error::UnsupportedHashFunction);
}

size_t digest_size(HashFunction hash) {
  switch (hash) {
    case HashFunction::Sha1: return 20;
    case HashFunction::Sha256: return 32;
    case HashFunction::Sha384: return 48;
    case HashFunction::Sha512: return 64;
  }
  return 0;
}

int strength(HashFunction hash) { return static_cast<int>(digest_size(hash)); }

Fingerprint Fingerprint::of(HashFunction algorithm, base::ByteView der) {
  Fingerprint f;
  f.algorithm = algorithm;
  switch (algorithm) {
    case HashFunction::Sha1: {
      auto d = crypto::sha1(der);
      f.value.assign(d.begin(), d.end());
      break;
    }
    case HashFunction::Sha256: {
      auto d = crypto::sha256(der);
      f.value.assign(d.begin(), d.end());
      break;
    }
    case HashFunction::Sha384: f.value = sha2_long(MBEDTLS_MD_SHA384, der); break;
    case HashFunction::Sha512: f.value = sha2_long(MBEDTLS_MD_SHA512, der); break;
  }
  return f;
}

Result<Fingerprint> Fingerprint::parse(std::string_view algorithm, std::string_view hex) {
  auto hash = parse_hash_function(algorithm);
  if (!hash) return Unexpected(hash.error());
  // fingerprint = 2UHEX *(":" 2UHEX)
  Fingerprint f;
  f.algorithm = *hash;
  size_t i = 0;
  while (true) {
    if (i + 2 > hex.size()) return Unexpected(Error::BadFingerprint);
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return Unexpected(Error::BadFingerprint);
    f.value.push_back(static_cast<uint8_t>(hi << 4 | lo));
    i += 2;
    if (i == hex.size()) break;
    if (hex[i] != ':') return Unexpected(Error::BadFingerprint);
    ++i;
  }
  if (f.value.size() != digest_size(f.algorithm)) return Unexpected(Error::BadFingerprint);
  return f;
}

Result<Fingerprint> Fingerprint::parse(std::string_view attribute_value) {
  // hash-func SP fingerprint; tolerate extra blanks around the parts.
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                          s.back() == '\n')) {
      s.remove_suffix(1);
    }
    return s;
  };
  std::string_view v = trim(attribute_value);
  const size_t space = v.find_first_of(" \t");
  if (space == std::string_view::npos) return Unexpected(Error::BadFingerprint);
  return parse(v.substr(0, space), trim(v.substr(space + 1)));
}

std::string Fingerprint::hex() const {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (size_t i = 0; i < value.size(); ++i) {
    if (i) out += ':';
    out += kDigits[value[i] >> 4];
    out += kDigits[value[i] & 0xF];
  }
  return out;
}

std::string Fingerprint::to_string() const {
  return std::string(dtls::to_string(algorithm)) + " " + hex();
}

Result<Fingerprint> match_fingerprint(std::span<const Fingerprint> expected,
                                      base::ByteView certificate_der) {
  if (expected.empty()) return Unexpected(Error::UnsupportedHashFunction);
  HashFunction best = expected.front().algorithm;
  for (const Fingerprint& f : expected) {
    if (strength(f.algorithm) > strength(best)) best = f.algorithm;
  }
  const Fingerprint actual = Fingerprint::of(best, certificate_der);
  for (const Fingerprint& f : expected) {
    if (f.algorithm == best && crypto::constant_time_equal(f.value, actual.value)) return actual;
  }
  return Unexpected(Error::FingerprintMismatch);
}

}  // namespace wasmrtc::dtls
