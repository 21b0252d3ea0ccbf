// Opus SDP parameters (RFC 7587 6.1): parsing what browsers send, round
// trips, malformed values, and the encoder configuration a remote's
// parameters ask for (RFC 7587 7.1).
#include "codec/opus_fmtp.h"

#include <gtest/gtest.h>

namespace wasmrtc::codec {
namespace {

TEST(codec_OpusFmtp, ParsesWhatChromeOffers) {
  auto f = parse_opus_fmtp("minptime=10;useinbandfec=1");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->minptime, 10u);
  EXPECT_TRUE(f->useinbandfec);
  EXPECT_FALSE(f->stereo);
  EXPECT_FALSE(f->usedtx);
  EXPECT_FALSE(f->maxaveragebitrate.has_value());
  EXPECT_EQ(*f, OpusFmtp::webrtc_default());
  EXPECT_EQ(to_string(*f), "minptime=10;useinbandfec=1");
}

TEST(codec_OpusFmtp, ParsesEveryParameter) {
  auto f = parse_opus_fmtp(
      "maxplaybackrate=16000; sprop-maxcapturerate=24000;maxptime=60;ptime=40;minptime=10;"
      "maxaveragebitrate=20000;stereo=1;sprop-stereo=1;cbr=1;useinbandfec=1;usedtx=1");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->maxplaybackrate, 16000u);
  EXPECT_EQ(f->sprop_maxcapturerate, 24000u);
  EXPECT_EQ(f->maxptime, 60u);
  EXPECT_EQ(f->ptime, 40u);
  EXPECT_EQ(f->minptime, 10u);
  EXPECT_EQ(f->maxaveragebitrate, 20000u);
  EXPECT_TRUE(f->stereo && f->sprop_stereo && f->cbr && f->useinbandfec && f->usedtx);
  // The canonical form round trips byte for byte.
  const std::string canonical = to_string(*f);
  EXPECT_EQ(canonical,
            "maxplaybackrate=16000;sprop-maxcapturerate=24000;maxptime=60;ptime=40;minptime=10;"
            "maxaveragebitrate=20000;stereo=1;sprop-stereo=1;cbr=1;useinbandfec=1;usedtx=1");
  EXPECT_EQ(parse_opus_fmtp(canonical).value(), *f);
}

TEST(codec_OpusFmtp, ZerosUnknownsAndSpacingAreTolerated) {
  auto f = parse_opus_fmtp(" stereo=0 ; USEINBANDFEC=1;;x-google-min-bitrate=30;");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->stereo);
  EXPECT_TRUE(f->useinbandfec);
  EXPECT_EQ(to_string(*f), "useinbandfec=1");  // 0 is the default: not written
  EXPECT_EQ(parse_opus_fmtp("").value(), OpusFmtp{});
  EXPECT_EQ(to_string(OpusFmtp{}), "");
}

TEST(codec_OpusFmtp, MalformedValuesAreErrors) {
  for (const char* bad : {"stereo=2", "stereo=", "stereo=yes", "useinbandfec=-1", "usedtx=01x",
                          "maxaveragebitrate=5999", "maxaveragebitrate=510001",
                          "maxaveragebitrate=abc", "maxaveragebitrate=99999999999999",
                          "maxplaybackrate=7999", "maxplaybackrate=48001", "minptime=2",
                          "maxptime=121", "ptime=+20", "minptime=10;stereo", "=1", "cbr=1 0"}) {
    auto f = parse_opus_fmtp(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error(), Error::BadFmtp) << bad;
  }
}

TEST(codec_OpusFmtp, EncoderFollowsTheRemoteDecoder) {
  auto c = encoder_config_for(parse_opus_fmtp("minptime=10;useinbandfec=1").value());
  EXPECT_EQ(c.channels, 1);
  EXPECT_TRUE(c.fec);
  EXPECT_FALSE(c.dtx);
  EXPECT_EQ(c.ptime_ms, 20u);
  EXPECT_EQ(c.bitrate_bps, 0u);

  c = encoder_config_for(parse_opus_fmtp("stereo=1;usedtx=1;maxaveragebitrate=40000;cbr=1").value());
  EXPECT_EQ(c.channels, 2);
  EXPECT_FALSE(c.fec);
  EXPECT_TRUE(c.dtx);
  EXPECT_TRUE(c.cbr);
  EXPECT_EQ(c.bitrate_bps, 40000u);

  // Our sprop-stereo says nothing about what the remote decodes: mono.
  EXPECT_EQ(encoder_config_for(parse_opus_fmtp("sprop-stereo=1").value()).channels, 1);
  // A local bitrate below the remote's cap stays; above it is capped.
  EXPECT_EQ(encoder_config_for(parse_opus_fmtp("maxaveragebitrate=40000").value(),
                               {.bitrate_bps = 24000}).bitrate_bps, 24000u);
  EXPECT_EQ(encoder_config_for(parse_opus_fmtp("maxaveragebitrate=40000").value(),
                               {.bitrate_bps = 64000}).bitrate_bps, 40000u);
  EXPECT_EQ(encoder_config_for(parse_opus_fmtp("maxplaybackrate=16000").value()).max_playback_rate,
            16000u);
}

TEST(codec_OpusFmtp, PacketTimeWithinTheRemoteLimits) {
  auto ptime = [](const char* fmtp, uint32_t local) {
    return encoder_config_for(parse_opus_fmtp(fmtp).value(), {.ptime_ms = local}).ptime_ms;
  };
  EXPECT_EQ(ptime("", 60), 60u);
  EXPECT_EQ(ptime("ptime=40", 20), 40u);    // the remote's preference wins
  EXPECT_EQ(ptime("ptime=30", 20), 20u);    // nearest Opus can make (ties: the shorter)
  EXPECT_EQ(ptime("maxptime=20", 60), 20u);
  EXPECT_EQ(ptime("minptime=40", 10), 40u);
  EXPECT_EQ(ptime("minptime=20;maxptime=40", 60), 40u);
  EXPECT_EQ(ptime("maxptime=5", 20), 10u);  // unsatisfiable: the shortest
}

}  // namespace
}  // namespace wasmrtc::codec
