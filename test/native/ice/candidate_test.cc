// Candidate attributes (RFC 8839 section 5.1) and priorities (RFC 8445
// sections 5.1.2 and 6.1.2.3).
#include <gtest/gtest.h>

#include <set>

#include "ice/agent.h"
#include "ice/candidate.h"
#include "ice/checklist.h"

namespace wasmrtc::ice {
namespace {

Candidate parse_ok(std::string_view line) {
  auto c = Candidate::parse(line);
  EXPECT_TRUE(c.ok()) << line;
  return c.ok() ? *c : Candidate{};
}

CandidateParseError parse_error(std::string_view line) {
  auto c = Candidate::parse(line);
  EXPECT_FALSE(c.ok()) << line;
  return c.ok() ? CandidateParseError::NotACandidate : c.error();
}

TEST(CandidateParse, Host) {
  Candidate c = parse_ok("candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host");
  EXPECT_EQ(c.foundation, "1");
  EXPECT_EQ(c.component, 1);
  EXPECT_EQ(c.transport, "udp");
  EXPECT_EQ(c.priority, 2130706431u);
  EXPECT_EQ(c.address.to_string(), "192.0.2.1:5000");
  EXPECT_EQ(c.type, CandidateType::Host);
  EXPECT_FALSE(c.related);
  EXPECT_TRUE(c.hostname.empty());
  EXPECT_TRUE(c.extensions.empty());
}

TEST(CandidateParse, ServerReflexiveWithRelatedAddress) {
  Candidate c = parse_ok(
      "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.5 rport 5000");
  EXPECT_EQ(c.type, CandidateType::ServerReflexive);
  EXPECT_EQ(c.address.to_string(), "203.0.113.7:61234");
  ASSERT_TRUE(c.related);
  EXPECT_EQ(c.related->to_string(), "10.0.0.5:5000");
}

TEST(CandidateParse, RelayIpv6AndExtensions) {
  Candidate c = parse_ok(
      "candidate:3 1 UDP 16777215 2001:db8::5 3478 typ relay raddr 2001:db8::9 rport 4000 "
      "generation 0 ufrag Ab+/ network-id 2");
  EXPECT_EQ(c.type, CandidateType::Relay);
  EXPECT_EQ(c.transport, "udp");
  EXPECT_EQ(c.address.ip.to_string(), "2001:db8::5");
  ASSERT_TRUE(c.related);
  EXPECT_EQ(c.related->ip.to_string(), "2001:db8::9");
  ASSERT_EQ(c.extensions.size(), 3u);
  EXPECT_EQ(c.extensions[0], std::make_pair(std::string("generation"), std::string("0")));
  EXPECT_EQ(c.extensions[1], std::make_pair(std::string("ufrag"), std::string("Ab+/")));
  EXPECT_EQ(c.extensions[2], std::make_pair(std::string("network-id"), std::string("2")));
}

TEST(CandidateParse, PeerReflexiveAndPrefixes) {
  Candidate c = parse_ok("a=candidate:x/+9 1 udp 1845501695 198.51.100.3 9 typ prflx\r\n");
  EXPECT_EQ(c.type, CandidateType::PeerReflexive);
  EXPECT_EQ(c.foundation, "x/+9");
}

TEST(CandidateParse, MdnsHostname) {
  Candidate c = parse_ok(
      "candidate:1 1 udp 2113937151 3f1c8a7e-1b2c-4d5e-8f90-0a1b2c3d4e5f.local 56000 typ host");
  EXPECT_EQ(c.hostname, "3f1c8a7e-1b2c-4d5e-8f90-0a1b2c3d4e5f.local");
  EXPECT_EQ(c.address.ip, base::IpAddress());
  EXPECT_EQ(c.address.port, 56000);
}

TEST(CandidateParse, RoundTrips) {
  for (const char* line : {
           "candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host",
           "candidate:2 1 udp 1694498815 203.0.113.7 61234 typ srflx raddr 10.0.0.5 rport 5000",
           "candidate:3 1 udp 16777215 203.0.113.1 49152 typ relay raddr 203.0.113.7 rport 61234",
           "candidate:4 1 udp 1862270975 2001:db8::1 7 typ prflx raddr 2001:db8::2 rport 8",
           "candidate:5 1 udp 2130706431 10.1.2.3 9 typ host generation 0 ufrag abcd",
           "candidate:6 1 udp 2113937151 some-name.local 56000 typ host",
           "candidate:7 1 udp 2113937151 192.0.2.1 5000 typ host raddr 0.0.0.0 rport 0",
       }) {
    auto c = Candidate::parse(line);
    ASSERT_TRUE(c.ok()) << line;
    EXPECT_EQ(c->to_sdp(), line);
    auto again = Candidate::parse(c->to_sdp());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *c);
  }
}

TEST(CandidateParse, Errors) {
  using E = CandidateParseError;
  // Not a candidate attribute at all, or too few fields, or a bad foundation.
  EXPECT_EQ(parse_error(""), E::NotACandidate);
  EXPECT_EQ(parse_error("1 1 udp 1 192.0.2.1 5000 typ host"), E::NotACandidate);
  EXPECT_EQ(parse_error("a=ice-ufrag:abcd"), E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ"), E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:f*o 1 udp 1 192.0.2.1 5000 typ host"), E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:123456789012345678901234567890123 1 udp 1 192.0.2.1 5000 typ host"),
            E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ host generation"), E::NotACandidate);
  // Extensions are a token and visible characters (RFC 8839 section 5.1);
  // the fuzzer found a CR and a NUL that did not survive to_sdp().
  EXPECT_EQ(parse_error(std::string_view("candidate:5 1 udp 1 2001:db8::1 3478 typ relay r\0 t\r\t", 53)),
            E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ host gen(x) 0"), E::NotACandidate);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ host ufrag a\x7f"), E::NotACandidate);
  // Component.
  EXPECT_EQ(parse_error("candidate:1 0 udp 1 192.0.2.1 5000 typ host"), E::BadComponent);
  EXPECT_EQ(parse_error("candidate:1 256 udp 1 192.0.2.1 5000 typ host"), E::BadComponent);
  EXPECT_EQ(parse_error("candidate:1 x udp 1 192.0.2.1 5000 typ host"), E::BadComponent);
  // Transport: TCP candidates are not for this agent.
  EXPECT_EQ(parse_error("candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype active"), E::BadTransport);
  // Priority.
  EXPECT_EQ(parse_error("candidate:1 1 udp 4294967296 192.0.2.1 5000 typ host"), E::BadPriority);
  EXPECT_EQ(parse_error("candidate:1 1 udp -1 192.0.2.1 5000 typ host"), E::BadPriority);
  EXPECT_EQ(parse_error("candidate:1 1 udp 12a 192.0.2.1 5000 typ host"), E::BadPriority);
  // Address.
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2 5000 typ host"), E::BadAddress);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 bad_name.local 5000 typ host"), E::BadAddress);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 [2001:db8::1] 5000 typ host"), E::BadAddress);
  // Port.
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 65536 typ host"), E::BadPort);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 port typ host"), E::BadPort);
  // Type.
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 type host"), E::BadType);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ local"), E::BadType);
  // Related address.
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr x rport 1"),
            E::BadRelatedAddress);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 10.0.0.1"),
            E::BadRelatedAddress);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 10.0.0.1 rport x"),
            E::BadRelatedAddress);
  EXPECT_EQ(parse_error("candidate:1 1 udp 1 192.0.2.1 5000 typ srflx rport 1"),
            E::BadRelatedAddress);
}

