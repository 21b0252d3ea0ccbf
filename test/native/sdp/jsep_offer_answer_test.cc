// What JsepSession puts in offers and answers (RFC 8829 sections 5.2,
// 5.3), how it reads real peers' descriptions, DTLS roles, renegotiation,
// ICE restart, rollback and glare, munging, and invalid remote SDP.
#include <gtest/gtest.h>

#include "sdp/parse.h"
#include "sdp/serialize.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::load_sdp;
using test::negotiate;
using test::Peer;
using S = SignalingState;

SessionDescription parse_ok(const std::string& text) {
  auto s = parse(text);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  return s.ok() ? *s : SessionDescription{};
}

// Replaces the first occurrence of `from` (must exist).
std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Drops every line starting with `prefix`.
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

TEST(Offer, InitialDataOfferLooksLikeChromium) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  auto text = a->create_offer();
  ASSERT_TRUE(text.ok());
  auto s = parse_ok(*text);
  EXPECT_EQ(s.origin.username, "-");
  EXPECT_EQ(s.origin.session_version, 2u);
  EXPECT_EQ(s.origin.address, "127.0.0.1");
  EXPECT_EQ(s.attributes.list()[0], (Attribute{"group", "BUNDLE 0"}));
  ASSERT_EQ(s.media.size(), 1u);
  const auto& m = s.media[0];
  EXPECT_EQ(serialize(m).rfind("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n", 0), 0u);
  EXPECT_EQ(m.mid(), "0");
  EXPECT_EQ(m.setup(), sdp::Setup::ActPass);
  EXPECT_EQ(m.sctp_port(), 5000);
  EXPECT_EQ(m.max_message_size(), 262144u);
  EXPECT_EQ(m.ice_options(), (std::vector<std::string>{"trickle"}));
  EXPECT_EQ(m.fingerprints(), (std::vector<Fingerprint>{test::test_fingerprint('A')}));
  EXPECT_TRUE(is_valid_ice_ufrag(*m.ice_ufrag()));
  EXPECT_TRUE(is_valid_ice_pwd(*m.ice_pwd()));
  EXPECT_EQ(text->find('\n'), text->find("\r\n") + 1);  // CRLF
}

TEST(Offer, NoDataChannelNoMediaSection) {
  Peer a(1);
  auto s = parse_ok(a->create_offer().value());
  EXPECT_TRUE(s.media.empty());
  EXPECT_FALSE(s.attributes.has("group"));
}

TEST(Offer, VersionIncreasesSessionIdStays) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  auto first = parse_ok(a->create_offer().value());
  auto second = parse_ok(a->create_offer().value());
  EXPECT_EQ(second.origin.session_id, first.origin.session_id);
  EXPECT_EQ(second.origin.session_version, first.origin.session_version + 1);
}

TEST(Offer, ConfiguredCredentialsAndPorts) {
  base::SeededRandom random(3);
  JsepConfig config;
  config.fingerprints = {test::test_fingerprint('E'), Fingerprint{"sha-1", "01:02"}};
  config.ice_credentials = IceCredentials{"uFrg", "0123456789abcdefghijkl"};
  config.sctp_port = 5001;
  config.max_message_size = 1 << 20;
  JsepSession a(config, random);
  a.set_data_channels_wanted(true);
  auto s = parse_ok(a.create_offer().value());
  EXPECT_EQ(s.media[0].ice_ufrag(), "uFrg");
  EXPECT_EQ(s.media[0].fingerprints().size(), 2u);
  EXPECT_EQ(s.media[0].sctp_port(), 5001);
  EXPECT_EQ(s.media[0].max_message_size(), uint64_t{1} << 20);
  EXPECT_EQ(a.local_ice_credentials(), *config.ice_credentials);
}

