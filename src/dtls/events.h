// What a dtls::Transport reports through poll_event(), and its state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/bytes.h"
#include "dtls/error.h"
#include "dtls/fingerprint.h"
#include "dtls/srtp.h"

namespace wasmrtc::dtls {

// RTCDtlsTransportState (W3C webrtc-pc section 5.5.1).
enum class State { New, Connecting, Connected, Closed, Failed };
// "new", "connecting", "connected", "closed", "failed".
std::string_view to_string(State state);

enum class Role { Client, Server };
std::string_view to_string(Role role);

// The handshake is done and the peer's certificate matched a remote
// fingerprint. Sent once, before any Data.
struct Connected {
  // Absent when the peer did not negotiate use_srtp (data-channel-only peers).
  std::optional<SrtpProfile> srtp_profile;
  std::optional<SrtpKeys> srtp_keys;
  base::Bytes remote_certificate_der;  // RTCDtlsTransport.getRemoteCertificates()
  Fingerprint remote_fingerprint;      // the one that matched
  std::string cipher_suite;            // IANA name, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
};

// Application data (an SCTP packet, for WebRTC) from one DTLS record.
struct Data {
  base::Bytes bytes;
};

// Terminal: the transport will do nothing more. `detail` is for logs
// (Mbed TLS's error code and text, the alert number, ...).
struct Failed {
  Error error = Error::HandshakeFailed;
  std::string detail;
};

// Terminal: close_notify was received (by_peer) or close() was called.
struct Closed {
  bool by_peer = false;
};

using Event = std::variant<Connected, Data, Failed, Closed>;

}  // namespace wasmrtc::dtls
