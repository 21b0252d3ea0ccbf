'use strict';
// MediaStream and MediaStreamTrack (mediacapture-main sections 4.2, 4.3) for
// Node and for the polyfill: what addTrack takes and the track event gives.
// A track reads from a source; frames flow from the source to every live,
// enabled track's sinks (an RTCRtpSender, an RTCAudioSink).
const { defineEventHandlers, domException, fire } = require('./dom.cjs');

const TRACK = {
  subscribe: Symbol.for('wasmrtc.trackSubscribe'),
  source: Symbol.for('wasmrtc.trackSource'),
  end: Symbol.for('wasmrtc.trackEnd'),
  setMuted: Symbol.for('wasmrtc.trackSetMuted'),
};
const STREAM = { add: Symbol.for('wasmrtc.streamAdd'), remove: Symbol.for('wasmrtc.streamRemove') };
const CREATE = Symbol('wasmrtc.createTrack');
const STREAM_ID = Symbol('wasmrtc.streamId');

function uuid() {
  return globalThis.crypto.randomUUID();
}

// Where a track's frames come from: an RTCAudioSource, or an RTCRtpReceiver.
class TrackSource {
  constructor(kind, settings = {}) {
    this.kind = kind;
    this.settings = settings;
    this.tracks = new Set();
  }

  emit(frame) {
    for (const track of this.tracks) track[TRACK.source](frame);
  }

  end() {
    for (const track of [...this.tracks]) track[TRACK.end]();
  }
}

class MediaStreamTrack extends EventTarget {
  #kind;
  #id;
  #label;
  #enabled = true;
  #muted;
  #readyState = 'live';
  #contentHint = '';
  #source;
  #sinks = new Set();

  constructor(token, kind, source, { id = uuid(), label = '', muted = false } = {}) {
    if (token !== CREATE) throw new TypeError('Illegal constructor');
    super();
    this.#kind = kind;
    this.#id = id;
    this.#label = label;
    this.#muted = muted;
    this.#source = source;
    source.tracks.add(this);
  }

