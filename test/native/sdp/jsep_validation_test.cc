// Descriptions JSEP refuses, with the W3C error each gives: munged local
// descriptions (RFC 8829 section 5.4), invalid remote ones (section 5.8),
// answers that do not fit the offer (section 5.10), SDP syntax errors.
#include <gtest/gtest.h>

#include "sdp/parse.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::load_sdp;
using test::Peer;
using S = SignalingState;

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string drop_lines(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(pos, end - pos);
    if (line.rfind(prefix, 0) != 0) out += line;
    pos = end;
  }
  return out;
}

// -- Local descriptions. --

TEST(Munging, HarmlessChangesAccepted) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  std::string offer = replace(a->create_offer().value(), "max-message-size:262144", "max-message-size:65536");
  offer = test::to_lf(offer) + "\n";
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, offer));
  EXPECT_EQ(a->local_description()->sdp.media[0].max_message_size(), 65536u);
}

TEST(Munging, SetupChangeAccepted) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  ASSERT_JSEP_OK(
      b->set_local_description(SdpType::Answer, replace(b->create_answer().value(), "setup:active", "setup:passive")));
  EXPECT_EQ(b->negotiated().dtls_role, DtlsRole::Server);
}

TEST(Munging, ForbiddenChangesAreInvalidModification) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  const std::string offer = a->create_offer().value();
  const auto parsed = parse(offer).value();
  const std::string ufrag(*parsed.media[0].ice_ufrag());
  const std::string pwd(*parsed.media[0].ice_pwd());
  const std::string changed[] = {
      replace(offer, "a=ice-ufrag:" + ufrag, "a=ice-ufrag:zzzz"),
      replace(offer, "a=ice-pwd:" + pwd, "a=ice-pwd:zzzzzzzzzzzzzzzzzzzzzzzz"),
      replace(offer, "sha-256 AA:AA", "sha-256 AB:AA"),
      replace(offer, "a=mid:0", "a=mid:data"),
      replace(offer, "m=application 9", "m=application 0"),
      offer + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\n",
  };
  for (const auto& text : changed) {
    auto r = a->set_local_description(SdpType::Offer, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, JsepErrorCode::DescriptionModified);
    EXPECT_EQ(r.error().dom_exception_name(), "InvalidModificationError");
  }
  EXPECT_EQ(a->signaling_state(), S::Stable);
}

TEST(Munging, TextNotFromCreateOffer) {
  Peer a(1);
  EXPECT_JSEP_ERROR(a->set_local_description(SdpType::Offer, load_sdp("chromium156-data-offer.sdp")),
                    JsepErrorCode::DescriptionModified);
  EXPECT_JSEP_ERROR(a->set_local_description(SdpType::Offer, "v=0"), JsepErrorCode::DescriptionModified);
}

TEST(Munging, LastCreatedStaysValidAcrossStateChanges) {
  // webrtc-pc compares with [[LastCreatedOffer]], which applying a
  // description does not clear.
  Peer a(1);
  a->set_data_channels_wanted(true);
  const std::string offer = a->create_offer().value();
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, offer));
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Rollback));
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, offer));
  // pranswer, then the same text as the final answer.
  Peer b(2, 'B');
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, offer));
  const std::string answer = b->create_answer().value();
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Pranswer, answer));
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Answer, answer));
  EXPECT_EQ(b->signaling_state(), S::Stable);
}

TEST(Munging, StaleDescriptionThatNoLongerFits) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-av-data-offer.sdp")));
  const std::string answer = a->create_answer().value();  // three m= sections
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("chromium156-data-offer.sdp")));
  EXPECT_JSEP_ERROR(a->set_local_description(SdpType::Answer, answer), JsepErrorCode::DescriptionModified);
  EXPECT_EQ(a->signaling_state(), S::HaveRemoteOffer);
}

TEST(Munging, SyntaxErrorInLocalText) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  std::string offer = replace(a->create_offer().value(), "a=setup:actpass", "a=setup:sideways");
  auto r = a->set_local_description(SdpType::Offer, offer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, JsepErrorCode::SdpSyntaxError);
  EXPECT_EQ(r.error().dom_exception_name(), "OperationError");
}

// -- Remote descriptions. --

TEST(RemoteSyntax, RtcErrorWithLineNumber) {
  Peer a(1);
  std::string offer = replace(load_sdp("chromium156-data-offer.sdp"), "m=application 9", "m=application nine");
  auto r = a->set_remote_description(SdpType::Offer, offer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, JsepErrorCode::SdpSyntaxError);
  EXPECT_EQ(r.error().dom_exception_name(), "OperationError");
  EXPECT_EQ(r.error().error_detail(), "sdp-syntax-error");
  EXPECT_EQ(r.error().sdp_line_number, 8u);
  EXPECT_NE(r.error().message.find("BadPort"), std::string::npos);
  EXPECT_EQ(a->signaling_state(), S::Stable);

  auto garbage = a->set_remote_description(SdpType::Offer, "Invalid SDP");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().sdp_line_number, 1u);
  EXPECT_EQ(a->set_remote_description(SdpType::Offer, "").error().code, JsepErrorCode::SdpSyntaxError);
}

