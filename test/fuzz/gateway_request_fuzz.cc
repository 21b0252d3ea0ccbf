// libFuzzer target for what wasmrtc-gateway reads from a client before it
// connects anywhere (shim/gateway/uri.h, allow_list.h): the request target's
// ?target= parameter, the HOST:PORT in it, and the Origin and Host headers.
// The input is split at the first two 0x00 bytes into request target, Origin
// and Host. Properties that must hold abort() when violated:
//   - a parsed HOST:PORT prints back to text that parses to the same value,
//     and an IP literal's text is canonical (one spelling per address);
//   - the allow-list accepts a target only if it equals an entry, so a
//     target that parses differently from every entry is refused;
//   - OriginList::allows agrees with a plain case-insensitive comparison
//     against its entries; same_host is symmetric in letter case.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../../shim/gateway/allow_list.h"
#include "../../shim/gateway/uri.h"
#include "require.h"

namespace {

using namespace wasmrtc::gateway;
using wasmrtc::fuzz::require;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t a = all.find('\0');
  const std::string_view request_target = all.substr(0, a);
  const std::string_view rest = a == std::string_view::npos ? std::string_view() : all.substr(a + 1);
  const size_t b = rest.find('\0');
  const std::string_view origin = rest.substr(0, b);
  const std::string_view host = b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);

  AllowList allowed;
  AddressError error{};
  allowed.add(*parse_host_port("127.0.0.1:3478", &error));
  allowed.add(*parse_host_port("[2001:db8::1]:3478", &error));
  allowed.add(*parse_host_port("turn.example.com:443", &error));

  QueryError query_error{};
  if (const auto value = query_parameter(request_target, "target", &query_error)) {
    if (const auto target = parse_host_port(*value, &error)) {
      const std::string text = target->to_string();
      AddressError again_error{};
      const auto again = parse_host_port(text, &again_error);
      require(again.has_value() && *again == *target && again->to_string() == text);
      const HostPort* entry = allowed.find(*target);
      if (entry) require(*entry == *target);
      const bool listed = std::any_of(allowed.entries().begin(), allowed.entries().end(),
                                      [&](const HostPort& e) { return e == *target; });
      require(listed == (entry != nullptr));
    }
  }

  OriginList origins;
  const bool added = origins.add(origin);
  if (added) {
    require(origins.allows(origin));
    require(origins.allows(lower(origin)));
  }
  OriginList fixed;
  fixed.add("https://app.example");
  const bool allows = fixed.allows(origin);
  std::string o = lower(origin);
  if (!o.empty() && o.back() == '/') o.pop_back();
  require(allows == (o == "https://app.example"));
  require(OriginList::same_host(origin, host) == OriginList::same_host(lower(origin), lower(host)));
  return 0;
}
