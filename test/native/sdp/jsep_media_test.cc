// Transceivers in JSEP (RFC 8829 sections 5.2.1, 5.3.1, 5.10, 5.11;
// webrtc-pc 4.4.1.5): audio/video sections, association of remote offers,
// track events, directions, stop, rollback and codec preferences.
#include <gtest/gtest.h>

#include "sdp/parse.h"
#include "sdp/rtp_attributes.h"
#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::negotiate;
using test::Peer;

Transceiver audio(TransceiverHandle handle, std::vector<std::string> streams = {"stream-a"},
                  Direction d = Direction::SendRecv) {
  Transceiver t;
  t.handle = handle;
  t.kind = MediaKind::Audio;
  t.direction = d;
  t.added_by_add_track = true;
  t.sender_track_id = "track-" + std::to_string(handle);
  t.stream_ids = std::move(streams);
  return t;
}

TEST(Transceivers, AudioOfferLooksLikeChromium) {
  Peer a(1);
  a->add_transceiver(audio(1));
  EXPECT_TRUE(a->negotiation_needed());
  auto offer = parse(a->create_offer().value()).value();
  ASSERT_EQ(offer.media.size(), 1u);
  const auto& m = offer.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.mid(), "0");
  EXPECT_EQ(m.direction(), Direction::SendRecv);
  EXPECT_TRUE(m.rtcp_mux());
  EXPECT_EQ(offer.attributes.value("group"), "BUNDLE 0");
  // Opus, G.711 (PCMU, PCMA), then telephone-event (RFC 4733) at 48 and
  // 8 kHz, as Chromium numbers them.
  auto codecs = rtp_codecs(m);
  ASSERT_EQ(codecs.size(), 5u);
  EXPECT_EQ(codecs[0].payload_type, 111);
  EXPECT_EQ(codecs[0].clock_rate, 48000u);
  EXPECT_EQ(codecs[1].payload_type, 0);
  EXPECT_EQ(codecs[1].name, "PCMU");
  EXPECT_EQ(codecs[2].payload_type, 8);
  EXPECT_EQ(codecs[2].name, "PCMA");
  EXPECT_EQ(codecs[2].clock_rate, 8000u);
  EXPECT_EQ(codecs[3].payload_type, 110);
  EXPECT_EQ(codecs[3].name, "telephone-event");
  EXPECT_EQ(codecs[3].clock_rate, 48000u);
  EXPECT_EQ(codecs[3].fmtp, "");
  EXPECT_EQ(codecs[4].payload_type, 126);
  EXPECT_EQ(codecs[4].clock_rate, 8000u);
  EXPECT_NE(a->create_offer().value().find("a=rtpmap:0 PCMU/8000\r\n"), std::string::npos);
  auto ids = msids(m);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].stream_id, "stream-a");
  const auto& t = a->transceivers()[0];
  EXPECT_EQ(ssrcs(m), (std::vector<uint32_t>{t.ssrc}));
  EXPECT_EQ(ssrc_cname(m), a->cname());
  // The mid is the transceiver's only once the offer is applied.
  EXPECT_FALSE(t.mid);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_EQ(a->transceivers()[0].mid, "0");
}

// webrtc-pc 5.4 setCodecPreferences: the page names codecs by capability;
// the offer lists ours, with our payload types, in the page's order, and
// what we do not have is left out.
TEST(Transceivers, CodecPreferencesGetOurPayloadTypes) {
  Peer a(1);
  a->add_transceiver(audio(1));
  a->set_codec_preferences(1, {RtpCodec{0, "pcma", 8000, 1, "", {}}, RtpCodec{77, "opus", 48000, 2, "", {}},
                               RtpCodec{0, "G722", 8000, 1, "", {}}, RtpCodec{0, "PCMA", 8000, 1, "", {}}});
  auto offer = parse(a->create_offer().value()).value();
  auto codecs = rtp_codecs(offer.media[0]);
  ASSERT_EQ(codecs.size(), 2u);
  EXPECT_EQ(codecs[0].payload_type, 8);
  EXPECT_EQ(codecs[0].name, "PCMA");
  EXPECT_EQ(codecs[1].payload_type, 111);
  EXPECT_EQ(codecs[1].fmtp, "minptime=10;useinbandfec=1");
}

