// The peers data-channel tests run against, all behind the W3C API:
//   wasmrtc           ours (WASM engine in a worker thread)
//   wrtc              libwebrtc (@roamhq/wrtc)
//   node-datachannel  libdatachannel (node-datachannel/polyfill)
//   werift            pure TypeScript (werift)
// Signaling is in-process: candidates trickle straight to the other side.
// Tests run inside a network namespace of their own (scripts/lib/netns.sh).

const LOOPBACK = { wasmrtc: { loopback: true } };

const factories = {
  wasmrtc: (config = {}) => {
    const { RTCPeerConnection } = require('../..'); // eslint-disable-line global-require
    return new RTCPeerConnection({ ...LOOPBACK, ...config, wasmrtc: { ...LOOPBACK.wasmrtc, ...(config.wasmrtc || {}) } });
  },
  wrtc: (config = {}) => {
    const { RTCPeerConnection } = require('@roamhq/wrtc'); // eslint-disable-line global-require
    return new RTCPeerConnection({ iceServers: [], ...config, wasmrtc: undefined });
  },
  'node-datachannel': (config = {}) => {
    const { RTCPeerConnection } = require('node-datachannel/polyfill'); // eslint-disable-line global-require
    return new RTCPeerConnection({ iceServers: [], ...config, wasmrtc: undefined });
  },
  werift: (config = {}) => {
    const { RTCPeerConnection } = require('werift'); // eslint-disable-line global-require
    // werift has a public STUN server in its defaults: never let it out.
    // Its a=max-message-size defaults to 65536; others offer 256 KiB.
    return new RTCPeerConnection({ iceServers: [], maxMessageSize: 262144 });
  },
};

function createPeer(kind, config) {
  return factories[kind](config);
}

function waitFor(target, event, predicate = () => true) {
  return new Promise((resolve) => {
    const handler = (e) => {
      if (!predicate(e)) return;
      target.removeEventListener(event, handler);
      resolve(e);
    };
    target.addEventListener(event, handler);
  });
}

/** Resolves when pc.connectionState is `state`; rejects on failed. */
function connectionState(pc, state) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === state) {
        pc.removeEventListener('connectionstatechange', check);
        resolve();
      } else if (pc.connectionState === 'failed' && state !== 'failed') {
        pc.removeEventListener('connectionstatechange', check);
        reject(new Error('connection failed'));
      }
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}

/**
 * Trickles candidates both ways and runs one offer/answer; `mangle(sdp, from)`
 * may edit the SDP in flight (`from` is the peer that wrote it).
 */
async function signal(offerer, answerer, { mangle = (sdp) => sdp } = {}) {
  // Candidates wait until the receiver has the remote description (as a
  // signaling server's queue would make them).
  const ready = new Map([[offerer, null], [answerer, null]]);
  const gates = new Map();
  for (const pc of [offerer, answerer]) {
    gates.set(pc, new Promise((resolve) => ready.set(pc, resolve)));
  }
  const forward = (from, to) => {
    from.addEventListener('icecandidate', (e) => {
      if (!e.candidate || !e.candidate.candidate) return;
      const c = { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex };
      gates.get(to).then(() => to.addIceCandidate(c)).catch(() => {});
    });
  };
  forward(offerer, answerer);
  forward(answerer, offerer);
  const offer = await offerer.createOffer();
  await offerer.setLocalDescription(offer);
  await answerer.setRemoteDescription({ type: 'offer', sdp: mangle(offerer.localDescription.sdp, offerer) });
  ready.get(answerer)();
  const answer = await answerer.createAnswer();
  await answerer.setLocalDescription(answer);
  await offerer.setRemoteDescription({ type: 'answer', sdp: mangle(answerer.localDescription.sdp, answerer) });
  ready.get(offerer)();
}

function channelOpen(dc) {
  if (dc.readyState === 'open') return Promise.resolve(dc);
  return new Promise((resolve, reject) => {
    dc.addEventListener('open', () => resolve(dc), { once: true });
    dc.addEventListener('close', () => reject(new Error(`channel ${dc.label} closed before open`)), { once: true });
  });
}

function nextChannel(pc, label) {
  return new Promise((resolve) => {
    const handler = (e) => {
      if (label !== undefined && e.channel.label !== label) return;
      pc.removeEventListener('datachannel', handler);
      resolve(e.channel);
    };
    pc.addEventListener('datachannel', handler);
  });
}

function toBuffer(data) {
  if (typeof data === 'string') return Buffer.from(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function collect(dc, count) {
  return new Promise((resolve) => {
    const out = [];
    dc.addEventListener('message', function onMessage(e) {
      out.push(e.data);
      if (out.length === count) {
        dc.removeEventListener('message', onMessage);
        resolve(out);
      }
    });
  });
}

module.exports = {
  createPeer, signal, waitFor, connectionState, channelOpen, nextChannel, collect, toBuffer, KINDS: Object.keys(factories),
};
