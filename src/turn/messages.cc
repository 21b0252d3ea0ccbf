#include "turn/messages.h"

#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/constants.h"

namespace wasmrtc::turn {

void Auth::challenge(const std::string& new_realm, const std::string& new_nonce) {
  realm = new_realm;
  nonce = new_nonce;
  key = stun::long_term_key(username, realm, password);
}

void Auth::reset() {
  realm.clear();
  nonce.clear();
  key.clear();
}

stun::Result<base::Bytes> finish_request(stun::Message& m, const Auth& auth) {
  if (!auth.ready()) return stun::serialize(m);
  stun::add_username(m, auth.username);
  stun::add_realm(m, auth.realm);
  stun::add_nonce(m, auth.nonce);
  stun::SerializeOptions options;
  options.message_integrity_key = auth.key;
  return stun::serialize(m, options);
}

stun::Message allocate_request(const stun::TransactionId& id, base::AddressFamily family,
                               base::Duration lifetime, const std::string& software) {
  stun::Message m(stun::MessageClass::Request, stun::method::kAllocate, id);
  add_requested_transport(m, kProtocolUdp);
  // Section 7.2 step 7: without the attribute the server allocates IPv4.
  if (family == base::AddressFamily::V6) add_requested_address_family(m, family);
  add_lifetime(m, lifetime);
  if (!software.empty()) stun::add_software(m, software);
  return m;
}

stun::Message refresh_request(const stun::TransactionId& id, base::Duration lifetime,
                              const std::string& software) {
  stun::Message m(stun::MessageClass::Request, stun::method::kRefresh, id);
  add_lifetime(m, lifetime);
  if (!software.empty()) stun::add_software(m, software);
  return m;
}

stun::Message create_permission_request(const stun::TransactionId& id,
                                        const base::IpAddress& peer) {
  stun::Message m(stun::MessageClass::Request, stun::method::kCreatePermission, id);
  add_xor_peer_address(m, base::SocketAddress{peer, 0});
  return m;
}

stun::Message channel_bind_request(const stun::TransactionId& id, uint16_t channel,
                                   const base::SocketAddress& peer) {
  stun::Message m(stun::MessageClass::Request, stun::method::kChannelBind, id);
  add_channel_number(m, channel);
  add_xor_peer_address(m, peer);
  return m;
}

stun::Result<base::Bytes> send_indication(const stun::TransactionId& id,
                                          const base::SocketAddress& peer, base::ByteView data) {
  stun::Message m(stun::MessageClass::Indication, stun::method::kSend, id);
  add_xor_peer_address(m, peer);
  add_data(m, data);
  return stun::serialize(m);
}

}  // namespace wasmrtc::turn
