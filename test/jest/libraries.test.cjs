'use strict';

// simple-peer, unmodified, on wasmrtc: `wrtc: require('wasmrtc')` against
// simple-peer on @roamhq/wrtc (libwebrtc) and against itself. Signals go
// straight into the other peer's signal() the moment they are emitted, as
// simple-peer's own examples do. Data both ways in both offer directions,
// a megabyte through its stream interface (its flow control waits on
// bufferedamountlow), then addStream of a wasmrtc audio track
// (nonstandard.RTCAudioSource) on a connected peer: the renegotiation goes
// through simple-peer, and the other side gets its stream and track events and
// hears the tone.
//
// simple-peer's default config names public STUN servers: every peer here
// gets iceServers [] (and the suite runs in its own network namespace).
const crypto = require('crypto');
const Peer = require('simple-peer');
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { playTone, listen, audibleFrames, frequency } = require('../support/audio.cjs');

jest.setTimeout(60000);

const STACKS = { wasmrtc, wrtc };
const CONFIG = { iceServers: [] };

const peers = [];
const tracks = [];
afterEach(() => {
  // wrtc keeps the process alive while a source's track is live.
  while (tracks.length) tracks.pop().stop();
  while (peers.length) {
    const p = peers.pop();
    p.destroy();
    // simple-peer 9.11 starts a 5 s timer on every local candidate and never
    // clears it (_startIceCompleteTimeout); it would hold Jest after the run.
    clearTimeout(p._iceCompleteTimer); // eslint-disable-line no-underscore-dangle
  }
});

/** A simple-peer on `stack`; errors are collected in peer.errors. */
function makePeer(stack, opts = {}) {
  const p = new Peer({ wrtc: STACKS[stack], config: CONFIG, ...opts });
  p.errors = [];
  p.on('error', (e) => p.errors.push(e));
  peers.push(p);
  return p;
}

function once(emitter, event) {
  return new Promise((resolve) => { emitter.once(event, (...args) => resolve(args)); });
}

/**
 * An initiator on `offerer`, the other on `answerer`, signals forwarded at
 * once; resolves when both are connected, rejects with the first error either
 * emits, or after 15 s: a peer whose getStats takes simple-peer's legacy
 * callback form (getStats.length > 0) never emits connect, and its error,
 * an unhandled rejection, only reaches Jest.
 */
async function connect(offerer, answerer) {
  const a = makePeer(offerer, { initiator: true });
  const b = makePeer(answerer);
  a.on('signal', (s) => b.signal(s));
  b.on('signal', (s) => a.signal(s));
  let deadline;
  const connected = new Promise((resolve, reject) => {
    a.once('error', (e) => reject(new Error(`${offerer} (initiator): ${e.code}: ${e.message}`)));
    b.once('error', (e) => reject(new Error(`${answerer}: ${e.code}: ${e.message}`)));
    deadline = setTimeout(() => reject(new Error(
      `not connected after 15 s: ${offerer} (initiator) ${a.connected}, ${answerer} ${b.connected}`,
    )), 15000);
    Promise.all([once(a, 'connect'), once(b, 'connect')]).then(resolve);
  });
  try {
    await connected;
  } finally {
    clearTimeout(deadline);
  }
  return [a, b];
}

function nextData(p, count) {
  return new Promise((resolve) => {
    const out = [];
    p.on('data', function on(d) {
      out.push(Buffer.from(d));
      if (out.length === count) { p.off('data', on); resolve(out); }
    });
  });
}

async function exchange(from, to) {
  const got = nextData(to, 2);
  from.send('text through simple-peer');
  from.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
  const [text, bytes] = await got;
  return { text: text.toString(), bytes: [...bytes] };
}

const WANT = { text: 'text through simple-peer', bytes: [0, 1, 2, 253, 254, 255] };

