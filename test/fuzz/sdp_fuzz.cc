// libFuzzer target for src/sdp: parses arbitrary text as SDP, reads it
// through every typed accessor, and runs it through JSEP as a remote offer.
// Properties that must hold abort() when violated:
//   - a parse error names a line that exists (1 .. lines + 1);
//   - parse() accepting text means serialize() gives text that parses to
//     the same description, and serializing that again is identical;
//   - a remote offer that JSEP accepts can always be answered, the answer
//     applied, and the answer parses;
//   - addIceCandidate on the result never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "require.h"
#include "base/random.h"
#include "sdp/bundle.h"
#include "sdp/jsep_session.h"
#include "sdp/parse.h"
#include "sdp/serialize.h"
#include "sdp/validate.h"

namespace {

using namespace wasmrtc;
using namespace wasmrtc::sdp;

using fuzz::require;

void read_everything(const SessionDescription& s) {
  (void)s.groups();
  (void)s.ice_lite();
  (void)s.extmap_allow_mixed();
  (void)s.msid_semantic();
  (void)s.find_data_channel();
  (void)primary_section(s);
  for (size_t i = 0; i < s.media.size(); ++i) {
    const auto& m = s.media[i];
    if (auto mid = m.mid()) require(s.find_mid(*mid).has_value());
    (void)m.ice_options();
    for (const auto& f : m.fingerprints()) require(Fingerprint::parse(f.to_string()) == f);
    (void)m.setup();
    for (const auto& c : m.candidates()) require(c.rfind("candidate:", 0) == 0);
    (void)m.end_of_candidates();
    (void)m.direction();
    (void)m.is_rejected();
    (void)m.sctp_port();
    (void)m.max_message_size();
    (void)m.sctpmap();
    (void)s.ice_credentials(i);
    (void)s.ice_options(i);
    (void)s.fingerprints(i);
    (void)s.setup(i);
    (void)s.direction(i);
    require(transport_section(s, i) < s.media.size());
    for (size_t j : bundled_sections(s, i)) require(j < s.media.size());
    (void)transport_credentials(s, i);
  }
}

void run_jsep(std::string_view text, uint64_t seed) {
  base::SeededRandom random(seed);
  JsepConfig config;
  config.fingerprints = {Fingerprint{"sha-256", "AB:CD"}};
  JsepSession session(config, random);
  auto offered = session.set_remote_description(SdpType::Offer, text);
  if (!offered) {
    require(session.signaling_state() == SignalingState::Stable);
    require(!session.remote_description().has_value());
    return;
  }
  auto answer = session.create_answer();
  require(answer.ok());
  require(parse(*answer).ok());
  require(session.set_local_description().ok());
  require(session.signaling_state() == SignalingState::Stable);
  const Negotiated n = session.negotiated();
  require(n.answered);
  CandidateTarget target;
  target.m_line_index = seed % 4;
  (void)session.add_remote_candidate("candidate:1 1 udp 1 192.0.2.1 9 typ host", target);
  (void)session.add_remote_candidate("", CandidateTarget{});
  (void)session.add_local_candidate("candidate:1 1 udp 1 192.0.2.2 9 typ host");
  (void)session.end_of_local_candidates();
  (void)session.create_offer();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse(text);
  if (!parsed) {
    size_t lines = 1;
    for (char c : text) lines += c == '\n';
    require(parsed.error().line >= 1 && parsed.error().line <= lines + 1);
    return 0;
  }
  const std::string once = serialize(*parsed);
  auto again = parse(once);
  require(again.ok());
  require(*again == *parsed);
  require(serialize(*again) == once);

  read_everything(*parsed);
  SessionDescription filled = *parsed;
  fill_missing_mids(filled);
  for (const auto& m : filled.media) require(m.mid().has_value());
  (void)validate_remote(filled, SdpType::Offer);

  run_jsep(text, size);
  return 0;
}
