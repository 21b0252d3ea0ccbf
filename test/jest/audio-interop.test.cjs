// Audio against libwebrtc (@roamhq/wrtc), in both directions and both offer
// roles: a 440 Hz tone from an RTCAudioSource arrives on the other side's
// RTCAudioSink at 440 Hz with at least 95 % of its 10 ms frames; the same
// through a loopback proxy that drops 10 % of the RTP; audio and a data
// channel on one BUNDLE transport; renegotiation; getStats agreement; G.711
// (PCMU, PCMA) chosen on our side.
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { signal, connectionState, channelOpen, nextChannel } = require('../support/peers.cjs');
const { playTone, listen, audibleFrames, frequency } = require('../support/audio.cjs');
const { startLossProxy } = require('../support/loss-proxy.cjs');

jest.setTimeout(60000);

const STACKS = {
  wasmrtc: {
    make: (config = {}) => new wasmrtc.RTCPeerConnection({ wasmrtc: { loopback: true }, ...config }),
    api: wasmrtc,
    Source: wasmrtc.nonstandard.RTCAudioSource,
    Sink: wasmrtc.nonstandard.RTCAudioSink,
  },
  wrtc: {
    make: (config = {}) => new wrtc.RTCPeerConnection({ iceServers: [], ...config }),
    api: wrtc,
    Source: wrtc.nonstandard.RTCAudioSource,
    Sink: wrtc.nonstandard.RTCAudioSink,
  },
};

const pcs = [];
const tracks = [];
afterEach(() => {
  // wrtc keeps the process alive while a source's track is live.
  while (tracks.length) tracks.pop().stop();
  while (pcs.length) pcs.pop().close();
});

function sourceTrack(source) {
  const t = source.createTrack();
  tracks.push(t);
  return t;
}

function make(stack) {
  const pc = STACKS[stack].make();
  pcs.push(pc);
  return pc;
}

// The sender adds a track; a receiving offerer asks with a recvonly transceiver.
async function call(senderStack, receiverStack, senderOffers, { mangle } = {}) {
  const S = STACKS[senderStack];
  const sender = make(senderStack);
  const receiver = make(receiverStack);
  const source = new S.Source();
  const track = sourceTrack(source);
  const stream = new S.api.MediaStream();
  sender.addTrack(track, stream);
  if (!senderOffers) receiver.addTransceiver('audio', { direction: 'recvonly' });
  const gotTrack = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e); });
  if (mangle) await mangle(sender, receiver);
  else await signal(senderOffers ? sender : receiver, senderOffers ? receiver : sender);
  const e = await gotTrack;
  await Promise.all([connectionState(sender, 'connected'), connectionState(receiver, 'connected')]);
  return {
    sender, receiver, source, track: e.track, event: e, streamId: stream.id,
  };
}

function statsOf(report, type) {
  return [...report.values()].filter((s) => s.type === type);
}

const cases = [];
for (const [from, to] of [['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc'], ['wasmrtc', 'wasmrtc']]) {
  for (const senderOffers of [true, false]) cases.push([from, to, senderOffers]);
}

describe.each(cases)('audio %s -> %s (sender offers: %s)', (from, to, senderOffers) => {
  test('a 440 Hz tone arrives at 440 Hz with 95 % of its frames', async () => {
    const c = await call(from, to, senderOffers);
    expect(c.event.track.kind).toBe('audio');
    expect(c.event.streams.map((s) => s.id)).toEqual([c.streamId]);
    expect(c.event.transceiver.receiver).toBe(c.event.receiver);
    const heard = listen(STACKS[to].Sink, c.track);
    const sent = await playTone(c.source, { hz: 440, ms: 5000 });
    await new Promise((r) => { setTimeout(r, 300); });
    const frames = heard.stop();
    expect(sent).toBe(500);
    expect(audibleFrames(frames)).toBeGreaterThanOrEqual(0.95 * sent);
    expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);

    // getStats: what one side sent, the other received (nothing was lost).
    const [out] = statsOf(await c.sender.getStats(), 'outbound-rtp');
    const [inb] = statsOf(await c.receiver.getStats(), 'inbound-rtp');
    expect(out.kind).toBe('audio');
    expect(inb.kind).toBe('audio');
    expect(inb.packetsReceived).toBeGreaterThan(200);
    expect(Math.abs(out.packetsSent - inb.packetsReceived)).toBeLessThanOrEqual(3);
    expect(inb.packetsLost).toBeLessThanOrEqual(1);
  });
});

