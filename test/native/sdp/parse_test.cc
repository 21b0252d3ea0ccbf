// RFC 8866 parsing: structure, tolerance, and a typed error (with its line)
// for every malformed required part.
#include <gtest/gtest.h>

#include "sdp/parse.h"
#include "sdp/serialize.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

constexpr const char* kMinimal =
    "v=0\r\n"
    "o=- 123 7 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n";

ParseError error_of(const std::string& text) {
  auto r = parse(text);
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  return r.ok() ? ParseError{} : r.error();
}

// kMinimal plus `rest`.
std::string with(const std::string& rest) { return std::string(kMinimal) + rest; }

TEST(Parse, Minimal) {
  auto s = parse(kMinimal);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s->origin.username, "-");
  EXPECT_EQ(s->origin.session_id, "123");
  EXPECT_EQ(s->origin.session_version, 7u);
  EXPECT_EQ(s->origin.address, "127.0.0.1");
  EXPECT_EQ(s->session_name, "-");
  ASSERT_EQ(s->timings.size(), 1u);
  EXPECT_TRUE(s->media.empty());
  EXPECT_EQ(serialize(*s), kMinimal);
}

TEST(Parse, AcceptsLfAndSkipsEmptyLines) {
  auto s = parse("v=0\no=- 1 2 IN IP4 0.0.0.0\n\ns=x\nt=0 0\n\n");
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s->session_name, "x");
}

TEST(Parse, NoFinalNewline) {
  auto s = parse("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->ice_lite());
}

TEST(Parse, AttributesKeptInOrderWithValueOrNot) {
  auto s = parse(with("a=x-unknown\r\na=foo:\r\na=msid-semantic: WMS\r\na=group:BUNDLE a b\r\n"
                      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                      "a=mid:a\r\na=weird:1:2\r\na=rtcp-mux\r\n"));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  const auto& a = s->attributes.list();
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].name, "x-unknown");
  EXPECT_FALSE(a[0].value.has_value());
  EXPECT_EQ(a[1].value, "");
  EXPECT_EQ(s->msid_semantic(), " WMS");
  ASSERT_EQ(s->groups().size(), 1u);
  EXPECT_EQ(s->groups()[0].mids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s->media[0].attributes.value("weird"), "1:2");
  EXPECT_TRUE(s->media[0].rtcp_mux());
}

TEST(Parse, AllSessionLines) {
  const std::string text =
      "v=0\r\n"
      "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n"
      "s=Call to John Smith\r\n"
      "i=SDP Offer #1\r\n"
      "u=http://www.jdoe.example.com/home.html\r\n"
      "e=Jane Doe <jane@jdoe.example.com>\r\n"
      "p=+1 617 555-6011\r\n"
      "c=IN IP4 198.51.100.1\r\n"
      "b=AS:128\r\n"
      "t=0 0\r\n"
      "r=7d 1h 0 25h\r\n"
      "z=2882844526 -1h 2898848070 0\r\n"
      "k=prompt\r\n"
      "a=recvonly\r\n"
      "m=audio 49170 RTP/AVP 0\r\n"
      "i=voice\r\n"
      "c=IN IP4 224.2.1.1/127/3\r\n"
      "b=TIAS:64000\r\n"
      "k=prompt\r\n"
      "m=video 51372/2 RTP/AVP 99\r\n"
      "a=rtpmap:99 h263-1998/90000\r\n";
  auto s = parse(text);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s->information, "SDP Offer #1");
  EXPECT_EQ(s->emails.size(), 1u);
  EXPECT_EQ(s->connection->address, "198.51.100.1");
  EXPECT_EQ(s->bandwidths[0], (Bandwidth{"AS", 128}));
  EXPECT_EQ(s->timings[0].repeats, (std::vector<std::string>{"7d 1h 0 25h"}));
  EXPECT_EQ(s->direction(0), Direction::RecvOnly);  // session-level fallback
  EXPECT_EQ(s->media[0].connections[0].address, "224.2.1.1/127/3");
  EXPECT_EQ(s->media[0].title, "voice");
  EXPECT_EQ(s->media[1].port, 51372);
  EXPECT_EQ(s->media[1].port_count, 2);
  EXPECT_EQ(serialize(*s), text);
}

