// Internal to turn/: the STUN messages a TURN client sends, and the
// long-term credential state that protects its requests (RFC 8489 section
// 9.2; RFC 8656 section 5: every TURN request is authenticated this way,
// indications never are).
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/ip_address.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "stun/error.h"
#include "stun/message.h"

namespace wasmrtc::turn {

// RFC 8489 section 9.2: the realm and nonce come from the server's 401 (and
// a 438 replaces the nonce); the key is MD5(username ":" realm ":" password)
// (section 9.2.2).
struct Auth {
  std::string username;
  std::string password;
  std::string realm;
  std::string nonce;
  base::Bytes key;  // empty until the server has challenged us

  bool ready() const { return !key.empty(); }
  // Takes a 401's realm and nonce (or a 438's, which may carry a new realm).
  void challenge(const std::string& new_realm, const std::string& new_nonce);
  void reset();
};

// Appends USERNAME, REALM and NONCE when `auth` is ready and serializes with
// MESSAGE-INTEGRITY (section 9.2.4); otherwise serializes as is.
stun::Result<base::Bytes> finish_request(stun::Message& m, const Auth& auth);

// RFC 8656 section 7.1: REQUESTED-TRANSPORT UDP, REQUESTED-ADDRESS-FAMILY
// for IPv6, LIFETIME, SOFTWARE (section 5 recommends it).
stun::Message allocate_request(const stun::TransactionId& id, base::AddressFamily family,
                               base::Duration lifetime, const std::string& software);
// Section 8.1: LIFETIME 0 deletes the allocation.
stun::Message refresh_request(const stun::TransactionId& id, base::Duration lifetime,
                              const std::string& software);
// Section 10.1: one XOR-PEER-ADDRESS; its port is ignored by the server.
stun::Message create_permission_request(const stun::TransactionId& id, const base::IpAddress& peer);
// Section 12.1.
stun::Message channel_bind_request(const stun::TransactionId& id, uint16_t channel,
                                   const base::SocketAddress& peer);
// Section 11.1: XOR-PEER-ADDRESS and DATA, no authentication.
stun::Result<base::Bytes> send_indication(const stun::TransactionId& id,
                                          const base::SocketAddress& peer, base::ByteView data);

}  // namespace wasmrtc::turn