describe.each([['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc']])('audio %s -> %s with 10 %% RTP loss', (from, to) => {
  test('the tone is still recognisable and the loss is counted', async () => {
    const proxy = await startLossProxy({ lossRate: 0.1, seed: 42 });
    try {
      // The sender offers; candidates go only sender <- proxy (see loss-proxy.cjs).
      const strip = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
      const c = await call(from, to, true, {
        mangle: async (sender, receiver) => {
          receiver.addEventListener('icecandidate', (e) => {
            if (e.candidate && e.candidate.candidate) proxy.offerReceiverCandidate(e.candidate.candidate);
          });
          const offer = await sender.createOffer();
          await sender.setLocalDescription(offer);
          await receiver.setRemoteDescription({ type: 'offer', sdp: strip(sender.localDescription.sdp) });
          await receiver.setLocalDescription(await receiver.createAnswer());
          await sender.setRemoteDescription({ type: 'answer', sdp: strip(receiver.localDescription.sdp) });
          await sender.addIceCandidate({ candidate: proxy.senderCandidate, sdpMid: '0', sdpMLineIndex: 0 });
        },
      });
      const heard = listen(STACKS[to].Sink, c.track);
      await playTone(c.source, { hz: 440, ms: 5000 });
      await new Promise((r) => { setTimeout(r, 300); });
      const frames = heard.stop();
      expect(proxy.counts.dropped).toBeGreaterThan(10);
      expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);
      expect(audibleFrames(frames)).toBeGreaterThanOrEqual(0.8 * 500);
      const [inb] = statsOf(await c.receiver.getStats(), 'inbound-rtp');
      const [out] = statsOf(await c.sender.getStats(), 'outbound-rtp');
      // Lost as the proxy counted it, within what was in flight at the end.
      expect(Math.abs(inb.packetsLost - proxy.counts.dropped)).toBeLessThanOrEqual(3);
      expect(Math.abs(out.packetsSent - inb.packetsReceived - proxy.counts.dropped)).toBeLessThanOrEqual(3);
    } finally {
      proxy.close();
    }
  });
});

// G.711 (RFC 3551 4.5.14): chosen on our side, with setCodecPreferences
// when we offer, by answering the peer's offer that lists it first when it
// offers; the tone crosses 8 kHz both ways.
describe.each([
  ['wasmrtc', 'wrtc', 'PCMU'], ['wrtc', 'wasmrtc', 'PCMU'], ['wasmrtc', 'wrtc', 'PCMA'], ['wrtc', 'wasmrtc', 'PCMA'],
  ['wasmrtc', 'wasmrtc', 'PCMU'],
])('G.711 audio %s -> %s (%s)', (from, to, name) => {
  test('negotiated, a 440 Hz tone arrives at 440 Hz, and the stats name the codec', async () => {
    const S = STACKS[from];
    const sender = make(from);
    const receiver = make(to);
    const source = new S.Source();
    sender.addTrack(sourceTrack(source), new S.api.MediaStream());
    const pt = name === 'PCMU' ? '0' : '8';
    if (from === 'wasmrtc') {
      const codecs = wasmrtc.RTCRtpSender.getCapabilities('audio').codecs.filter((c) => c.mimeType === `audio/${name}`);
      expect(codecs).toEqual([{ mimeType: `audio/${name}`, clockRate: 8000, channels: 1 }]);
      sender.getTransceivers()[0].setCodecPreferences(codecs);
    }
    // The peer's offer lists G.711 first: our answer follows its order.
    const first = (sdp, pc) => (pc !== sender || from === 'wasmrtc' ? sdp
      : sdp.replace(/^(m=audio \S+ \S+) (.*)$/m, (line, head, pts) => `${head} ${pt} ${pts.split(' ').filter((p) => p !== pt).join(' ')}`));
    const gotTrack = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e); });
    await signal(sender, receiver, { mangle: first });
    const { track } = await gotTrack;
    await Promise.all([connectionState(sender, 'connected'), connectionState(receiver, 'connected')]);
    const ours = from === 'wasmrtc' ? sender : receiver;
    const m = ours.localDescription.sdp.match(/^m=audio \S+ \S+ (\d+)/m);
    expect(m[1]).toBe(pt);
    expect(ours.localDescription.sdp).toContain(`a=rtpmap:${pt} ${name}/8000`);

    const heard = listen(STACKS[to].Sink, track);
    const sent = await playTone(source, { hz: 440, ms: 3000 });
    await new Promise((r) => { setTimeout(r, 300); });
    const frames = heard.stop();
    expect(audibleFrames(frames)).toBeGreaterThanOrEqual(0.9 * sent);
    expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);
    const report = await ours.getStats();
    const rtp = statsOf(report, from === 'wasmrtc' ? 'outbound-rtp' : 'inbound-rtp')[0];
    expect(report.get(rtp.codecId).mimeType).toBe(`audio/${name}`);
    expect(report.get(rtp.codecId).payloadType).toBe(Number(pt));
  });
});

