'use strict';
// require('wasmrtc/polyfill'): installs the WebRTC interfaces on globalThis
// (for Jest setupFiles and scripts written for browsers). Existing globals
// are replaced: in Node there are none, and a test that loads this wants ours.
const webrtc = require('./webrtc/index.cjs');

for (const [name, value] of Object.entries(webrtc)) {
  if (name === 'codecs') continue; // wasmrtc.codecs, not a global
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

module.exports = webrtc;
