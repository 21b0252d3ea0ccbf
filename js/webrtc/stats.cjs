'use strict';
// RTCStatsReport (webrtc-pc 8.3): a read-only map from stats id to a stats
// dictionary. The engine sends a list of dictionaries (webrtc-stats names).
class RTCStatsReport extends Map {
  constructor(list = []) {
    super();
    for (const stats of list) super.set(stats.id, Object.freeze({ ...stats }));
  }

  // Read-only maplike: the page cannot change a report.
  set() { throw new TypeError('RTCStatsReport is read-only'); }
  delete() { throw new TypeError('RTCStatsReport is read-only'); }
  clear() { throw new TypeError('RTCStatsReport is read-only'); }
}
Object.defineProperty(RTCStatsReport.prototype, Symbol.toStringTag, { value: 'RTCStatsReport' });

module.exports = { RTCStatsReport };
