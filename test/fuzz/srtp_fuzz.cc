// libFuzzer target for what arrives on a media transport (src/srtp):
// unprotecting arbitrary bytes as SRTP and SRTCP. Nothing may
// crash or read out of bounds; whatever is accepted must have come through
// authentication, so a random input is accepted only if it is a valid
// protection of something (which fuzzing essentially never finds), and then
// the plaintext is shorter than what came in (the tag is gone).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "require.h"
#include "srtp/session.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::srtp;

using fuzz::require;

Session make(Profile p) {
  Keys k{base::Bytes(key_length(p), 0x11), base::Bytes(salt_length(p), 0x22)};
  return std::move(*Session::create(p, k, k));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const base::ByteView input(data, size);
  // The first byte picks the profile, so every cipher sees inputs.
  static const Profile kProfiles[] = {Profile::Aes128CmHmacSha1_80, Profile::Aes128CmHmacSha1_32,
                                      Profile::AeadAes128Gcm, Profile::AeadAes256Gcm};
  if (size == 0) return 0;
  // One session per profile for the whole run: only an authenticated packet
  // changes its replay state, and random inputs do not authenticate.
  static Session sessions[] = {make(kProfiles[0]), make(kProfiles[1]), make(kProfiles[2]), make(kProfiles[3])};
  Session& s = sessions[data[0] % 4];
  if (auto r = s.unprotect_rtp(input)) require(r->size() < size);
  if (auto r = s.unprotect_rtcp(input)) require(r->size() < size);
  return 0;
}
