#include "versions/versions.h"

#include <mbedtls/version.h>
#include <opus/opus.h>
#include <srtp2/srtp.h>
#include <usrsctp.h>
#include <vpx/vpx_codec.h>

#include <cstring>

namespace wasmrtc::versions {
namespace {

// libsrtp answers "libsrtp2 2.5.0", opus "libopus 1.3.1", libvpx "v1.12.0":
// keep the number only so every entry reads the same way.
std::string number_only(const char* s) {
  const char* p = s;
  while (*p && !(*p >= '0' && *p <= '9')) ++p;
  const char* e = p;
  while (*e && ((*e >= '0' && *e <= '9') || *e == '.')) ++e;
  return std::string(p, e);
}

}  // namespace

std::vector<Library> libraries() {
  char mbed[32] = {0};
  mbedtls_version_get_string(mbed);
  // usrsctp exposes no version call; referencing its entry point keeps the
  // archive linked, and the build records the version it linked against.
  void (*const usrsctp_entry)(uint16_t, int (*)(void*, void*, size_t, uint8_t, uint8_t),
                              void (*)(const char*, ...)) = &usrsctp_init_nothreads;
  std::string sctp = usrsctp_entry ? WASMRTC_USRSCTP_VERSION : "";
  return {
      {"mbedtls", number_only(mbed)},
      {"libsrtp2", number_only(srtp_get_version_string())},
      {"usrsctp", sctp},
      {"opus", number_only(opus_get_version_string())},
      {"libvpx", number_only(vpx_codec_version_str())},
  };
}

}  // namespace wasmrtc::versions
