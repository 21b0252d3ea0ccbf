// VP8 video against libwebrtc (@roamhq/wrtc), both directions: 640x480
// frames at 30 fps carrying their number as blocks arrive decoded, in order,
// at the right size. (Loss recovery with NACK/RTX and bandwidth estimation
// are issue 7's; here the path is clean.)
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { signal, connectionState } = require('../support/peers.cjs');
const { playFrames, watch } = require('../support/video.cjs');
const { startLossProxy } = require('../support/loss-proxy.cjs');

jest.setTimeout(60000);

const STACKS = {
  wasmrtc: {
    make: () => new wasmrtc.RTCPeerConnection({ wasmrtc: { loopback: true } }),
    api: wasmrtc,
  },
  wrtc: { make: () => new wrtc.RTCPeerConnection({ iceServers: [] }), api: wrtc },
};

const closeMe = [];
afterEach(() => {
  while (closeMe.length) closeMe.pop().close();
});

describe.each([['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc'], ['wasmrtc', 'wasmrtc']])('video %s -> %s', (from, to) => {
  test('90 numbered 640x480 frames at 30 fps arrive in order, at least 90 %', async () => {
    const S = STACKS[from];
    const sender = S.make();
    const receiver = STACKS[to].make();
    const source = new S.api.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    closeMe.push({ close: () => track.stop() });
    closeMe.push(sender, receiver);
    sender.addTrack(track, new S.api.MediaStream());
    const got = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e.track); });
    await signal(sender, receiver);
    const remote = await got;
    expect(remote.kind).toBe('video');
    await connectionState(receiver, 'connected');
    const seen = watch(STACKS[to].api.nonstandard.RTCVideoSink, remote);
    await playFrames(source, { count: 90 });
    await new Promise((r) => { setTimeout(r, 500); });
    const frames = seen.stop();
    const numbers = frames.map((f) => f.n).filter((n) => n < 90);
    expect(new Set(numbers).size).toBeGreaterThanOrEqual(81);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThanOrEqual(numbers[i - 1]);
    expect(frames.every((f) => f.width === 640 && f.height === 480)).toBe(true);
    const out = [...(await sender.getStats()).values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
    const inb = [...(await receiver.getStats()).values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
    expect(out.framesEncoded).toBeGreaterThanOrEqual(81);
    expect(inb.framesDecoded).toBeGreaterThanOrEqual(81);
  });
});

// The sender gets only the proxy's candidate, the receiver none: every
// packet crosses the proxy (see loss-proxy.cjs).
async function callThroughProxy(from, to, proxy) {
  const S = STACKS[from];
  const sender = S.make();
  const receiver = STACKS[to].make();
  const source = new S.api.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  closeMe.push({ close: () => track.stop() });
  closeMe.push(sender, receiver);
  sender.addTrack(track, new S.api.MediaStream());
  const got = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e.track); });
  receiver.addEventListener('icecandidate', (e) => {
    if (e.candidate && e.candidate.candidate) proxy.offerReceiverCandidate(e.candidate.candidate);
  });
  const strip = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription({ type: 'offer', sdp: strip(sender.localDescription.sdp) });
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription({ type: 'answer', sdp: strip(receiver.localDescription.sdp) });
  await sender.addIceCandidate({ candidate: proxy.senderCandidate, sdpMid: '0', sdpMLineIndex: 0 });
  const remote = await got;
  await connectionState(receiver, 'connected');
  return {
    sender, receiver, source, remote, S,
  };
}

function longestGap(frames, until) {
  let gap = 0;
  for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i].at - frames[i - 1].at);
  if (frames.length) gap = Math.max(gap, until - frames[frames.length - 1].at);
  return gap;
}

describe.each([['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc']])('video %s -> %s with 5 %% loss and 50 ms delay', (from, to) => {
  test('NACK/RTX repairs the loss: frames keep coming, retransmissions are counted', async () => {
    const proxy = await startLossProxy({ lossRate: 0.05, delayMs: 50, seed: 7 });
    try {
      const c = await callThroughProxy(from, to, proxy);
      const seen = watch(STACKS[to].api.nonstandard.RTCVideoSink, c.remote);
      await playFrames(c.source, { count: 150, noise: true }); // 5 s
      await new Promise((r) => { setTimeout(r, 600); });
      const end = performance.now() - 600;
      const frames = seen.stop();
      const out = [...(await c.sender.getStats()).values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      const inb = [...(await c.receiver.getStats()).values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
      expect(proxy.counts.dropped).toBeGreaterThan(3);
      const numbers = new Set(frames.map((f) => f.n).filter((n) => n < 150));
      // What the sender encoded arrived: all 150 from ours; libwebrtc
      // lowers its own frame rate when it sees loss and we give it no
      // bandwidth feedback yet (REMB/transport-cc: issue 7), so against it
      // three quarters of what it encoded.
      if (from === 'wasmrtc') expect(numbers.size).toBeGreaterThanOrEqual(120);
      else expect(numbers.size).toBeGreaterThanOrEqual(0.75 * out.framesEncoded);
      expect(longestGap(frames, end)).toBeLessThan(1000); // never frozen for a second
      expect(out.retransmittedPacketsSent).toBeGreaterThan(0);
      expect(out.nackCount).toBeGreaterThan(0);
      expect(inb.nackCount).toBeGreaterThan(0);
    } finally {
      proxy.close();
    }
  });
});

describe.each([['wasmrtc', 'wrtc'], ['wrtc', 'wasmrtc']])('video %s -> %s with 30 %% loss for 2 s', (from, to) => {
  test('the receiver asks for a keyframe and frames flow again within 2 s of the loss ending', async () => {
    let lossOn = false;
    const proxy = await startLossProxy({ lossRate: 0.3, seed: 11, lossWindow: () => lossOn });
    try {
      const c = await callThroughProxy(from, to, proxy);
      const seen = watch(STACKS[to].api.nonstandard.RTCVideoSink, c.remote);
      const playing = playFrames(c.source, { count: 180, noise: true }); // 6 s
      await new Promise((r) => { setTimeout(r, 1000); });
      lossOn = true;
      await new Promise((r) => { setTimeout(r, 2000); });
      lossOn = false;
      const lossEnded = performance.now();
      await playing;
      await new Promise((r) => { setTimeout(r, 300); });
      const frames = seen.stop();
      expect(proxy.counts.dropped).toBeGreaterThan(5);
      const inb = [...(await c.receiver.getStats()).values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
      const out = [...(await c.sender.getStats()).values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      expect(inb.pliCount + inb.nackCount).toBeGreaterThan(0);
      expect(out.keyFramesEncoded).toBeGreaterThanOrEqual(1);
      // Recovered: frames arrive in the second after the first 2 s past the loss.
      const after = frames.filter((f) => f.at > lossEnded + 2000);
      expect(after.length).toBeGreaterThan(0);
      expect(longestGap(frames.filter((f) => f.at > lossEnded + 2000), performance.now() - 300)).toBeLessThan(1000);
    } finally {
      proxy.close();
    }
  });
});
