// Issue 14: what a remote peer (through the page's signaling) can make the
// engine hold is bounded, and past each limit the page gets the error
// webrtc-pc names, with the connection still usable.
// Limits: src/sdp/jsep_session.h (kMaxDescriptionBytes, kMaxMediaSections,
// kMaxRemoteCandidates).
const wasmrtc = require('../..');
const { signal, waitFor } = require('../support/peers.cjs');
const { peerFactory } = require('../support/w3c.cjs');

const { RTCPeerConnection } = wasmrtc;
const make = peerFactory(RTCPeerConnection, { wasmrtc: { loopback: true } });

async function errorOf(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return null;
}

async function dataOffer() {
  const a = make();
  a.createDataChannel('x');
  const offer = await a.createOffer();
  a.close();
  return offer.sdp;
}

describe('remote descriptions', () => {
  test('over 512 KiB: OperationError; the connection still negotiates', async () => {
    const sdp = await dataOffer();
    const big = sdp + `a=x-padding:${'p'.repeat(600 * 1024)}\r\n`;
    const b = make();
    const error = await errorOf(b.setRemoteDescription({ type: 'offer', sdp: big }));
    expect(error).not.toBeNull();
    expect(error.name).toBe('OperationError');
    expect(error.message).toMatch(/bytes/);
    expect(b.signalingState).toBe('stable');
    const a = make();
    a.createDataChannel('y');
    await signal(a, b);
    expect(b.signalingState).toBe('stable');
  });

  test('over 512 m= sections: OperationError', async () => {
    const sdp = await dataOffer();
    const at = sdp.indexOf('m=');
    const head = sdp.slice(0, at);
    const section = sdp.slice(at);
    let many = head.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
    for (let i = 0; i <= 512; i++) many += section.replace(/a=mid:[^\r\n]*/, `a=mid:m${i}`);
    const b = make();
    const error = await errorOf(b.setRemoteDescription({ type: 'offer', sdp: many }));
    expect(error).not.toBeNull();
    expect(error.name).toBe('OperationError');
    expect(error.message).toMatch(/m= sections/);
  });
});

test('addIceCandidate past 256 remote candidates of one m= section: OperationError', async () => {
  const b = make();
  await b.setRemoteDescription({ type: 'offer', sdp: await dataOffer() });
  const candidate = (i) => ({
    candidate: `candidate:${i} 1 udp 2122260223 192.0.2.${(i % 250) + 1} ${10000 + i} typ host`,
    sdpMid: '0',
  });
  for (let i = 0; i < 256; i++) await b.addIceCandidate(candidate(i)); // eslint-disable-line no-await-in-loop
  const error = await errorOf(b.addIceCandidate(candidate(999)));
  expect(error).not.toBeNull();
  expect(error.name).toBe('OperationError');
  expect(b.remoteDescription.sdp.match(/^a=candidate:/gm)).toHaveLength(256);
  b.close();
});

// A connection of the same engine that keeps exchanging messages while
// another is attacked: resolves to how many round trips it made.
// (Not from make(): its connections close after each test.)
async function bystander() {
  const a = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  const b = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  const channel = a.createDataChannel('bystander');
  b.ondatachannel = ({ channel: remote }) => { remote.onmessage = (m) => remote.send(m.data); };
  await signal(a, b);
  if (channel.readyState !== 'open') await waitFor(channel, 'open');
  let stop = false;
  let trips = 0;
  const waiting = []; // [count, resolve]: tripsPast(count)
  const running = (async () => {
    while (!stop) {
      const echoed = waitFor(channel, 'message');
      channel.send(`ping ${trips}`);
      await echoed; // eslint-disable-line no-await-in-loop
      trips += 1;
      for (const w of waiting.splice(0)) {
        if (trips > w[0]) w[1]();
        else waiting.push(w);
      }
    }
  })();
  return {
    trips: () => trips,
    // Resolves once more than `count` round trips have been made.
    tripsPast: (count) => new Promise((resolve) => {
      if (trips > count) resolve();
      else waiting.push([count, resolve]);
    }),
    async stop() {
      stop = true;
      await running;
      a.close();
      b.close();
      return trips;
    },
  };
}