TEST(Parse, ToleratesRunsOfSpaces) {
  auto s = parse(with("m=application  9 UDP/DTLS/SCTP   webrtc-datachannel \r\n"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->media[0].formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_TRUE(s->media[0].is_data_channel());
}

TEST(ParseErrors, Empty) {
  EXPECT_EQ(error_of("").code, ParseErrorCode::Empty);
  EXPECT_EQ(error_of("\r\n\r\n").code, ParseErrorCode::Empty);
}

TEST(ParseErrors, MissingVersion) {
  auto e = error_of("o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
  EXPECT_EQ(e.code, ParseErrorCode::MissingVersion);
  EXPECT_EQ(e.line, 1u);
}

TEST(ParseErrors, BadVersion) { EXPECT_EQ(error_of("v=1\r\n").code, ParseErrorCode::BadVersion); }

TEST(ParseErrors, MissingOrigin) {
  EXPECT_EQ(error_of("v=0\r\n").code, ParseErrorCode::MissingOrigin);
  auto e = error_of("v=0\r\ns=-\r\nt=0 0\r\n");
  EXPECT_EQ(e.code, ParseErrorCode::MissingOrigin);
  EXPECT_EQ(e.line, 2u);
}

TEST(ParseErrors, BadOrigin) {
  for (const char* o : {"o=- 1 1 IN IP4", "o=- 1 1 IN IP4 0.0.0.0 extra", "o=- x 1 IN IP4 0.0.0.0",
                        "o=- 1 v2 IN IP4 0.0.0.0", "o=- 1 -1 IN IP4 0.0.0.0",
                        "o=- 1 99999999999999999999 IN IP4 0.0.0.0"}) {
    auto e = error_of(std::string("v=0\r\n") + o + "\r\ns=-\r\nt=0 0\r\n");
    EXPECT_EQ(e.code, ParseErrorCode::BadOrigin) << o;
    EXPECT_EQ(e.line, 2u);
  }
}

TEST(ParseErrors, MissingSessionName) {
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n").code, ParseErrorCode::MissingSessionName);
}

TEST(ParseErrors, MissingTiming) {
  auto e = error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=ice-lite\r\nm=audio 9 RTP/AVP 0\r\n");
  EXPECT_EQ(e.code, ParseErrorCode::MissingTiming);
  EXPECT_EQ(e.line, 5u);
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n").code, ParseErrorCode::MissingTiming);
}

TEST(ParseErrors, BadTiming) {
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0\r\n").code, ParseErrorCode::BadTiming);
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=now 0\r\n").code, ParseErrorCode::BadTiming);
}

TEST(ParseErrors, BadLineAndUnknownType) {
  auto e = error_of(with("garbage\r\n"));
  EXPECT_EQ(e.code, ParseErrorCode::BadLine);
  EXPECT_EQ(e.line, 5u);
  EXPECT_EQ(error_of(with(" a=x\r\n")).code, ParseErrorCode::BadLine);
  EXPECT_EQ(error_of(with("1=x\r\n")).code, ParseErrorCode::BadLine);
  EXPECT_EQ(error_of(with("a\r\n")).code, ParseErrorCode::BadLine);
  auto u = error_of(with("x=whatever\r\n"));
  EXPECT_EQ(u.code, ParseErrorCode::UnknownLineType);
  EXPECT_EQ(u.detail, "x");
}

TEST(ParseErrors, UnexpectedLine) {
  EXPECT_EQ(error_of(with("v=0\r\n")).code, ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of(with("s=again\r\n")).code, ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of(with("i=a\r\ni=b\r\n")).code, ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of(with("m=audio 9 RTP/AVP 0\r\nt=0 0\r\n")).code, ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of(with("m=audio 9 RTP/AVP 0\r\no=- 1 1 IN IP4 0.0.0.0\r\n")).code,
            ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nr=1d 1h 0\r\nt=0 0\r\n").code,
            ParseErrorCode::UnexpectedLine);
}

TEST(ParseErrors, BadMediaLine) {
  EXPECT_EQ(error_of(with("m=audio\r\n")).code, ParseErrorCode::BadMedia);
  EXPECT_EQ(error_of(with("m=audio 9 RTP/AVP\r\n")).code, ParseErrorCode::BadMedia);
  EXPECT_EQ(error_of(with("m=audio nine RTP/AVP 0\r\n")).code, ParseErrorCode::BadPort);
  EXPECT_EQ(error_of(with("m=audio 65536 RTP/AVP 0\r\n")).code, ParseErrorCode::BadPort);
  EXPECT_EQ(error_of(with("m=audio -9 RTP/AVP 0\r\n")).code, ParseErrorCode::BadPort);
  EXPECT_EQ(error_of(with("m=audio 9/ RTP/AVP 0\r\n")).code, ParseErrorCode::BadPort);
  EXPECT_EQ(error_of(with("m=audio 9/x RTP/AVP 0\r\n")).code, ParseErrorCode::BadPort);
  auto e = error_of(with("m=audio 9 RTP/AVP 0\r\na=sendrecv\r\nm=video x RTP/AVP 96\r\n"));
  EXPECT_EQ(e.code, ParseErrorCode::BadPort);
  EXPECT_EQ(e.line, 7u);
}

TEST(ParseErrors, BadConnectionAndBandwidth) {
  EXPECT_EQ(error_of(with("c=IN IP4\r\n")).code, ParseErrorCode::BadConnection);
  EXPECT_EQ(error_of(with("c=IN IP4 0.0.0.0\r\nc=IN IP4 0.0.0.0\r\n")).code, ParseErrorCode::UnexpectedLine);
  EXPECT_EQ(error_of(with("m=audio 9 RTP/AVP 0\r\nc=IN\r\n")).code, ParseErrorCode::BadConnection);
  EXPECT_EQ(error_of(with("b=AS\r\n")).code, ParseErrorCode::BadBandwidth);
  EXPECT_EQ(error_of(with("b=:30\r\n")).code, ParseErrorCode::BadBandwidth);
  EXPECT_EQ(error_of(with("m=audio 9 RTP/AVP 0\r\nb=AS:lots\r\n")).code, ParseErrorCode::BadBandwidth);
}

TEST(ParseErrors, BadAttribute) {
  EXPECT_EQ(error_of(with("a=\r\n")).code, ParseErrorCode::BadAttribute);
  EXPECT_EQ(error_of(with("a=:value\r\n")).code, ParseErrorCode::BadAttribute);
}

TEST(ParseErrors, BadKnownAttributeValues) {
  const char* cases[][2] = {
      {"a=setup:sometimes", "setup"},
      {"a=setup", "setup"},
      {"a=fingerprint:sha-256", "fingerprint"},
      {"a=fingerprint:sha-256 XY:ZZ", "fingerprint"},
      {"a=fingerprint:sha-256 AB:CD:", "fingerprint"},
      {"a=fingerprint:sha-256 ABC:D0", "fingerprint"},
      {"a=sctp-port:five", "sctp-port"},
      {"a=sctp-port:70000", "sctp-port"},
      {"a=max-message-size:-1", "max-message-size"},
      {"a=sctpmap:5000", "sctpmap"},
      {"a=sctpmap:x webrtc-datachannel 1024", "sctpmap"},
      {"a=mid:", "mid"},
      {"a=mid:a b", "mid"},
      {"a=ice-ufrag:", "ice-ufrag"},
      {"a=ice-pwd", "ice-pwd"},
      {"a=group:", "group"},
  };
  for (auto& c : cases) {
    auto e = error_of(with(std::string("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n") + c[0] + "\r\n"));
    EXPECT_EQ(e.code, ParseErrorCode::BadAttributeValue) << c[0];
    EXPECT_EQ(e.detail, c[1]);
    EXPECT_EQ(e.line, 6u);
    EXPECT_EQ(e.to_string(), std::string("BadAttributeValue (") + c[1] + ") at line 6");
  }
}

TEST(ParseErrors, LineNumbersCountEmptyAndCrlfLines) {
  auto e = parse("v=0\n\no=- 1 1 IN IP4 0.0.0.0\r\n\r\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=setup:no\n");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().line, 8u);
}

TEST(ParseErrors, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(ParseErrorCode::BadAttributeValue); ++c) {
    EXPECT_NE(to_string(static_cast<ParseErrorCode>(c)), "Unknown");
  }
}

}  // namespace
}  // namespace wasmrtc::sdp
