// Codecs written by the user (issue 13) in the browser: two polyfilled
// pages each register the toy video codec (test/jest/fixtures/codecs/
// toy-video.mjs, loaded by URL into the page's engine worker), put it
// first with setCodecPreferences, and send each other 640x480 numbered
// canvas frames through wasmrtc-gateway and coturn. The SDP carries its
// rtpmap and no VP8; the numbers arrive in order, both ways.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const {
  openPeerPage, connectPages, scoreNumbers, settled, warmUpEngine,
} = require('../support/browser-page.cjs');

jest.setTimeout(120000);

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 30;
const SECONDS = 5;
// As test/browser/polyfill-video.test.cjs (VP8 on the same path): at least
// 90 % in order, no gap over half a second.
const MIN_IN_ORDER = 0.9;

const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

// The first call in a fresh browser is slow (see warmUpEngine).
beforeAll(() => warmUpEngine(env));

async function openToyPage() {
  const p = await openPeerPage(env, { polyfilled: true });
  p.codec = await p.page.evaluate(async (o) => {
    const codec = await window.wasmrtc.codecs.register({
      kind: 'video', mimeType: 'video/x-toy', clockRate: 90000, module: '/test/jest/fixtures/codecs/toy-video.mjs',
    });
    window.media.videoPeer(o);
    const { codecs } = RTCRtpSender.getCapabilities('video');
    window.test.pc.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === 'video/x-toy' ||
      (c.mimeType === 'video/rtx' && c.sdpFmtpLine === `apt=${codec.payloadType}`)));
    window.codecErrors = [];
    window.wasmrtc.codecs.addEventListener('error', (e) => window.codecErrors.push(e.error.message));
    return codec;
  }, { width: WIDTH, height: HEIGHT, fps: FPS });
  return p;
}

test(`a toy codec carries ${WIDTH}x${HEIGHT} numbered frames both ways between polyfilled pages, through gateway and coturn`, async () => {
  const a = await openToyPage();
  const b = await openToyPage();
  try {
    expect(a.codec).toEqual({ mimeType: 'video/x-toy', clockRate: 90000, payloadType: expect.any(Number) });
    const { offer, answer } = await connectPages(a, b);
    for (const sdp of [offer, answer]) {
      expect(sdp).toContain(`a=rtpmap:${a.codec.payloadType} x-toy/90000\r\n`);
      expect(sdp).not.toContain('VP8');
    }
    // Through the relay: both pages' selected pairs are relayed.
    await Promise.all([a, b].map((x) => x.page.evaluate(() => window.media.connected(window.test.pc))));
    await Promise.all([a, b].map((x) => x.page.waitForFunction(() => window.test.seen && window.test.seen.read > 0, null, { timeout: 20000 })));
    await Promise.all([a, b].map((x) => settled(x.page)));
    await Promise.all([a, b].map((x) => x.page.evaluate(() => {
      window.test.seen.on = true;
      window.test.source.start();
    })));
    await new Promise((r) => { setTimeout(r, SECONDS * 1000); });
    const [sentA, sentB] = await Promise.all([a, b].map((x) => x.page.evaluate(() => window.test.source.stop())));
    await new Promise((r) => { setTimeout(r, 1000); });
    const [seenA, seenB] = await Promise.all([a, b].map((x) => x.page.evaluate(() => {
      window.test.seen.on = false;
      return window.test.seen.frames;
    })));
    const aToB = scoreNumbers(seenB, sentA, WIDTH, HEIGHT);
    const bToA = scoreNumbers(seenA, sentB, WIDTH, HEIGHT);
    const received = await Promise.all([a, b].map((x) => x.page.evaluate(async () => {
      const report = await window.test.pc.getStats();
      const s = [...report.values()].find((r) => r.type === 'inbound-rtp' && r.kind === 'video');
      return s && {
        framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,
        packetsLost: s.packetsLost, nackCount: s.nackCount, pliCount: s.pliCount,
      };
    })));
    console.log(JSON.stringify({ aToB, bToA, receivedByA: received[0], receivedByB: received[1] }));
    for (const s of [aToB, bToA]) {
      expect(s.sent).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
      expect(s.ratio).toBeGreaterThanOrEqual(MIN_IN_ORDER);
      expect(s.wrongSize).toBe(0);
    }
    const stats = await a.page.evaluate(async () => {
      const report = await window.test.pc.getStats();
      const all = [...report.values()];
      const out = all.find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      const pair = all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      return {
        codec: report.get(out.codecId).mimeType,
        local: pair && report.get(pair.localCandidateId).candidateType,
      };
    });
    expect(stats).toEqual({ codec: 'video/x-toy', local: 'relay' });
    for (const x of [a, b]) {
      expect(await x.page.evaluate(() => window.codecErrors)).toEqual([]);
      expect(x.errors).toEqual([]);
    }
  } finally {
    await a.page.close();
    await b.page.close();
  }
});
