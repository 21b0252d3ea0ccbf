#include "ice/stun_messages.h"

#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/serialize.h"

namespace wasmrtc::ice {

using stun::Message;
using stun::MessageClass;

namespace {

base::Bytes serialize_or_empty(const Message& m, const stun::SerializeOptions& options) {
  auto bytes = stun::serialize(m, options);
  return bytes ? std::move(*bytes) : base::Bytes();
}

Rejection reject(uint16_t code, bool authenticated = false) {
  Rejection r;
  r.code = code;
  r.authenticated = authenticated;
  return r;
}

stun::SerializeOptions protect(std::optional<std::string_view> pwd) {
  stun::SerializeOptions o;
  if (pwd) o.message_integrity_key = stun::short_term_key(*pwd);
  o.fingerprint = true;
  return o;
}

}  // namespace

const char* reason_phrase(uint16_t code) {
  switch (code) {
    case 400: return "Bad Request";
    case 401: return "Unauthenticated";
    case 420: return "Unknown Attribute";
    case 487: return "Role Conflict";
    default: return "Error";
  }
}

base::Bytes encode_check_request(const stun::TransactionId& id, const CheckRequest& r,
                                 std::string_view remote_pwd) {
  Message m(MessageClass::Request, stun::method::kBinding, id);
  stun::add_username(m, r.username);
  stun::add_priority(m, r.priority);
  if (r.role == Role::Controlling) {
    stun::add_ice_controlling(m, r.tie_breaker);
    if (r.use_candidate) stun::add_use_candidate(m);
  } else {
    stun::add_ice_controlled(m, r.tie_breaker);
  }
  return serialize_or_empty(m, protect(remote_pwd));
}

base::Result<IncomingCheck, Rejection> validate_check_request(base::ByteView raw,
                                                              const Message& request,
                                                              const Credentials& local) {
  using base::Unexpected;
  // Section 7.2.2 makes FINGERPRINT mandatory in checks; without it this is
  // not an ICE check (RFC 7983 multiplexing), so it is dropped silently.
  if (!request.has(stun::attr::kFingerprint)) return Unexpected(reject(0));
  // RFC 8489 section 9.1.3: no MESSAGE-INTEGRITY or no USERNAME -> 400.
  auto username = stun::username(request);
  if (!username || !request.has(stun::attr::kMessageIntegrity)) {
    return Unexpected(reject(400));
  }
  // USERNAME is "LFRAG:RFRAG" from the sender's view: our ufrag first.
  const std::string& u = *username;
  const size_t colon = u.find(':');
  if (colon == std::string::npos || u.substr(0, colon) != local.ufrag) {
    return Unexpected(reject(401));
  }
  if (!stun::check_message_integrity(raw, stun::short_term_key(local.pwd))) {
    return Unexpected(reject(401));
  }
  // RFC 8489 section 6.3.1: comprehension-required attributes we do not know.
  auto unknown = stun::unknown_comprehension_required(request);
  if (!unknown.empty()) {
    Rejection r = reject(420, true);
    r.unknown = std::move(unknown);
    return Unexpected(std::move(r));
  }

  IncomingCheck c;
  c.remote_ufrag = u.substr(colon + 1);
  // Section 7.1.1: PRIORITY is mandatory in checks.
  auto priority = stun::priority(request);
  if (!priority) return Unexpected(reject(400, true));
  c.priority = *priority;
  c.use_candidate = stun::use_candidate(request);
  if (auto t = stun::ice_controlling(request)) c.controlling = *t;
  if (auto t = stun::ice_controlled(request)) c.controlled = *t;
  return c;
}

base::Bytes encode_success_response(const Message& request, const base::SocketAddress& mapped,
                                    std::string_view local_pwd) {
  Message m(MessageClass::SuccessResponse, request.method, request.transaction_id);
  stun::add_xor_mapped_address(m, mapped);
  return serialize_or_empty(m, protect(local_pwd));
}

base::Bytes encode_error_response(const Message& request, uint16_t code,
                                  const std::vector<uint16_t>& unknown,
                                  std::optional<std::string_view> local_pwd) {
  Message m(MessageClass::ErrorResponse, request.method, request.transaction_id);
  stun::add_error_code(m, code, reason_phrase(code));
  if (!unknown.empty()) stun::add_unknown_attributes(m, unknown);
  return serialize_or_empty(m, protect(local_pwd));
}

bool authentic_response(base::ByteView raw, const Message& response,
                        std::string_view remote_pwd) {
  if (!response.has(stun::attr::kFingerprint)) return false;
  return stun::check_message_integrity(raw, stun::short_term_key(remote_pwd)).ok();
}

base::Bytes encode_binding_request(const stun::TransactionId& id) {
  Message m(MessageClass::Request, stun::method::kBinding, id);
  stun::SerializeOptions o;
  o.fingerprint = true;
  return serialize_or_empty(m, o);
}

}  // namespace wasmrtc::ice
