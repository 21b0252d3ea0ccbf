// The RTP half of the transceivers: one sender and one
// receiver per negotiated audio or video m= section, on the BUNDLE transport's
// SRTP session (RFC 8843 section 9.2 for demultiplexing, RFC 3550 for
// RTP/RTCP, RFC 7587 for Opus). MediaSession (pc/media_session.h) drives them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/time.h"
#include "codec/audio_encoder.h"
#include "codec/video_decoder.h"
#include "codec/video_encoder.h"
#include "rtp/packet.h"
#include "rtp/packet_history.h"
#include "rtp/telephone_event.h"
#include "rtp/vp8_payload.h"
#include "media/audio_jitter_buffer.h"
#include "media/video_jitter_buffer.h"
#include "pc/codec_registry.h"
#include "media/unwrap.h"
#include "rtp/receive_statistics.h"
#include "rtp/send_statistics.h"
#include "sdp/negotiated.h"
#include "sdp/transceiver.h"

namespace wasmrtc::pc {

// What the page asked of one transceiver (addTrack / addTransceiver and the
// RTCRtpTransceiver / RTCRtpSender setters after it).
struct TransceiverRequest {
  sdp::TransceiverHandle handle = 0;
  sdp::MediaKind kind = sdp::MediaKind::Audio;
  sdp::Direction direction = sdp::Direction::SendRecv;
  std::optional<std::string> track_id;
  std::vector<std::string> stream_ids;
  bool added_by_add_track = false;
  // The id of the receiver's track the page already made (webrtc-pc
  // 5.1 addTransceiver: a new MediaStreamTrack); inbound-rtp stats name
  // it (webrtc-stats trackIdentifier). Empty: the engine makes one.
  std::string receiver_track_id;
};

struct RtpSender {
  sdp::TransceiverHandle handle = 0;
  std::string mid;
  uint32_t ssrc = 0;
  uint8_t payload_type = 0;
  std::string codec_name;
  uint32_t clock_rate = 48000;
  uint16_t channels = 2;  // of the negotiated format (opus is always /2)
  std::string fmtp;       // the peer's, for the encoder (RFC 7587 section 6.1)
  std::optional<uint32_t> ptime_ms;  // the peer's a=ptime (RFC 4566 / 8866 6.4)
  std::optional<uint8_t> mid_extension;
  std::optional<uint8_t> level_extension;
  bool negotiated_send = false;  // the negotiated direction sends
  bool active = true;            // encodings[0].active (setParameters)
  std::optional<uint32_t> max_bitrate;
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  std::unique_ptr<codec::AudioEncoder> encoder;
  uint32_t encoder_rate = 0;
  uint8_t encoder_channels = 0;
  std::optional<rtp::SendStream> stats;
  uint64_t frames_in = 0;
  // webrtc-stats "media-source": what the track gave (before encoding).
  struct Source {
    double audio_level = 0;           // linear, 1.0 = 0 dBov, of the last frame
    double total_audio_energy = 0;    // sum of level^2 * duration
    double total_samples_duration = 0;
    uint32_t width = 0, height = 0;   // of the last video frame
    uint64_t frames = 0;              // video frames
    std::deque<base::Timestamp> frame_times;  // the last second's video frames
  } source;
  // The codec of the format sent (pc/codec_registry.h: built in or
  // registered), null for one we cannot run. Without an encoder factory
  // the embedder encodes (MediaSession::send_encoded_video/audio).
  const CodecRegistration* codec = nullptr;
  // Video (RFC 7741 VP8, or a registered codec): the encoder, made at the
  // first frame's size.
  std::unique_ptr<codec::VideoEncoder> video_encoder;
  std::optional<rtp::Vp8Packetizer> packetizer;
  bool keyframe_requested = false;  // a PLI or FIR arrived (RFC 4585 6.3.1, RFC 5104 4.3.1)
  // NACK answers (RFC 4585 6.2.1) from the last second of packets, resent
  // as RTX (RFC 4588) when negotiated; once per round trip and within the
  // congestion-control target (rtp::PacketHistory).
  rtp::PacketHistory history;
  std::optional<uint8_t> rtx_payload_type;
  uint32_t rtx_ssrc = 0;
  uint16_t rtx_sequence_number = 0;
  uint64_t nacks_received = 0;
  uint64_t plis_received = 0, firs_received = 0;
  uint32_t frame_width = 0, frame_height = 0;
  uint64_t frames_sent = 0;  // encoded frames packetized and handed to the pacer
  uint64_t keyframes_in = 0;  // keyframes the embedder's encoder handed in
  std::deque<base::Timestamp> frame_times;  // of the last second's encoded frames (framesPerSecond)
  uint8_t last_level = 127;  // RFC 6464 -dBov of the last frame
  // Congestion control (pc/congestion.cc): the transport-wide sequence
  // number's extension id when transport-cc is negotiated for this
  // section; the rate the estimate gives this (video) sender; the last
  // report block's highest sequence number (loss without transport-cc).
  std::optional<uint8_t> transport_cc_extension;
  uint32_t target_bitrate = 0;
  std::optional<uint32_t> last_report_highest;
  // DTMF (webrtc-pc section 7, pc/dtmf.cc): the negotiated telephone-event
  // format at the audio codec's clock rate, and the event being sent; audio
  // packets wait while it plays. `dtmf_end` is where the media clock must
  // be once it ends (it does not move without audio frames).
  std::optional<uint8_t> telephone_event_payload_type;
  rtp::TelephoneEventSender dtmf;
  std::optional<uint32_t> dtmf_end;
};

// RFC 8843 section 15: the mid in every packet, so the peer can route it
// before it has seen our SSRC in a description.
inline void add_mid_extension(const RtpSender& s, rtp::RtpPacket& p) {
  if (s.mid_extension) p.extensions.push_back(rtp::Extension{*s.mid_extension, base::Bytes(s.mid.begin(), s.mid.end())});
}

struct RtpReceiver {
  std::string mid;
  std::set<uint8_t> payload_types;
  // RFC 4733 telephone-event formats (payload type -> clock rate); the
  // timestamp of the event being received (its first segment's, 2.5.1.3)
  // and that of the last end reported, which comes three times.
  std::map<uint8_t, uint32_t> telephone_event_payload_types;
  std::optional<uint32_t> dtmf_event_start;
  std::optional<uint32_t> last_dtmf_end;
  std::set<uint32_t> signalled_ssrcs;  // a=ssrc of the remote section
  std::optional<uint32_t> ssrc;        // what actually arrives
  uint8_t payload_type = 0;            // the answer's first media format
  // Every audio format of the answer the peer may send, by payload type;
  // the jitter buffer decodes the one it was made for.
  std::map<uint8_t, sdp::RtpCodec> audio_formats;
  uint8_t jitter_buffer_payload_type = 0;
  std::string codec_name;
  uint32_t clock_rate = 48000;
  uint16_t channels = 2;
  std::string fmtp;
  bool receiving = false;  // the negotiated direction receives
  std::unique_ptr<media::AudioJitterBuffer> jitter_buffer;
  std::optional<rtp::ReceiveStream> stats;
  std::optional<base::Timestamp> next_playout;
  std::optional<base::Timestamp> last_packet;
  std::optional<uint32_t> last_rtp_timestamp;
  uint64_t packets_discarded_srtp = 0;
  uint64_t frames_out = 0;
  // The codec of the answer's first format (see RtpSender).
  const CodecRegistration* codec = nullptr;
  // Video: the jitter buffer (it decides waiting, NACK and keyframe
  // requests) and the decoder; whether NACK was negotiated (rtcp-fb nack).
  std::unique_ptr<media::VideoJitterBuffer> video_buffer;
  std::unique_ptr<codec::VideoDecoder> video_decoder;
  bool nack = true;
  std::optional<uint8_t> rtx_payload_type;
  uint64_t plis_sent = 0;
  uint64_t nacks_sent = 0;
  uint64_t retransmissions_received = 0;
  // webrtc-stats jitterBufferDelay for video: first packet to leaving the
  // buffer, summed over the frames that left.
  double video_jitter_buffer_delay = 0;
  uint64_t video_jitter_buffer_emitted = 0;
  std::deque<base::Timestamp> frame_times;  // of the last second's decoded frames
  uint32_t frame_width = 0, frame_height = 0;
};

struct MediaSection {
  sdp::TransceiverHandle handle = 0;
  sdp::MediaKind kind = sdp::MediaKind::Audio;
  RtpSender sender;
  RtpReceiver receiver;
};

}  // namespace wasmrtc::pc
