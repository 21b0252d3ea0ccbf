// The audio members of W3C RTCInboundRtpStreamStats (webrtc-stats) that a
// jitter buffer knows, under the spec's names in snake_case. Counters only
// grow; "samples" are per channel, as in the spec. Members after the
// W3C ones are ours.
#pragma once

#include <cstdint>

namespace wasmrtc::media {

struct AudioReceiveStats {
  uint64_t total_samples_received = 0;    // every sample played out, concealment included
  uint64_t concealed_samples = 0;         // synthesized instead of received
  uint64_t silent_concealed_samples = 0;  // of those, silence
  uint64_t concealment_events = 0;        // concealed samples after a non-concealed one
  uint64_t inserted_samples_for_deceleration = 0;
  uint64_t removed_samples_for_acceleration = 0;
  // Sum over emitted samples of (emit time - arrival of their packet), s.
  double jitter_buffer_delay = 0;
  // Sum over emitted samples of the target delay when emitted, s.
  double jitter_buffer_target_delay = 0;
  uint64_t jitter_buffer_emitted_count = 0;  // samples decoded from packets and played
  uint64_t packets_discarded = 0;  // too late or too early to be played (not duplicates)
  // Packets carrying in-band FEC (the spec counts Opus LBRR here), and
  // those whose FEC was not needed or came too late.
  uint64_t fec_packets_received = 0;
  uint64_t fec_packets_discarded = 0;
  // The loudest sample of the last 100 ms, 0..1 (1 = full scale).
  double audio_level = 0;
  // Sum over played 10 ms frames of duration * (frame's peak / full scale)^2,
  // as libwebrtc computes it, and the sum of those durations, s.
  double total_audio_energy = 0;
  double total_samples_duration = 0;

  // Not in webrtc-stats:
  uint64_t packets_duplicated = 0;   // the spec keeps these out of packets_discarded
  uint64_t packets_invalid = 0;      // payloads the decoder cannot read
  uint64_t packets_recovered_with_fec = 0;
  uint64_t stream_resets = 0;        // a new stream (big timestamp jump) restarted buffering
};

}  // namespace wasmrtc::media