  get kind() { return this.#kind; }
  get id() { return this.#id; }
  get label() { return this.#label; }
  get enabled() { return this.#enabled; }
  set enabled(v) { this.#enabled = !!v; }
  get muted() { return this.#muted; }
  get readyState() { return this.#readyState; }
  get contentHint() { return this.#contentHint; }
  set contentHint(v) {
    const allowed = this.#kind === 'audio' ? ['', 'speech', 'speech-recognition', 'music'] : ['', 'motion', 'detail', 'text'];
    if (allowed.includes(String(v))) this.#contentHint = String(v);
  }

  // mediacapture-main 4.3.1: stop() ends the track without an ended event.
  stop() {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    this.#source.tracks.delete(this);
    this.#sinks.clear();
  }

  clone() {
    const t = new MediaStreamTrack(CREATE, this.#kind, this.#source, { label: this.#label, muted: this.#muted });
    t.enabled = this.#enabled;
    if (this.#readyState === 'ended') t.stop();
    return t;
  }

  getCapabilities() { return {}; }
  getConstraints() { return {}; }
  getSettings() { return { ...this.#source.settings }; }
  applyConstraints() { return Promise.resolve(); }

  // A sink receives each frame while the track is live; a disabled audio
  // track gives silence (mediacapture-main 4.3.1 "enabled").
  [TRACK.subscribe](sink) {
    // An ended track has no frames to give: nothing to hold on to.
    if (this.#readyState === 'ended') return () => {};
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  [TRACK.source](frame) {
    if (this.#readyState !== 'live') return;
    let f = frame;
    if (!this.#enabled && f.samples) f = { ...f, samples: new Int16Array(f.samples.length) };
    for (const sink of this.#sinks) sink(f, this);
  }

  // The source ended (a remote track whose transceiver stopped); `silent`
  // when the connection closed (no ended event, webrtc-pc "disappear").
  [TRACK.end](silent = false) {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    this.#source.tracks.delete(this);
    this.#sinks.clear();
    if (!silent) fire(this, 'ended');
  }

  [TRACK.setMuted](muted) {
    if (this.#muted === muted || this.#readyState === 'ended') return;
    this.#muted = muted;
    fire(this, muted ? 'mute' : 'unmute');
  }
}
defineEventHandlers(MediaStreamTrack.prototype, ['mute', 'unmute', 'ended']);

function createTrack(kind, source, options) {
  return new MediaStreamTrack(CREATE, kind, source, options);
}

class MediaStreamTrackEvent extends Event {
  #track;

  constructor(type, init) {
    super(type, init);
    if (!init || !(init.track instanceof MediaStreamTrack)) throw new TypeError('MediaStreamTrackEvent needs a track');
    this.#track = init.track;
  }

  get track() { return this.#track; }
}

// Chromium's legacy addstream/removestream event (MediaStreamEvent,
// from the pre-unified-plan API): the stream, or null.
class MediaStreamEvent extends Event {
  #stream;

  constructor(type, init = {}) {
    super(type, init);
    const stream = init && init.stream !== undefined ? init.stream : null;
    if (stream !== null && typeof stream !== 'object') throw new TypeError('MediaStreamEvent stream must be a MediaStream');
    this.#stream = stream;
  }

  get stream() { return this.#stream; }
}

class MediaStream extends EventTarget {
  #id;
  #tracks = new Set();

  // new MediaStream(), new MediaStream(stream), new MediaStream(tracks).
  // (A remote stream gets the id of its msid through a private token.)
  constructor(init, ...internal) {
    super();
    let id = uuid();
    let tracks = [];
    if (init === undefined && internal[0] === STREAM_ID) {
      id = String(internal[1]);
    } else if (init instanceof MediaStream) {
      tracks = init.getTracks();
    } else if (init !== undefined) {
      if (init === null || typeof init !== 'object' || typeof init[Symbol.iterator] !== 'function') throw new TypeError('MediaStream takes a stream or a sequence of tracks');
      tracks = [...init];
      for (const t of tracks) if (!(t instanceof MediaStreamTrack)) throw new TypeError('not a MediaStreamTrack');
    }
    this.#id = id;
    for (const t of tracks) this.#tracks.add(t);
  }

  get id() { return this.#id; }
  get active() { return [...this.#tracks].some((t) => t.readyState === 'live'); }
  getTracks() { return [...this.#tracks]; }
  getAudioTracks() { return this.getTracks().filter((t) => t.kind === 'audio'); }
  getVideoTracks() { return this.getTracks().filter((t) => t.kind === 'video'); }
  getTrackById(id) { return this.getTracks().find((t) => t.id === String(id)) || null; }
  addTrack(track) {
    if (!(track instanceof MediaStreamTrack)) throw new TypeError('not a MediaStreamTrack');
    this.#tracks.add(track);
  }
  removeTrack(track) {
    if (!(track instanceof MediaStreamTrack)) throw new TypeError('not a MediaStreamTrack');
    this.#tracks.delete(track);
  }
  clone() { return new MediaStream(this.getTracks().map((t) => t.clone())); }

  // Changes made by the connection fire addtrack/removetrack (webrtc-pc
  // 4.4.1.5 "add a track to a MediaStream", "remove a track ...").
  [STREAM.add](track) {
    if (this.#tracks.has(track)) return;
    this.#tracks.add(track);
    this.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track }));
  }

  [STREAM.remove](track) {
    if (!this.#tracks.delete(track)) return;
    this.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
  }
}
defineEventHandlers(MediaStream.prototype, ['addtrack', 'removetrack']);

function streamWithId(id) {
  return new MediaStream(undefined, STREAM_ID, id);
}

module.exports = {
  MediaStream, MediaStreamTrack, MediaStreamTrackEvent, MediaStreamEvent, TrackSource, createTrack, streamWithId, TRACK, STREAM, domException,
};