TEST(Transceivers, RemoteOfferMakesATrackAndAnAddTrackTransceiverIsReused) {
  Peer a(1);
  Peer b(2, 'B');
  a->add_transceiver(audio(1, {"s1"}));
  b->add_transceiver(audio(7, {"s2"}));  // addTrack before the offer arrives
  negotiate(a, b);
  // b's addTrack transceiver took the offered section (no new one).
  ASSERT_EQ(b->transceivers().size(), 1u);
  EXPECT_EQ(b->transceivers()[0].handle, 7);
  EXPECT_EQ(b->transceivers()[0].mid, "0");
  EXPECT_EQ(b->transceivers()[0].current_direction, Direction::SendRecv);
  EXPECT_EQ(a->transceivers()[0].current_direction, Direction::SendRecv);
  auto bt = b->take_track_changes();
  ASSERT_EQ(bt.size(), 1u);
  EXPECT_TRUE(bt[0].added);
  EXPECT_EQ(bt[0].transceiver, 7);
  EXPECT_EQ(bt[0].stream_ids, (std::vector<std::string>{"s1"}));
  auto at = a->take_track_changes();
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].stream_ids, (std::vector<std::string>{"s2"}));
  EXPECT_FALSE(a->negotiation_needed());
  EXPECT_FALSE(b->negotiation_needed());

  auto na = a->negotiated();
  ASSERT_EQ(na.media.size(), 1u);
  EXPECT_EQ(na.media[0].remote_ssrcs, (std::vector<uint32_t>{b->transceivers()[0].ssrc}));
  EXPECT_EQ(na.media[0].codecs.front().name, "opus");
}

// RFC 8830 msid as Chromium reads it (WPT setRemoteDescription-nomsid,
// RTCTrackEvent-fire): no msid at all still gives the track a stream (one
// random id, kept across re-offers); a=ssrc lines without msid give the
// legacy "default" stream; a repeated a=msid line names one stream;
// "a=msid:-" gives none.
TEST(Transceivers, RemoteMsidDefaultsAndDuplicates) {
  const std::string head =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp-mux\r\na=mid:0\r\na=sendrecv\r\n"
      "a=ice-ufrag:someufrag\r\na=ice-pwd:somelongpwdwithenoughrandomness\r\n"
      "a=fingerprint:sha-256 00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\r\n"
      "a=setup:actpass\r\na=rtpmap:111 opus/48000/2\r\n";
  auto streams_after = [](Peer& p, const std::string& sdp) {
    EXPECT_TRUE(p->set_remote_description(SdpType::Offer, sdp).ok());
    auto changes = p->take_track_changes();
    EXPECT_EQ(changes.size(), 1u);
    return changes.empty() ? std::vector<std::string>{} : changes[0].stream_ids;
  };
  {
    Peer p(1);
    auto none = streams_after(p, head);
    ASSERT_EQ(none.size(), 1u);
    EXPECT_FALSE(none[0].empty());
    EXPECT_NE(none[0], "default");
    // The same section offered again: the same stream, so no track change.
    ASSERT_JSEP_OK(p->set_local_description());
    ASSERT_JSEP_OK(p->set_remote_description(SdpType::Offer, head));
    EXPECT_TRUE(p->take_track_changes().empty());
  }
  {
    Peer p(1);
    EXPECT_EQ(streams_after(p, head + "a=ssrc:3 cname:4\r\n"), (std::vector<std::string>{"default"}));
  }
  {
    Peer p(1);
    EXPECT_EQ(streams_after(p, head + "a=msid:1 2\r\na=msid:1 2\r\n"), (std::vector<std::string>{"1"}));
  }
  {
    Peer p(1);
    EXPECT_EQ(streams_after(p, head + "a=msid:- 2\r\n"), (std::vector<std::string>{}));
  }
}

TEST(Transceivers, DirectionChangeRenegotiatesAndRemovesTheRemoteTrack) {
  Peer a(1);
  Peer b(2, 'B');
  a->add_transceiver(audio(1));
  negotiate(a, b);
  (void)b->take_track_changes();
  a->set_direction(1, Direction::RecvOnly);
  EXPECT_TRUE(a->negotiation_needed());
  negotiate(a, b);
  auto changes = b->take_track_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_FALSE(changes[0].added);
  // b's transceiver was created by the offer: recvonly, so now inactive.
  EXPECT_EQ(b->transceivers()[0].current_direction, Direction::Inactive);
  EXPECT_EQ(a->transceivers()[0].current_direction, Direction::Inactive);
  a->set_direction(1, Direction::SendRecv);
  negotiate(a, b);
  changes = b->take_track_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].added);
}

