'use strict';
// W3C WebRTC Encoded Transform (webrtc-encoded-transform), page side:
// RTCRtpScriptTransform and the sender's and receiver's `transform`.
//
//   const t = new RTCRtpScriptTransform(worker, options, transfer);
//   sender.transform = t;   // or receiver.transform = t
//
// The page's own Worker (a worker_threads Worker in Node) gets the
// rtctransform event with an RTCRtpScriptTransformer (readable, writable,
// options, generateKeyFrame(), sendKeyFrameRequest()) from wasmrtc's half
// that runs in it: the worker script imports dist/wasmrtc-transform.js
// (importScripts) in a page, or requires 'wasmrtc/transform-worker' in
// Node (js/transform-worker.cjs). The frames go between the engine's worker
// and the page's worker over a MessageChannel of their own: they never
// cross the page's thread.
const { domException } = require('./dom.cjs');

const TAG = '__wasmrtcTransform';
const ATTACH = Symbol.for('wasmrtc.transformAttach');
const DETACH = Symbol.for('wasmrtc.transformDetach');

class RTCRtpScriptTransform {
  #port; // towards the engine's worker, until attached
  #owner = null;

  constructor(worker, options, transfer) {
    if (!worker || typeof worker.postMessage !== 'function') throw new TypeError('RTCRtpScriptTransform takes a Worker');
    const { port1, port2 } = new MessageChannel();
    // webrtc-encoded-transform 4.1 step 9: the options go to the worker,
    // with what `transfer` lists.
    worker.postMessage({ [TAG]: { options: options === undefined ? undefined : options, port: port2 } },
      [port2, ...(Array.isArray(transfer) ? transfer : [])]);
    this.#port = port1;
  }

  // 5.4 "set the transform": a transform serves one sender or receiver.
  [ATTACH](owner, ctl, handle, side) {
    if (this.#owner !== null && this.#owner !== owner) {
      throw domException('This RTCRtpScriptTransform is already in use', 'InvalidStateError');
    }
    if (this.#owner === owner) return;
    this.#owner = owner;
    const port = this.#port;
    this.#port = null;
    ctl.post('setTransform', { handle, side, port }, [port]);
  }

  [DETACH](ctl, handle, side) {
    ctl.post('setTransform', { handle, side, port: null });
  }
}

module.exports = {
  RTCRtpScriptTransform, ATTACH, DETACH, TAG,
};
