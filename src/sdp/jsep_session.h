// JsepSession: the JSEP offer/answer state machine (RFC 8829) for one
// peer connection, owning the signaling state and the four descriptions,
// so the W3C methods (webrtc-pc createOffer, createAnswer,
// setLocalDescription, setRemoteDescription, addIceCandidate, restartIce)
// are thin calls. Sans-IO and synchronous: no promises, no events, no
// clocks. The caller serializes calls (the W3C operations chain does).
//
// Scope: one SCTP data channel m= section (RFC 8841) and any number of
// audio/video sections, one per transceiver (jsep_media.cc), all over one
// BUNDLE transport. A second data section or a section without a common
// codec is rejected in our answer: port 0, same mid, a=inactive, not
// bundled. m= sections are never recycled.
//
// Choices (where RFCs leave room, we do what Chromium does):
// - Offers say setup:actpass; answers say active to actpass, mirror
//   active/passive, holdconn to holdconn, and keep the role of an earlier
//   exchange on renegotiation (RFC 5763 section 5, RFC 8842 section 5).
// - o= starts at version 2 and increases by one with every created
//   description; the session id never changes (RFC 8829 section 5.2.2).
// - ICE options say "trickle"; credentials are 4 + 24 ice-chars.
// - Remote m= sections without a=mid get one (libwebrtc does the same).
// - setRemoteDescription(offer) in have-local-offer rolls back the local
//   offer first (webrtc-pc's implicit rollback, "perfect negotiation").
//   A rejected call changes nothing.
// - The signaling state is checked before the text, so a description of
//   the wrong type is InvalidStateError whatever it contains.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "sdp/builder.h"
#include "sdp/jsep_error.h"
#include "sdp/jsep_types.h"
#include "sdp/negotiated.h"
#include "sdp/session_description.h"
#include "sdp/transceiver.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// What a remote peer (through the page's signaling) may make one session
// hold; past them setRemoteDescription / addIceCandidate fail with
// OperationError (JsepErrorCode::DescriptionTooLarge, TooManyCandidates).
// Chromium's own offers are a few KiB with a section per track; an SFU's
// hundred-track offer stays far under these.
inline constexpr size_t kMaxDescriptionBytes = 512 * 1024;
inline constexpr size_t kMaxMediaSections = 512;
// Remote candidates per m= section, trickled or in the description.
inline constexpr size_t kMaxRemoteCandidates = 256;

struct JsepConfig {
  // Of our DTLS certificate(s) (RFC 8122 section 5). Required.
  std::vector<Fingerprint> fingerprints;
  uint16_t sctp_port = kDefaultSctpPort;
  // What we can receive; Chromium 156 announces 262144.
  uint64_t max_message_size = 262144;
  // The first ICE credentials; generated from `random` when unset.
  std::optional<IceCredentials> ice_credentials;
  // RTCP CNAME of every SSRC we send (RFC 7022); generated when empty.
  std::string cname;
  // The codecs we offer and accept, in our order, with our payload types
  // (RTCRtpSender/RTCRtpReceiver.getCapabilities); empty: the built-in
  // ones (supported_codecs). The embedder adds codecs it registered.
  std::vector<RtpCodec> audio_codecs, video_codecs;
  const std::vector<RtpCodec>& codecs(MediaKind kind) const {
    const auto& list = kind == MediaKind::Audio ? audio_codecs : video_codecs;
    return list.empty() ? supported_codecs(kind) : list;
  }
};

// A remote track starts or stops arriving (webrtc-pc "process the addition
// / removal of a remote track"): the page fires track or removes the
// track from its streams.
struct TrackChange {
  TransceiverHandle transceiver = 0;
  bool added = false;
  std::vector<std::string> stream_ids;
};

// webrtc-pc RTCOfferOptions.
struct OfferOptions {
  bool ice_restart = false;  // RFC 8829 section 5.2.3.1
};

// Where addIceCandidate puts a candidate (RTCIceCandidateInit without
// the candidate text).
struct CandidateTarget {
  std::optional<std::string> mid;
  std::optional<size_t> m_line_index;
  std::optional<std::string> ufrag;  // usernameFragment
};

