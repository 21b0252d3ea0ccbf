'use strict';
// Soak (issue 14): creates, connects, exchanges data on and closes N pairs
// of RTCPeerConnection (default 10,000) in one process, a few pairs at a
// time, and every 1,000 pairs prints the engine's WASM heap, the process
// RSS and the open handles, so that a leak shows as a column that grows.
// WASM memory never shrinks: a flat heap column means the engine reuses
// what it freed.
//
//   scripts/lib/netns.sh node test/bench/soak.cjs [pairs] [concurrent]
const { RTCPeerConnection } = require('../..');
const { EngineClient } = require('../../js/webrtc/engine-client.cjs');

const PAIRS = Number(process.argv[2] || 10000);
const CONCURRENT = Number(process.argv[3] || 8);
const config = { wasmrtc: { loopback: true } };

function once(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

async function onePair(i) {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
  const channel = a.createDataChannel(`soak${i}`);
  const remote = once(b, 'datachannel').then((e) => e.channel);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  if (channel.readyState !== 'open') await once(channel, 'open');
  const r = await remote;
  const echoed = once(channel, 'message');
  r.onmessage = (m) => r.send(m.data);
  channel.send(new Uint8Array(16 * 1024));
  const m = await echoed;
  if (m.data.byteLength !== 16 * 1024) throw new Error(`pair ${i}: echoed ${m.data.byteLength} bytes`);
  a.close();
  b.close();
}

async function sample(done, started) {
  if (global.gc) global.gc(); // node --expose-gc: what is left is what is kept
  const { heapBytes, jsHeapBytes } = await EngineClient.shared().request(0, 'memory', {});
  const mb = (n) => (n / 1048576).toFixed(1);
  const handles = process._getActiveHandles().length; // eslint-disable-line no-underscore-dangle
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  const js = process.memoryUsage().heapUsed;
  console.log(`${String(done).padStart(6)} pairs  heap ${mb(heapBytes).padStart(6)} MB  rss ${mb(process.memoryUsage().rss).padStart(6)} MB  `
    + `js ${mb(js).padStart(5)} MB  worker js ${mb(jsHeapBytes).padStart(5)} MB  handles ${String(handles).padStart(3)}  ${secs} s`);
  return { heapBytes, rss: process.memoryUsage().rss, handles };
}

(async () => {
  // One connection stays open throughout: the engine worker stops with the
  // last connection, and a fresh one would hide what the old one kept.
  const anchor = new RTCPeerConnection(config);
  const started = Date.now();
  const samples = [await sample(0, started)];
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < PAIRS) {
      const i = next++;
      await onePair(i); // eslint-disable-line no-await-in-loop
      done += 1;
      if (done % 1000 === 0) samples.push(await sample(done, started)); // eslint-disable-line no-await-in-loop
    }
  }
  await Promise.all(Array.from({ length: CONCURRENT }, worker));
  anchor.close();
  if (samples.length > 2) {
    const first = samples[1];
    const last = samples[samples.length - 1];
    console.log(`from ${1000} to ${done} pairs: heap x${(last.heapBytes / first.heapBytes).toFixed(2)}, rss x${(last.rss / first.rss).toFixed(2)}, handles ${first.handles} -> ${last.handles}`);
  }
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
