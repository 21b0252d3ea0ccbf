#include "dtls/certificate.h"

#include <array>
#include <string>

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pem.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

#include "dtls/certificate_internal.h"
#include "dtls/civil_time.h"
#include "dtls/mbedtls_random.h"

namespace wasmrtc::dtls {
namespace {

using detail::mbedtls_random;

constexpr char kPemCertBegin[] = "-----BEGIN CERTIFICATE-----\n";
constexpr char kPemCertEnd[] = "-----END CERTIFICATE-----\n";

bool valid_common_name(std::string_view cn) {
  if (cn.empty() || cn.size() > 64) return false;  // RFC 5280 ub-common-name
  for (char c : cn) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ' ' || c == '-' || c == '.' || c == '_';
    if (!ok) return false;  // ',' '=' '\\' would change the DN mbedtls parses
  }
  return true;
}

int64_t to_unix(const mbedtls_x509_time& t) {
  detail::CivilTime c{t.year, t.mon, t.day, t.hour, t.min, t.sec};
  return detail::unix_from_civil(c).value_or(0);
}

bool is_supported(const mbedtls_pk_context& pk) {
  switch (mbedtls_pk_get_type(&pk)) {
    case MBEDTLS_PK_ECKEY:
      return mbedtls_pk_ec(pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1;
    case MBEDTLS_PK_RSA: {
      const mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
      mbedtls_mpi e;
      mbedtls_mpi_init(&e);
      const bool ok = mbedtls_rsa_export(rsa, nullptr, nullptr, nullptr, nullptr, &e) == 0 &&
                      mbedtls_mpi_cmp_int(&e, 65537) == 0 &&
                      KeyParams::rsa(static_cast<unsigned>(mbedtls_pk_get_bitlen(&pk))).valid();
      mbedtls_mpi_free(&e);
      return ok;
    }
    default:
      return false;
  }
}

// The key pair of `params` in `key`.
bool generate_key(mbedtls_pk_context& key, const KeyParams& params, base::Random& random) {
  if (params.type == KeyParams::Type::Rsa) {
    return mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) == 0 &&
           mbedtls_rsa_gen_key(mbedtls_pk_rsa(key), mbedtls_random, &random, params.rsa_modulus_bits,
                               static_cast<int>(params.rsa_public_exponent)) == 0;
  }
  return mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
         mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_random,
                             &random) == 0;
}

// Checks and completes an Impl whose crt and key are loaded.
Result<void> finish(Certificate::Impl& impl) {
  if (impl.crt.next != nullptr) return Unexpected(Error::BadCertificate);  // one, not a chain
  if (!is_supported(impl.crt.pk) || !is_supported(impl.key)) return Unexpected(Error::UnsupportedKey);
  if (mbedtls_pk_check_pair(&impl.crt.pk, &impl.key) != 0) return Unexpected(Error::KeyMismatch);
  impl.not_before = to_unix(impl.crt.valid_from);
  impl.not_after = to_unix(impl.crt.valid_to);
  return {};
}

// RAII for the certificate writer and the serial number.
struct Writer {
  Writer() {
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);
  }
  ~Writer() {
    mbedtls_x509write_crt_free(&crt);
    mbedtls_mpi_free(&serial);
  }
  mbedtls_x509write_cert crt;
  mbedtls_mpi serial;
};

}  // namespace

bool KeyParams::valid() const {
  if (type == Type::EcdsaP256) return true;
  return rsa_modulus_bits >= kRsaMinModulusBits && rsa_modulus_bits <= kRsaMaxModulusBits &&
         rsa_modulus_bits % 8 == 0 && rsa_public_exponent == 65537;
}

Validity validity_around(int64_t now_unix, int64_t lifetime, int64_t backdate) {
  return Validity{now_unix - backdate, now_unix + lifetime};
}

Result<Certificate> Certificate::generate(base::Random& random, const Validity& validity,
                                          std::string_view common_name, const KeyParams& key) {
  const detail::CivilTime from = detail::civil_from_unix(validity.not_before);
  const detail::CivilTime to = detail::civil_from_unix(validity.not_after);
  if (validity.not_after <= validity.not_before || from.year < 1950 || to.year > 9999 ||
      !valid_common_name(common_name) || !key.valid()) {
    return Unexpected(Error::InvalidConfig);
  }
  auto impl = std::make_shared<Impl>();
  if (!generate_key(impl->key, key, random)) return Unexpected(Error::CertificateGenerationFailed);

  Writer w;
  // RFC 5280 section 4.1.2.2: a positive integer, unique per issuer. Each
  // certificate is its own issuer here, so 63 random bits are plenty.
  std::array<uint8_t, 8> serial{};
  random.fill(serial);
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7F) | 0x01);  // positive, never zero
  const std::string name = "CN=" + std::string(common_name);
  const std::string not_before = detail::x509_time_string(from);
  const std::string not_after = detail::x509_time_string(to);
  mbedtls_x509write_crt_set_version(&w.crt, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&w.crt, MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(&w.crt, &impl->key);
  mbedtls_x509write_crt_set_issuer_key(&w.crt, &impl->key);
  if (mbedtls_mpi_read_binary(&w.serial, serial.data(), serial.size()) != 0 ||
      mbedtls_x509write_crt_set_serial(&w.crt, &w.serial) != 0 ||
      mbedtls_x509write_crt_set_validity(&w.crt, not_before.c_str(), not_after.c_str()) != 0 ||
      mbedtls_x509write_crt_set_subject_name(&w.crt, name.c_str()) != 0 ||
      mbedtls_x509write_crt_set_issuer_name(&w.crt, name.c_str()) != 0) {
    return Unexpected(Error::CertificateGenerationFailed);
  }
  // mbedtls writes DER at the end of the buffer; ~400 bytes for P-256,
  // ~1.3 KB for RSA-4096.
  std::array<unsigned char, 4096> buf{};
  const int len = mbedtls_x509write_crt_der(&w.crt, buf.data(), buf.size(), mbedtls_random, &random);
  if (len <= 0) return Unexpected(Error::CertificateGenerationFailed);
  if (mbedtls_x509_crt_parse_der(&impl->crt, buf.data() + buf.size() - len,
                                 static_cast<size_t>(len)) != 0) {
    return Unexpected(Error::CertificateGenerationFailed);
  }
  if (auto r = finish(*impl); !r) return Unexpected(Error::CertificateGenerationFailed);
  return Certificate(std::move(impl));
}