struct RemoteCandidate {
  // Where it went; both nullopt for an end-of-candidates that applies to
  // every m= section.
  std::optional<std::string> mid;
  std::optional<size_t> m_line_index;
  std::optional<std::string> candidate;  // "candidate:..."; nullopt for end-of-candidates
  std::string ufrag;                      // the remote ufrag of that m= section
  // The m= section is the primary section (the data section, else the
  // first accepted one) or bundled with it, so the candidate is for the
  // transport negotiated() describes (if its ufrag is
  // negotiated().remote_ice.ufrag).
  bool for_data_transport = false;
  // The usernameFragment is an earlier remote description's (a candidate
  // of an ICE generation restarted away): nothing was added, and the
  // candidate is to be ignored, as in Chromium.
  bool stale = false;
};

// What to put in an RTCPeerConnectionIceEvent.
struct LocalCandidate {
  std::string mid;
  size_t m_line_index = 0;
  std::string candidate;  // "candidate:..."
  std::string ufrag;
};

class JsepSession {
 public:
  JsepSession(JsepConfig config, base::Random& random);

  // -- State (webrtc-pc attributes). --
  SignalingState signaling_state() const { return state_; }
  const std::optional<Description>& current_local_description() const { return current_local_; }
  const std::optional<Description>& pending_local_description() const { return pending_local_; }
  const std::optional<Description>& current_remote_description() const { return current_remote_; }
  const std::optional<Description>& pending_remote_description() const { return pending_remote_; }
  // Pending if any, else current (localDescription / remoteDescription).
  const std::optional<Description>& local_description() const;
  const std::optional<Description>& remote_description() const;

  // -- What the application asked for. --
  // True once createDataChannel was called: offers then carry a data
  // section (webrtc-pc createDataChannel, "negotiation-needed").
  void set_data_channels_wanted(bool wanted);
  bool data_channels_wanted() const { return data_wanted_; }
  // webrtc-pc restartIce(): the next offer gets new ICE credentials, until
  // an answer to such an offer is applied.
  void restart_ice();
  // webrtc-pc "check if negotiation is needed" (section 4.7.3): data,
  // ICE restart and transceivers.
  bool negotiation_needed() const;

  // -- Transceivers (RFC 8829 section 3.4.1, webrtc-pc section 5.4). --
  // A page-made transceiver (addTrack/addTransceiver): `t.handle` > 0; SSRCs
  // and the receiver's track id are filled in here.
  Transceiver& add_transceiver(Transceiver t);
  Transceiver* find_transceiver(TransceiverHandle handle);
  const std::vector<Transceiver>& transceivers() const { return transceivers_; }
  void set_direction(TransceiverHandle handle, Direction direction);
  // RTCRtpTransceiver.stop(): stopping now, stopped once an answer rejects it.
  void stop_transceiver(TransceiverHandle handle);
  // replaceTrack / addTrack / removeTrack / setStreams: what msid announces.
  void set_sender(TransceiverHandle handle, std::optional<std::string> track_id,
                  std::vector<std::string> stream_ids);
  void set_codec_preferences(TransceiverHandle handle, std::vector<RtpCodec> codecs);
  // The id the page's receiver track has (a browser gives a generated
  // track an id of its own): what stats name (and msid carries from now
  // on; no renegotiation needed).
  void set_receiver_track_id(TransceiverHandle handle, std::string id);
  // Remote tracks added or removed by the last description applied.
  std::vector<TrackChange> take_track_changes();
  const std::string& cname() const { return config_.cname; }

  // -- The W3C methods. --
  // RFC 8829 sections 5.2 (offer) and 5.3 (answer): the SDP text.
  JsepResult<std::string> create_offer(const OfferOptions& options = {});
  JsepResult<std::string> create_answer();
  // RFC 8829 section 5.5 / webrtc-pc setLocalDescription. A missing type
  // is chosen from the state; empty `sdp` uses the last created offer or
  // answer, or creates one (implicit setLocalDescription).
  JsepResult<void> set_local_description(std::optional<SdpType> type = std::nullopt,
                                         std::string_view sdp = {});
  // RFC 8829 section 5.6 / webrtc-pc setRemoteDescription.
  JsepResult<void> set_remote_description(SdpType type, std::string_view sdp);
  // webrtc-pc addIceCandidate: adds a=candidate (or, for empty text,
  // a=end-of-candidates) to the remote description.
  JsepResult<RemoteCandidate> add_remote_candidate(std::string_view candidate, const CandidateTarget& target);
  // webrtc-pc RTCPeerConnection.close(): state closed, all else refused.
  void close();

