// Test helpers for src/sdp: fixture loading, line-ending conversion,
// GoogleTest printers, and pairs of JsepSessions that negotiate.
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "base/random.h"
#include "sdp/jsep_session.h"
#include "sdp/parse_error.h"

namespace wasmrtc::sdp {

inline void PrintTo(ParseErrorCode c, std::ostream* os) { *os << to_string(c); }
inline void PrintTo(JsepErrorCode c, std::ostream* os) { *os << to_string(c); }
inline void PrintTo(SignalingState s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(SdpType t, std::ostream* os) { *os << to_string(t); }

}  // namespace wasmrtc::sdp

namespace wasmrtc::sdp::test {

inline std::string load_sdp(const std::string& name) {
  std::ifstream in(std::string(WASMRTC_TEST_DATA_DIR) + "/sdp/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string to_lf(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += s[i];
  }
  return out;
}

inline std::string to_crlf(const std::string& s) {
  std::string out;
  for (char c : to_lf(s)) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

inline Fingerprint test_fingerprint(char fill) {
  std::string v;
  for (int i = 0; i < 32; ++i) {
    if (i) v += ':';
    v += fill;
    v += fill;
  }
  return Fingerprint{"sha-256", v};
}

// A JsepSession with its own deterministic randomness.
struct Peer {
  explicit Peer(uint64_t seed, char fingerprint_fill = 'A') : random(seed) {
    JsepConfig config;
    config.fingerprints = {test_fingerprint(fingerprint_fill)};
    session = std::make_unique<JsepSession>(config, random);
  }
  JsepSession* operator->() { return session.get(); }
  JsepSession& operator*() { return *session; }

  std::string local_sdp() const { return session->local_description()->to_string(); }

  base::SeededRandom random;
  std::unique_ptr<JsepSession> session;
};

// Expects success; on failure prints the error.
#define ASSERT_JSEP_OK(expr)                                                \
  do {                                                                      \
    auto _r = (expr);                                                       \
    ASSERT_TRUE(_r.ok()) << #expr << ": " << _r.error().to_string();        \
  } while (0)

#define EXPECT_JSEP_ERROR(expr, expected_code)                                      \
  do {                                                                              \
    auto _r = (expr);                                                               \
    ASSERT_FALSE(_r.ok()) << #expr << " succeeded";                                 \
    EXPECT_EQ(_r.error().code, (expected_code)) << _r.error().to_string();          \
  } while (0)

// offerer: implicit SLD(offer); answerer: SRD(offer), implicit SLD(answer);
// offerer: SRD(answer).
inline void negotiate(Peer& offerer, Peer& answerer) {
  ASSERT_JSEP_OK(offerer->set_local_description());
  ASSERT_EQ(offerer->signaling_state(), SignalingState::HaveLocalOffer);
  ASSERT_JSEP_OK(answerer->set_remote_description(SdpType::Offer, offerer.local_sdp()));
  ASSERT_JSEP_OK(answerer->set_local_description());
  ASSERT_EQ(answerer->local_description()->type, SdpType::Answer);
  ASSERT_JSEP_OK(offerer->set_remote_description(SdpType::Answer, answerer.local_sdp()));
  ASSERT_EQ(offerer->signaling_state(), SignalingState::Stable);
  ASSERT_EQ(answerer->signaling_state(), SignalingState::Stable);
}

}  // namespace wasmrtc::sdp::test