TEST(Answer, DataOfferBetweenTwoSessions) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  auto na = a->negotiated();
  auto nb = b->negotiated();
  EXPECT_TRUE(na.answered);
  EXPECT_FALSE(na.provisional);
  EXPECT_EQ(na.data_mid, "0");
  EXPECT_EQ(na.data_m_line_index, 0u);
  // The answerer to actpass is active: the DTLS client (RFC 5763 section 5).
  EXPECT_EQ(nb.dtls_role, DtlsRole::Client);
  EXPECT_EQ(na.dtls_role, DtlsRole::Server);
  EXPECT_EQ(na.remote_ice, nb.local_ice);
  EXPECT_EQ(nb.remote_ice, na.local_ice);
  EXPECT_EQ(na.remote_fingerprints, (std::vector<Fingerprint>{test::test_fingerprint('B')}));
  EXPECT_EQ(nb.remote_fingerprints, (std::vector<Fingerprint>{test::test_fingerprint('A')}));
  EXPECT_EQ(na.remote_sctp_port, 5000);
  EXPECT_EQ(na.remote_max_message_size, 262144u);
  EXPECT_EQ(na.remote_ice_options, (std::vector<std::string>{"trickle"}));
  EXPECT_FALSE(na.ice_restart);
  EXPECT_EQ(na.generation, 1u);
  auto answer = b->current_local_description()->sdp;
  EXPECT_EQ(answer.media[0].setup(), sdp::Setup::Active);
  EXPECT_EQ(answer.attributes.value("group"), "BUNDLE 0");
  EXPECT_EQ(answer.origin.session_version, 2u);
}

