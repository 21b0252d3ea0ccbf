#include "dtls/error.h"

#include <cstdio>

#include <mbedtls/error.h>

namespace wasmrtc::dtls {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::InvalidConfig: return "InvalidConfig";
    case Error::UnsupportedSrtpProfile: return "UnsupportedSrtpProfile";
    case Error::CertificateGenerationFailed: return "CertificateGenerationFailed";
    case Error::BadCertificate: return "BadCertificate";
    case Error::BadPrivateKey: return "BadPrivateKey";
    case Error::UnsupportedKey: return "UnsupportedKey";
    case Error::KeyMismatch: return "KeyMismatch";
    case Error::BadFingerprint: return "BadFingerprint";
    case Error::UnsupportedHashFunction: return "UnsupportedHashFunction";
    case Error::FingerprintMismatch: return "FingerprintMismatch";
    case Error::NoRemoteCertificate: return "NoRemoteCertificate";
    case Error::HandshakeFailed: return "HandshakeFailed";
    case Error::Timeout: return "Timeout";
    case Error::FatalAlert: return "FatalAlert";
    case Error::ProtocolError: return "ProtocolError";
    case Error::NotConnected: return "NotConnected";
    case Error::Closed: return "Closed";
    case Error::MessageTooLong: return "MessageTooLong";
    case Error::InvalidState: return "InvalidState";
    case Error::Internal: return "Internal";
  }
  return "Unknown";
}

std::string mbedtls_error_text(int code) {
  char hex[16];
  const unsigned magnitude = code < 0 ? static_cast<unsigned>(-code) : static_cast<unsigned>(code);
  std::snprintf(hex, sizeof hex, "%s0x%04X", code < 0 ? "-" : "", magnitude);
  char text[160] = {};
  mbedtls_strerror(code, text, sizeof text);
  std::string out(hex);
  if (text[0] != '\0') {
    out += " (";
    out += text;
    out += ')';
  }
  return out;
}

}  // namespace wasmrtc::dtls
