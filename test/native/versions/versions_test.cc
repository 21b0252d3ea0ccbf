// The native build links Debian's -dev packages of the six libraries, at
// the versions the WASM build compiles from Debian's sources.
#include "versions/versions.h"

#include <gtest/gtest.h>

#include <map>

namespace wasmrtc::versions {
namespace {

TEST(Versions, ReportsTheSixLibrariesReadFromThemselves) {
  std::map<std::string, std::string> got;
  for (const auto& lib : libraries()) got[lib.name] = lib.version;
  const std::map<std::string, std::string> want = {
      {"mbedtls", "2.28.3"}, {"libsrtp2", "2.5.0"}, {"usrsctp", "0.9.5.0"},
      {"opus", "1.3.1"},     {"libvpx", "1.12.0"}, {"openh264", "2.3.1"},
  };
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace wasmrtc::versions
