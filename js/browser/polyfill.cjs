'use strict';
// The drop-in polyfill (dist/wasmrtc-polyfill.js):
//   <script src="wasmrtc-polyfill.js" data-gateway="wss://gw.example/"
//           data-ice-servers='[{"urls":"turn:turn.example:3478?transport=tcp",...}]' data-force></script>
// installs the WebRTC interfaces on window where the browser has none (or
// always, with data-force), keeping the browser's own under wasmrtc.native.
// Page-wide defaults from the tag apply to every RTCPeerConnection whose
// configuration gives no iceServers / gateway. Safe to run twice.
const webrtc = require('../webrtc/index.cjs');
const { setConfigurationDefaults } = require('../webrtc/peer-connection.cjs');
const { scriptOptions } = require('./script-base.cjs');
const { platform, usePlatform } = require('../webrtc/media-platform.cjs');
const bridge = require('./media-bridge.cjs');

// The page's own MediaStream/MediaStreamTrack stay (getUserMedia makes
// them); ours are reachable as wasmrtc.MediaStream etc.
const NAMES = Object.keys(webrtc).filter((n) => !['MediaStream', 'MediaStreamTrack', 'MediaStreamTrackEvent', 'MediaStreamEvent', 'nonstandard', 'codecs'].includes(n));

function install() {
  const scope = globalThis;
  if (scope.wasmrtc && scope.wasmrtc.installed) return scope.wasmrtc;
  const options = scriptOptions();
  // Where the page has MediaStreamTrackProcessor/Generator (Chromium), its
  // own tracks go into addTrack and remote audio tracks are its own too.
  if (bridge.available()) usePlatform(bridge.pagePlatform({ ...platform }));
  const native = {};
  for (const name of NAMES) if (typeof scope[name] === 'function') native[name] = scope[name];

  // Missing options come from the tag; the interfaces are the W3C ones.
  setConfigurationDefaults((c) => {
    const own = c.wasmrtc || {};
    return {
      ...c,
      iceServers: c.iceServers === undefined ? options.iceServers : c.iceServers,
      wasmrtc: { ...own, gateway: own.gateway === undefined ? options.gateway : own.gateway },
    };
  });
  const classes = webrtc;

  // MediaStreamEvent goes with the page's MediaStream: ours only where it has none.
  if (typeof scope.MediaStreamEvent !== 'function') {
    Object.defineProperty(scope, 'MediaStreamEvent', { value: classes.MediaStreamEvent, writable: true, configurable: true, enumerable: false });
  }
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
