// Issue 14: one engine (one WASM heap) serves every RTCPeerConnection of a
// process. It has a ceiling, and when it runs out anyway every connection
// of that engine fails at once, with an error on each open channel, and
// the next RTCPeerConnection gets a fresh engine. The number of
// connections per engine is bounded as in Chromium.
//
// The heap ceiling is lowered for this file (WASMRTC_ENGINE_HEAP_LIMIT_MB,
// read when the engine worker starts) so that ordinary connections reach it.
process.env.WASMRTC_ENGINE_HEAP_LIMIT_MB = '40';

const wasmrtc = require('../..');
const { MAX_PEER_CONNECTIONS } = require('../../js/webrtc/engine-client.cjs');
const { signal, connectionState } = require('../support/peers.cjs');

const { RTCPeerConnection } = wasmrtc;
jest.setTimeout(120000);

afterAll(() => { delete process.env.WASMRTC_ENGINE_HEAP_LIMIT_MB; });

const config = { wasmrtc: { loopback: true } };

function opened(channel) {
  return new Promise((resolve) => {
    if (channel.readyState === 'open') resolve();
    else channel.addEventListener('open', resolve, { once: true });
  });
}

test('out of memory: every connection of the engine fails with channel errors, the next one gets a fresh engine', async () => {
  const pcs = [];
  const channels = [];
  const errors = [];
  let failedAt = null;
  const failed = new Set();
  // Connected pairs, each with a channel carrying data, until the engine's
  // heap passes its (lowered) limit.
  for (let i = 0; i < 60 && failed.size === 0; i++) {
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    for (const pc of [a, b]) {
      pcs.push(pc);
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState !== 'failed') return;
        failed.add(pc);
        failedAt ??= Date.now();
      });
    }
    const channel = a.createDataChannel(`c${i}`);
    channel.onerror = (e) => errors.push({ at: Date.now(), name: e.error.name, detail: e.error.errorDetail });
    channels.push(channel);
    try {
      // eslint-disable-next-line no-await-in-loop
      await signal(a, b);
      // eslint-disable-next-line no-await-in-loop
      await Promise.race([opened(channel), connectionState(a, 'failed')]);
      if (channel.readyState === 'open') channel.send(new Uint8Array(256 * 1024));
    } catch (e) {
      // A command in flight when the engine fails rejects with OperationError.
      expect(e.name).toBe('OperationError');
    }
  }
  expect(failed.size).toBeGreaterThan(0);
  // Every connection of the engine fails, within a second of the first.
  await Promise.all(pcs.map((pc) => connectionState(pc, 'failed')));
  expect(Date.now() - failedAt).toBeLessThan(1000);
  for (const pc of pcs) {
    expect(pc.connectionState).toBe('failed');
    expect(pc.iceConnectionState).toBe('failed');
  }
  // Each channel got an error (sctp-failure), then closed.
  for (const c of channels) expect(c.readyState).toBe('closed');
  expect(errors).toHaveLength(channels.length);
  for (const e of errors) {
    expect(e.name).toBe('OperationError');
    expect(e.detail).toBe('sctp-failure');
  }
  for (const pc of pcs) pc.close();

  // A fresh engine for the next connections.
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const channel = a.createDataChannel('after');
  const got = new Promise((resolve) => {
    b.ondatachannel = ({ channel: remote }) => { remote.onmessage = (m) => resolve(m.data); };
  });
  await signal(a, b);
  await opened(channel);
  channel.send('still here');
  expect(await got).toBe('still here');
  a.close();
  b.close();
});

test(`past ${MAX_PEER_CONNECTIONS} connections per engine the constructor throws UnknownError, as in Chromium`, async () => {
  const pcs = [];
  for (let i = 0; i < MAX_PEER_CONNECTIONS; i++) pcs.push(new RTCPeerConnection(config));
  let error = null;
  try {
    pcs.push(new RTCPeerConnection(config));
  } catch (e) {
    error = e;
  }
  expect(error).not.toBeNull();
  expect(error.name).toBe('UnknownError');
  expect(error.message).toMatch(/Cannot create so many PeerConnections/);
  pcs.pop().close();
  pcs.push(new RTCPeerConnection(config)); // room again once one is closed
  for (const pc of pcs) pc.close();
});