TEST(Answer, ChromiumAudioVideoDataOfferAcceptsAllThree) {
  Peer a(1);
  const std::string offer = load_sdp("chromium156-av-data-offer.sdp");
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
  // webrtc-pc 4.4.1.5: each offered audio/video section gets a recvonly
  // transceiver; the answer receives what is offered with what we support.
  ASSERT_EQ(a->transceivers().size(), 2u);
  EXPECT_EQ(a->transceivers()[0].mid, "0");
  EXPECT_EQ(a->transceivers()[0].kind, MediaKind::Audio);
  EXPECT_EQ(a->transceivers()[0].direction, Direction::RecvOnly);
  EXPECT_LT(a->transceivers()[0].handle, 0);
  EXPECT_EQ(a->transceivers()[1].kind, MediaKind::Video);
  auto answer = parse_ok(a->create_answer().value());
  ASSERT_EQ(answer.media.size(), 3u);
  for (size_t i : {0, 1}) {
    const auto& m = answer.media[i];
    EXPECT_EQ(m.port, 9) << i;
    EXPECT_EQ(m.mid(), std::to_string(i));
    EXPECT_EQ(m.direction(), Direction::RecvOnly);
    EXPECT_TRUE(m.rtcp_mux());
    EXPECT_TRUE(m.attributes.has("rtcp-rsize"));
    EXPECT_FALSE(m.attributes.has("ssrc"));  // nothing to send
    EXPECT_FALSE(m.is_rejected());
  }
  EXPECT_EQ(answer.media[0].media, "audio");
  // Opus, G.711 and Chromium's telephone-event at 48 and 8 kHz (its
  // red, G722, CN and 32 and 16 kHz telephone-events we do not take).
  EXPECT_EQ(answer.media[0].formats, (std::vector<std::string>{"111", "0", "8", "110", "126"}));
  auto opus = rtp_codecs(answer.media[0]);
  ASSERT_EQ(opus.size(), 5u);
  EXPECT_EQ(opus[1].name, "PCMU");
  EXPECT_EQ(opus[2].name, "PCMA");
  EXPECT_EQ(opus[3].name, "telephone-event");
  EXPECT_EQ(opus[4].clock_rate, 8000u);
  EXPECT_EQ(opus[0].name, "opus");
  EXPECT_EQ(opus[0].channels, 2);
  EXPECT_EQ(opus[0].fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(opus[0].feedback, (std::vector<std::string>{"transport-cc"}));
  // Only the extensions we use, with the offer's ids (RFC 8285 section 6).
  auto ext = extension_maps(answer.media[0]);
  ASSERT_EQ(ext.size(), 3u);
  EXPECT_EQ(ext[0].uri, kExtensionAudioLevel);
  EXPECT_EQ(ext[1].uri, kExtensionTransportWideCc);
  EXPECT_EQ(ext[1].id, 3);  // Chromium's
  EXPECT_EQ(ext[2].uri, kExtensionMid);
  EXPECT_EQ(answer.media[1].media, "video");
  auto video = rtp_codecs(answer.media[1]);
  // VP8, then H.264 Baseline and Constrained Baseline in packetization-mode
  // 1, each with its RTX; no red, ulpfec, H.264 mode 0, Main or High, VP9, AV1.
  ASSERT_EQ(video.size(), 6u);
  EXPECT_EQ(video[0].name, "VP8");
  std::vector<std::string> h264;
  for (size_t i = 2; i < video.size(); i += 2) {
    EXPECT_EQ(video[i].name, "H264");
    EXPECT_EQ(video[i].fmtp_parameter("packetization-mode"), "1");
    h264.push_back(video[i].fmtp_parameter("profile-level-id").value_or(""));
    EXPECT_EQ(video[i + 1].name, "rtx");
    EXPECT_EQ(video[i + 1].fmtp_parameter("apt"), std::to_string(video[i].payload_type));
  }
  EXPECT_EQ(h264, (std::vector<std::string>{"42001f", "42e01f"}));
  // Chromium offers goog-remb, transport-cc, ccm fir, nack, nack pli: all ours.
  EXPECT_EQ(video[0].feedback, (std::vector<std::string>{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}));
  EXPECT_EQ(video[1].name, "rtx");
  EXPECT_EQ(video[1].fmtp_parameter("apt"), std::to_string(video[0].payload_type));
  EXPECT_EQ(answer.media[2].mid(), "2");
  EXPECT_EQ(answer.media[2].port, 9);
  EXPECT_EQ(answer.media[2].setup(), sdp::Setup::Active);
  EXPECT_EQ(answer.attributes.value("group"), "BUNDLE 0 1 2");

  ASSERT_JSEP_OK(a->set_local_description());
  auto n = a->negotiated();
  EXPECT_TRUE(n.answered);
  ASSERT_EQ(n.media.size(), 2u);
  EXPECT_EQ(n.media[0].direction, Direction::RecvOnly);
  EXPECT_EQ(n.media[0].remote_ssrcs.size(), 1u);
  EXPECT_EQ(n.transport_m_line_index, 0u);
  EXPECT_EQ(a->transceivers()[0].current_direction, Direction::RecvOnly);
  EXPECT_EQ(n.data_mid, "2");
  EXPECT_EQ(n.data_m_line_index, 2u);
  EXPECT_EQ(n.dtls_role, DtlsRole::Client);
  auto remote = parse_ok(offer);
  EXPECT_EQ(n.remote_ice, *remote.ice_credentials(2));
  EXPECT_EQ(n.remote_fingerprints, remote.fingerprints(2));
}

TEST(Answer, RealPeersOffers) {
  struct Case {
    const char* file;
    const char* mid;
    uint64_t remote_max;
    size_t candidates;
    bool end;
  } cases[] = {
      {"chromium156-data-offer.sdp", "0", 262144, 0, false},
      {"chromium156-data-offer-candidates.sdp", "0", 262144, 2, false},
      {"wrtc-m105-offer.sdp", "0", 262144, 2, false},
      {"libdatachannel-offer.sdp", "0", 262144, 2, true},
      {"werift-offer.sdp", "0", 65536, 0, false},
      {"legacy-sctpmap-offer.sdp", "data", 65536, 0, false},  // RFC 8841 section 6 default
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    Peer a(1);
    const std::string offer = load_sdp(c.file);
    ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
    ASSERT_JSEP_OK(a->set_local_description());
    auto n = a->negotiated();
    EXPECT_EQ(n.data_mid, c.mid);
    EXPECT_EQ(n.remote_max_message_size, c.remote_max);
    EXPECT_EQ(n.remote_candidates.size(), c.candidates);
    EXPECT_EQ(n.remote_end_of_candidates, c.end);
    EXPECT_EQ(n.remote_sctp_port, 5000);
    EXPECT_EQ(n.dtls_role, DtlsRole::Client);
    EXPECT_EQ(n.remote_fingerprints.size(), 1u);
    auto remote = parse_ok(offer);
    EXPECT_EQ(n.remote_ice, *remote.ice_credentials(0));
  }
}

TEST(Answer, LegacyOfferGetsLegacyAnswer) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("legacy-sctpmap-offer.sdp")));
  auto answer = parse_ok(a->create_answer().value());
  const auto& m = answer.media[0];
  EXPECT_EQ(m.proto, "DTLS/SCTP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"5000"}));
  EXPECT_EQ(m.attributes.value("sctpmap"), "5000 webrtc-datachannel 1024");
  EXPECT_FALSE(m.attributes.has("sctp-port"));
  EXPECT_FALSE(m.attributes.has("max-message-size"));
  EXPECT_EQ(m.mid(), "data");
  EXPECT_EQ(answer.attributes.value("group"), "BUNDLE data");
}