TEST(CandidateParse, ErrorsHaveText) {
  for (int e = 0; e <= static_cast<int>(CandidateParseError::BadRelatedAddress); ++e) {
    EXPECT_STRNE(to_string(static_cast<CandidateParseError>(e)), "?");
  }
}

TEST(Priority, TypePreferences) {
  // RFC 8445 section 5.1.2.2.
  EXPECT_EQ(type_preference(CandidateType::Host), 126u);
  EXPECT_EQ(type_preference(CandidateType::PeerReflexive), 110u);
  EXPECT_EQ(type_preference(CandidateType::ServerReflexive), 100u);
  EXPECT_EQ(type_preference(CandidateType::Relay), 0u);
}

TEST(Priority, Formula) {
  // (2^24)*type + (2^8)*local + (256 - component), section 5.1.2.1.
  EXPECT_EQ(compute_priority(CandidateType::Host, 65535, 1), 2130706431u);
  EXPECT_EQ(compute_priority(CandidateType::PeerReflexive, 65535, 1), 1862270975u);
  EXPECT_EQ(compute_priority(CandidateType::ServerReflexive, 65535, 1), 1694498815u);
  EXPECT_EQ(compute_priority(CandidateType::Relay, 65535, 1), 16777215u);
  EXPECT_EQ(compute_priority(CandidateType::Host, 0, 2), (126u << 24) + 254u);
  EXPECT_EQ(compute_priority(CandidateType::Relay, 0, 1), 255u);
}

TEST(Priority, PairFormula) {
  // Section 6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0).
  EXPECT_EQ(pair_priority(10, 20), (uint64_t{10} << 32) + 40);
  EXPECT_EQ(pair_priority(20, 10), (uint64_t{10} << 32) + 41);
  EXPECT_EQ(pair_priority(2130706431u, 2130706431u),
            (uint64_t{2130706431u} << 32) + 2 * uint64_t{2130706431u});
  // Both agents compute the same number for the same pair.
  const uint32_t g = 1694498815u, d = 2130706431u;
  EXPECT_GT(pair_priority(d, g), pair_priority(g, d));
}

TEST(Credentials, RandomCredentialsAreIceChars) {
  base::SeededRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    Credentials c = random_credentials(random);
    EXPECT_GE(c.ufrag.size(), 4u);
    EXPECT_GE(c.pwd.size(), 22u);
    for (char ch : c.ufrag + c.pwd) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/') << ch;
    }
    seen.insert(c.ufrag);
  }
  EXPECT_EQ(seen.size(), 50u);
  base::SeededRandom again(7);
  base::SeededRandom first(7);
  EXPECT_EQ(random_credentials(again), random_credentials(first));
}

TEST(Names, W3CStrings) {
  EXPECT_STREQ(to_string(State::New), "new");
  EXPECT_STREQ(to_string(State::Checking), "checking");
  EXPECT_STREQ(to_string(State::Connected), "connected");
  EXPECT_STREQ(to_string(State::Completed), "completed");
  EXPECT_STREQ(to_string(State::Failed), "failed");
  EXPECT_STREQ(to_string(State::Disconnected), "disconnected");
  EXPECT_STREQ(to_string(State::Closed), "closed");
  EXPECT_STREQ(to_string(GatheringState::Gathering), "gathering");
  EXPECT_STREQ(to_string(GatheringState::Complete), "complete");
  EXPECT_STREQ(to_string(CandidateType::ServerReflexive), "srflx");
  EXPECT_STREQ(to_string(PairState::InProgress), "in-progress");
}

}  // namespace
}  // namespace wasmrtc::ice
