'use strict';
// wasmrtc: a WebRTC stack in C++ compiled to WebAssembly.
//   const { RTCPeerConnection } = require('wasmrtc');
const { load } = require('./core/module.cjs');
const stun = require('./stun.cjs');
const webrtc = require('./webrtc/index.cjs');

/** The versions of the C libraries linked into the WASM module, read from the module. */
function versions() {
  return { ...load().versions() };
}

module.exports = { versions, stun, ...webrtc };
