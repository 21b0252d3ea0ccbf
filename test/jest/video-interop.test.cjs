// VP8 video against libwebrtc (@roamhq/wrtc), both directions: 640x480
// frames at 30 fps carrying their number as blocks arrive decoded, in order,
// at the right size. (Loss recovery with NACK/RTX and bandwidth estimation
// are issue 7's; here the path is clean.)
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { signal, connectionState } = require('../support/peers.cjs');
const { playFrames, watch } = require('../support/video.cjs');

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