Result<Certificate> Certificate::from_der(base::ByteView certificate_der,
                                          base::ByteView private_key_der) {
  auto impl = std::make_shared<Impl>();
  if (certificate_der.empty() ||
      mbedtls_x509_crt_parse_der(&impl->crt, certificate_der.data(), certificate_der.size()) != 0) {
    return Unexpected(Error::BadCertificate);
  }
  if (private_key_der.empty() ||
      mbedtls_pk_parse_key(&impl->key, private_key_der.data(), private_key_der.size(), nullptr,
                           0) != 0) {
    return Unexpected(Error::BadPrivateKey);
  }
  if (auto r = finish(*impl); !r) return Unexpected(r.error());
  return Certificate(std::move(impl));
}

Result<Certificate> Certificate::from_pem(std::string_view certificate_pem,
                                          std::string_view private_key_pem) {
  // mbedtls recognizes PEM only in a NUL-terminated buffer whose length
  // counts the NUL.
  std::string cert(certificate_pem);
  std::string key(private_key_pem);
  auto impl = std::make_shared<Impl>();
  if (cert.find("-----BEGIN CERTIFICATE-----") == std::string::npos ||
      mbedtls_x509_crt_parse(&impl->crt, reinterpret_cast<const unsigned char*>(cert.c_str()),
                             cert.size() + 1) != 0) {
    return Unexpected(Error::BadCertificate);
  }
  const int rc = key.find("-----BEGIN") == std::string::npos
                     ? -1
                     : mbedtls_pk_parse_key(&impl->key,
                                            reinterpret_cast<const unsigned char*>(key.c_str()),
                                            key.size() + 1, nullptr, 0);
  mbedtls_platform_zeroize(key.data(), key.size());
  if (rc != 0) return Unexpected(Error::BadPrivateKey);
  if (auto r = finish(*impl); !r) return Unexpected(r.error());
  return Certificate(std::move(impl));
}

base::ByteView Certificate::der() const {
  return base::ByteView(impl_->crt.raw.p, impl_->crt.raw.len);
}

KeyParams::Type Certificate::key_type() const {
  return mbedtls_pk_get_type(&impl_->key) == MBEDTLS_PK_RSA ? KeyParams::Type::Rsa
                                                            : KeyParams::Type::EcdsaP256;
}

std::string Certificate::pem() const {
  std::array<unsigned char, 4096> buf{};
  size_t olen = 0;
  if (mbedtls_pem_write_buffer(kPemCertBegin, kPemCertEnd, impl_->crt.raw.p, impl_->crt.raw.len,
                               buf.data(), buf.size(), &olen) != 0) {
    return {};  // only if the certificate were over ~3 KB, which ours never are
  }
  return std::string(reinterpret_cast<const char*>(buf.data()));
}

// RSA-4096 private keys are ~2.4 KB in DER, ~3.3 KB in PEM.
base::Bytes Certificate::private_key_der() const {
  std::array<unsigned char, 4096> buf{};
  const int len = mbedtls_pk_write_key_der(&impl_->key, buf.data(), buf.size());
  base::Bytes out;
  if (len > 0) out.assign(buf.end() - len, buf.end());
  mbedtls_platform_zeroize(buf.data(), buf.size());
  return out;
}

std::string Certificate::private_key_pem() const {
  std::array<unsigned char, 4096> buf{};
  std::string out;
  if (mbedtls_pk_write_key_pem(&impl_->key, buf.data(), buf.size()) == 0) {
    out = reinterpret_cast<const char*>(buf.data());
  }
  mbedtls_platform_zeroize(buf.data(), buf.size());
  return out;
}

Fingerprint Certificate::fingerprint(HashFunction hash) const { return Fingerprint::of(hash, der()); }

Result<Fingerprint> Certificate::fingerprint(std::string_view hash_name) const {
  auto hash = parse_hash_function(hash_name);
  if (!hash) return Unexpected(hash.error());
  return fingerprint(*hash);
}

int64_t Certificate::not_before() const { return impl_->not_before; }
int64_t Certificate::expires() const { return impl_->not_after; }

}  // namespace wasmrtc::dtls
