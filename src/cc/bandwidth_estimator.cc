#include "cc/bandwidth_estimator.h"

#include <algorithm>

namespace wasmrtc::cc {
namespace {

constexpr double kLowLoss = 0.02;
constexpr double kHighLoss = 0.10;
// Loss is judged over at least this many packets or this long.
constexpr uint32_t kLossPackets = 20;
constexpr base::Duration kLossInterval = base::Duration::seconds(1);

}  // namespace

BandwidthEstimator::BandwidthEstimator(BandwidthEstimatorConfig c)
    : config_(c),
      delay_based_(std::clamp(c.start_bps, c.min_bps, c.max_bps), c.min_bps, c.max_bps),
      loss_based_bps_(std::clamp(c.start_bps, c.min_bps, c.max_bps)),
      target_bps_(std::clamp(c.start_bps, c.min_bps, c.max_bps)) {}

void BandwidthEstimator::on_packet_sent(base::Timestamp now, uint16_t transport_sequence, size_t bytes) {
  history_.on_sent(now, transport_sequence, bytes);
}

void BandwidthEstimator::on_transport_feedback(base::Timestamp now, const rtp::TransportFeedback& f) {
  have_transport_feedback_ = true;
  const auto results = history_.on_feedback(f);
  if (results.empty()) return;
  uint32_t lost = 0;
  std::vector<const PacketResult*> received;
  for (const auto& r : results) {
    if (!r.arrival) {
      ++lost;
      continue;
    }
    received.push_back(&r);
    acknowledged_.on_acknowledged(*r.arrival, r.bytes);
  }
  // The arrival-time model wants packets in send order.
  std::sort(received.begin(), received.end(),
            [](const PacketResult* a, const PacketResult* b) { return a->send_time < b->send_time; });
  for (const PacketResult* r : received)
    if (auto d = inter_arrival_.on_packet(r->send_time, *r->arrival, r->bytes))
      trendline_.update(d->arrival_delta, d->send_delta, d->arrival);
  if (!received.empty()) delay_based_.update(now, trendline_.state(), acknowledged_.bps());
  on_loss(now, static_cast<double>(lost), static_cast<uint32_t>(results.size()));
}

void BandwidthEstimator::on_report_block(base::Timestamp now, uint8_t fraction_lost, uint32_t packets) {
  // With transport-wide feedback, loss is known per packet already.
  if (have_transport_feedback_) return;
  on_loss(now, fraction_lost / 256.0 * packets, packets);
}

// Section 6: the loss-based controller, run when enough packets were
// reported on.
void BandwidthEstimator::on_loss(base::Timestamp now, double lost, uint32_t packets) {
  lost_ += static_cast<uint32_t>(lost + 0.5);
  expected_ += packets;
  if (!last_loss_update_) last_loss_update_ = now;
  if (expected_ < kLossPackets && now - *last_loss_update_ < kLossInterval) {
    update_target();
    return;
  }
  const uint32_t previous = loss_based_bps_;
  const double loss = expected_ == 0 ? 0 : static_cast<double>(lost_) / expected_;
  last_loss_ = loss;
  lost_ = expected_ = 0;
  last_loss_update_ = now;
  // The increase starts from the lowest rate of the last second, so one
  // lucky report does not compound on a rate that was never sustained.
  while (!loss_based_history_.empty() && now - loss_based_history_.front().first > base::Duration::seconds(1))
    loss_based_history_.pop_front();
  uint32_t floor = loss_based_bps_;
  for (const auto& [t, bps] : loss_based_history_) floor = std::min(floor, bps);
  if (loss > kLowLoss) startup_ = false;
  if (loss <= kLowLoss) {
    // 8 % over the lowest rate of the last second: about 8 % a second
    // however often reports come. In startup (no loss and no over-use yet)
    // it follows the delay-based rate up, which then leads.
    loss_based_bps_ = static_cast<uint32_t>(floor * 1.08 + 1000);
    if (startup_ && delay_based_.in_startup()) loss_based_bps_ = std::max(loss_based_bps_, delay_based_.bps());
  } else if (loss > kHighLoss) {
    // At most once per RTT + 300 ms: the reduction must be seen first.
    if (!last_loss_decrease_ || now - *last_loss_decrease_ >= rtt_ + base::Duration::millis(300)) {
      loss_based_bps_ = static_cast<uint32_t>(loss_based_bps_ * (1 - 0.5 * loss));
      last_loss_decrease_ = now;
    }
  }
  // The loss-based rate does not grow past the delay-based one, nor (as
  // growth) past the maximum; a level already above the maximum stays.
  if (have_transport_feedback_) {
    loss_based_bps_ = std::min(loss_based_bps_, delay_based_.bps());
  } else {
    loss_based_bps_ = std::max(std::min(loss_based_bps_, config_.max_bps), std::min(loss_based_bps_, previous));
  }
  loss_based_bps_ = std::max(loss_based_bps_, config_.min_bps);
  loss_based_history_.emplace_back(now, loss_based_bps_);
  update_target();
}

void BandwidthEstimator::on_rtt(base::Duration rtt) {
  rtt_ = rtt;
  delay_based_.set_rtt(rtt);
}

void BandwidthEstimator::on_remb(uint32_t bps) {
  remb_bps_ = bps;
  update_target();
}

void BandwidthEstimator::set_max(uint32_t bps) {
  // Only the target is held to it: the estimates keep their level.
  config_.max_bps = std::max(bps, config_.min_bps);
  delay_based_.set_bounds(config_.min_bps, config_.max_bps);
  update_target();
}

void BandwidthEstimator::update_target() {
  uint32_t t = loss_based_bps_;
  if (have_transport_feedback_) t = std::min(t, delay_based_.bps());
  if (remb_bps_) t = std::min(t, *remb_bps_);
  target_bps_ = std::clamp(t, config_.min_bps, config_.max_bps);
}

}  // namespace wasmrtc::cc