TEST(Transceivers, StopRejectsTheSectionAndStopsBothSides) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  a->add_transceiver(audio(1));
  negotiate(a, b);
  a->stop_transceiver(1);
  EXPECT_TRUE(a->negotiation_needed());
  negotiate(a, b);
  EXPECT_TRUE(a->transceivers()[0].stopped);
  EXPECT_TRUE(b->transceivers()[0].stopped);
  const auto& offer = a->current_local_description()->sdp;
  EXPECT_EQ(offer.media[0].port, 0);
  EXPECT_EQ(offer.attributes.value("group"), "BUNDLE 1");
  // The data section lives on.
  EXPECT_EQ(a->negotiated().data_mid, "1");
  EXPECT_TRUE(a->negotiated().media.empty());
  EXPECT_FALSE(a->negotiation_needed());
}

TEST(Transceivers, StopAfterTheOfferLeavesTheSectionUntilTheNextOffer) {
  // webrtc-pc 5.4 stop(): the offerer stops after its offer is made; the
  // answer keeps the section, so the transceiver is stopping, not stopped.
  Peer a(1);
  Peer b(2, 'B');
  a->add_transceiver(audio(1));
  b->add_transceiver(audio(1));
  auto offer = a->create_offer();
  ASSERT_TRUE(offer.ok());
  a->stop_transceiver(1);
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Offer, offer.value()));
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, offer.value()));
  // The answerer stops too, after the offer came: "inactive", not rejected.
  b->stop_transceiver(1);
  auto answer_sdp = b->create_answer();
  ASSERT_TRUE(answer_sdp.ok());
  auto answer = parse(answer_sdp.value()).value();
  EXPECT_NE(answer.media[0].port, 0);
  EXPECT_EQ(answer.media[0].direction(), Direction::Inactive);
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Answer, answer_sdp.value()));
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, answer_sdp.value()));
  EXPECT_TRUE(a->transceivers()[0].stopping);
  EXPECT_FALSE(a->transceivers()[0].stopped);
  EXPECT_FALSE(b->transceivers()[0].stopped);
  EXPECT_EQ(b->transceivers()[0].current_direction, Direction::Inactive);
  // The next offer rejects it: stopped on both sides.
  EXPECT_TRUE(a->negotiation_needed());
  negotiate(a, b);
  EXPECT_TRUE(a->transceivers()[0].stopped);
  EXPECT_TRUE(b->transceivers()[0].stopped);
}

TEST(Transceivers, AddingAudioLaterKeepsDataAndAppendsASection) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  negotiate(a, b);
  a->add_transceiver(audio(1));
  negotiate(a, b);
  const auto& offer = a->current_local_description()->sdp;
  ASSERT_EQ(offer.media.size(), 2u);
  EXPECT_EQ(offer.media[0].media, "application");
  EXPECT_EQ(offer.media[1].media, "audio");
  EXPECT_EQ(offer.attributes.value("group"), "BUNDLE 0 1");
  EXPECT_FALSE(a->negotiated().ice_restart);
  EXPECT_EQ(a->negotiated().data_mid, "0");
  EXPECT_EQ(b->negotiated().media.size(), 1u);
}

TEST(Transceivers, RollbackOfARemoteOfferForgetsItsTransceivers) {
  Peer a(1);
  Peer b(2, 'B');
  a->add_transceiver(audio(1));
  ASSERT_JSEP_OK(a->set_local_description());
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  ASSERT_EQ(b->transceivers().size(), 1u);
  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Rollback, ""));
  EXPECT_TRUE(b->transceivers().empty());
  // And of a local offer: the mid goes back to null.
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Rollback));
  EXPECT_FALSE(a->transceivers()[0].mid);
}

TEST(Transceivers, NoCommonCodecRejects) {
  Peer a(1);
  Peer b(2, 'B');
  Transceiver t = audio(1);
  t.codec_preferences = {RtpCodec{9, "G722", 8000, 1, "", {}}};  // one we do not have
  a->add_transceiver(t);
  negotiate(a, b);
  EXPECT_EQ(b->current_local_description()->sdp.media[0].port, 0);
  EXPECT_TRUE(a->transceivers()[0].stopped);
}

TEST(Transceivers, RemoteSendOnlyGivesRecvOnlyAndNoSsrcs) {
  Peer a(1);
  Peer b(2, 'B');
  a->add_transceiver(audio(1, {}, Direction::SendOnly));
  negotiate(a, b);
  const auto& answer = b->current_local_description()->sdp.media[0];
  EXPECT_EQ(answer.direction(), Direction::RecvOnly);
  EXPECT_TRUE(ssrcs(answer).empty());
  EXPECT_EQ(a->transceivers()[0].current_direction, Direction::SendOnly);
  auto changes = b->take_track_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].stream_ids.empty());  // "a=msid:- <track>"
}

}  // namespace
}  // namespace wasmrtc::sdp