// What simple-peer detects or relies on, checked directly so that a
// regression names its cause (the tests below only time out or fail in simple-peer).
test('the API as simple-peer uses it: getStats.length is 0, and createOffer/createAnswer resolve writable dictionaries', async () => {
  // WebIDL (operations): a function's length counts its required arguments;
  // getStats(optional MediaStreamTrack? selector = null) has none. simple-peer
  // takes the pre-standard callback form, getStats(callback), when length > 0.
  expect(wasmrtc.RTCPeerConnection.prototype.getStats.length).toBe(0);
  // webrtc-pc 4.4.2: createOffer() resolves with an RTCSessionDescriptionInit
  // dictionary; simple-peer writes offer.sdp = sdpTransform(offer.sdp).
  const a = new wasmrtc.RTCPeerConnection(CONFIG);
  const b = new wasmrtc.RTCPeerConnection(CONFIG);
  try {
    a.createDataChannel('x');
    const offer = await a.createOffer();
    offer.sdp += ''; // throws (strict mode) where sdp is a getter
    expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    answer.sdp += '';
    expect(Object.getPrototypeOf(answer)).toBe(Object.prototype);
  } finally {
    a.close();
    b.close();
  }
});

const PAIRS = [['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc'], ['wasmrtc', 'wasmrtc']];

describe.each(PAIRS)('simple-peer: %s offers, %s answers', (offerer, answerer) => {
  test('data both ways, then a megabyte through the stream interface with its flow control', async () => {
    const [a, b] = await connect(offerer, answerer);
    expect(await exchange(a, b)).toEqual(WANT);
    expect(await exchange(b, a)).toEqual(WANT);
    // simple-peer waits for bufferedamountlow when the channel holds more than 64 KiB.
    const size = 1 << 20;
    const payload = crypto.randomBytes(size);
    const received = new Promise((resolve) => {
      const parts = [];
      let got = 0;
      b.on('data', (d) => {
        parts.push(Buffer.from(d));
        got += d.length;
        if (got >= size) resolve(Buffer.concat(parts));
      });
    });
    for (let off = 0; off < size; off += 16384) a.write(payload.subarray(off, off + 16384));
    const whole = await received;
    expect(whole.length).toBe(size);
    expect(whole.equals(payload)).toBe(true);
    expect([a.errors, b.errors]).toEqual([[], []]);
  });
});

// Our side adds the stream once data flows, as initiator (it renegotiates at
// once) and as the other peer (simple-peer asks the initiator for a
// transceiver, which then offers).
describe.each([
  ['wasmrtc', 'wrtc', true], ['wasmrtc', 'wrtc', false], ['wasmrtc', 'wasmrtc', true],
])('simple-peer: addStream of a wasmrtc audio track, %s -> %s (sender initiates: %s)', (from, to, senderInitiates) => {
  test('the other side gets stream and track events and hears a 440 Hz tone', async () => {
    const [a, b] = senderInitiates ? await connect(from, to) : (await connect(to, from)).reverse();
    const source = new wasmrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    tracks.push(track);
    const stream = new wasmrtc.MediaStream([track]);
    const gotTrack = once(b, 'track');
    const gotStream = once(b, 'stream');
    a.addStream(stream);
    const [[remoteTrack, trackStream], [remoteStream]] = await Promise.all([gotTrack, gotStream]);
    expect(remoteTrack.kind).toBe('audio');
    expect(remoteStream.id).toBe(stream.id);
    expect(trackStream).toBe(remoteStream);
    expect(remoteStream.getAudioTracks()).toEqual([remoteTrack]);

    const heard = listen(STACKS[to].nonstandard.RTCAudioSink, remoteTrack);
    // The track event comes with the offer, before the sender has the answer
    // and sends: this checks the wiring, a whole second of the tone heard out
    // of three (audio-interop.test.cjs measures the quality).
    const sent = await playTone(source, { hz: 440, ms: 3000 });
    await new Promise((r) => { setTimeout(r, 300); }); // the jitter buffer's tail
    const frames = heard.stop();
    expect(sent).toBe(300);
    expect(audibleFrames(frames)).toBeGreaterThanOrEqual(100);
    expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);
    // Data still flows on the renegotiated connection.
    expect(await exchange(b, a)).toEqual(WANT);
    expect([a.errors, b.errors]).toEqual([[], []]);
  });
});
