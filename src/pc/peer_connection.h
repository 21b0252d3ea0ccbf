// One RTCPeerConnection (webrtc-pc section 4): JSEP (sdp::JsepSession,
// RFC 8829) driving three parts it composes, the transport stack
// (pc/transport_stack.h: ICE, DTLS, the RFC 7983 demultiplexer), the data
// channels (pc/data_channels.h: SCTP) and the media session
// (pc/media_session.h: SRTP, RTP/RTCP, congestion control), and the W3C
// states that aggregate them (signaling, ICE connection and gathering,
// connection: webrtc-pc 4.3). Sans-IO like every layer: the Engine routes
// inputs here and collects what this pushes into its output queue.
//
// The W3C state the page sees is decided here and reported as events and
// command results (pc/record.h); the page-side objects in js/webrtc mirror
// it in the tasks webrtc-pc prescribes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/random.h"
#include "base/socket_address.h"
#include "base/time.h"
#include "dtls/certificate.h"
#include "pc/codec_registry.h"
#include "pc/data_channels.h"
#include "pc/error.h"
#include "pc/media.h"
#include "pc/media_session.h"
#include "pc/record.h"
#include "pc/transport_stack.h"
#include "sdp/jsep_session.h"

namespace wasmrtc::pc {

using PcHandle = uint32_t;

struct Configuration {
  dtls::Certificate certificate;
  bool relay_only = false;  // iceTransportPolicy "relay"
  // Unix time in microseconds minus the engine's clock: NTP timestamps in
  // RTCP sender reports (RFC 3550 section 6.4.1) need the wall clock.
  int64_t wall_clock_offset_us = 0;
  // The engine's codecs (built-in and registered); null: built-in only.
  // Outlives the connection.
  const CodecRegistry* codecs = nullptr;
};

// Changes to one transceiver after it was made (webrtc-pc
// RTCRtpTransceiver.direction/stop/setCodecPreferences,
// RTCRtpSender.replaceTrack/setStreams/setParameters, removeTrack).
struct TransceiverUpdate {
  sdp::TransceiverHandle handle = 0;
  std::optional<sdp::Direction> direction;
  // (track id, stream ids) for msid; nullopt track id: no track.
  std::optional<std::pair<std::optional<std::string>, std::vector<std::string>>> sender;
  std::optional<std::vector<sdp::RtpCodec>> codec_preferences;
  bool stop = false;
  std::optional<bool> active;             // encodings[0].active
  std::optional<uint32_t> max_bitrate;    // encodings[0].maxBitrate; 0 clears
  // The page's receiver track, when its id is not the one the engine
  // gave a transceiver a remote offer made (inbound-rtp trackIdentifier).
  std::optional<std::string> receiver_track_id;
};

// What leaves the engine.
struct PcEvent {
  PcHandle pc;
  Record event;
};
using Output = std::variant<ice::Transmit, ice::StreamTransmit, PcEvent>;

class PeerConnection {
 public:
  PeerConnection(PcHandle handle, Configuration config, base::Random& random, std::deque<Output>& out);
  ~PeerConnection();
  PeerConnection(const PeerConnection&) = delete;
  PeerConnection& operator=(const PeerConnection&) = delete;

  // ---- transports offered by the embedder (before the first description)
  void add_host_socket(ice::SocketId socket, const base::SocketAddress& local);
  void add_stun_server(const base::SocketAddress& server, const std::string& url);
  void add_turn_server(const ice::TurnServer& server);
  void report_candidate_error(Record error);

  // ---- W3C operations (webrtc-pc 4.4.1.x); results are records for the page
  Result<Record> create_offer(base::Timestamp now, bool ice_restart);
  Result<Record> create_answer(base::Timestamp now);
  Result<Record> set_local_description(base::Timestamp now, const std::string& type, const std::string& sdp);
  Result<Record> set_remote_description(base::Timestamp now, const std::string& type, const std::string& sdp);
  Result<Record> add_ice_candidate(base::Timestamp now, const std::string& candidate,
                                   const std::optional<std::string>& mid,
                                   const std::optional<uint32_t>& m_line_index,
                                   const std::optional<std::string>& ufrag);
  void restart_ice() { jsep_.restart_ice(); }
  // setConfiguration's iceTransportPolicy (webrtc-pc 4.4.1.6): candidates
  // are filtered from now on, checks from the next ICE restart.
  void set_relay_only(bool relay_only) {
    config_.relay_only = relay_only;
    transport_.set_relay_only(relay_only);
  }
  void create_data_channel(base::Timestamp now, const ChannelRequest& request);
  void send(base::Timestamp now, ChannelHandle channel, bool binary, base::ByteView data);
  void close_data_channel(base::Timestamp now, ChannelHandle channel);
  RecordList stats(base::Timestamp now) const;
  void close(base::Timestamp now);

