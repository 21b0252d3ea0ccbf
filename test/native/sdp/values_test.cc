// Typed attribute values, media/session accessors and serialization details.
#include <gtest/gtest.h>

#include <set>

#include "base/random.h"
#include "sdp/builder.h"
#include "sdp/credentials.h"
#include "sdp/parse.h"
#include "sdp/serialize.h"
#include "sdp/values.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

TEST(Values, SetupAttribute) {
  for (sdp::Setup s : {sdp::Setup::ActPass, sdp::Setup::Active, sdp::Setup::Passive, sdp::Setup::HoldConn}) {
    EXPECT_EQ(parse_setup(to_string(s)), s);
  }
  EXPECT_FALSE(parse_setup("ACTIVE").has_value());
  EXPECT_FALSE(parse_setup("").has_value());
}

TEST(Values, Direction) {
  for (Direction d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    EXPECT_EQ(parse_direction(to_string(d)), d);
  }
  EXPECT_FALSE(parse_direction("rtcp-mux").has_value());
}

TEST(Values, Fingerprint) {
  auto f = Fingerprint::parse("sha-256 AB:cd:01");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->algorithm, "sha-256");
  EXPECT_EQ(f->value, "AB:cd:01");
  EXPECT_EQ(f->to_string(), "sha-256 AB:cd:01");
  EXPECT_TRUE(f->same_as(Fingerprint{"SHA-256", "ab:CD:01"}));
  EXPECT_FALSE(f->same_as(Fingerprint{"sha-1", "AB:CD:01"}));
  EXPECT_FALSE(Fingerprint::parse("sha-256").has_value());
  EXPECT_FALSE(Fingerprint::parse("AB:CD").has_value());
  EXPECT_FALSE(Fingerprint::parse("sha-256 AB:CD extra").has_value());
  EXPECT_FALSE(Fingerprint::parse("sha 256 AB").has_value());
  EXPECT_FALSE(Fingerprint::parse("sh@ AB").has_value());
}

TEST(Values, Group) {
  auto g = Group::parse("BUNDLE 0 1 data");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->semantics, "BUNDLE");
  EXPECT_TRUE(g->contains("data"));
  EXPECT_FALSE(g->contains("2"));
  EXPECT_EQ(g->to_string(), "BUNDLE 0 1 data");
  EXPECT_EQ(Group::parse("LS")->mids.size(), 0u);
  EXPECT_FALSE(Group::parse(" ").has_value());
}

TEST(Values, Sctpmap) {
  auto m = Sctpmap::parse("5000 webrtc-datachannel 1024");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->number, 5000);
  EXPECT_EQ(m->streams, 1024u);
  EXPECT_EQ(m->to_string(), "5000 webrtc-datachannel 1024");
  EXPECT_EQ(Sctpmap::parse("5000 webrtc-datachannel")->streams, std::nullopt);
  EXPECT_FALSE(Sctpmap::parse("5000").has_value());
  EXPECT_FALSE(Sctpmap::parse("5000 x y z").has_value());
}

TEST(Values, IceCredentialRules) {
  // RFC 8839 section 5.4.
  EXPECT_TRUE(is_valid_ice_ufrag("abcd"));
  EXPECT_FALSE(is_valid_ice_ufrag("abc"));
  EXPECT_FALSE(is_valid_ice_ufrag("ab-d"));
  EXPECT_TRUE(is_valid_ice_pwd("abcdefghijklmnopqrst+/"));
  EXPECT_FALSE(is_valid_ice_pwd("abcdefghijklmnopqrstu"));
  EXPECT_FALSE(is_valid_ice_pwd(std::string(257, 'a')));
}

TEST(Values, GeneratedCredentialsAreValidAndDiffer) {
  base::SeededRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto c = generate_ice_credentials(random);
    EXPECT_EQ(c.ufrag.size(), 4u);
    EXPECT_EQ(c.pwd.size(), 24u);
    EXPECT_TRUE(is_valid_ice_ufrag(c.ufrag));
    EXPECT_TRUE(is_valid_ice_pwd(c.pwd));
    seen.insert(c.ufrag + c.pwd);
  }
  EXPECT_EQ(seen.size(), 50u);
  const std::string id = generate_session_id(random);
  EXPECT_FALSE(id.empty());
  EXPECT_LE(std::stoull(id), 0x7fffffffffffffffULL);  // JSEP 5.2.1: top bit clear
}

