// CRC-32 as used by STUN's FINGERPRINT (RFC 8489 section 14.7, which points
// at ITU V.42 / ISO HDLC): reflected polynomial 0xEDB88320, initial value
// and final XOR 0xFFFFFFFF. crc32("123456789") == 0xCBF43926.
#pragma once

#include <cstdint>

#include "base/bytes.h"

namespace wasmrtc::crypto {

uint32_t crc32(base::ByteView data);

// Continues a CRC over more data: crc32_update(crc32(a), b) == crc32(a + b),
// and crc32_update(0, a) == crc32(a).
uint32_t crc32_update(uint32_t crc, base::ByteView data);

}  // namespace wasmrtc::crypto
