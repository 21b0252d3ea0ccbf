// Issue 12, defects 1 and 11: the order of events relative to the promises
// of the operations that cause them, in Node (the same JS facade as the
// polyfill). The scenario and its rules are shared with the browser suite
// (test/browser/pages/event-order.js): candidates are forwarded the moment
// icecandidate fires, descriptions once setLocalDescription has resolved.
const { RTCPeerConnection } = require('../..');
const { run, rules } = require('../browser/pages/event-order.js');

jest.setTimeout(30000);

class LoopbackPeerConnection extends RTCPeerConnection {
  constructor(config = {}) { super({ ...config, wasmrtc: { loopback: true } }); }
}

test('candidates forwarded at once: every event after the operation that caused it, no addIceCandidate rejects', async () => {
  const r = await run(LoopbackPeerConnection);
  expect(r.rejections).toEqual([]);
  expect(r.received).toBe('in order');
  expect(rules(r.log)).toEqual([]);
  // The rules are not vacuous: candidates and gathering events did happen.
  expect(r.log).toContain('a.icecandidate');
  expect(r.log).toContain('a.icecandidate(null)');
  expect(r.log).toContain('b.track');
  expect(r.log).toContain('b.datachannel');
});

test('data only, five times over: the same', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await run(LoopbackPeerConnection, { withAudio: false }); // eslint-disable-line no-await-in-loop
    expect(r.rejections).toEqual([]);
    expect(rules(r.log)).toEqual([]);
  }
});

test('the first icecandidate comes in a task after setLocalDescription resolves, not in its microtasks', async () => {
  const pc = new LoopbackPeerConnection();
  try {
    pc.createDataChannel('x');
    const seen = [];
    const complete = new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    });
    pc.onicecandidate = () => seen.push('icecandidate');
    pc.onicegatheringstatechange = () => seen.push(`gathering:${pc.iceGatheringState}`);
    await pc.setLocalDescription();
    seen.push('resolved');
    // Chained microtasks after the resolution still see nothing.
    await Promise.resolve();
    await null;
    seen.push('microtasks done');
    await complete;
    expect(seen.slice(0, 3)).toEqual(['resolved', 'microtasks done', 'gathering:gathering']);
    expect(seen).toContain('icecandidate');
  } finally {
    pc.close();
  }
});

// webrtc-pc 6.2 "announce the data channel": open follows datachannel in a
// task of its own (Chromium's order, test/browser/conformance.test.cjs), so
// the datachannel listener's awaits are done before open.
test('a remote channel: the datachannel listener\'s microtasks run before open, and messages follow open', async () => {
  const a = new LoopbackPeerConnection();
  const b = new LoopbackPeerConnection();
  try {
    const log = [];
    const ours = a.createDataChannel('x');
    ours.onopen = () => ours.send('first');
    const got = new Promise((resolve) => {
      b.ondatachannel = async ({ channel }) => {
        log.push(`datachannel ${channel.readyState}`);
        channel.addEventListener('open', () => log.push('open'));
        channel.addEventListener('message', (e) => { log.push(`message ${e.data}`); resolve(); });
        await null;
        await null;
        await null;
        log.push('awaits done');
        channel.onopen = () => log.push('onopen set after the awaits');
      };
    });
    a.onicecandidate = (e) => b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => a.addIceCandidate(e.candidate);
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    await got;
    expect(log).toEqual(['datachannel open', 'awaits done', 'open', 'onopen set after the awaits', 'message first']);
  } finally {
    a.close();
    b.close();
  }
});