describe.each([['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc']])('audio and data on one BUNDLE, %s offers to %s', (a, b) => {
  test('both flow, then renegotiation removes and re-adds the track; the channel stays open', async () => {
    const offerer = make(a);
    const answerer = make(b);
    const A = STACKS[a];
    const B = STACKS[b];
    const sourceA = new A.Source();
    const senderA = offerer.addTrack(sourceTrack(sourceA), new A.api.MediaStream());
    const sourceB = new B.Source();
    answerer.addTrack(sourceTrack(sourceB), new B.api.MediaStream());
    const dc = offerer.createDataChannel('chat');
    const remote = { offerer: [], answerer: [] };
    offerer.ontrack = (e) => remote.offerer.push(e.track);
    answerer.ontrack = (e) => remote.answerer.push(e.track);
    const remoteChannel = nextChannel(answerer, 'chat');
    await signal(offerer, answerer);
    const [rdc] = await Promise.all([remoteChannel, channelOpen(dc)]);
    expect(remote.answerer).toHaveLength(1);
    expect(remote.offerer).toHaveLength(1);
    // One m= line each for audio and data, one BUNDLE group.
    const sdp = offerer.localDescription.sdp;
    expect(sdp).toMatch(/a=group:BUNDLE 0 1\r\n/);
    const heardA = listen(B.Sink, remote.answerer[0]);
    const heardB = listen(A.Sink, remote.offerer[0]);
    const got = new Promise((resolve) => { rdc.onmessage = (e) => resolve(e.data); });
    dc.send('hello with audio');
    await Promise.all([playTone(sourceA, { ms: 1500 }), playTone(sourceB, { ms: 1500, hz: 440 })]);
    expect(await got).toBe('hello with audio');
    expect(Math.abs(frequency(heardA.stop()) - 440)).toBeLessThan(2);
    expect(Math.abs(frequency(heardB.stop()) - 440)).toBeLessThan(2);
    // Only one transport carried everything.
    expect(statsOf(await offerer.getStats(), 'transport')).toHaveLength(1);

    // Remove the offerer's track mid-call: the answerer's copy is removed
    // from its stream (webrtc-pc "process the removal of a remote track").
    offerer.removeTrack(senderA);
    await signal(offerer, answerer);
    const again = new Promise((resolve) => { rdc.onmessage = (e) => resolve(e.data); });
    dc.send('still here');
    expect(await again).toBe('still here');
    expect(rdc.readyState).toBe('open');
    // And add a new one: a new track event, and the tone gets through.
    const sourceC = new A.Source();
    offerer.addTrack(sourceTrack(sourceC), new A.api.MediaStream());
    const next = new Promise((resolve) => { answerer.ontrack = (e) => resolve(e.track); });
    await signal(offerer, answerer);
    const t = await next;
    const heardC = listen(B.Sink, t);
    await playTone(sourceC, { ms: 1500 });
    await new Promise((r) => { setTimeout(r, 200); });
    expect(Math.abs(frequency(heardC.stop()) - 440)).toBeLessThan(2);
    const third = new Promise((resolve) => { rdc.onmessage = (e) => resolve(e.data); });
    dc.send('after re-adding');
    expect(await third).toBe('after re-adding');
  });
});
