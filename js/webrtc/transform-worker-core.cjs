'use strict';
// W3C WebRTC Encoded Transform (webrtc-encoded-transform), the half that
// runs in the page's own worker (entries: js/transform-worker.cjs for
// Node, js/browser/transform-worker.cjs for dist/wasmrtc-transform.js).
// Where the page's RTCRtpScriptTransform is wasmrtc's, the worker script
// loads it first
//
//   importScripts('wasmrtc-transform.js');          // a page (dist/)
//   require('wasmrtc/transform-worker');            // Node (worker_threads)
//
// and then uses the standard API: the rtctransform event (onrtctransform)
// with an RTCRtpScriptTransformer whose readable gives RTCEncodedVideoFrame
// / RTCEncodedAudioFrame objects and whose writable takes them back;
// options; generateKeyFrame(); sendKeyFrameRequest(). Where the browser's
// own RTCRtpScriptTransform is in use, nothing here interferes: it only
// answers wasmrtc's messages (js/webrtc/encoded-transform.cjs), and the
// browser's own event and classes stay.
//
// The frames come from the engine's worker over a MessageChannel (see
// wasm/worker/transforms.cjs for the messages).

const TAG = '__wasmrtcTransform';
// Frames read but not yet written back past which new ones are dropped
// (a transform that stops reading must not grow without bound).
const MAX_QUEUED = 60;

const FRAME = Symbol('wasmrtc.encodedFrame');

function onPortMessage(port, fn) {
  if (typeof port.on === 'function') port.on('message', fn);
  else port.onmessage = (e) => fn(e.data);
}

class EncodedFrame {
  #data;
  #metadata;

  constructor(frame) {
    this[FRAME] = { id: frame.id };
    this.#data = frame.data;
    this.#metadata = frame.metadata;
  }

  /** The encoded bytes (webrtc-encoded-transform 6.x: an ArrayBuffer the transform may replace). */
  get data() { return this.#data; }

  set data(value) {
    if (!(value instanceof ArrayBuffer)) throw new TypeError('data must be an ArrayBuffer');
    this.#data = value;
  }

  /** The RTP timestamp (Chromium's RTCEncoded*Frame.timestamp). */
  get timestamp() { return this.#metadata.rtpTimestamp; }

  getMetadata() { return structuredClone(this.#metadata); }
}

class RTCEncodedVideoFrame extends EncodedFrame {
  #type;

  constructor(frame) {
    super(frame);
    this.#type = frame.type;
  }

  /** "key" or "delta". */
  get type() { return this.#type; }
}

class RTCEncodedAudioFrame extends EncodedFrame {}

class RTCRtpScriptTransformer {
  #port;
  #keyFrameWaiters = [];

  constructor(port, options) {
    this.#port = port;
    this.options = options;
    let controller;
    this.readable = new ReadableStream({ start: (c) => { controller = c; } }, { highWaterMark: MAX_QUEUED });
    this.writable = new WritableStream({
      write: (frame) => {
        if (!frame || !frame[FRAME]) return;
        const data = frame.data.slice(0);
        this.#port.postMessage({ frame: { id: frame[FRAME].id, data } }, [data]);
      },
    });
    onPortMessage(port, (msg) => {
      if (!msg || !msg.frame) return;
      const f = msg.frame;
      const frame = f.kind === 'video' ? new RTCEncodedVideoFrame(f) : new RTCEncodedAudioFrame(f);
      if (f.kind === 'video' && f.type === 'key' && this.#keyFrameWaiters.length > 0) {
        for (const resolve of this.#keyFrameWaiters.splice(0)) resolve(f.metadata.rtpTimestamp);
      }
      if (controller.desiredSize <= 0) return; // the transform is not keeping up: dropped
      controller.enqueue(frame);
    });
  }

  /** A sender's transformer: the encoder's next frame is a keyframe; resolves with its timestamp. */
  generateKeyFrame() {
    return new Promise((resolve) => {
      this.#keyFrameWaiters.push(resolve);
      this.#port.postMessage({ generateKeyFrame: true });
    });
  }

  /** A receiver's transformer: asks the sender for a keyframe (RTCP PLI). */
  sendKeyFrameRequest() {
    this.#port.postMessage({ sendKeyFrameRequest: true });
    return Promise.resolve();
  }
}

class RTCTransformEvent extends Event {
  #transformer;

  constructor(type, init = {}) {
    super(type, init);
    this.#transformer = init.transformer;
  }

  get transformer() { return this.#transformer; }
}

/**
 * Installs the classes and the rtctransform event in this worker.
 * `subscribe(fn)` gives fn every message the worker gets, before the
 * worker's own listeners where it can (a browser worker).
 */
function install(subscribe) {
  const scope = globalThis;
  if (scope.__wasmrtcTransformInstalled) return;
  scope.__wasmrtcTransformInstalled = true;
  for (const [name, value] of Object.entries({ RTCEncodedVideoFrame, RTCEncodedAudioFrame, RTCTransformEvent })) {
    if (typeof scope[name] !== 'function') {
      scope[name] = value;
    } else if (scope[name] !== value) {
      // The browser has its own (Chromium): ours are instances of it too,
      // so that a transform's instanceof checks hold. Our members (the
      // shared ones copied down first) shadow its, which would refuse our
      // objects.
      const base = Object.getPrototypeOf(value.prototype);
      if (base !== Object.prototype && base !== Event.prototype) {
        for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(base))) {
          if (key !== 'constructor' && !Object.prototype.hasOwnProperty.call(value.prototype, key)) Object.defineProperty(value.prototype, key, d);
        }
      }
      Object.setPrototypeOf(value.prototype, scope[name].prototype);
    }
  }
  const isEventTarget = typeof scope.addEventListener === 'function' && typeof scope.dispatchEvent === 'function';
  // Where the worker global has no onrtctransform of its own, the
  // attribute is ours (an event handler IDL attribute).
  if (isEventTarget && !('onrtctransform' in scope)) {
    let handler = null;
    const listener = (e) => { if (typeof handler === 'function') handler.call(scope, e); };
    Object.defineProperty(scope, 'onrtctransform', {
      configurable: true,
      get: () => handler,
      set: (fn) => {
        handler = typeof fn === 'function' ? fn : null;
        scope.removeEventListener('rtctransform', listener);
        if (handler) scope.addEventListener('rtctransform', listener);
      },
    });
  }
  const start = (data) => {
    const { options, port } = data[TAG];
    const transformer = new RTCRtpScriptTransformer(port, options);
    const event = new RTCTransformEvent('rtctransform', { transformer });
    if (isEventTarget) scope.dispatchEvent(event);
    else if (typeof scope.onrtctransform === 'function') scope.onrtctransform(event);
  };
  subscribe((data) => {
    if (!data || !data[TAG]) return false;
    start(data);
    return true;
  });
}

module.exports = {
  install, RTCEncodedVideoFrame, RTCEncodedAudioFrame, RTCRtpScriptTransformer, RTCTransformEvent,
};
