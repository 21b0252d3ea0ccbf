#include "sdp/jsep_types.h"

#include "sdp/serialize.h"

namespace wasmrtc::sdp {

std::string_view to_string(SdpType type) {
  switch (type) {
    case SdpType::Offer: return "offer";
    case SdpType::Pranswer: return "pranswer";
    case SdpType::Answer: return "answer";
    case SdpType::Rollback: return "rollback";
  }
  return "offer";
}

std::optional<SdpType> parse_sdp_type(std::string_view text) {
  if (text == "offer") return SdpType::Offer;
  if (text == "pranswer") return SdpType::Pranswer;
  if (text == "answer") return SdpType::Answer;
  if (text == "rollback") return SdpType::Rollback;
  return std::nullopt;
}

std::string_view to_string(SignalingState state) {
  switch (state) {
    case SignalingState::Stable: return "stable";
    case SignalingState::HaveLocalOffer: return "have-local-offer";
    case SignalingState::HaveRemoteOffer: return "have-remote-offer";
    case SignalingState::HaveLocalPranswer: return "have-local-pranswer";
    case SignalingState::HaveRemotePranswer: return "have-remote-pranswer";
    case SignalingState::Closed: return "closed";
  }
  return "closed";
}

std::string_view to_string(DtlsRole role) { return role == DtlsRole::Client ? "client" : "server"; }

std::string Description::to_string() const { return serialize(sdp); }

}  // namespace wasmrtc::sdp
