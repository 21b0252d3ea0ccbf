// Candidates in descriptions: webrtc-pc addIceCandidate (rules and error
// names) and gathered local candidates showing in localDescription and in
// later offers (RFC 8829 section 5.2.2), end-of-candidates (RFC 8840
// section 8.2).
#include <gtest/gtest.h>

#include "sdp/parse.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::load_sdp;
using test::negotiate;
using test::Peer;

CandidateTarget by_mid(std::string mid, std::optional<std::string> ufrag = std::nullopt) {
  CandidateTarget t;
  t.mid = std::move(mid);
  t.ufrag = std::move(ufrag);
  return t;
}

CandidateTarget by_index(size_t index) {
  CandidateTarget t;
  t.m_line_index = index;
  return t;
}

constexpr const char* kHost = "candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host generation 0";
constexpr const char* kSrflx = "candidate:2 1 udp 1686052607 198.51.100.9 50001 typ srflx raddr 192.0.2.10 rport 50000";

TEST(RemoteCandidates, BeforeRemoteDescriptionIsInvalidState) {
  Peer a(1);
  auto r = a->add_remote_candidate(kHost, by_mid("0"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, JsepErrorCode::NoRemoteDescription);
  EXPECT_EQ(r.error().dom_exception_name(), "InvalidStateError");
  // Our own offer is not a remote description.
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_JSEP_ERROR(a->add_remote_candidate(kHost, by_mid("0")), JsepErrorCode::NoRemoteDescription);
}

TEST(RemoteCandidates, ErrorsAndNames) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-data-offer.sdp")));
  auto check = [&](std::string_view candidate, const CandidateTarget& target, JsepErrorCode code,
                   std::string_view name) {
    auto r = a->add_remote_candidate(candidate, target);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code) << r.error().to_string();
    EXPECT_EQ(r.error().dom_exception_name(), name);
  };
  check(kHost, by_mid("7"), JsepErrorCode::UnknownMid, "OperationError");
  check(kHost, by_index(1), JsepErrorCode::BadMLineIndex, "OperationError");
  check(kHost, {}, JsepErrorCode::MissingMidAndIndex, "TypeError");
  check(kHost, by_mid("0", "nope"), JsepErrorCode::UfragMismatch, "OperationError");
  check("foo", by_mid("0"), JsepErrorCode::BadCandidate, "OperationError");
  check("candidate:", by_mid("0"), JsepErrorCode::BadCandidate, "OperationError");
  EXPECT_TRUE(a->remote_description()->sdp.media[0].candidates().empty());
}

// A candidate whose ufrag is an earlier remote description's (the peer has
// restarted ICE since) is ignored, not refused, as in Chromium (WPT
// RTCDataChannel-iceRestart.html); a ufrag never seen is still refused.
TEST(RemoteCandidates, EarlierGenerationUfragIsIgnored) {
  Peer a(1);
  const std::string offer = load_sdp("chromium156-data-offer.sdp");
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
  const std::string old_ufrag(*a->remote_description()->sdp.media[0].ice_ufrag());
  ASSERT_JSEP_OK(a->set_local_description());
  std::string restarted = offer;
  const size_t at = restarted.find("a=ice-ufrag:" + old_ufrag);
  ASSERT_NE(at, std::string::npos);
  restarted.replace(at, 12 + old_ufrag.size(), "a=ice-ufrag:newufrag");
  const size_t pwd = restarted.find("a=ice-pwd:");
  ASSERT_NE(pwd, std::string::npos);
  restarted.replace(pwd, restarted.find_first_of("\r\n", pwd) - pwd, "a=ice-pwd:newpasswordnewpasswordnewpa");
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, restarted));
  auto r = a->add_remote_candidate(kHost, by_mid("0", old_ufrag));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->stale);
  EXPECT_FALSE(r->candidate.has_value());
  EXPECT_TRUE(a->remote_description()->sdp.media[0].candidates().empty());
  EXPECT_JSEP_ERROR(a->add_remote_candidate(kHost, by_mid("0", "neverseen")), JsepErrorCode::UfragMismatch);
  auto current = a->add_remote_candidate(kHost, by_mid("0", "newufrag"));
  ASSERT_TRUE(current.ok()) << current.error().to_string();
  EXPECT_FALSE(current->stale);
}