TEST(RemoteInvalid, InvalidAccessErrors) {
  const std::string offer = load_sdp("chromium156-data-offer.sdp");
  const std::string av = load_sdp("chromium156-av-data-offer.sdp");
  struct Case {
    std::string text;
    JsepErrorCode code;
  } cases[] = {
      {drop_lines(offer, "a=fingerprint"), JsepErrorCode::MissingFingerprint},
      {drop_lines(offer, "a=ice-ufrag"), JsepErrorCode::MissingIceCredentials},
      {drop_lines(offer, "a=ice-pwd"), JsepErrorCode::MissingIceCredentials},
      {replace(offer, "a=ice-pwd:", "a=ice-pwd:-"), JsepErrorCode::BadIceCredentials},  // RFC 8839 ice-char
      {replace(av, "a=mid:1", "a=mid:0"), JsepErrorCode::DuplicateMid},
      {replace(offer, "a=group:BUNDLE 0", "a=group:BUNDLE 0 7"), JsepErrorCode::BadBundleGroup},
  };
  for (const auto& c : cases) {
    Peer a(1);
    auto r = a->set_remote_description(SdpType::Offer, c.text);
    ASSERT_FALSE(r.ok()) << to_string(c.code);
    EXPECT_EQ(r.error().code, c.code) << r.error().to_string();
    EXPECT_EQ(r.error().dom_exception_name(), "InvalidAccessError");
    EXPECT_EQ(a->signaling_state(), S::Stable);
    EXPECT_FALSE(a->remote_description().has_value());
  }
}

TEST(RemoteInvalid, RejectedSectionsNeedNoTransport) {
  Peer a(1);
  std::string offer = load_sdp("chromium156-data-offer.sdp") + "m=video 0 UDP/TLS/RTP/SAVPF 96\na=mid:1\n";
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
}

TEST(RemoteInvalid, BundleOnlyTakesTransportFromTag) {
  // RFC 8843 section 6: a bundle-only section (port 0) has no transport
  // attributes of its own.
  Peer a(1);
  std::string offer = replace(load_sdp("chromium156-av-data-offer.sdp"), "m=application 9", "m=application 0");
  const auto app = offer.find("m=application");
  std::string head = offer.substr(0, app);
  std::string data = drop_lines(drop_lines(drop_lines(offer.substr(app), "a=ice-"), "a=fingerprint"), "a=setup");
  data += "a=bundle-only\n";
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, head + data));
  ASSERT_JSEP_OK(a->set_local_description());
  auto n = a->negotiated();
  EXPECT_EQ(n.data_mid, "2");
  EXPECT_EQ(n.remote_ice, *a->current_remote_description()->sdp.ice_credentials(0));
  EXPECT_EQ(n.remote_fingerprints.size(), 1u);
  EXPECT_EQ(n.dtls_role, DtlsRole::Client);
}

TEST(RemoteAnswer, MustMatchTheOffer) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  const std::string answer = b->create_answer().value();
  const std::string wrong[] = {
      replace(replace(answer, "a=mid:0", "a=mid:1"), "BUNDLE 0", "BUNDLE 1"),
      answer + "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\n",
      replace(answer.substr(0, answer.find("m=")), "a=group:BUNDLE 0\r\n", ""),
  };
  for (const auto& text : wrong) {
    auto r = a->set_remote_description(SdpType::Answer, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, JsepErrorCode::MediaSectionsMismatch) << r.error().to_string();
    EXPECT_EQ(r.error().dom_exception_name(), "InvalidAccessError");
  }
  EXPECT_EQ(a->signaling_state(), S::HaveLocalOffer);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, answer));
}

TEST(RemoteAnswer, BundleOnlyWhatWasOffered) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, replace(a->create_offer().value(), "a=group:BUNDLE 0\r\n", "")));
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  std::string answer = b->create_answer().value();
  ASSERT_EQ(answer.find("a=group"), std::string::npos);
  answer = replace(answer, "t=0 0\r\n", "t=0 0\r\na=group:BUNDLE 0\r\n");
  EXPECT_JSEP_ERROR(a->set_remote_description(SdpType::Answer, answer), JsepErrorCode::BadBundleGroup);
}

}  // namespace
}  // namespace wasmrtc::sdp
