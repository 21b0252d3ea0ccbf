'use strict';
// The drop-in polyfill (dist/wasmrtc-polyfill.js):
//   <script src="wasmrtc-polyfill.js" data-gateway="wss://gw.example/"
//           data-ice-servers='[{"urls":"turn:turn.example:3478?transport=tcp",...}]' data-force></script>
// installs the WebRTC interfaces on window where the browser has none (or
// always, with data-force), keeping the browser's own under wasmrtc.native.
// Page-wide defaults from the tag apply to every RTCPeerConnection whose
// configuration gives no iceServers / gateway. Safe to run twice.
const webrtc = require('../webrtc/index.cjs');
const { scriptOptions } = require('./script-base.cjs');
const { platform, usePlatform } = require('../webrtc/media-platform.cjs');
const bridge = require('./media-bridge.cjs');

// The page's own MediaStream/MediaStreamTrack stay (getUserMedia makes
// them); ours are reachable as wasmrtc.MediaStream etc.
const NAMES = Object.keys(webrtc).filter((n) => !['MediaStream', 'MediaStreamTrack', 'MediaStreamTrackEvent', 'nonstandard'].includes(n));

function install() {
  const scope = globalThis;
  if (scope.wasmrtc && scope.wasmrtc.installed) return scope.wasmrtc;
  const options = scriptOptions();
  // Where the page has MediaStreamTrackProcessor/Generator (Chromium), its
  // own tracks go into addTrack and remote audio tracks are its own too.
  if (bridge.available()) usePlatform(bridge.pagePlatform({ ...platform }));
  const native = {};
  for (const name of NAMES) if (typeof scope[name] === 'function') native[name] = scope[name];

  // Same class name and prototype chain: instanceof and the W3C behaviour
  // are RTCPeerConnection's; only missing options are filled in.
  const Base = webrtc.RTCPeerConnection;
  class RTCPeerConnection extends Base {
    constructor(configuration = {}) {
      const c = configuration === null || configuration === undefined ? {} : configuration;
      const own = (c && c.wasmrtc) || {};
      super({
        ...c,
        iceServers: c.iceServers === undefined ? options.iceServers : c.iceServers,
        wasmrtc: { ...own, gateway: own.gateway === undefined ? options.gateway : own.gateway },
      });
    }
  }
  Object.defineProperty(RTCPeerConnection, 'name', { value: 'RTCPeerConnection' });
  const classes = { ...webrtc, RTCPeerConnection };

  for (const name of NAMES) {
    if (options.force || typeof scope[name] !== 'function') {
      Object.defineProperty(scope, name, { value: classes[name], writable: true, configurable: true, enumerable: false });
    }
  }
  const api = { installed: true, native, ...classes, options };
  Object.defineProperty(scope, 'wasmrtc', { value: api, writable: true, configurable: true, enumerable: false });
  return api;
}

module.exports = install();
