// Audio from a polyfilled page: the page's own tracks (a WebAudio
// oscillator here, getUserMedia alike) go into wasmrtc's addTrack, and the
// remote track it gets is the page's own MediaStreamTrack (played through
// WebAudio). Against a page using Chromium's RTCPeerConnection, through
// wasmrtc-gateway and coturn, both offer directions.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const { openPeerPage, connectPages } = require('../support/browser-page.cjs');
const { audibleFrames, frequency } = require('../support/audio.cjs');

jest.setTimeout(90000);

const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

// A page sending a `hz` oscillator and recording what it receives (pages/media.js audioPeer).
async function openPage(polyfilled, hz) {
  const p = await openPeerPage(env, { polyfilled });
  await p.page.evaluate((freq) => window.media.audioPeer(freq), hz);
  return p;
}

function framesOf(samples) {
  const frames = [];
  for (let i = 0; i + 480 <= samples.length; i += 480) {
    frames.push({ mono: Int16Array.from(samples.slice(i, i + 480)), sampleRate: 48000 });
  }
  return frames;
}

describe.each([[true, false], [false, true]])('polyfilled offers: %s, polyfilled answers: %s', (offererPolyfilled, answererPolyfilled) => {
  test('440 Hz and 660 Hz cross through gateway + coturn; the tracks are the page\'s own', async () => {
    const a = await openPage(offererPolyfilled, 440);
    const b = await openPage(answererPolyfilled, 660);
    try {
      await connectPages(a, b);
      const [ta, tb] = await Promise.all([a.page.evaluate(() => window.trackEvent), b.page.evaluate(() => window.trackEvent)]);
      // Each side's track event names the other's stream, and hands the page
      // a MediaStreamTrack it can play.
      expect(ta.streamIds).toEqual([await b.page.evaluate(() => window.test.localStreamId)]);
      expect(tb.streamIds).toEqual([await a.page.evaluate(() => window.test.localStreamId)]);
      expect(ta.nativeTrack && tb.nativeTrack).toBe(true);
      await Promise.all([a, b].map((x) => x.page.evaluate(() => { window.recording = true; })));
      await new Promise((r) => { setTimeout(r, 3000); });
      const [ra, rb] = await Promise.all([a, b].map((x) => x.page.evaluate(() => window.media.takeRecording())));
      const fa = framesOf(ra);
      const fb = framesOf(rb);
      expect(audibleFrames(fa, 500)).toBeGreaterThan(150);
      expect(audibleFrames(fb, 500)).toBeGreaterThan(150);
      expect(Math.abs(frequency(fa) - 660)).toBeLessThan(2); // a hears b
      expect(Math.abs(frequency(fb) - 440)).toBeLessThan(2); // b hears a
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await a.page.close();
      await b.page.close();
    }
  });
});
