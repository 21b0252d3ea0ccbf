// Everything that can go wrong in the DTLS layer, one value per cause.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace wasmrtc::dtls {

enum class Error {
  // Configuration.
  InvalidConfig,            // an option out of range (MTU, timeouts, empty certificate)
  UnsupportedSrtpProfile,   // the linked Mbed TLS cannot negotiate it (see srtp.h)
  // Certificates and keys.
  CertificateGenerationFailed,
  BadCertificate,           // not a parsable X.509 certificate (DER or PEM)
  BadPrivateKey,            // not a parsable private key
  UnsupportedKey,           // neither ECDSA P-256 nor RSA as KeyParams::valid() allows
  KeyMismatch,              // the private key does not belong to the certificate
  // Fingerprints, RFC 8122 section 5.
  BadFingerprint,           // not "hash-func SP 2UHEX *(":" 2UHEX)" or wrong digest length
  UnsupportedHashFunction,  // none of sha-1, sha-256, sha-384, sha-512
  // The connection (these are what Failed events carry).
  FingerprintMismatch,      // the peer's certificate matches no a=fingerprint (RFC 8122 section 5)
  NoRemoteCertificate,      // the client sent no certificate (RFC 5763 section 5 requires one)
  HandshakeFailed,          // Mbed TLS gave up; the event text has its error code
  Timeout,                  // retransmissions exhausted (RFC 6347 section 4.2.4.1)
  FatalAlert,               // the peer sent a fatal alert (RFC 5246 section 7.2)
  ProtocolError,            // Mbed TLS failed on a record after the handshake
  // Calls made at the wrong time or with the wrong size.
  NotConnected,             // send() before Connected
  Closed,                   // the transport is closed or failed
  MessageTooLong,           // larger than one record fits in the MTU (see max_payload())
  InvalidState,             // e.g. new remote fingerprints after they were verified
  Internal,                 // Mbed TLS failed where it cannot on valid input (allocation)
};

std::string_view to_string(Error error);

// "-0x7900 (SSL - Processing of the ClientHello handshake message failed)":
// the hex code Mbed TLS documents, then its description.
std::string mbedtls_error_text(int code);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::dtls