TEST(Answer, LibdatachannelTakesOurAnswer) {
  // Our answer read back as libdatachannel would: transport parameters at
  // media level, the offer's mid, active.
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, load_sdp("libdatachannel-offer.sdp")));
  auto answer = parse_ok(a->create_answer().value());
  EXPECT_EQ(answer.media[0].setup(), sdp::Setup::Active);
  EXPECT_TRUE(answer.media[0].ice_ufrag().has_value());
}

TEST(Answer, SecondDataSectionAndRejectedOfferSectionsAreRejected) {
  Peer a(1);
  std::string offer = load_sdp("chromium156-data-offer.sdp");
  std::string section = offer.substr(offer.find("m=application"));
  offer = replace(offer, "a=group:BUNDLE 0", "a=group:BUNDLE 0 1");
  offer += replace(section, "a=mid:0", "a=mid:1");
  offer += "m=video 0 UDP/TLS/RTP/SAVPF 96\nc=IN IP4 0.0.0.0\na=mid:2\n";
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
  auto answer = parse_ok(a->create_answer().value());
  ASSERT_EQ(answer.media.size(), 3u);
  EXPECT_EQ(answer.media[0].port, 9);
  EXPECT_EQ(answer.media[1].port, 0);
  EXPECT_EQ(answer.media[1].media, "application");
  EXPECT_FALSE(answer.media[1].direction().has_value());  // no a=inactive for application
  EXPECT_EQ(answer.media[2].port, 0);
  EXPECT_EQ(answer.attributes.value("group"), "BUNDLE 0");
}

TEST(Answer, NoBundleInOfferNoBundleInAnswer) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(
      SdpType::Offer, drop_lines(load_sdp("chromium156-data-offer.sdp"), "a=group:")));
  auto answer = parse_ok(a->create_answer().value());
  EXPECT_FALSE(answer.attributes.has("group"));
}

TEST(Answer, MissingMidsAreFilledIn) {
  Peer a(1);
  ASSERT_JSEP_OK(a->set_remote_description(
      SdpType::Offer, drop_lines(drop_lines(load_sdp("chromium156-data-offer.sdp"), "a=group:"), "a=mid:")));
  EXPECT_EQ(a->remote_description()->sdp.media[0].mid(), "0");
  auto answer = parse_ok(a->create_answer().value());
  EXPECT_EQ(answer.media[0].mid(), "0");
}

// -- DTLS roles (RFC 4145 section 4, RFC 5763 section 5, RFC 8842). --

struct SetupCase {
  const char* offer_setup;  // nullptr: no a=setup
  sdp::Setup answer;
  std::optional<DtlsRole> answerer_role;
};

TEST(DtlsSetup, AnswerMirrorsOffer) {
  const SetupCase cases[] = {
      {"actpass", sdp::Setup::Active, DtlsRole::Client},
      {"active", sdp::Setup::Passive, DtlsRole::Server},
      {"passive", sdp::Setup::Active, DtlsRole::Client},
      {"holdconn", sdp::Setup::HoldConn, std::nullopt},
      {nullptr, sdp::Setup::Passive, DtlsRole::Server},  // no a=setup in an offer means active
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.offer_setup ? c.offer_setup : "(none)");
    Peer a(1);
    std::string offer = load_sdp("chromium156-data-offer.sdp");
    offer = c.offer_setup ? replace(offer, "a=setup:actpass", std::string("a=setup:") + c.offer_setup)
                          : drop_lines(offer, "a=setup:");
    ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, offer));
    auto answer = parse_ok(a->create_answer().value());
    EXPECT_EQ(answer.media[0].setup(), c.answer);
    ASSERT_JSEP_OK(a->set_local_description());
    EXPECT_EQ(a->negotiated().dtls_role, c.answerer_role);
  }
}

TEST(DtlsSetup, OffererRoleFromAnswer) {
  struct {
    const char* answer_setup;
    std::optional<DtlsRole> role;
  } cases[] = {{"active", DtlsRole::Server}, {"passive", DtlsRole::Client}, {nullptr, DtlsRole::Client}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.answer_setup ? c.answer_setup : "(none)");
    Peer a(1);
    Peer b(2, 'B');
    a->set_data_channels_wanted(true);
    ASSERT_JSEP_OK(a->set_local_description());
    ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
    std::string answer = b->create_answer().value();
    answer = c.answer_setup ? replace(answer, "a=setup:active", std::string("a=setup:") + c.answer_setup)
                            : drop_lines(answer, "a=setup:");
    ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, answer));
    EXPECT_EQ(a->negotiated().dtls_role, c.role);
  }
}

