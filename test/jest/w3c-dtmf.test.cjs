// Peer-to-peer DTMF (webrtc-pc section 7): RTCDTMFSender's API and its
// playout timing, and the tones on the wire as RFC 4733 telephone-events
// (ours to ours through nonstandard.RTCDtmfSink; ours to libwebrtc seen in
// the RTP headers, which SRTP leaves in the clear).
const {
  RTCPeerConnection, RTCDTMFSender, RTCDTMFToneChangeEvent, nonstandard,
} = require('../..');
const { playTone } = require('../support/audio.cjs');
const { startLossProxy } = require('../support/loss-proxy.cjs');
const { videoCall, sleep } = require('../support/video-call.cjs');
const { throwsDom: domError } = require('../support/w3c.cjs');

jest.setTimeout(30000);

const closeMe = [];
afterEach(() => {
  while (closeMe.length) closeMe.pop().close();
});

function peer() {
  const pc = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  closeMe.push(pc);
  return pc;
}

function audioSender(pc) {
  const source = new nonstandard.RTCAudioSource();
  const track = source.createTrack();
  closeMe.push({ close: () => track.stop() });
  return pc.addTrack(track);
}

/** Records [tone, toneBuffer, ms since the previous event] until `count` events. */
function toneChanges(dtmf, count) {
  return new Promise((resolve) => {
    const seen = [];
    let last = performance.now();
    dtmf.addEventListener('tonechange', (e) => {
      const now = performance.now();
      seen.push([e.tone, dtmf.toneBuffer, now - last]);
      last = now;
      if (seen.length === count) resolve(seen);
    });
  });
}

// Each within 100 ms of the spec's times (WPT allows 250).
function expectTimes(seen, expected) {
  expect(seen.map(([tone, buffer]) => [tone, buffer])).toEqual(expected.map(([tone, buffer]) => [tone, buffer]));
  seen.forEach(([, , ms], i) => expect(Math.abs(ms - expected[i][2])).toBeLessThan(100));
}

// The time from the first tonechange to the last.
const span = (seen) => seen.slice(1).reduce((sum, [, , ms]) => sum + ms, 0);

describe('RTCDTMFSender (7.1, 7.2)', () => {
  test('audio senders have one, video senders none; not constructible', () => {
    const pc = peer();
    const audio = pc.addTransceiver('audio');
    const video = pc.addTransceiver('video');
    expect(audio.sender.dtmf).toBeInstanceOf(RTCDTMFSender);
    expect(audio.sender.dtmf).toBe(audio.sender.dtmf);
    expect(video.sender.dtmf).toBeNull();
    expect(() => new RTCDTMFSender()).toThrow(TypeError);
    expect(audio.sender.dtmf.toneBuffer).toBe('');
    expect(audio.sender.dtmf.ontonechange).toBeNull();
    // Not negotiated, no track: nothing can be sent yet.
    expect(audio.sender.dtmf.canInsertDTMF).toBe(false);
  });

  test('RTCDTMFToneChangeEvent', () => {
    expect(new RTCDTMFToneChangeEvent('tonechange', { tone: 'A' }).tone).toBe('A');
    expect(new RTCDTMFToneChangeEvent('tonechange').tone).toBe('');
    expect(new RTCDTMFToneChangeEvent('tonechange')).toBeInstanceOf(Event);
    expect(() => new RTCDTMFToneChangeEvent()).toThrow(TypeError);
  });

  test('insertDTMF: valid tones are kept upper-cased; others are an InvalidCharacterError', () => {
    const { dtmf } = audioSender(peer());
    dtmf.insertDTMF('');
    dtmf.insertDTMF('0123456789ABCDabcd#*,');
    expect(dtmf.toneBuffer).toBe('0123456789ABCDABCD#*,');
    dtmf.insertDTMF('bcd');
    expect(dtmf.toneBuffer).toBe('BCD');
    for (const bad of ['123FFABC', 'E', '# *', 'ä']) domError(() => dtmf.insertDTMF(bad), 'InvalidCharacterError');
    expect(dtmf.toneBuffer).toBe('BCD');
    expect(() => dtmf.insertDTMF()).toThrow(TypeError);
  });

  test('insertDTMF on a stopped transceiver is an InvalidStateError', () => {
    const t = peer().addTransceiver('audio');
    t.stop();
    domError(() => t.sender.dtmf.insertDTMF(''), 'InvalidStateError');
  });

  test('insertDTMF when currentDirection is inactive is an InvalidStateError', async () => {
    const a = peer();
    const b = peer();
    const t = a.addTransceiver('audio', { direction: 'recvonly' });
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    expect(t.currentDirection).toBe('inactive');
    domError(() => t.sender.dtmf.insertDTMF('1'), 'InvalidStateError');
  });

  test('tonechange: at once, then every duration + interToneGap, then ""', async () => {
    const { dtmf } = audioSender(peer());
    const seen = toneChanges(dtmf, 4);
    dtmf.insertDTMF('123');
    expectTimes(await seen, [['1', '23', 0], ['2', '3', 170], ['3', '', 170], ['', '', 170]]);
  });

  // Over eight tones the clamping shows beyond timer noise: 8 x 110 ms
  // against 8 x 80 unclamped, and 8 x 130 against 8 x 110.
  test('duration is clamped to 40..6000 and interToneGap to at least 30', async () => {
    const { dtmf } = audioSender(peer());
    let seen = toneChanges(dtmf, 9);
    dtmf.insertDTMF('12345678', 10, 70);
    expect(Math.abs(span(await seen) - 8 * 110)).toBeLessThan(100);
    const other = audioSender(peer()).dtmf;
    seen = toneChanges(other, 9);
    other.insertDTMF('abcd1234', 100, 10);
    const times = await seen;
    expect(times[0].slice(0, 2)).toEqual(['A', 'BCD1234']);
    expect(Math.abs(span(times) - 8 * 130)).toBeLessThan(80);
  });

  test('"," waits 2 s', async () => {
    const { dtmf } = audioSender(peer());
    const seen = toneChanges(dtmf, 4);
    dtmf.insertDTMF('A,B');
    expectTimes(await seen, [['A', ',B', 0], [',', 'B', 170], ['B', '', 2000], ['', '', 170]]);
  });

  test('insertDTMF during playout replaces what is left; "" stops it', async () => {
    const { dtmf } = audioSender(peer());
    const seen = toneChanges(dtmf, 5);
    dtmf.addEventListener('tonechange', (e) => {
      if (e.tone === 'B') setTimeout(() => { dtmf.insertDTMF('12'); dtmf.insertDTMF('34'); }, 10);
    });
    dtmf.insertDTMF('ABC');
    expectTimes(await seen, [['A', 'BC', 0], ['B', 'C', 170], ['3', '4', 170], ['4', '', 170], ['', '', 170]]);

    const other = audioSender(peer()).dtmf;
    const events = [];
    other.ontonechange = (e) => {
      events.push(e.tone);
      if (e.tone === 'A') other.insertDTMF('');
    };
    other.insertDTMF('ABC');
    await sleep(500);
    expect(events).toEqual(['A', '']);
  });

  test('stopping the transceiver stops the tonechange events', async () => {
    const pc = peer();
    const sender = audioSender(pc);
    const events = [];
    sender.dtmf.ontonechange = (e) => {
      events.push(e.tone);
      if (e.tone === 'B') pc.getTransceivers()[0].stop();
    };
    sender.dtmf.insertDTMF('ABC');
    await sleep(600);
    expect(events).toEqual(['A', 'B']);
  });
});

