// Message -> bytes, RFC 8489 sections 5 and 14, optionally protected with
// MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT.
#pragma once

#include <cstddef>
#include <optional>

#include "base/bytes.h"
#include "stun/error.h"
#include "stun/message.h"

namespace wasmrtc::stun {

struct SerializeOptions {
  // Appends MESSAGE-INTEGRITY (HMAC-SHA1) with this key (section 14.5).
  std::optional<Bytes> message_integrity_key;
  // Appends MESSAGE-INTEGRITY-SHA256 with this key (section 14.6), after
  // MESSAGE-INTEGRITY when both are asked for.
  std::optional<Bytes> message_integrity_sha256_key;
  // 16..32, a multiple of 4 (section 14.6 allows truncation).
  size_t message_integrity_sha256_length = 32;
  // Appends FINGERPRINT last (section 14.7).
  bool fingerprint = false;
};

// Writes the header and every attribute of `message` in order, values and
// padding as stored (so parse() then serialize() gives the same bytes),
// then the attributes `options` asks for. `message.attributes` should not
// already hold the ones being added. Errors: MessageTooLong (a value over
// 65535 bytes or a body over 65532), BadIntegrityLength.
Result<Bytes> serialize(const Message& message, const SerializeOptions& options = {});

}  // namespace wasmrtc::stun