TEST(DtlsSetup, ActpassInAnswerIsInvalidAccess) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  std::string answer = replace(b->create_answer().value(), "a=setup:active", "a=setup:actpass");
  auto r = a->set_remote_description(SdpType::Answer, answer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, JsepErrorCode::BadSetup);
  EXPECT_EQ(r.error().dom_exception_name(), "InvalidAccessError");
  EXPECT_EQ(a->signaling_state(), S::HaveLocalOffer);
}

TEST(DtlsSetup, RenegotiationKeepsTheRole) {
  // a offers actpass, b (as libwebrtc would) answers passive: a is client.
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  std::string answer = replace(b->create_answer().value(), "a=setup:active", "a=setup:passive");
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Answer, answer));
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, answer));
  ASSERT_EQ(a->negotiated().dtls_role, DtlsRole::Client);
  ASSERT_EQ(b->negotiated().dtls_role, DtlsRole::Server);
  // b re-offers actpass; a answers active (keeps being the client).
  negotiate(b, a);
  EXPECT_EQ(a->current_local_description()->sdp.media[0].setup(), sdp::Setup::Active);
  EXPECT_EQ(a->negotiated().dtls_role, DtlsRole::Client);
  EXPECT_EQ(b->negotiated().dtls_role, DtlsRole::Server);
  // a re-offers: actpass again; b, the server, answers passive.
  negotiate(a, b);
  EXPECT_EQ(a->current_local_description()->sdp.media[0].setup(), sdp::Setup::ActPass);
  EXPECT_EQ(b->current_local_description()->sdp.media[0].setup(), sdp::Setup::Passive);
  EXPECT_EQ(a->negotiated().dtls_role, DtlsRole::Client);
}

// -- Renegotiation (RFC 8829 section 5.2.2). --

TEST(Renegotiation, KeepsMidsOrderAndSession) {
  Peer a(1);
  Peer b(2, 'B');
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, load_sdp("chromium156-av-data-offer.sdp")));
  ASSERT_JSEP_OK(b->set_local_description());
  auto first = b->current_local_description()->sdp;
  // b now offers: same three sections, same mids and directions, the
  // same ICE credentials, o= version + 1.
  auto offer = parse_ok(b->create_offer().value());
  ASSERT_EQ(offer.media.size(), 3u);
  EXPECT_EQ(offer.media[0].media, "audio");
  EXPECT_EQ(offer.media[0].mid(), "0");
  EXPECT_EQ(offer.media[0].direction(), Direction::RecvOnly);
  EXPECT_EQ(offer.media[1].mid(), "1");
  EXPECT_EQ(offer.media[1].media, "video");
  EXPECT_EQ(offer.media[2].mid(), "2");
  EXPECT_EQ(offer.media[2].port, 9);
  EXPECT_EQ(offer.media[2].setup(), sdp::Setup::ActPass);
  EXPECT_EQ(offer.media[2].ice_ufrag(), first.media[2].ice_ufrag());  // no restart
  EXPECT_EQ(offer.attributes.value("group"), "BUNDLE 0 1 2");
  EXPECT_EQ(offer.origin.session_id, first.origin.session_id);
  EXPECT_EQ(offer.origin.session_version, first.origin.session_version + 1);
}

TEST(Renegotiation, BackAndForthKeepsDataMid) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  EXPECT_FALSE(b->negotiation_needed());
  negotiate(b, a);
  negotiate(a, b);
  EXPECT_EQ(a->negotiated().data_mid, "0");
  EXPECT_EQ(b->negotiated().data_mid, "0");
  EXPECT_EQ(a->negotiated().generation, 3u);
  EXPECT_FALSE(a->negotiated().ice_restart);
  EXPECT_EQ(a->current_local_description()->sdp.media.size(), 1u);
  EXPECT_EQ(a->current_local_description()->sdp.origin.session_version, 4u);  // 2, (answer) 3, 4
}

TEST(Renegotiation, DataAddedLater) {
  Peer a(1);
  Peer b(2, 'B');
  negotiate(a, b);  // nothing to negotiate: no m= sections
  EXPECT_FALSE(a->negotiation_needed());
  a->set_data_channels_wanted(true);
  EXPECT_TRUE(a->negotiation_needed());
  negotiate(a, b);
  EXPECT_FALSE(a->negotiation_needed());
  EXPECT_EQ(a->negotiated().data_mid, "0");
}

