'use strict';
// dist/wasmrtc-transform.js: importScripts() it in a worker that a
// polyfilled page's RTCRtpScriptTransform is given to
// (webrtc-encoded-transform; see js/webrtc/transform-worker-core.cjs).
// wasmrtc's message is taken before the worker's own listeners.
/* global self */
const core = require('../webrtc/transform-worker-core.cjs');

core.install((fn) => {
  self.addEventListener('message', (e) => {
    if (fn(e.data)) e.stopImmediatePropagation();
  });
});
