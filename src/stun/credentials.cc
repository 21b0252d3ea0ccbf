#include "stun/credentials.h"

#include <string>

namespace wasmrtc::stun {
namespace {

std::string join(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size() + 1);
  s.append(a).append(":").append(b);
  return s;
}

}  // namespace

base::Bytes short_term_key(std::string_view password) { return base::to_bytes(password); }

base::Bytes long_term_key(std::string_view username, std::string_view realm,
                          std::string_view password) {
  auto d = crypto::md5(base::as_bytes(join(join(username, realm), password)));
  return base::Bytes(d.begin(), d.end());
}

base::Bytes long_term_key_sha256(std::string_view username, std::string_view realm,
                                 std::string_view password) {
  auto d = crypto::sha256(base::as_bytes(join(join(username, realm), password)));
  return base::Bytes(d.begin(), d.end());
}

crypto::Sha256Digest userhash(std::string_view username, std::string_view realm) {
  return crypto::sha256(base::as_bytes(join(username, realm)));
}

}  // namespace wasmrtc::stun
