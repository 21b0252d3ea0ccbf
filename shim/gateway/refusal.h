// Why the gateway answers an HTTP request instead of upgrading it, and with
// which status. Each refusal is logged with its reason.
#pragma once

namespace wasmrtc::gateway {

enum class Refusal {
  MalformedRequest,       // 400: not parseable HTTP/1.1, a body, or bytes before the 101
  NotWebSocket,           // 426: a plain HTTP request (RFC 6455 4.2.2: Upgrade Required)
  BadWebSocketVersion,    // 426 with Sec-WebSocket-Version: 13 (RFC 6455 4.4)
  BadWebSocketHandshake,  // 400: no Sec-WebSocket-Key
  TooManyConnections,     // 429: --max-per-ip reached for this client address
  ServerFull,             // 503: --max-connections reached
  OriginNotAllowed,       // 403: Origin missing, not in --origin, or not this host's (see OriginPolicy)
  BadTarget,              // 400: ?target missing, repeated or not HOST:PORT
  TargetNotAllowed,       // 403: target not in --turn
  TurnUnreachable,        // 502: connecting to the allowed TURN server failed
};

const char* to_string(Refusal refusal);
// The HTTP status code for `refusal`.
int status_of(Refusal refusal);

}  // namespace wasmrtc::gateway
