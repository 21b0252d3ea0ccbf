// Text forms of the agent's enums: the W3C enum strings where there is one.
#include "ice/agent.h"

namespace wasmrtc::ice {

const char* to_string(State s) {
  // W3C webrtc-pc, RTCIceTransportState.
  switch (s) {
    case State::New: return "new";
    case State::Checking: return "checking";
    case State::Connected: return "connected";
    case State::Completed: return "completed";
    case State::Failed: return "failed";
    case State::Disconnected: return "disconnected";
    case State::Closed: return "closed";
  }
  return "?";
}

const char* to_string(GatheringState s) {
  // W3C webrtc-pc, RTCIceGathererState.
  switch (s) {
    case GatheringState::New: return "new";
    case GatheringState::Gathering: return "gathering";
    case GatheringState::Complete: return "complete";
  }
  return "?";
}

const char* to_string(Error e) {
  switch (e) {
    case Error::NotConnected: return "no selected candidate pair";
    case Error::Closed: return "agent closed";
    case Error::BadCandidate: return "unusable candidate";
    case Error::TooManyCandidates: return "too many remote candidates";
    case Error::UnknownSocket: return "unknown socket";
    case Error::UnknownStream: return "unknown stream";
  }
  return "?";
}

}  // namespace wasmrtc::ice