  // -- From the ICE agent. --
  // A gathered candidate ("candidate:..." with or without "a="), added to
  // the local description(s) using the same ICE credentials and to later
  // offers/answers (RFC 8829 section 5.2.2). Goes to the data section (or
  // the first non-rejected one) unless `mid` says otherwise.
  JsepResult<LocalCandidate> add_local_candidate(std::string_view candidate,
                                                 std::optional<std::string_view> mid = std::nullopt);
  // Gathering finished for the current local ICE credentials: adds
  // a=end-of-candidates (RFC 8840 section 8.2).
  JsepResult<void> end_of_local_candidates();

  // -- For the transports. --
  // What the latest offer/answer exchange settled (see negotiated.h):
  // stable uses the current descriptions, a pranswer state the pending
  // ones; answered is false before the first answer.
  Negotiated negotiated() const;
  // The credentials the ICE agent gathers with: those of the local
  // description (pending if any), else the first ones.
  IceCredentials local_ice_credentials() const;

 private:
  struct Created {
    std::string text;
    SessionDescription sdp;
    uint64_t description_epoch = 0;
    uint64_t options_epoch = 0;
    // The mids this offer gives to transceivers that had none.
    std::map<std::string, TransceiverHandle> new_mids;
  };
  // What rolling back an offer restores (webrtc-pc 4.4.1.5, rollback).
  struct TransceiverSnapshot {
    std::map<TransceiverHandle, std::optional<std::string>> mids;
    bool taken = false;
  };

  // jsep_session.cc
  JsepResult<void> rollback();
  JsepResult<SessionDescription> local_text(SdpType type, std::string_view sdp);
  void apply_local(SdpType type, SessionDescription sdp);
  void apply_remote(SdpType type, SessionDescription sdp);
  void exchange_completed(const Description& local, const Description& remote);
  Origin next_origin();

  // jsep_create.cc
  IceCredentials offer_credentials(const OfferOptions& options);
  IceCredentials answer_credentials() const;
  Setup answer_setup(const SessionDescription& offer, size_t index) const;

  // jsep_candidates.cc
  void add_gathered_candidates(SessionDescription& sdp) const;

  // jsep_media.cc
  MediaDescription offer_rtp_section(const LocalTransport& transport, const Transceiver& t,
                                     const std::string& mid) const;
  std::optional<MediaDescription> answer_rtp_section(const LocalTransport& transport,
                                                     const MediaDescription& offered) const;
  void take_snapshot();
  void restore_snapshot();
  void associate_local_offer(const SessionDescription& sdp);
  void associate_remote_offer(const SessionDescription& sdp);
  void process_remote_tracks(SdpType type, const SessionDescription& sdp);
  void process_local_answer(const SessionDescription& sdp);
  void settle_transceivers(const Description& local, const Description& remote);
  Transceiver* transceiver_for_mid(std::string_view mid);

  JsepConfig config_;
  base::Random& random_;
  SignalingState state_ = SignalingState::Stable;
  std::optional<Description> current_local_;
  std::optional<Description> pending_local_;
  std::optional<Description> current_remote_;
  std::optional<Description> pending_remote_;
  std::set<std::string> remote_ufrags_seen_;  // every remote description's ufrags

  std::string session_id_;
  uint64_t session_version_ = 1;  // the last one used
  IceCredentials first_ice_;
  bool data_wanted_ = false;
  // webrtc-pc [[LocalIceCredentialsToReplace]].
  std::vector<IceCredentials> ice_to_replace_;

  // webrtc-pc [[LastCreatedOffer]] / [[LastCreatedAnswer]]. Explicit
  // setLocalDescription text is compared with them; implicit
  // setLocalDescription reuses them only while nothing was applied
  // (description epoch) or asked for (options epoch) since.
  std::optional<Created> last_offer_;
  std::optional<Created> last_answer_;
  uint64_t description_epoch_ = 0;
  uint64_t options_epoch_ = 0;

  // History of completed exchanges, for Negotiated::generation/ice_restart.
  uint64_t generation_ = 0;
  bool ice_restart_ = false;
  std::optional<std::pair<IceCredentials, IceCredentials>> last_exchange_ice_;

  // Gathered local candidates by the ufrag they were gathered for.
  struct Gathering {
    std::vector<std::string> candidates;  // attribute values (after "candidate:")
    bool complete = false;
  };
  std::map<std::string, Gathering> gathered_;

  std::vector<Transceiver> transceivers_;
  TransceiverHandle next_remote_transceiver_ = -1;
  TransceiverSnapshot snapshot_;
  std::vector<TrackChange> track_changes_;
};

}  // namespace wasmrtc::sdp
