// Internal: what the transport needs from a Certificate to hand Mbed TLS
// (mbedtls_ssl_conf_own_cert takes non-const pointers but does not modify
// either object).
#pragma once

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "dtls/certificate.h"

namespace wasmrtc::dtls {

struct Certificate::Impl {
  Impl() {
    mbedtls_x509_crt_init(&crt);
    mbedtls_pk_init(&key);
  }
  ~Impl() {
    mbedtls_x509_crt_free(&crt);
    mbedtls_pk_free(&key);  // zeroizes the private key
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  mbedtls_x509_crt crt;
  mbedtls_pk_context key;
  int64_t not_before = 0;
  int64_t not_after = 0;
};

struct CertificateAccess {
  static mbedtls_x509_crt* crt(const Certificate& c) { return &c.impl_->crt; }
  static mbedtls_pk_context* key(const Certificate& c) { return &c.impl_->key; }
};

}  // namespace wasmrtc::dtls
