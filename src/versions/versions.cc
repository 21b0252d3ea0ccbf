#include "versions/versions.h"

#include <mbedtls/version.h>
#include <opus/opus.h>
#include <srtp2/srtp.h>
#include <usrsctp.h>
#include <vpx/vpx_codec.h>
#include <wels/codec_api.h>

#include <string>

namespace wasmrtc::versions {
namespace {

// libsrtp answers "libsrtp2 2.5.0", opus "libopus 1.3.1", libvpx "v1.12.0":
// keep the version number (the last word, without a leading "v") so every
// entry reads the same way.
std::string number_only(const char* s) {
  std::string text(s);
  const size_t space = text.find_last_of(' ');
  std::string word = space == std::string::npos ? text : text.substr(space + 1);
  if (!word.empty() && word[0] == 'v') word.erase(0, 1);
  return word;
}

}  // namespace

std::vector<Library> libraries() {
  char mbed[32] = {0};
  mbedtls_version_get_string(mbed);
  // usrsctp exposes no version call. Reading its entry point through a
  // volatile keeps the archive linked (so this list never claims a library
  // the module lacks); the version is the one the build linked against.
  static void (*volatile const usrsctp_entry)(uint16_t, int (*)(void*, void*, size_t, uint8_t, uint8_t),
                                              void (*)(const char*, ...)) = &usrsctp_init_nothreads;
  const std::string sctp = usrsctp_entry != nullptr ? WASMRTC_USRSCTP_VERSION : "";
  const OpenH264Version h264 = WelsGetCodecVersion();
  return {
      {"mbedtls", number_only(mbed)},
      {"libsrtp2", number_only(srtp_get_version_string())},
      {"usrsctp", sctp},
      {"opus", number_only(opus_get_version_string())},
      {"libvpx", number_only(vpx_codec_version_str())},
      {"openh264", std::to_string(h264.uMajor) + "." + std::to_string(h264.uMinor) + "." + std::to_string(h264.uRevision)},
  };
}

}  // namespace wasmrtc::versions
