// Offers and answers as real peers write them (test/data/sdp/): each
// parses, serializes back to the same text (CRLF), and reads correctly.
#include <gtest/gtest.h>

#include "sdp/bundle.h"
#include "sdp/parse.h"
#include "sdp/serialize.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::load_sdp;
using test::to_crlf;

const char* const kFixtures[] = {
    "chromium156-data-offer.sdp", "chromium156-data-offer-candidates.sdp", "chromium156-av-data-offer.sdp",
    "wrtc-m105-offer.sdp",        "wrtc-m105-answer.sdp",                  "libdatachannel-offer.sdp",
    "werift-offer.sdp",           "legacy-sctpmap-offer.sdp",
};

SessionDescription parsed(const std::string& name) {
  auto s = parse(load_sdp(name));
  EXPECT_TRUE(s.ok()) << name << ": " << (s.ok() ? "" : s.error().to_string());
  return s.ok() ? *s : SessionDescription{};
}

class FixtureRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(FixtureRoundTrip, IdenticalUpToLineEndings) {
  const std::string text = load_sdp(GetParam());
  ASSERT_FALSE(text.empty());
  for (const std::string& input : {text, to_crlf(text)}) {
    auto s = parse(input);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    EXPECT_EQ(serialize(*s), to_crlf(text));
    auto again = parse(serialize(*s));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *s);
  }
}

INSTANTIATE_TEST_SUITE_P(Sdp, FixtureRoundTrip, ::testing::ValuesIn(kFixtures),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(Fixtures, Chromium156DataOffer) {
  auto s = parsed("chromium156-data-offer.sdp");
  EXPECT_EQ(s.origin.session_version, 2u);
  EXPECT_TRUE(s.extmap_allow_mixed());
  EXPECT_EQ(s.msid_semantic(), " WMS");
  ASSERT_EQ(s.media.size(), 1u);
  const auto& m = s.media[0];
  EXPECT_TRUE(m.is_data_channel());
  EXPECT_EQ(m.mid(), "0");
  EXPECT_EQ(m.setup(), sdp::Setup::ActPass);
  EXPECT_EQ(m.ice_options(), (std::vector<std::string>{"trickle"}));
  EXPECT_EQ(m.fingerprints().size(), 1u);
  EXPECT_EQ(m.fingerprints()[0].algorithm, "sha-256");
  EXPECT_EQ(m.sctp_port(), 5000);
  EXPECT_EQ(m.max_message_size(), 262144u);
  EXPECT_EQ(m.ice_ufrag()->size(), 4u);
  EXPECT_TRUE(s.bundle_group_of("0").has_value());
  EXPECT_TRUE(m.candidates().empty());
}

TEST(Fixtures, Chromium156Candidates) {
  auto s = parsed("chromium156-data-offer-candidates.sdp");
  const auto& m = s.media[0];
  EXPECT_EQ(m.port, 50721);
  EXPECT_EQ(m.connections[0].address, "198.51.100.23");
  auto c = m.candidates();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].rfind("candidate:2513744385 1 udp 2113937151 ", 0), 0u);
  EXPECT_NE(c[0].find(".local 50721 typ host"), std::string::npos);
  EXPECT_NE(c[1].find("typ srflx raddr 0.0.0.0 rport 0"), std::string::npos);
  EXPECT_FALSE(m.end_of_candidates());
}

TEST(Fixtures, Chromium156AudioVideoData) {
  auto s = parsed("chromium156-av-data-offer.sdp");
  ASSERT_EQ(s.media.size(), 3u);
  const auto& audio = s.media[0];
  const auto& video = s.media[1];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.formats.front(), "111");
  EXPECT_EQ(audio.attributes.values("rtpmap")[0], "111 opus/48000/2");
  EXPECT_EQ(audio.attributes.value("fmtp"), "111 minptime=10;useinbandfec=1");
  EXPECT_EQ(audio.direction(), Direction::SendRecv);
  EXPECT_TRUE(audio.rtcp_mux());
  EXPECT_EQ(audio.attributes.values("extmap").size(), 4u);
  EXPECT_EQ(video.formats.front(), "96");
  EXPECT_NE(video.attributes.value("ssrc-group")->find("FID "), std::string::npos);
  EXPECT_EQ(video.attributes.values("rtcp-fb")[0], "96 goog-remb");
  EXPECT_FALSE(audio.is_data_channel());
  EXPECT_EQ(s.find_data_channel(), 2u);
  EXPECT_EQ(s.bundle_group_of("2")->mids, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(transport_section(s, 2), 0u);
  EXPECT_EQ(bundled_sections(s, 2), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(s.ice_credentials(0), s.ice_credentials(2));
}

TEST(Fixtures, WrtcAnswer) {
  auto s = parsed("wrtc-m105-answer.sdp");
  EXPECT_EQ(s.setup(0), sdp::Setup::Active);
  EXPECT_EQ(s.media[0].max_message_size(), 262144u);
}

TEST(Fixtures, LibdatachannelSessionLevelTransport) {
  auto s = parsed("libdatachannel-offer.sdp");
  const auto& m = s.media[0];
  // Transport attributes live at session level: the media-level accessors
  // see nothing, the session fallbacks find them.
  EXPECT_FALSE(m.ice_ufrag().has_value());
  EXPECT_TRUE(m.fingerprints().empty());
  ASSERT_TRUE(s.ice_credentials(0).has_value());
  EXPECT_EQ(s.ice_credentials(0)->ufrag.size(), 4u);
  EXPECT_EQ(s.fingerprints(0).size(), 1u);
  EXPECT_EQ(s.setup(0), sdp::Setup::ActPass);
  EXPECT_EQ(s.ice_options(0), (std::vector<std::string>{"ice2", "trickle"}));
  EXPECT_EQ(m.candidates().size(), 2u);
  EXPECT_TRUE(m.end_of_candidates());
  EXPECT_EQ(s.origin.username, "rtc");
}

TEST(Fixtures, WeriftOffer) {
  auto s = parsed("werift-offer.sdp");
  EXPECT_EQ(s.media[0].max_message_size(), 65536u);
  EXPECT_EQ(s.media[0].mid(), "0");
  EXPECT_EQ(s.origin.address, "0.0.0.0");
}

TEST(Fixtures, LegacySctpmapOffer) {
  auto s = parsed("legacy-sctpmap-offer.sdp");
  const auto& m = s.media[0];
  EXPECT_EQ(m.proto, "DTLS/SCTP");
  EXPECT_TRUE(m.is_legacy_data_channel());
  EXPECT_TRUE(m.is_data_channel());
  EXPECT_EQ(m.sctp_port(), 5000);
  EXPECT_EQ(m.sctpmap()->streams, 1024u);
  EXPECT_EQ(m.mid(), "data");
  EXPECT_EQ(m.max_message_size(), std::nullopt);
}

}  // namespace
}  // namespace wasmrtc::sdp
