// SRTP sessions: libsrtp's published known-answer vectors for the
// AES-CM/HMAC-SHA1 profiles (the key, packet and ciphertext of libsrtp's
// srtp_validate()), round trips for every profile, and the failures:
// tampering, replay, wrong keys, garbage.
#include "srtp/session.h"

#include <gtest/gtest.h>

#include "base/bytes.h"

namespace wasmrtc::srtp {
namespace {

using base::Bytes;

Bytes hex(std::string_view h) { return *base::from_hex(h); }

// Master key e1f97a0d..., salt 0ec675ad... (30 bytes of libsrtp's test key).
const Keys kVectorKeys{hex("e1f97a0d3e018be0d64fa32c06de4139"), hex("0ec675ad498afeebb6960b3aabe6")};
// RTP: V=2, PT 15, seq 0x1234, ts 0xdecafbad, SSRC 0xcafebabe, 16 bytes of 0xab.
const Bytes kRtp = hex("800f1234decafbadcafebabeabababababababababababababababab");

TEST(srtp_Session, Aes128CmSha1_80MatchesTheKnownAnswer) {
  auto s = Session::create(Profile::Aes128CmHmacSha1_80, kVectorKeys, kVectorKeys);
  ASSERT_TRUE(s.ok());
  auto wire = s->protect_rtp(kRtp);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(base::to_hex(*wire), "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
  auto back = s->unprotect_rtp(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, kRtp);
}

TEST(srtp_Session, Aes128CmSha1_32MatchesTheKnownAnswer) {
  auto s = Session::create(Profile::Aes128CmHmacSha1_32, kVectorKeys, kVectorKeys);
  ASSERT_TRUE(s.ok());
  auto wire = s->protect_rtp(kRtp);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(base::to_hex(*wire), "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc");
}

Keys keys_of(Profile p, uint8_t fill) {
  return Keys{Bytes(key_length(p), fill), Bytes(salt_length(p), static_cast<uint8_t>(fill + 1))};
}

class EveryProfile : public ::testing::TestWithParam<Profile> {};

// Two ends of one DTLS-SRTP transport: each protects with its own key and
// unprotects with the other's.
TEST_P(EveryProfile, RtpAndRtcpRoundTripBetweenTheTwoEnds) {
  const Profile p = GetParam();
  auto a = Session::create(p, keys_of(p, 1), keys_of(p, 7));
  auto b = Session::create(p, keys_of(p, 7), keys_of(p, 1));
  // Debian's libsrtp2 (NSS) and ours for WASM (Mbed TLS) both have GCM.
  ASSERT_TRUE(a.ok() && b.ok());
  for (uint16_t seq = 1; seq <= 50; ++seq) {
    Bytes rtp = kRtp;
    rtp[2] = static_cast<uint8_t>(seq >> 8);
    rtp[3] = static_cast<uint8_t>(seq);
    auto wire = a->protect_rtp(rtp);
    ASSERT_TRUE(wire.ok());
    EXPECT_NE(Bytes(wire->begin() + 12, wire->begin() + 28), Bytes(rtp.begin() + 12, rtp.end()));
    auto got = b->unprotect_rtp(*wire);
    ASSERT_TRUE(got.ok()) << to_string(got.error());
    EXPECT_EQ(*got, rtp);
  }
  // An RTCP sender report header + SSRC + some payload.
  const Bytes rtcp = hex("80c80006cafebabe0102030405060708090a0b0c0d0e0f1011121314");
  auto wire = b->protect_rtcp(rtcp);
  ASSERT_TRUE(wire.ok());
  auto got = a->unprotect_rtcp(*wire);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, rtcp);
}

TEST_P(EveryProfile, TamperingReplayAndWrongKeysAreRefused) {
  const Profile p = GetParam();
  auto a = Session::create(p, keys_of(p, 1), keys_of(p, 7));
  auto b = Session::create(p, keys_of(p, 7), keys_of(p, 1));
  auto stranger = Session::create(p, keys_of(p, 7), keys_of(p, 9));
  ASSERT_TRUE(a.ok() && b.ok() && stranger.ok());
  auto wire = a->protect_rtp(kRtp);
  ASSERT_TRUE(wire.ok());
  Bytes tampered = *wire;
  tampered[20] ^= 0x01;
  EXPECT_EQ(b->unprotect_rtp(tampered).error(), Error::AuthFailed);
  EXPECT_EQ(stranger->unprotect_rtp(*wire).error(), Error::AuthFailed);
  ASSERT_TRUE(b->unprotect_rtp(*wire).ok());
  EXPECT_EQ(b->unprotect_rtp(*wire).error(), Error::Replayed);
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfile,
                         ::testing::Values(Profile::Aes128CmHmacSha1_80, Profile::Aes128CmHmacSha1_32,
                                           Profile::AeadAes128Gcm, Profile::AeadAes256Gcm));

TEST(srtp_Session, RefusesKeysOfTheWrongLength) {
  Keys short_key{Bytes(15, 1), Bytes(14, 2)};
  EXPECT_EQ(Session::create(Profile::Aes128CmHmacSha1_80, short_key, kVectorKeys).error(), Error::BadKey);
  Keys long_salt{Bytes(16, 1), Bytes(14, 2)};
  EXPECT_EQ(Session::create(Profile::AeadAes128Gcm, long_salt, long_salt).error(), Error::BadKey);
}

TEST(srtp_Session, RefusesWhatIsNotRtp) {
  auto s = Session::create(Profile::Aes128CmHmacSha1_80, kVectorKeys, kVectorKeys);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->protect_rtp(hex("800f1234")).error(), Error::BadPacket);         // short
  EXPECT_EQ(s->protect_rtp(Bytes(20, 0x40)).error(), Error::BadPacket);         // version 1
  EXPECT_EQ(s->unprotect_rtp(hex("800f1234decafbad")).error(), Error::BadPacket);
  EXPECT_EQ(s->unprotect_rtcp(Bytes(4, 0x80)).error(), Error::BadPacket);
}

}  // namespace
}  // namespace wasmrtc::srtp
