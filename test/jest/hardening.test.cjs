// Issue 14: what a remote peer (through the page's signaling) can make the
// engine hold is bounded, and past each limit the page gets the error
// webrtc-pc names, with the connection still usable.
// Limits: src/sdp/jsep_session.h (kMaxDescriptionBytes, kMaxMediaSections,
// kMaxRemoteCandidates).
const wasmrtc = require('../..');
const { signal } = require('../support/peers.cjs');
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
