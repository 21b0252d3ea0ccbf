#include "stun/serialize.h"

#include "base/byte_writer.h"
#include "stun/integrity.h"

namespace wasmrtc::stun {

Result<Bytes> serialize(const Message& message, const SerializeOptions& options) {
  base::ByteWriter w;
  w.u16(message.message_type());
  w.u16(0);  // length, patched below
  w.u32(kMagicCookie);
  w.bytes(message.transaction_id);
  for (const Attribute& a : message.attributes) {
    if (a.value.size() > 0xFFFF) return Unexpected(Error::MessageTooLong);
    w.u16(a.type);
    w.u16(static_cast<uint16_t>(a.value.size()));
    w.bytes(a.value);
    w.bytes(ByteView(a.padding).first(a.padding_size()));
  }
  const size_t body = w.size() - kHeaderSize;
  if (body > 0xFFFC) return Unexpected(Error::MessageTooLong);
  w.patch_u16(2, static_cast<uint16_t>(body));
  Bytes out = w.take();

  if (options.message_integrity_key) {
    if (auto r = append_message_integrity(out, *options.message_integrity_key); !r) {
      return Unexpected(r.error());
    }
  }
  if (options.message_integrity_sha256_key) {
    if (auto r = append_message_integrity_sha256(out, *options.message_integrity_sha256_key,
                                                 options.message_integrity_sha256_length);
        !r) {
      return Unexpected(r.error());
    }
  }
  if (options.fingerprint) {
    if (auto r = append_fingerprint(out); !r) return Unexpected(r.error());
  }
  return out;
}

}  // namespace wasmrtc::stun
