// Message digests and HMACs, backed by mbedtls's generic md.h interface
// (the same calls in the native and the WebAssembly build). Nothing outside
// crypto/ names mbedtls for these.
//
// The multi-part forms hash the concatenation of `parts` without copying
// them together; STUN uses that to hash a header with a rewritten length
// followed by the untouched rest of a received message (RFC 8489 14.5).
//
// These cannot fail on any input. mbedtls reports errors only for a missing
// algorithm (a build misconfiguration) or an allocation failure; both abort,
// like operator new does when memory runs out.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

#include "base/bytes.h"

namespace wasmrtc::crypto {

using base::ByteView;

using Md5Digest = std::array<uint8_t, 16>;
using Sha1Digest = std::array<uint8_t, 20>;
using Sha256Digest = std::array<uint8_t, 32>;

Md5Digest md5(ByteView data);
Sha1Digest sha1(ByteView data);
Sha256Digest sha256(ByteView data);

// RFC 2104 HMAC with SHA-1 (RFC 2202 vectors) and SHA-256 (RFC 4231 vectors).
Sha1Digest hmac_sha1(ByteView key, ByteView data);
Sha1Digest hmac_sha1(ByteView key, std::initializer_list<ByteView> parts);
Sha256Digest hmac_sha256(ByteView key, ByteView data);
Sha256Digest hmac_sha256(ByteView key, std::initializer_list<ByteView> parts);

}  // namespace wasmrtc::crypto