TEST(Renegotiation, ReofferMustKeepSections) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  // A re-offer with a different mid for the live section.
  std::string offer = replace(replace(a->create_offer().value(), "a=mid:0", "a=mid:x"), "BUNDLE 0", "BUNDLE x");
  EXPECT_JSEP_ERROR(b->set_remote_description(SdpType::Offer, offer), JsepErrorCode::MediaSectionsMismatch);
  // One with no m= section at all.
  std::string empty = a->create_offer().value();
  empty = drop_lines(empty.substr(0, empty.find("m=")), "a=group");
  auto r = b->set_remote_description(SdpType::Offer, empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().dom_exception_name(), "InvalidAccessError");
  EXPECT_EQ(b->signaling_state(), S::Stable);
}

// -- ICE restart (RFC 8829 section 5.2.3.1, RFC 8445 section 9). --

TEST(IceRestart, OfferOptionGivesNewCredentialsBothWays) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  const auto before_a = a->negotiated().local_ice;
  const auto before_b = b->negotiated().local_ice;
  auto offer = parse_ok(a->create_offer({.ice_restart = true}).value());
  EXPECT_NE(std::string(*offer.media[0].ice_ufrag()), before_a.ufrag);
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, serialize(offer)));
  EXPECT_NE(a->local_ice_credentials(), before_a);
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  ASSERT_JSEP_OK(b->set_local_description());
  EXPECT_NE(b->negotiated().local_ice, before_b);  // the answer restarts too
  EXPECT_TRUE(b->negotiated().ice_restart);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, b.local_sdp()));
  EXPECT_TRUE(a->negotiated().ice_restart);
  EXPECT_EQ(a->negotiated().remote_ice, b->negotiated().local_ice);
  // A later exchange without restart is not one.
  negotiate(a, b);
  EXPECT_FALSE(a->negotiated().ice_restart);
}

TEST(IceRestart, RestartIceUntilAnswered) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  const auto before = a->local_ice_credentials();
  a->restart_ice();
  EXPECT_TRUE(a->negotiation_needed());
  ASSERT_JSEP_OK(a->set_local_description());
  const auto restarted = a->local_ice_credentials();
  EXPECT_NE(restarted, before);
  // A second offer while that one is pending keeps the new credentials.
  auto again = parse_ok(a->create_offer().value());
  EXPECT_EQ(std::string(*again.media[0].ice_ufrag()), restarted.ufrag);
  // Rolled back: the next offer restarts again.
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Rollback));
  EXPECT_TRUE(a->negotiation_needed());
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  ASSERT_JSEP_OK(b->set_local_description());
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, b.local_sdp()));
  EXPECT_TRUE(a->negotiated().ice_restart);
  EXPECT_FALSE(a->negotiation_needed());
  auto next = parse_ok(a->create_offer().value());
  EXPECT_EQ(std::string(*next.media[0].ice_ufrag()), a->local_ice_credentials().ufrag);
}

// -- Implicit setLocalDescription (webrtc-pc). --

TEST(ImplicitSld, UsesTheLastCreatedDescription) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  const std::string created = a->create_offer().value();
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_EQ(a.local_sdp(), created);
}

TEST(ImplicitSld, CreatesAfreshWhenInputsChanged) {
  Peer a(1);
  const std::string created = a->create_offer().value();  // no data channel yet
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_NE(a.local_sdp(), created);
  EXPECT_EQ(a->local_description()->sdp.media.size(), 1u);
}

TEST(ImplicitSld, ExplicitTextMayBeTheCreatedOne) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  const std::string created = a->create_offer().value();
  a->set_data_channels_wanted(false);  // changes nothing for explicit text
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, created));
  EXPECT_EQ(a.local_sdp(), created);
}

// -- pranswer (RFC 8829 section 4.1.10.1). --

