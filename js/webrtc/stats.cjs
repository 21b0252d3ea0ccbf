'use strict';
// RTCStatsReport (webrtc-pc 8.3): a read-only map from stats id to a stats
// dictionary. The engine sends a list of dictionaries (webrtc-stats names).
// Every stats object has id, type and timestamp (webrtc-pc 8.5 RTCStats);
// timestamp is Performance.timeOrigin + Performance.now() when gathered, in
// milliseconds (webrtc-stats), one value for the whole report.
class RTCStatsReport extends Map {
  constructor(list = []) {
    super();
    const timestamp = performance.timeOrigin + performance.now();
    for (const stats of list) super.set(stats.id, Object.freeze({ timestamp, ...stats }));
  }

  // Read-only maplike: the page cannot change a report.
  set() { throw new TypeError('RTCStatsReport is read-only'); }
  delete() { throw new TypeError('RTCStatsReport is read-only'); }
  clear() { throw new TypeError('RTCStatsReport is read-only'); }
}
Object.defineProperty(RTCStatsReport.prototype, Symbol.toStringTag, { value: 'RTCStatsReport' });

module.exports = { RTCStatsReport };
