#include "sctp/error.h"

namespace wasmrtc::sctp {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::DcepEmpty: return "DcepEmpty";
    case Error::DcepUnknownMessageType: return "DcepUnknownMessageType";
    case Error::DcepTruncated: return "DcepTruncated";
    case Error::DcepUnknownChannelType: return "DcepUnknownChannelType";
    case Error::DcepTrailingBytes: return "DcepTrailingBytes";
    case Error::LabelTooLong: return "LabelTooLong";
    case Error::ProtocolTooLong: return "ProtocolTooLong";
    case Error::InvalidReliability: return "InvalidReliability";
    case Error::IdInUse: return "IdInUse";
    case Error::IdOutOfRange: return "IdOutOfRange";
    case Error::NoFreeId: return "NoFreeId";
    case Error::UnknownChannel: return "UnknownChannel";
    case Error::ChannelNotOpen: return "ChannelNotOpen";
    case Error::MessageTooLarge: return "MessageTooLarge";
    case Error::AlreadyStarted: return "AlreadyStarted";
    case Error::AssociationClosed: return "AssociationClosed";
    case Error::SocketError: return "SocketError";
  }
  return "Unknown";
}

}  // namespace wasmrtc::sctp