describe('DTMF on the wire (RFC 4733)', () => {
  test('ours to ours: canInsertDTMF, getParameters().codecs, and each tone arrives once with its length', async () => {
    const c = await videoCall('wasmrtc', 'wasmrtc', closeMe, { kind: 'audio' });
    const playing = playTone(c.source, { ms: 3000 });
    const { dtmf } = c.sender.getSenders()[0];
    expect(dtmf.canInsertDTMF).toBe(true);
    const codecs = c.sender.getSenders()[0].getParameters().codecs.map((x) => `${x.mimeType}/${x.clockRate}`);
    expect(codecs).toEqual(['audio/opus/48000', 'audio/PCMU/8000', 'audio/PCMA/8000', 'audio/telephone-event/48000', 'audio/telephone-event/8000']);
    expect(c.receiver.getReceivers()[0].getParameters().codecs.length).toBe(5);

    const sink = new nonstandard.RTCDtmfSink(c.receiver.getTransceivers()[0].receiver);
    closeMe.push({ close: () => sink.stop() });
    const got = [];
    const all = new Promise((resolve) => {
      sink.ontone = ({ tone, duration }) => {
        got.push([tone, duration]);
        if (got.length === 4) resolve();
      };
    });
    const done = toneChanges(dtmf, 5);
    dtmf.insertDTMF('1#a9', 120, 50);
    await done;
    await all;
    expect(got.map(([t]) => t).join('')).toBe('1#A9');
    got.forEach(([, d]) => expect(d).toBeCloseTo(120, 0));
    await playing;
  });

  test('ours to libwebrtc: telephone-event packets, marked at the start, a timestamp per tone', async () => {
    const packets = [];
    const proxy = await startLossProxy({ lossRate: 0, onRtp: (m) => packets.push(Buffer.from(m.subarray(0, 12))) });
    closeMe.push(proxy);
    const c = await videoCall('wasmrtc', 'wrtc', closeMe, { kind: 'audio', proxy });
    const playing = playTone(c.source, { ms: 2500 });
    await sleep(300);
    const dtmf = c.sender.getSenders()[0].dtmf;
    expect(dtmf.canInsertDTMF).toBe(true);
    // libwebrtc answers with its own payload type for telephone-event/48000.
    const pt = Number(/a=rtpmap:(\d+) telephone-event\/48000/.exec(c.receiver.localDescription.sdp)[1]);
    const done = toneChanges(dtmf, 3);
    dtmf.insertDTMF('5*', 200, 100);
    await done;
    await sleep(100);
    await playing;
    const events = packets.filter((h) => (h[1] & 0x7f) === pt);
    const timestamps = [...new Set(events.map((h) => h.readUInt32BE(4)))];
    expect(timestamps.length).toBe(2); // one event per tone
    for (const ts of timestamps) {
      const mine = events.filter((h) => h.readUInt32BE(4) === ts);
      // Updates every 50 ms over 200 ms and the end three times: 7 packets.
      expect(mine.length).toBeGreaterThanOrEqual(6);
      expect(mine.length).toBeLessThanOrEqual(8);
      expect(mine[0][1] & 0x80).toBe(0x80); // the marker on the first
      expect(mine.slice(1).every((h) => (h[1] & 0x80) === 0)).toBe(true);
    }
    // The events share the audio's SSRC and sequence numbering.
    const ssrcs = new Set(packets.map((h) => h.readUInt32BE(8)));
    expect(ssrcs.size).toBe(1);
    // And libwebrtc took it in: the connection still carries the audio.
    const inbound = [...(await c.receiver.getStats()).values()].find((s) => s.type === 'inbound-rtp');
    expect(inbound.packetsReceived).toBeGreaterThan(50);
  });
});
