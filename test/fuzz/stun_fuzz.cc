// libFuzzer target for src/stun: parses arbitrary bytes as a STUN message,
// reads every attribute through its typed accessor, runs every check, and
// re-serializes. Properties that must hold abort() when violated:
//   - parse() accepting bytes means serialize() gives the same bytes back;
//   - a parsed FINGERPRINT passes check_fingerprint();
//   - every typed value decodes to the same thing after re-encoding;
//   - re-protecting the message with a key gives bytes that parse and pass
//     every integrity and fingerprint check.
// Inputs that do not parse are also tried as SocketAddress text.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "require.h"
#include "base/socket_address.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::stun;

using fuzz::require;

void check_address(const base::SocketAddress& a) {
  auto again = base::SocketAddress::parse(a.to_string());
  require(again.has_value() && *again == a);
}

void check_typed_attributes(const Message& m) {
  if (auto a = mapped_address(m)) {
    check_address(*a);
    require(decode_address(encode_address(*a)).value() == *a);
  }
  if (auto a = alternate_server(m)) check_address(*a);
  if (auto a = xor_mapped_address(m)) {
    check_address(*a);
    Bytes enc = encode_xor_address(*a, m.transaction_id);
    const Attribute* raw = m.find(attr::kXorMappedAddress);
    // Only the reserved first byte may differ.
    require(raw && raw->value.size() == enc.size());
    for (size_t i = 1; i < enc.size(); ++i) require(raw->value[i] == enc[i]);
  }
  for (auto text : {username(m), realm(m), nonce(m), software(m)}) {
    if (text) require(text->size() <= 763);
  }
  if (auto ec = error_code_of(m)) {
    require(ec->code >= 300 && ec->code <= 699);
    Message again;
    add_error_code(again, ec->code, ec->reason);
    auto back = error_code_of(again);
    require(back && back->code == ec->code && back->reason == ec->reason);
  }
  if (auto unknown = unknown_attributes(m)) {
    Message again;
    add_unknown_attributes(again, *unknown);
    require(unknown_attributes(again).value() == *unknown);
  }
  (void)priority(m);
  (void)use_candidate(m);
  (void)ice_controlled(m);
  (void)ice_controlling(m);
  for (uint16_t t : unknown_comprehension_required(m)) require(is_comprehension_required(t));
}

void check_reprotect(const Message& parsed) {
  Message m = parsed;
  std::erase_if(m.attributes, [](const Attribute& a) {
    return a.type == attr::kMessageIntegrity || a.type == attr::kMessageIntegritySha256 ||
           a.type == attr::kFingerprint;
  });
  const Bytes key = long_term_key("user", "realm", "pass");
  SerializeOptions o;
  o.message_integrity_key = key;
  o.message_integrity_sha256_key = key;
  o.message_integrity_sha256_length = 16 + 4 * (m.transaction_id[0] % 5);
  o.fingerprint = true;
  auto wire = serialize(m, o);
  if (!wire) {
    require(wire.error() == Error::MessageTooLong);
    return;
  }
  auto again = parse(*wire);
  require(again.ok());
  require(check_message_integrity(*wire, key).ok());
  require(check_message_integrity_sha256(*wire, key).ok());
  require(check_fingerprint(*wire).ok());
  require(again->attributes.size() == m.attributes.size() + 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  const bool looks = looks_like_stun(input);
  auto parsed = parse(input);

  // These must never crash, whatever the input.
  const Bytes key = short_term_key("VOkJxbRl1RmTxUk/WvJxBt");
  auto mi = check_message_integrity(input, key);
  auto mi256 = check_message_integrity_sha256(input, key);
  auto fp = check_fingerprint(input);

  if (!parsed) {
    auto addr = base::SocketAddress::parse(
        std::string_view(reinterpret_cast<const char*>(data), size));
    if (addr) check_address(*addr);
    return 0;
  }
  const Message& m = *parsed;

  // RFC 7983 demultiplexing agrees for methods below 0x100.
  if (input[0] <= 3) require(looks);

  auto wire = serialize(m);
  require(wire.ok() && wire->size() == size &&
          std::equal(wire->begin(), wire->end(), input.begin()));

  if (m.has(attr::kFingerprint)) require(fp.ok());
  if (!m.has(attr::kMessageIntegrity)) require(!mi.ok());
  if (!m.has(attr::kMessageIntegritySha256)) require(!mi256.ok());

  check_typed_attributes(m);
  check_reprotect(m);
  return 0;
}
