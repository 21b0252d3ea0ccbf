// Internal to ice/: the STUN Binding messages of ICE connectivity checks
// (RFC 8445 section 7), and the plain Binding of srflx gathering
// (section 5.1.1.2, RFC 8489 section 6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "base/socket_address.h"
#include "ice/agent.h"
#include "stun/message.h"

namespace wasmrtc::ice {

// What a check request carries besides the transaction id (section 7.1).
struct CheckRequest {
  std::string username;  // "RFRAG:LFRAG", section 7.2.2
  uint32_t priority = 0; // 7.1.1: as if the local candidate were peer-reflexive
  Role role = Role::Controlling;
  uint64_t tie_breaker = 0;    // 7.1.3
  bool use_candidate = false;  // 7.1.2
};

// Binding request with MESSAGE-INTEGRITY keyed by the remote password and
// FINGERPRINT (section 7.2.2).
base::Bytes encode_check_request(const stun::TransactionId& id, const CheckRequest& request,
                                 std::string_view remote_pwd);

// A check request that passed RFC 8489 section 9.1.3 with our credentials.
struct IncomingCheck {
  std::string remote_ufrag;
  uint32_t priority = 0;
  bool use_candidate = false;
  std::optional<uint64_t> controlling;  // ICE-CONTROLLING tie-breaker
  std::optional<uint64_t> controlled;   // ICE-CONTROLLED tie-breaker
};
// Why a request is refused: answer with `code` (400, 401, 420) or, with
// code 0, drop it without an answer.
struct Rejection {
  uint16_t code = 0;
  bool authenticated = false;  // the error response then carries MESSAGE-INTEGRITY
  std::vector<uint16_t> unknown;
};
base::Result<IncomingCheck, Rejection> validate_check_request(base::ByteView raw,
                                                              const stun::Message& request,
                                                              const Credentials& local);

// Success response: XOR-MAPPED-ADDRESS of the request's source (7.3.1.2),
// MESSAGE-INTEGRITY with our password, FINGERPRINT.
base::Bytes encode_success_response(const stun::Message& request,
                                    const base::SocketAddress& mapped, std::string_view local_pwd);
// Error response; with MESSAGE-INTEGRITY when `local_pwd` is given (the
// request was authenticated, RFC 8489 section 9.1.4), always FINGERPRINT.
base::Bytes encode_error_response(const stun::Message& request, uint16_t code,
                                  const std::vector<uint16_t>& unknown,
                                  std::optional<std::string_view> local_pwd);

// A response to one of our checks must carry FINGERPRINT and a valid
// MESSAGE-INTEGRITY keyed by the remote password (7.2.5, RFC 8489 9.1.4).
bool authentic_response(base::ByteView raw, const stun::Message& response,
                        std::string_view remote_pwd);

// Plain Binding request to a STUN server, with FINGERPRINT.
base::Bytes encode_binding_request(const stun::TransactionId& id);

const char* reason_phrase(uint16_t code);

}  // namespace wasmrtc::ice
