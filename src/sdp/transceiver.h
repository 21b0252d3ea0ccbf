// JSEP's view of an RTCRtpTransceiver (RFC 8829 section 3.4.1, webrtc-pc
// section 5.4): what it asks to send and receive, where it sits in the
// descriptions, and what the remote side said about its m= section.
// JsepSession owns these; the page-side objects mirror them by handle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/capabilities.h"
#include "sdp/rtp_attributes.h"
#include "sdp/values.h"

namespace wasmrtc::sdp {

// Positive handles come from the page (addTrack, addTransceiver); negative
// ones are made by JSEP for remote offers (webrtc-pc 4.4.1.5 "create an
// RTCRtpTransceiver").
using TransceiverHandle = int32_t;

struct Transceiver {
  TransceiverHandle handle = 0;
  MediaKind kind = MediaKind::Audio;
  Direction direction = Direction::SendRecv;               // [[Direction]]
  std::optional<Direction> current_direction;              // [[CurrentDirection]]
  std::optional<Direction> fired_direction;                // [[FiredDirection]]
  std::optional<std::string> mid;                          // [[Mid]]
  bool stopping = false;                                   // [[Stopping]]
  bool stopped = false;                                    // [[Stopped]]
  bool added_by_add_track = false;  // may be associated with a remote offer's section
  bool created_by_remote = false;   // made by setRemoteDescription (negative handle)

  // [[Sender]]: the msid we announce (RFC 8830) and our SSRCs.
  std::optional<std::string> sender_track_id;  // nullopt: no track
  std::vector<std::string> stream_ids;         // [[AssociatedMediaStreamIds]]
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;  // video only
  std::vector<RtpCodec> codec_preferences;  // setCodecPreferences; empty = ours

  // [[Receiver]]: its track id (fixed at creation) and what the remote
  // description says it sends (RFC 8830 msid).
  std::string receiver_track_id;
  std::vector<std::string> remote_stream_ids;
  // The stream a section without any msid puts the track in, made once
  // (random, as Chromium's), so re-offers keep the track where it is.
  std::string default_stream_id;
};

}  // namespace wasmrtc::sdp
