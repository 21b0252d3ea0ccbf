// Everything that can go wrong in the SCTP / data channel layer, one value
// per cause. The W3C layer maps these onto DOMException names (noted below).
#pragma once

#include <string_view>

#include "base/result.h"

namespace wasmrtc::sctp {

enum class Error {
  // Parsing DCEP messages (RFC 8832 section 5). A malformed DATA_CHANNEL_OPEN
  // makes the receiver close the stream (RFC 8832 section 6).
  DcepEmpty,               // no bytes at all: not even a Message Type
  DcepUnknownMessageType,  // Message Type is neither 0x02 (ACK) nor 0x03 (OPEN), section 8.2.1
  DcepTruncated,           // shorter than the 12-byte OPEN header or than its length fields say
  DcepUnknownChannelType,  // Channel Type not one of the six of section 5.1 / 8.2.2
  DcepTrailingBytes,       // bytes after the protocol (OPEN) or after the type (ACK)
  // Building DCEP messages.
  LabelTooLong,            // label over 65535 bytes (16-bit Label Length); W3C TypeError
  ProtocolTooLong,         // protocol over 65535 bytes; W3C TypeError
  // Channel API.
  InvalidReliability,      // both max_retransmits and max_packet_life_time; W3C TypeError
  IdInUse,                 // negotiated id already used by a channel; W3C OperationError
  IdOutOfRange,            // id not below the number of streams (65535 is reserved); W3C TypeError
  NoFreeId,                // every stream id of our parity is taken; W3C OperationError
  UnknownChannel,          // no channel with that id
  ChannelNotOpen,          // send() on a closing or closed channel; W3C InvalidStateError
  MessageTooLarge,         // larger than the peer's max-message-size (RFC 8841 section 6); W3C TypeError
  // The association.
  AlreadyStarted,          // start() called twice
  AssociationClosed,       // the association is closed or failed; W3C InvalidStateError
  SocketError,             // usrsctp refused to set up the socket (see the log)
};

std::string_view to_string(Error error);

template <typename T>
using Result = base::Result<T, Error>;
using base::Unexpected;

}  // namespace wasmrtc::sctp
