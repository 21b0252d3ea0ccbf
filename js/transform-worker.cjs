'use strict';
// require('wasmrtc/transform-worker') in a worker_threads Worker that an
// RTCRtpScriptTransform is given to (webrtc-encoded-transform; see
// js/webrtc/transform-worker-core.cjs): the rtctransform event, through
// globalThis.onrtctransform. The worker's own 'message' listeners see
// wasmrtc's message too, tagged __wasmrtcTransform.
const { parentPort } = require('worker_threads');
const core = require('./webrtc/transform-worker-core.cjs');

core.install((fn) => {
  if (parentPort) parentPort.on('message', (data) => fn(data));
});

module.exports = core;