describe('hostile remote descriptions settle within 2 s while another connection carries on', () => {
  let sdp;
  let other;
  beforeAll(async () => {
    sdp = await dataOffer();
    other = await bystander();
  });
  afterAll(async () => {
    expect(await other.stop()).toBeGreaterThan(0);
  });

  const cases = {
    'a 20 MB description': () => sdp + `a=x-padding:${'p'.repeat(1000)}\r\n`.repeat(20 * 1000),
    'a description of 5,000 m= sections': () => {
      const at = sdp.indexOf('m=');
      let out = sdp.slice(0, at).replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
      for (let i = 0; i < 5000; i++) out += sdp.slice(at).replace(/a=mid:[^\r\n]*/, `a=mid:m${i}`);
      return out;
    },
    'a description with 50,000 candidates': () => {
      const lines = [];
      for (let i = 0; i < 50000; i++) {
        lines.push(`a=candidate:${i} 1 udp 2122260223 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} ${1024 + (i % 60000)} typ host\r\n`);
      }
      return sdp + lines.join('');
    },
  };
  for (const [name, make_sdp] of Object.entries(cases)) {
    test(`${name}: OperationError`, async () => {
      const text = make_sdp();
      const b = make();
      const before = other.trips();
      const started = Date.now();
      const error = await errorOf(b.setRemoteDescription({ type: 'offer', sdp: text }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).not.toBeNull();
      expect(error.name).toBe('OperationError');
      b.close();
      // The other connection's messages still go round.
      await other.tripsPast(before + 2);
    });
  }
});

// webrtc-pc 6.2 send() step 4 against a peer whose max-message-size allows
// 1 MiB (the answer says so) and that does not keep up: the page, ignoring
// bufferedAmount, gets OperationError before 64 MiB is held, and the engine
// carries on.
test('send() of 1 MiB messages in a loop to a slow peer: OperationError before 64 MiB, the engine survives', async () => {
  const a = make();
  const b = make();
  const channel = a.createDataChannel('bulk');
  await signal(a, b, { mangle: (text, from) => (from === b ? text.replace(/a=max-message-size:\d+/, 'a=max-message-size:1048576') : text) });
  if (channel.readyState !== 'open') await waitFor(channel, 'open');
  expect(a.sctp.maxMessageSize).toBe(1048576);
  const chunk = new Uint8Array(1024 * 1024);
  let sent = 0;
  let error = null;
  try {
    for (let i = 0; i < 64; i++) {
      channel.send(chunk);
      sent += 1;
    }
  } catch (e) {
    error = e;
  }
  expect(error).not.toBeNull();
  expect(error.name).toBe('OperationError');
  expect(sent).toBeLessThan(64);
  expect(channel.readyState).toBe('open');
  a.close();
  b.close();
  // The engine still serves new connections.
  const other = await bystander();
  await other.tripsPast(2);
  await other.stop();
});

// What a closed connection held in the engine worker is let go: its host
// sockets and streams leave the loop (they used to stay, about 12 KB of
// worker heap per pair in test/bench/soak.cjs).
test('closed connections leave no sockets or streams behind in the engine worker', async () => {
  const { EngineClient } = require('../../js/webrtc/engine-client.cjs'); // eslint-disable-line global-require
  const anchor = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  const before = await EngineClient.shared().request(0, 'memory', {});
  for (let i = 0; i < 10; i++) {
    const a = make();
    const b = make();
    a.createDataChannel('x');
    await signal(a, b); // eslint-disable-line no-await-in-loop
    a.close();
    b.close();
  }
  // close() lets the last packets go for 100 ms before the sockets close.
  let after;
  for (let tries = 0; tries < 100; tries++) {
    after = await EngineClient.shared().request(0, 'memory', {}); // eslint-disable-line no-await-in-loop
    if (after.connections === before.connections && after.sockets === before.sockets) break;
    await new Promise((resolve) => { setTimeout(resolve, 50); }); // eslint-disable-line no-await-in-loop
  }
  expect(after.connections).toBe(before.connections);
  expect(after.sockets).toBe(before.sockets);
  expect(after.streams).toBe(before.streams);
  anchor.close();
});