TEST(RemoteCandidates, AddedToRemoteDescriptionAndNegotiated) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-data-offer.sdp")));
  const std::string ufrag(*a->remote_description()->sdp.media[0].ice_ufrag());
  auto r = a->add_remote_candidate(std::string("a=") + kHost + "\r\n", by_mid("0", ufrag));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->mid, "0");
  EXPECT_EQ(r->m_line_index, 0u);
  EXPECT_EQ(r->candidate, kHost);
  EXPECT_EQ(r->ufrag, ufrag);
  EXPECT_TRUE(r->for_data_transport);
  ASSERT_JSEP_OK(a->add_remote_candidate(kHost, by_index(0)));  // duplicate: kept once
  ASSERT_JSEP_OK(a->add_remote_candidate(kSrflx, by_index(0)));
  EXPECT_EQ(a->remote_description()->sdp.media[0].candidates(), (std::vector<std::string>{kHost, kSrflx}));
  EXPECT_NE(a->remote_description()->to_string().find(std::string("a=") + kSrflx + "\r\n"), std::string::npos);

  ASSERT_JSEP_OK(a->set_local_description());
  auto n = a->negotiated();
  EXPECT_EQ(n.remote_candidates, (std::vector<std::string>{kHost, kSrflx}));
  EXPECT_FALSE(n.remote_end_of_candidates);
  // After the answer: candidates go to the current remote description.
  auto end = a->add_remote_candidate("", by_mid("0"));
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->candidate.has_value());
  EXPECT_TRUE(a->negotiated().remote_end_of_candidates);
  // A candidate after end-of-candidates still goes before it.
  ASSERT_JSEP_OK(a->add_remote_candidate("candidate:3 1 udp 1 203.0.113.1 9 typ relay raddr 0.0.0.0 rport 0",
                                         by_mid("0")));
  const auto& attrs = a->current_remote_description()->sdp.media[0].attributes.list();
  EXPECT_EQ(attrs.back().name, "end-of-candidates");
}

TEST(RemoteCandidates, EndOfCandidatesForAllSections) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-av-data-offer.sdp")));
  auto r = a->add_remote_candidate("", {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->mid.has_value());
  EXPECT_TRUE(r->for_data_transport);
  for (const auto& m : a->remote_description()->sdp.media) EXPECT_TRUE(m.end_of_candidates());
}

TEST(RemoteCandidates, BundleTagCandidatesReachTheDataTransport) {
  // Chromium trickles BUNDLE candidates with sdpMid "0" (the audio section,
  // which we reject): they are still for the data transport.
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-av-data-offer.sdp")));
  auto r = a->add_remote_candidate(kHost, by_mid("0"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->for_data_transport);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_EQ(a->negotiated().remote_candidates, (std::vector<std::string>{kHost}));
}

TEST(RemoteCandidates, UnbundledOtherSectionIsNotForDataTransport) {
  Peer a(1);
  std::string offer = load_sdp("chromium156-av-data-offer.sdp");
  offer.replace(offer.find("a=group:BUNDLE 0 1 2"), 20, "a=group:BUNDLE 2");
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
  auto r = a->add_remote_candidate(kHost, by_mid("0"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->for_data_transport);
}

TEST(LocalCandidates, NeedALocalDescription) {
  Peer a(1);
  auto r = a->add_local_candidate(kHost);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().dom_exception_name(), "InvalidStateError");
  EXPECT_JSEP_ERROR(a->end_of_local_candidates(), JsepErrorCode::NoLocalDescription);
}

TEST(LocalCandidates, ShowInLocalDescriptionAndCarryOver) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_JSEP_ERROR(a->add_local_candidate("nonsense"), JsepErrorCode::BadCandidate);
  EXPECT_JSEP_ERROR(a->add_local_candidate(kHost, "9"), JsepErrorCode::UnknownMid);
  auto c = a->add_local_candidate(kHost);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->mid, "0");
  EXPECT_EQ(c->m_line_index, 0u);
  EXPECT_EQ(c->candidate, kHost);
  EXPECT_EQ(c->ufrag, a->local_ice_credentials().ufrag);
  ASSERT_JSEP_OK(a->add_local_candidate(std::string("a=") + kSrflx, "0"));
  ASSERT_JSEP_OK(a->end_of_local_candidates());
  const std::string sdp = a.local_sdp();
  EXPECT_NE(sdp.find(std::string("a=") + kHost + "\r\na=" + kSrflx + "\r\na=end-of-candidates\r\n"),
            std::string::npos);

  // The answerer sees them as remote candidates.
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, sdp));
  ASSERT_JSEP_OK(b->set_local_description());
  EXPECT_EQ(b->negotiated().remote_candidates, (std::vector<std::string>{kHost, kSrflx}));
  EXPECT_TRUE(b->negotiated().remote_end_of_candidates);

  // After the answer the current description keeps them, and a new offer
  // with the same credentials repeats them (RFC 8829 section 5.2.2).
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, b.local_sdp()));
  EXPECT_EQ(a->current_local_description()->sdp.media[0].candidates().size(), 2u);
  auto reoffer = parse(a->create_offer().value()).value();
  EXPECT_EQ(reoffer.media[0].candidates().size(), 2u);
  EXPECT_TRUE(reoffer.media[0].end_of_candidates());
  // An ICE restart offer starts with none.
  auto restart = parse(a->create_offer({.ice_restart = true}).value()).value();
  EXPECT_TRUE(restart.media[0].candidates().empty());
  EXPECT_FALSE(restart.media[0].end_of_candidates());
}

