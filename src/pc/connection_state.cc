#include "pc/connection_state.h"

namespace wasmrtc::pc {

std::string_view connection_state(bool closed, ice::State ice, dtls::State dtls) {
  using I = ice::State;
  using D = dtls::State;
  if (closed) return "closed";
  // "failed": any transport failed.
  if (ice == I::Failed || dtls == D::Failed) return "failed";
  // "disconnected": any ICE transport disconnected (and none failed).
  if (ice == I::Disconnected) return "disconnected";
  // "new": every transport is new or closed.
  if ((ice == I::New || ice == I::Closed) && (dtls == D::New || dtls == D::Closed)) return "new";
  // "connected": ICE connected or completed and DTLS connected (or closed).
  if ((ice == I::Connected || ice == I::Completed) && (dtls == D::Connected || dtls == D::Closed)) {
    return "connected";
  }
  // Otherwise some transport is still being set up: "connecting".
  return "connecting";
}

std::string_view ice_connection_state(bool closed, ice::State ice, bool controlling) {
  if (closed) return "closed";
  if (ice == ice::State::Completed && !controlling) return "connected";
  return ice::to_string(ice);
}

}  // namespace wasmrtc::pc