TEST(Pranswer, BothSides) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Pranswer));
  EXPECT_EQ(b->signaling_state(), S::HaveLocalPranswer);
  EXPECT_TRUE(b->negotiated().answered);
  EXPECT_TRUE(b->negotiated().provisional);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Pranswer, b.local_sdp()));
  EXPECT_EQ(a->signaling_state(), S::HaveRemotePranswer);
  EXPECT_TRUE(a->negotiated().provisional);
  EXPECT_EQ(a->negotiated().dtls_role, DtlsRole::Server);
  EXPECT_FALSE(a->current_remote_description().has_value());
  const auto pranswer_ice = b->negotiated().local_ice;
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Answer));
  EXPECT_EQ(b->negotiated().local_ice, pranswer_ice);  // the final answer keeps them
  EXPECT_FALSE(b->negotiated().ice_restart);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, b.local_sdp()));
  EXPECT_FALSE(a->negotiated().provisional);
  EXPECT_EQ(a->negotiated().generation, 2u);
  EXPECT_EQ(a->signaling_state(), S::Stable);
}

// -- Rollback (webrtc-pc, RFC 8829 section 5.7) and glare. --

TEST(Rollback, LocalOfferRestoresCurrent) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  const Description current = *a->current_local_description();
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, a->create_offer({.ice_restart = true}).value()));
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Rollback));
  EXPECT_EQ(a->signaling_state(), S::Stable);
  EXPECT_FALSE(a->pending_local_description().has_value());
  EXPECT_EQ(*a->current_local_description(), current);
  EXPECT_EQ(*a->local_description(), current);
  EXPECT_EQ(a->local_ice_credentials(), a->negotiated().local_ice);
}

TEST(Rollback, RemoteOfferEitherMethod) {
  for (bool through_remote : {false, true}) {
    Peer a(1);
    Peer b(2, 'B');
    b->set_data_channels_wanted(true);
    ASSERT_JSEP_OK(b->set_local_description());
    ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, b.local_sdp()));
    auto r = through_remote ? a->set_remote_description(SdpType::Rollback, "")
                            : a->set_local_description(SdpType::Rollback);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(a->signaling_state(), S::Stable);
    EXPECT_FALSE(a->remote_description().has_value());
    EXPECT_FALSE(a->negotiated().answered);
  }
}

TEST(Rollback, RefusedOutsideOfferStates) {
  Peer a(1);
  EXPECT_JSEP_ERROR(a->set_local_description(SdpType::Rollback), JsepErrorCode::WrongState);
  EXPECT_JSEP_ERROR(a->set_remote_description(SdpType::Rollback, ""), JsepErrorCode::WrongState);
}

TEST(Glare, ImplicitRollbackOnRemoteOffer) {
  Peer polite(1);
  Peer impolite(2, 'B');
  polite->set_data_channels_wanted(true);
  impolite->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(polite->set_local_description());
  ASSERT_JSEP_OK(impolite->set_local_description());
  // The impolite peer ignores the colliding offer (perfect negotiation);
  // the polite one takes it, which rolls its own offer back.
  EXPECT_JSEP_ERROR(impolite->set_local_description(SdpType::Answer), JsepErrorCode::WrongState);
  ASSERT_JSEP_OK(polite->set_remote_description(SdpType::Offer, impolite.local_sdp()));
  EXPECT_EQ(polite->signaling_state(), S::HaveRemoteOffer);
  EXPECT_FALSE(polite->pending_local_description().has_value());
  ASSERT_JSEP_OK(polite->set_local_description());
  ASSERT_JSEP_OK(impolite->set_remote_description(SdpType::Answer, polite.local_sdp()));
  EXPECT_EQ(impolite->signaling_state(), S::Stable);
  EXPECT_TRUE(polite->negotiated().answered);
  EXPECT_EQ(polite->negotiated().data_mid, impolite->negotiated().data_mid);
}

TEST(Glare, ExplicitRollbackThenAnswer) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  b->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_local_description());
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Rollback));
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, b.local_sdp()));
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Answer, a.local_sdp()));
  // Afterwards a still wants its data channel: it is already there.
  EXPECT_FALSE(a->negotiation_needed());
}

TEST(Glare, InvalidRemoteOfferDoesNotRollBack) {
  Peer a(1);
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  auto bad = drop_lines(load_sdp("chromium156-data-offer.sdp"), "a=fingerprint");
  EXPECT_JSEP_ERROR(a->set_remote_description(SdpType::Offer, bad), JsepErrorCode::MissingFingerprint);
  EXPECT_EQ(a->signaling_state(), S::HaveLocalOffer);
  EXPECT_TRUE(a->pending_local_description().has_value());
}

}  // namespace
}  // namespace wasmrtc::sdp