TEST(LocalCandidates, AnswererCandidatesGoToTheAnswer) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-av-data-offer.sdp")));
  ASSERT_JSEP_OK(a->set_local_description());
  auto c = a->add_local_candidate(kHost);
  ASSERT_TRUE(c.ok());
  // The BUNDLE tag (mid 0) carries it, and every bundled section shows it.
  EXPECT_EQ(c->mid, "0");
  EXPECT_EQ(c->m_line_index, 0u);
  const auto& m = a->local_description()->sdp.media;
  EXPECT_EQ(m[0].candidates(), (std::vector<std::string>{kHost}));
  EXPECT_EQ(m[2].candidates(), (std::vector<std::string>{kHost}));
}

// Issue 14: what a remote peer can make one session hold is bounded
// (jsep_session.h): a description's size and m= sections, and remote
// candidates per m= section, each refused with OperationError.
TEST(RemoteLimits, DescriptionSizeSectionsAndCandidates) {
  const std::string offer = load_sdp("chromium156-data-offer.sdp");
  {
    Peer a(1);
    std::string big = offer;
    while (big.size() <= kMaxDescriptionBytes) big += "a=x-padding:" + std::string(1000, 'p') + "\r\n";
    auto r = a->set_remote_description(SdpType::Offer, big);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, JsepErrorCode::DescriptionTooLarge);
    EXPECT_EQ(r.error().dom_exception_name(), "OperationError");
    EXPECT_EQ(a->signaling_state(), SignalingState::Stable);
  }
  {
    Peer a(1);
    const size_t m = offer.find("m=");
    std::string section = offer.substr(m);
    std::string many = offer.substr(0, m);
    for (size_t i = 0; i <= kMaxMediaSections; ++i) {
      std::string s = section;
      const size_t mid = s.find("a=mid:");
      size_t eol = s.find('\n', mid);
      if (s[eol - 1] == '\r') --eol;
      s.replace(mid, eol - mid, "a=mid:m" + std::to_string(i));
      many += s;
    }
    ASSERT_LE(many.size(), kMaxDescriptionBytes);
    auto r = a->set_remote_description(SdpType::Offer, many);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, JsepErrorCode::DescriptionTooLarge) << r.error().to_string();
  }
  {
    Peer a(1);
    ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
    for (size_t i = 0; i < kMaxRemoteCandidates; ++i) {
      const std::string c = "candidate:" + std::to_string(i) + " 1 udp 2122260223 192.0.2." +
                            std::to_string(i % 250 + 1) + " " + std::to_string(10000 + i) + " typ host";
      ASSERT_JSEP_OK(a->add_remote_candidate(c, by_mid("0")));
    }
    auto r = a->add_remote_candidate(kHost, by_mid("0"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, JsepErrorCode::TooManyCandidates);
    EXPECT_EQ(r.error().dom_exception_name(), "OperationError");
    // The end of candidates is still taken.
    ASSERT_JSEP_OK(a->add_remote_candidate("", by_mid("0")));
  }
}

}  // namespace
}  // namespace wasmrtc::sdp
