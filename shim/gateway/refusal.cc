#include "refusal.h"

namespace wasmrtc::gateway {

const char* to_string(Refusal refusal) {
  switch (refusal) {
    case Refusal::MalformedRequest: return "malformed request";
    case Refusal::NotWebSocket: return "not a WebSocket upgrade";
    case Refusal::BadWebSocketVersion: return "unsupported WebSocket version";
    case Refusal::BadWebSocketHandshake: return "bad WebSocket handshake";
    case Refusal::TooManyConnections: return "too many connections from this address";
    case Refusal::ServerFull: return "too many connections";
    case Refusal::OriginNotAllowed: return "origin not allowed";
    case Refusal::BadTarget: return "bad target";
    case Refusal::TargetNotAllowed: return "target not allowed";
    case Refusal::TurnUnreachable: return "TURN server unreachable";
  }
  return "refused";
}

int status_of(Refusal refusal) {
  switch (refusal) {
    case Refusal::MalformedRequest: return 400;
    case Refusal::NotWebSocket: return 426;
    case Refusal::BadWebSocketVersion: return 426;
    case Refusal::BadWebSocketHandshake: return 400;
    case Refusal::TooManyConnections: return 429;
    case Refusal::ServerFull: return 503;
    case Refusal::OriginNotAllowed: return 403;
    case Refusal::BadTarget: return 400;
    case Refusal::TargetNotAllowed: return 403;
    case Refusal::TurnUnreachable: return 502;
  }
  return 400;
}

}  // namespace wasmrtc::gateway
