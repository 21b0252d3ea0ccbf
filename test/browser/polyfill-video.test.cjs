// Video from a polyfilled page: a canvas.captureStream(30) track of the
// page goes into wasmrtc's addTrack, and the remote track the page gets is
// the page's own MediaStreamTrack (fed by a MediaStreamTrackGenerator), played in
// a <video> and read with MediaStreamTrackProcessor. Against a page using
// Chromium's RTCPeerConnection, through wasmrtc-gateway and coturn, both
// offer directions, video both ways at once. Every frame carries its number
// as black/white blocks (pages/media.js); the receiving page decodes them.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const {
  openPeerPage, connectPages, scoreNumbers, settled, warmUpEngine,
} = require('../support/browser-page.cjs');

jest.setTimeout(120000);

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 30;
const SECONDS = 5;
// Measured on the 2-core machine (2026-11-24), 640x480 at 30 fps for 5 s:
// 148-151 of 150 numbers arrive in order each way (98.7-100 %), none
// backwards, the longest run missing 1 frame; with one core kept busy by
// another process, down to 142 of 151 (94 %) and 3 missing in a row. So:
// at least 90 % in order, no gap over half a second.
const MIN_IN_ORDER = 0.9;

const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

// `codec` 'H264': H.264 in packetization-mode 1, Constrained Baseline, put
// first with setCodecPreferences (the polyfill's own OpenH264 in WASM on
// one side, Chromium's on the other).
async function openVideoPage(polyfilled, codec) {
  const p = await openPeerPage(env, { polyfilled });
  await p.page.evaluate((o) => {
    window.media.videoPeer(o);
    if (o.codec !== 'H264') return;
    const { codecs } = RTCRtpReceiver.getCapabilities('video');
    const h264 = codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine) &&
      /profile-level-id=42e01f/.test(c.sdpFmtpLine));
    window.test.pc.getTransceivers()[0].setCodecPreferences([...h264, ...codecs.filter((c) => !h264.includes(c))]);
  }, {
    width: WIDTH, height: HEIGHT, fps: FPS, codec,
  });
  return p;
}

// Until the page's receiver has read a frame (the first keyframe is in).
async function firstFrame(page) {
  await page.waitForFunction(() => window.test.seen && window.test.seen.read > 0, null, { timeout: 20000 });
}


// The first call in a fresh browser is slow (see warmUpEngine).
beforeAll(() => warmUpEngine(env));

describe.each([
  [true, false, 'VP8'], [false, true, 'VP8'], [true, false, 'H264'],
])('polyfilled offers: %s, polyfilled answers: %s, %s', (offererPolyfilled, answererPolyfilled, codec) => {
  test(`${WIDTH}x${HEIGHT} numbered canvas frames cross both ways; the tracks are the page's own and play`, async () => {
    const a = await openVideoPage(offererPolyfilled, codec);
    const b = await openVideoPage(answererPolyfilled, codec);
    try {
      await connectPages(a, b);
      const [ta, tb] = await Promise.all([a.page.evaluate(() => window.trackEvent), b.page.evaluate(() => window.trackEvent)]);
      expect(ta.streamIds).toEqual([await b.page.evaluate(() => window.test.localStreamId)]);
      expect(tb.streamIds).toEqual([await a.page.evaluate(() => window.test.localStreamId)]);
      expect(ta.kind).toBe('video');
      expect(ta.nativeTrack && tb.nativeTrack).toBe(true);
      await Promise.all([a, b].map((x) => x.page.evaluate(() => window.media.connected(window.test.pc))));
      await Promise.all([firstFrame(a.page), firstFrame(b.page)]);
      await Promise.all([a, b].map((x) => settled(x.page)));

      // SECONDS of numbered frames each way, then a second for the last
      // ones to arrive.
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
      const [reportA, reportB] = await Promise.all([a, b].map((x) => x.page.evaluate(() => window.media.videoReport())));
      const aToB = scoreNumbers(seenB, sentA, WIDTH, HEIGHT);
      const bToA = scoreNumbers(seenA, sentB, WIDTH, HEIGHT);
      // eslint-disable-next-line no-console
      console.log(JSON.stringify({
        codec, offererPolyfilled, aToB, bToA, reportA, reportB,
      }));
      for (const s of [aToB, bToA]) {
        expect(s.sent).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
        expect(s.ratio).toBeGreaterThanOrEqual(MIN_IN_ORDER);
        expect(s.backwards).toBeLessThanOrEqual(2);
        expect(s.longestGap).toBeLessThanOrEqual(FPS / 2);
        expect(s.wrongSize).toBe(0);
      }
      // Both <video> elements play the remote track at its size.
      for (const r of [reportA, reportB]) {
        expect(r.videoWidth).toBe(WIDTH);
        expect(r.videoHeight).toBe(HEIGHT);
        // (Presented frames are the compositor's: 127-157 seen for ~150 read.)
        expect(r.presented).toBeGreaterThan(SECONDS * FPS * 0.5);
        expect(r.playError).toBeNull();
        expect(r.watchError).toBeNull();
        expect(r.codecs).toEqual([`video/${codec}`, `video/${codec}`]);
      }
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await a.page.evaluate(() => { window.test.source.close(); window.test.pc.close(); }).catch(() => {});
      await b.page.evaluate(() => { window.test.source.close(); window.test.pc.close(); }).catch(() => {});
      await a.page.close();
      await b.page.close();
    }
  });
});