  // ---- media (pc/media_session.h; JSEP's part in descriptions.cc)
  void add_transceiver(const TransceiverRequest& request);
  void update_transceiver(const TransceiverUpdate& update);
  // 10 ms of interleaved PCM from the track of this transceiver's sender.
  void send_audio(base::Timestamp now, sdp::TransceiverHandle handle, std::span<const int16_t> pcm,
                  uint32_t sample_rate, uint8_t channels);
  // webrtc-pc 7.2 "start playout of tone": one DTMF tone ('0'-'9', 'A'-'D',
  // '*', '#') for `duration` on this audio sender's stream as RFC 4733
  // events. The page times the tones (and ','); nothing is sent unless
  // telephone-event was negotiated and the sender sends.
  void insert_dtmf(base::Timestamp now, sdp::TransceiverHandle handle, char tone, base::Duration duration);
  // One I420 frame from the track of this transceiver's sender (video).
  void send_video(base::Timestamp now, sdp::TransceiverHandle handle, uint32_t width, uint32_t height,
                  base::ByteView i420);
  // The media session itself, for what only it concerns (frames the
  // embedder encodes or decodes for a registered codec).
  MediaSession& media() { return media_; }
  // SRTP/SRTCP input dropped, by reason (MediaSession::DroppedInput).
  using DroppedInput = MediaSession::DroppedInput;
  DroppedInput dropped_input() const { return media_.dropped_input(); }

  // ---- network input, routed by the Engine
  void handle_datagram(base::Timestamp now, ice::SocketId socket, const base::SocketAddress& from,
                       base::ByteView data);
  void handle_stream_data(base::Timestamp now, ice::StreamId stream, base::ByteView data);
  void handle_stream_closed(base::Timestamp now, ice::StreamId stream);
  void handle_timeout(base::Timestamp now);
  base::Deadline poll_timeout() const;

 private:
  // pc/transports.cc: the pump between the transport stack, the data
  // channels and the media path, and the states the page aggregates.
  void pump(base::Timestamp now);
  void drain_transport(base::Timestamp now);
  void on_transport_output(base::Timestamp now, TransportStack::Output& output);
  bool pump_sctp(base::Timestamp now);
  void on_ice_state(ice::State state);
  void apply_negotiation(base::Timestamp now);
  void ensure_agent(ice::Role role);
  // The gathering steps of set_local_description (the *_due_ flags).
  void schedule_gathering(base::Timestamp now, const std::optional<sdp::SdpType>& type);
  void run_due_gathering(base::Timestamp now);
  // A description that accepts no m= section leaves no transport: ICE and
  // DTLS go, and the states return to "new" (`during_operation`: their
  // events are the operation's own, before it resolves).
  void discard_transports(base::Timestamp now, bool during_operation);
  // RTCPeerConnectionState from `ice` (the ICE transport's state as the
  // pump has reached it in the stack's outputs) and the DTLS state.
  void update_connection_state(ice::State ice);
  // Moves what the data channels queued for the page into the output.
  void drain_channel_events();

  // The media session's Link (pc/media_session.h): its packets go to the
  // transport stack, its events to the page; a flush pumps.
  class MediaLink : public MediaSession::Link {
   public:
    explicit MediaLink(PeerConnection& pc) : pc_(pc) {}
    void send(base::Timestamp now, base::ByteView packet) override { pc_.transport_.send_srtp(now, packet); }
    void flush(base::Timestamp now) override { pc_.pump(now); }
    void emit(Record event) override { pc_.emit(std::move(event)); }
    std::optional<base::Duration> transport_rtt() const override { return pc_.transport_.selected_pair_rtt(); }

   private:
    PeerConnection& pc_;
  };
  void start_srtp();

  // pc/descriptions.cc
  Record description_state();
  RecordList transceiver_records() const;
  Record local_description_record() const;

  void emit(Record event);

  PcHandle handle_;
  Configuration config_;
  std::deque<Output>& out_;
  bool closed_ = false;

  sdp::JsepSession jsep_;
  // Gathering steps a setLocalDescription sets in motion, taken in the next
  // handle_timeout (due at due_at_), so that their events follow the
  // operation's result as in Chromium (webrtc-pc 4.4.1.5: gathering runs
  // in parallel, after the description is set):
  bool gathering_started_ = false;   // the first phase was set in motion
  bool gather_due_ = false;          // the first gathering phase
  bool regather_due_ = false;        // a local ICE restart offer's phase
  bool reset_gathering_due_ = false; // the first offer rolled back: no transports
  bool discard_due_ = false;         // our offer accepts no m= section: no transports
  base::Timestamp due_at_{};
  std::string regathered_ufrag_;     // the local ufrag regather() announced for
  uint64_t applied_generation_ = 0;

  // ICE, DTLS and the RFC 7983 demultiplexer (pc/transport_stack.h).
  TransportStack transport_;
  // The SCTP association and the channel table (pc/data_channels.h).
  DataChannels data_;

  // The W3C states this connection aggregates (webrtc-pc 4.3.3).
  std::string ice_connection_state_ = "new";
  std::string connection_state_ = "new";
  std::string gathering_state_ = "new";

  // SRTP, the media sections, RTCP, congestion control (pc/media_session.h).
  MediaLink media_link_{*this};
  MediaSession media_;
};

}  // namespace wasmrtc::pc
