// Binds src/stun for js/stun.cjs: stunParse, stunBuild, stunVerifyIntegrity,
// stunVerifyIntegritySha256, stunLongTermKey, stunLooksLikeStun.
// Errors come back as { error: { code, message } } values, never exceptions.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <charconv>
#include <string>

#include "bindings/convert.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::bindings {
namespace {

using emscripten::val;

const char* class_name(stun::MessageClass c) {
  switch (c) {
    case stun::MessageClass::Request: return "request";
    case stun::MessageClass::Indication: return "indication";
    case stun::MessageClass::SuccessResponse: return "success";
    case stun::MessageClass::ErrorResponse: return "error";
  }
  return "request";
}

bool class_from_name(const std::string& s, stun::MessageClass& out) {
  if (s == "request") out = stun::MessageClass::Request;
  else if (s == "indication") out = stun::MessageClass::Indication;
  else if (s == "success") out = stun::MessageClass::SuccessResponse;
  else if (s == "error") out = stun::MessageClass::ErrorResponse;
  else return false;
  return true;
}

val address_to_js(const base::SocketAddress& a) {
  val o = val::object();
  o.set("family", std::string(a.ip.is_v4() ? "IPv4" : "IPv6"));
  o.set("address", a.ip.to_string());
  o.set("port", a.port);
  return o;
}

bool address_from_js(const val& v, base::SocketAddress& out) {
  if (!v["address"].isString() || !v["port"].isNumber()) return false;
  auto ip = base::IpAddress::parse(v["address"].as<std::string>());
  const double port = v["port"].as<double>();
  if (!ip || port < 0 || port > 65535) return false;
  out = {*ip, static_cast<uint16_t>(port)};
  return true;
}

bool parse_u64(const std::string& text, uint64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

val error_of(stun::Error e) {
  const std::string name(stun::to_string(e));
  return error_value(name, "malformed STUN message: " + name);
}

val stun_parse(val data) {
  if (!is_bytes(data)) return error_value("BadArgument", "data must be a Uint8Array");
  const base::Bytes bytes = bytes_from_js(data);
  auto parsed = stun::parse(bytes);
  if (!parsed) return error_of(parsed.error());
  const stun::Message& m = *parsed;

  val o = val::object();
  o.set("class", std::string(class_name(m.message_class)));
  o.set("method", m.method);
  o.set("transactionId", bytes_to_js(m.transaction_id));
  val attrs = val::array();
  for (const auto& a : m.attributes) {
    val attr = val::object();
    attr.set("type", a.type);
    attr.set("value", bytes_to_js(a.value));
    attrs.call<void>("push", attr);
  }
  o.set("attributes", attrs);

  if (auto v = stun::username(m)) o.set("username", *v);
  if (auto v = stun::realm(m)) o.set("realm", *v);
  if (auto v = stun::nonce(m)) o.set("nonce", *v);
  if (auto v = stun::software(m)) o.set("software", *v);
  if (auto v = stun::mapped_address(m)) o.set("mappedAddress", address_to_js(*v));
  if (auto v = stun::xor_mapped_address(m)) o.set("xorMappedAddress", address_to_js(*v));
  if (auto v = stun::alternate_server(m)) o.set("alternateServer", address_to_js(*v));
  if (auto v = stun::error_code_of(m)) {
    val e = val::object();
    e.set("code", v->code);
    e.set("reason", v->reason);
    o.set("errorCode", e);
  }
  if (auto v = stun::unknown_attributes(m)) {
    val list = val::array();
    for (uint16_t t : *v) list.call<void>("push", t);
    o.set("unknownAttributes", list);
  }
  if (auto v = stun::priority(m)) o.set("priority", static_cast<double>(*v));
  if (stun::use_candidate(m)) o.set("useCandidate", true);
  // 64-bit tie-breakers cross as decimal text; the facade makes them BigInt.
  if (auto v = stun::ice_controlling(m)) o.set("iceControlling", std::to_string(*v));
  if (auto v = stun::ice_controlled(m)) o.set("iceControlled", std::to_string(*v));
  o.set("messageIntegrity", m.has(stun::attr::kMessageIntegrity));
  o.set("messageIntegritySha256", m.has(stun::attr::kMessageIntegritySha256));
  o.set("fingerprint", m.has(stun::attr::kFingerprint));
  val unknown = val::array();
  for (uint16_t t : stun::unknown_comprehension_required(m)) unknown.call<void>("push", t);
  o.set("unknownComprehensionRequired", unknown);
  return o;
}

val stun_build(val in) {
  stun::MessageClass cls;
  if (!in["class"].isString() || !class_from_name(in["class"].as<std::string>(), cls))
    return error_value("BadArgument", "class must be request, indication, success or error");
  const double method = in["method"].isNumber() ? in["method"].as<double>() : -1;
  if (method < 0 || method > 0xfff) return error_value("BadArgument", "method must be 0..0xfff");
  if (!is_bytes(in["transactionId"])) return error_value("BadArgument", "transactionId must be a Uint8Array");
  const base::Bytes txid = bytes_from_js(in["transactionId"]);
  if (txid.size() != stun::kTransactionIdSize)
    return error_value("BadArgument", "transactionId must be 12 bytes");

  stun::TransactionId id;
  std::copy(txid.begin(), txid.end(), id.begin());
  stun::Message m(cls, static_cast<uint16_t>(method), id);

  if (in["username"].isString()) stun::add_username(m, in["username"].as<std::string>());
  if (in["realm"].isString()) stun::add_realm(m, in["realm"].as<std::string>());
  if (in["nonce"].isString()) stun::add_nonce(m, in["nonce"].as<std::string>());
  if (in["software"].isString()) stun::add_software(m, in["software"].as<std::string>());
  for (const char* key : {"mappedAddress", "xorMappedAddress", "alternateServer"}) {
    if (in[key].isUndefined()) continue;
    base::SocketAddress a;
    if (!address_from_js(in[key], a))
      return error_value("BadArgument", std::string(key) + " needs an IP address and a port");
    if (std::string(key) == "mappedAddress") stun::add_mapped_address(m, a);
    else if (std::string(key) == "xorMappedAddress") stun::add_xor_mapped_address(m, a);
    else stun::add_alternate_server(m, a);
  }
  if (!in["errorCode"].isUndefined()) {
    const double code = in["errorCode"]["code"].isNumber() ? in["errorCode"]["code"].as<double>() : 0;
    if (code < 300 || code > 699) return error_value("BadArgument", "errorCode.code must be 300..699");
    const std::string reason =
        in["errorCode"]["reason"].isString() ? in["errorCode"]["reason"].as<std::string>() : "";
    stun::add_error_code(m, static_cast<uint16_t>(code), reason);
  }
  if (in["unknownAttributes"].isArray()) {
    std::vector<uint16_t> types;
    const int n = in["unknownAttributes"]["length"].as<int>();
    for (int i = 0; i < n; ++i) types.push_back(in["unknownAttributes"][i].as<uint16_t>());
    stun::add_unknown_attributes(m, types);
  }
  if (in["priority"].isNumber()) stun::add_priority(m, in["priority"].as<uint32_t>());
  if (in["useCandidate"].isTrue()) stun::add_use_candidate(m);
  for (const char* key : {"iceControlling", "iceControlled"}) {
    if (in[key].isUndefined()) continue;
    uint64_t tie = 0;
    if (!in[key].isString() || !parse_u64(in[key].as<std::string>(), tie))
      return error_value("BadArgument", std::string(key) + " must be a decimal 64-bit number");
    if (std::string(key) == "iceControlling") stun::add_ice_controlling(m, tie);
    else stun::add_ice_controlled(m, tie);
  }
  if (in["attributes"].isArray()) {
    const int n = in["attributes"]["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      val a = in["attributes"][i];
      if (!a["type"].isNumber() || !is_bytes(a["value"]))
        return error_value("BadArgument", "attributes need a numeric type and a Uint8Array value");
      m.add(a["type"].as<uint16_t>(), bytes_from_js(a["value"]));
    }
  }

  stun::SerializeOptions options;
  if (is_bytes(in["integrityKey"])) options.message_integrity_key = bytes_from_js(in["integrityKey"]);
  if (is_bytes(in["integritySha256Key"]))
    options.message_integrity_sha256_key = bytes_from_js(in["integritySha256Key"]);
  options.fingerprint = in["fingerprint"].isTrue();
  auto out = stun::serialize(m, options);
  if (!out) return error_of(out.error());
  return bytes_to_js(*out);
}

bool stun_verify_integrity(val data, val key) {
  return stun::check_message_integrity(bytes_from_js(data), bytes_from_js(key)).ok();
}

bool stun_verify_integrity_sha256(val data, val key) {
  return stun::check_message_integrity_sha256(bytes_from_js(data), bytes_from_js(key)).ok();
}

val stun_long_term_key(const std::string& username, const std::string& realm,
                       const std::string& password) {
  return bytes_to_js(stun::long_term_key(username, realm, password));
}

bool stun_looks_like_stun(val data) { return stun::looks_like_stun(bytes_from_js(data)); }

}  // namespace
}  // namespace wasmrtc::bindings

EMSCRIPTEN_BINDINGS(wasmrtc_stun) {
  using namespace wasmrtc::bindings;
  emscripten::function("stunParse", &stun_parse);
  emscripten::function("stunBuild", &stun_build);
  emscripten::function("stunVerifyIntegrity", &stun_verify_integrity);
  emscripten::function("stunVerifyIntegritySha256", &stun_verify_integrity_sha256);
  emscripten::function("stunLongTermKey", &stun_long_term_key);
  emscripten::function("stunLooksLikeStun", &stun_looks_like_stun);
}
