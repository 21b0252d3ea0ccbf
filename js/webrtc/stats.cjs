'use strict';
// RTCStatsReport (webrtc-pc 8.3): a read-only map from stats id to a stats
// dictionary. The engine sends a list of dictionaries (webrtc-stats names).
// Every stats object has id, type and timestamp (webrtc-pc 8.5 RTCStats);
// timestamp is Performance.timeOrigin + Performance.now() when gathered, in
// milliseconds (webrtc-stats), one value for the whole report.
const INTERNAL = Symbol('RTCStatsReport');

// A readonly maplike (WebIDL 3.7.11): get, has, size, entries, keys,
// values, forEach and iteration, and no set/delete/clear, as in browsers;
// not a Map (report instanceof Map is false natively). No constructor.
class RTCStatsReport {
  #map = new Map();

  constructor(key, list) {
    if (key !== INTERNAL) throw new TypeError('Illegal constructor');
    const timestamp = performance.timeOrigin + performance.now();
    for (const stats of list) this.#map.set(stats.id, Object.freeze({ timestamp, ...stats }));
  }

  /** A report of `list` (RTCStats dictionaries with ids). */
  static [Symbol.for('wasmrtc.create')](list = []) {
    return new RTCStatsReport(INTERNAL, list);
  }

  get size() { return this.#map.size; }

  get(id) { return this.#map.get(String(id)); }

  has(id) { return this.#map.has(String(id)); }

  entries() { return this.#map.entries(); }

  keys() { return this.#map.keys(); }

  values() { return this.#map.values(); }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') throw new TypeError('RTCStatsReport.forEach: the callback is not a function');
    for (const [id, stats] of this.#map) callback.call(thisArg, stats, id, this);
  }
}
Object.defineProperty(RTCStatsReport.prototype, Symbol.iterator, {
  value: RTCStatsReport.prototype.entries, writable: true, configurable: true, enumerable: false,
});

/** A new RTCStatsReport of `list`. */
const statsReport = (list) => RTCStatsReport[Symbol.for('wasmrtc.create')](list);

module.exports = { RTCStatsReport, statsReport };
