#include "stun/attributes.h"

#include <algorithm>
#include <array>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace wasmrtc::stun {
namespace {

constexpr size_t kMaxText = 763;

void add_text(Message& m, uint16_t type, std::string_view text) {
  m.add(type, base::as_bytes(text));
}

Result<std::string> get_text(const Message& m, uint16_t type, size_t max_bytes) {
  const Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  if (a->value.size() > max_bytes) return Unexpected(Error::BadAttributeValue);
  return std::string(a->value.begin(), a->value.end());
}

constexpr std::array<uint16_t, 13> kKnown = {
    attr::kMappedAddress,  attr::kUsername,  attr::kMessageIntegrity,
    attr::kErrorCode,      attr::kUnknownAttributes, attr::kRealm,
    attr::kNonce,          attr::kMessageIntegritySha256, attr::kPasswordAlgorithm,
    attr::kUserhash,       attr::kXorMappedAddress, attr::kPriority,
    attr::kUseCandidate,
};

}  // namespace

const std::span<const uint16_t> kKnownComprehensionRequired(kKnown);

void add_username(Message& m, std::string_view v) { add_text(m, attr::kUsername, v); }
Result<std::string> username(const Message& m) { return get_text(m, attr::kUsername, kMaxText); }
void add_realm(Message& m, std::string_view v) { add_text(m, attr::kRealm, v); }
Result<std::string> realm(const Message& m) { return get_text(m, attr::kRealm, kMaxText); }
void add_nonce(Message& m, std::string_view v) { add_text(m, attr::kNonce, v); }
Result<std::string> nonce(const Message& m) { return get_text(m, attr::kNonce, kMaxText); }
void add_software(Message& m, std::string_view v) { add_text(m, attr::kSoftware, v); }
Result<std::string> software(const Message& m) { return get_text(m, attr::kSoftware, kMaxText); }

// Section 14.8: 21 reserved zero bits, a 3-bit class (3..6), an 8-bit
// number (0..99), then the UTF-8 reason phrase.
void add_error_code(Message& m, uint16_t code, std::string_view reason) {
  base::ByteWriter w;
  w.u16(0);
  w.u8(static_cast<uint8_t>((code / 100) & 0x07));
  w.u8(static_cast<uint8_t>(code % 100));
  w.bytes(base::as_bytes(reason));
  m.add(attr::kErrorCode, w.take());
}

Result<ErrorCode> error_code_of(const Message& m) {
  const Attribute* a = m.find(attr::kErrorCode);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  base::ByteReader r(a->value);
  auto head = r.u32();
  if (!head || r.remaining() > kMaxText) return Unexpected(Error::BadAttributeValue);
  const uint32_t cls = (*head >> 8) & 0x07;
  const uint32_t number = *head & 0xFF;
  if (cls < 3 || cls > 6 || number > 99) return Unexpected(Error::BadAttributeValue);
  ByteView reason = r.rest();
  return ErrorCode{static_cast<uint16_t>(cls * 100 + number),
                   std::string(reason.begin(), reason.end())};
}

// Section 14.13: a list of 16-bit types.
void add_unknown_attributes(Message& m, std::span<const uint16_t> types) {
  base::ByteWriter w;
  for (uint16_t t : types) w.u16(t);
  m.add(attr::kUnknownAttributes, w.take());
}

Result<std::vector<uint16_t>> unknown_attributes(const Message& m) {
  const Attribute* a = m.find(attr::kUnknownAttributes);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  if (a->value.size() % 2 != 0) return Unexpected(Error::BadAttributeValue);
  std::vector<uint16_t> out;
  base::ByteReader r(a->value);
  while (auto t = r.u16()) out.push_back(*t);
  return out;
}

std::vector<uint16_t> unknown_comprehension_required(const Message& m,
                                                     std::span<const uint16_t> understood) {
  std::vector<uint16_t> out;
  for (const Attribute* a : m.effective_attributes()) {
    if (!is_comprehension_required(a->type)) continue;
    if (std::find(understood.begin(), understood.end(), a->type) != understood.end()) continue;
    if (std::find(out.begin(), out.end(), a->type) != out.end()) continue;
    out.push_back(a->type);
  }
  return out;
}

void add_u32(Message& m, uint16_t type, uint32_t value) {
  base::ByteWriter w;
  w.u32(value);
  m.add(type, w.take());
}

Result<uint32_t> get_u32(const Message& m, uint16_t type) {
  const Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  if (a->value.size() != 4) return Unexpected(Error::BadAttributeValue);
  return *base::ByteReader(a->value).u32();
}

void add_u64(Message& m, uint16_t type, uint64_t value) {
  base::ByteWriter w;
  w.u64(value);
  m.add(type, w.take());
}

Result<uint64_t> get_u64(const Message& m, uint16_t type) {
  const Attribute* a = m.find(type);
  if (a == nullptr) return Unexpected(Error::AttributeMissing);
  if (a->value.size() != 8) return Unexpected(Error::BadAttributeValue);
  return *base::ByteReader(a->value).u64();
}

}  // namespace wasmrtc::stun
