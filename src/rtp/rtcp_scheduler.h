// When to send the next regular compound RTCP report (RFC 3550 section 6.3
// with the simplifications WebRTC uses): a fixed nominal interval (RFC 3550
// 6.2 allows a smaller minimum than 5 s, RFC 8108/RFC 4585 reduced minimum;
// libwebrtc uses 5 s for audio and 1 s for video), randomized uniformly over
// [0.5, 1.5) of it (section 6.3.1) so that participants do not synchronize.
//
//   rtp::RtcpScheduler s(rtp::kVideoReportInterval, random, now);
//   deadline = s.poll_timeout();
//   if (s.handle_timeout(now)) send(rtp::build_compound_report(...));
//
// Feedback (NACK, PLI) goes out at once as reduced-size RTCP (RFC 5506)
// without asking this scheduler; request_early_report() is for a full
// compound report ahead of schedule (RFC 4585 section 3.5.2).
// Sans-IO: time and randomness are inputs; `random` must outlive the scheduler.
#pragma once

#include "base/random.h"
#include "base/time.h"

namespace wasmrtc::rtp {

inline constexpr base::Duration kAudioReportInterval = base::Duration::seconds(5);
inline constexpr base::Duration kVideoReportInterval = base::Duration::seconds(1);
// Intervals are clamped to these: a bad setting can neither flood the
// network nor overflow the arithmetic.
inline constexpr base::Duration kMinReportInterval = base::Duration::millis(1);
inline constexpr base::Duration kMaxReportInterval = base::Duration::seconds(3600);

class RtcpScheduler {
 public:
  // Schedules the first report at `now` plus half a randomized interval
  // (RFC 3550 section 6.2: the first report may use half the minimum, so a
  // new participant is reported quickly).
  RtcpScheduler(base::Duration interval, base::Random& random, base::Timestamp now);

  // When handle_timeout() should next be called.
  base::Deadline poll_timeout() const;

  // True when a compound report is due at `now`: the caller builds and sends
  // one. A regular report schedules the next at now + randomized interval
  // and allows one early report again.
  bool handle_timeout(base::Timestamp now);

  // Asks for a compound report now (RFC 4585 section 3.5.2: at most one
  // early report between two regular ones). True if granted: poll_timeout()
  // is then `now`. The regular schedule is unchanged.
  bool request_early_report(base::Timestamp now);

  // A new nominal interval (e.g. once media kind is known); used from the
  // next scheduling on, or now if that shortens the wait a lot.
  void set_interval(base::Duration interval, base::Timestamp now);
  base::Duration interval() const { return interval_; }

  // Uniform in [0.5, 1.5) times `interval` (clamped; RFC 3550 section 6.3.1).
  static base::Duration randomized(base::Duration interval, base::Random& random);

 private:
  base::Duration interval_;
  base::Random& random_;
  base::Timestamp next_regular_;
  base::Deadline early_;
  bool allow_early_ = true;
};

}  // namespace wasmrtc::rtp
