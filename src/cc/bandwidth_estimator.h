// Send-side bandwidth estimation (draft-ietf-rmcat-gcc-02, as libwebrtc
// does it with transport-wide feedback): the target rate for everything
// we send on the BUNDLE transport is the lowest of
//  - the delay-based estimate (InterArrival -> TrendlineEstimator ->
//    AimdRateControl), which backs off as soon as queues grow;
//  - the loss-based estimate (section 6): +8 % per second under 2 % loss,
//    hold up to 10 %, above it rate * (1 - loss / 2);
//  - REMB from the peer (draft-alvestrand-rmcat-remb), when it sends one;
//  - the maximum the senders can use (encodings' maxBitrate and what suits
//    the frame size), so the estimate does not grow past what is tested.
// Without transport-wide feedback (the peer did not negotiate it) the
// loss-based half runs on RTCP receiver reports alone.
//
// No probing: we start at 1 Mbit/s, above libwebrtc's 300 kbit/s which it
// then probes upwards from, and grow 50 % a second until the path first
// pushes back (over-use or loss), 8 % a second after that.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "base/time.h"
#include "cc/acknowledged_bitrate.h"
#include "cc/aimd_rate_control.h"
#include "cc/inter_arrival.h"
#include "cc/send_history.h"
#include "cc/trendline.h"
#include "rtp/transport_feedback.h"

namespace wasmrtc::cc {

struct BandwidthEstimatorConfig {
  uint32_t start_bps = 1'000'000;
  uint32_t min_bps = 50'000;
  uint32_t max_bps = 10'000'000;
};

class BandwidthEstimator {
 public:
  explicit BandwidthEstimator(BandwidthEstimatorConfig c = {});

  // Every RTP packet that left with a transport-wide sequence number.
  void on_packet_sent(base::Timestamp now, uint16_t transport_sequence, size_t bytes);
  void on_transport_feedback(base::Timestamp now, const rtp::TransportFeedback& f);
  // An RTCP report block about one of our streams (RFC 3550 6.4.1):
  // fraction lost out of 256 over the packets since the last one.
  void on_report_block(base::Timestamp now, uint8_t fraction_lost, uint32_t packets);
  void on_rtt(base::Duration rtt);
  void on_remb(uint32_t bps);
  // The most the senders can use; the estimate is kept within it.
  void set_max(uint32_t bps);

  uint32_t target_bps() const { return target_bps_; }
  BandwidthUsage delay_state() const { return trendline_.state(); }
  std::optional<uint32_t> acknowledged_bps() const { return acknowledged_.bps(); }
  size_t bytes_in_flight() const { return history_.bytes_in_flight(); }
  double loss_fraction() const { return last_loss_; }

 private:
  void on_loss(base::Timestamp now, double loss, uint32_t packets);
  void update_target();

  BandwidthEstimatorConfig config_;
  SendHistory history_;
  InterArrival inter_arrival_;
  TrendlineEstimator trendline_;
  AcknowledgedBitrate acknowledged_;
  AimdRateControl delay_based_;
  uint32_t loss_based_bps_;
  std::deque<std::pair<base::Timestamp, uint32_t>> loss_based_history_;  // for the increase base
  std::optional<base::Timestamp> last_loss_decrease_;
  std::optional<base::Timestamp> last_loss_update_;
  uint32_t lost_ = 0, expected_ = 0;  // since the last loss update
  double last_loss_ = 0;
  std::optional<uint32_t> remb_bps_;
  base::Duration rtt_ = base::Duration::millis(200);
  bool have_transport_feedback_ = false;
  bool startup_ = true;  // no loss over 2 % seen yet
  uint32_t target_bps_;
};

}  // namespace wasmrtc::cc