TEST(Attributes, SetReplacesFirstAndDropsOthers) {
  Attributes a{{"x", "1"}, {"y", std::nullopt}, {"x", "2"}};
  a.set("x", "3");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.list()[0], (Attribute{"x", "3"}));
  a.set("z");
  EXPECT_TRUE(a.has("z"));
  a.insert_before("y", Attribute{"w", "0"});
  EXPECT_EQ(a.list()[1].name, "w");
  EXPECT_EQ(a.remove("x"), 1u);
  EXPECT_EQ(a.values("w"), (std::vector<std::string_view>{"0"}));
}

TEST(Media, DataChannelAccessors) {
  MediaDescription m;
  m.formats = {"webrtc-datachannel"};
  EXPECT_TRUE(m.is_data_channel());
  EXPECT_EQ(m.sctp_port(), 5000);  // RFC 8841 section 5 default
  EXPECT_EQ(m.max_message_size(), std::nullopt);
  m.attributes.add("sctp-port", "5001");
  m.attributes.add("max-message-size", "0");
  EXPECT_EQ(m.sctp_port(), 5001);
  EXPECT_EQ(m.max_message_size(), 0u);
  m.proto = "TCP/DTLS/SCTP";
  EXPECT_TRUE(m.is_data_channel());
  m.proto = "UDP/TLS/RTP/SAVPF";
  EXPECT_FALSE(m.is_data_channel());
  EXPECT_EQ(m.sctp_port(), std::nullopt);
}

TEST(Media, LegacyDataChannel) {
  MediaDescription m;
  m.proto = "DTLS/SCTP";
  m.formats = {"5000"};
  EXPECT_FALSE(m.is_data_channel());  // no sctpmap: not recognisable
  m.attributes.add("sctpmap", "5001 webrtc-datachannel 1024");
  EXPECT_TRUE(m.is_legacy_data_channel());
  EXPECT_EQ(m.sctp_port(), 5001);
}

TEST(Media, RejectedAndBundleOnly) {
  MediaDescription m;
  m.port = 0;
  EXPECT_TRUE(m.is_rejected());
  m.attributes.add("bundle-only");
  EXPECT_FALSE(m.is_rejected());
}

TEST(Builder, DataSectionAsChromiumWritesIt) {
  LocalTransport t{{"abcd", "0123456789012345678901"}, {test::test_fingerprint('B')}, sdp::Setup::ActPass, true};
  DataChannelSection d;
  d.mid = "0";
  d.max_message_size = 262144;
  EXPECT_EQ(serialize(make_data_section(t, d)),
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            "c=IN IP4 0.0.0.0\r\n"
            "a=ice-ufrag:abcd\r\n"
            "a=ice-pwd:0123456789012345678901\r\n"
            "a=ice-options:trickle\r\n"
            "a=fingerprint:sha-256 " + test::test_fingerprint('B').value + "\r\n"
            "a=setup:actpass\r\n"
            "a=mid:0\r\n"
            "a=sctp-port:5000\r\n"
            "a=max-message-size:262144\r\n");
}

TEST(Builder, RejectedSection) {
  MediaDescription audio;
  audio.media = "audio";
  audio.proto = "UDP/TLS/RTP/SAVPF";
  audio.formats = {"111", "63"};
  audio.attributes.add("mid", "0");
  audio.attributes.add("rtpmap", "111 opus/48000/2");
  EXPECT_EQ(serialize(make_rejected_section(audio)),
            "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n"
            "c=IN IP4 0.0.0.0\r\n"
            "a=mid:0\r\n"
            "a=inactive\r\n");
}

TEST(Builder, BundleGroupGoesFirstAndReplacesOld) {
  SessionDescription s = make_session(Origin{});
  s.attributes.add("extmap-allow-mixed");
  s.attributes.add("group", "BUNDLE 9");
  s.attributes.add("group", "LS 0");
  set_bundle_group(s, {"0", "1"});
  ASSERT_EQ(s.attributes.size(), 3u);
  EXPECT_EQ(s.attributes.list()[0], (Attribute{"group", "BUNDLE 0 1"}));
  set_bundle_group(s, {});
  EXPECT_EQ(s.attributes.size(), 2u);
}

TEST(Serialize, AlwaysWritesATimingLine) {
  SessionDescription s;
  s.timings.clear();
  EXPECT_EQ(serialize(s), "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
  EXPECT_TRUE(parse(serialize(s)).ok());
}

}  // namespace
}  // namespace wasmrtc::sdp
