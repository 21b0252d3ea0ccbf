// The versions of the third-party libraries linked into this build.
// Read from each library at run time where it has a call for it, so a test
// of this function proves the library is really linked.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wasmrtc::versions {

struct Library {
  std::string name;     // "mbedtls", "libsrtp2", "usrsctp", "opus", "libvpx"
  std::string version;  // upstream version, e.g. "2.28.3"
};

std::vector<Library> libraries();

}  // namespace wasmrtc::versions
