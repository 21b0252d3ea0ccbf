// Audio from a polyfilled page: the page's own tracks (a WebAudio
// oscillator here, getUserMedia alike) go into wasmrtc's addTrack, and the
// remote track it gets is the page's own MediaStreamTrack (played through
// WebAudio). Against a page using Chromium's RTCPeerConnection, through
// wasmrtc-gateway and coturn, both offer directions.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const { audibleFrames, frequency } = require('../support/audio.cjs');

jest.setTimeout(90000);

const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

async function openPage(polyfilled, hz) {
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const query = polyfilled
    ? `?polyfill=1&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`
    : '';
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(polyfilled ? 'wasmrtc' : 'native');
  await page.evaluate((freq) => {
    const ctx = new AudioContext({ sampleRate: 48000 });
    const osc = ctx.createOscillator();
    osc.frequency.value = freq;
    const gain = ctx.createGain();
    gain.gain.value = 0.25;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const pc = new RTCPeerConnection();
    pc.addTrack(dest.stream.getAudioTracks()[0], dest.stream);
    const recorded = [];
    window.trackEvent = new Promise((resolve) => {
      pc.ontrack = (e) => {
        const el = new Audio();
        el.muted = true;
        el.srcObject = e.streams[0];
        el.play();
        const src = ctx.createMediaStreamSource(new MediaStream([e.track]));
        const proc = ctx.createScriptProcessor(4096, 1, 1);
        proc.onaudioprocess = (ev) => {
          if (window.recording) recorded.push(...ev.inputBuffer.getChannelData(0));
        };
        src.connect(proc).connect(ctx.destination);
        resolve({
          nativeTrack: e.track instanceof (window.wasmrtc?.native?.MediaStreamTrack || MediaStreamTrack),
          streamIds: e.streams.map((s) => s.id),
        });
      };
    });
    window.test = { pc, recorded, localStreamId: dest.stream.id };
  }, hz);
  return { page, errors };
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
      const offer = await a.page.evaluate(async () => {
        await window.test.pc.setLocalDescription();
        return window.gathered(window.test.pc);
      });
      const answer = await b.page.evaluate(async (o) => {
        await window.test.pc.setRemoteDescription(o);
        await window.test.pc.setLocalDescription();
        return window.gathered(window.test.pc);
      }, offer);
      await a.page.evaluate((x) => window.test.pc.setRemoteDescription(x), answer);
      const [ta, tb] = await Promise.all([a.page.evaluate(() => window.trackEvent), b.page.evaluate(() => window.trackEvent)]);
      // Each side's track event names the other's stream, and hands the page
      // a MediaStreamTrack it can play.
      expect(ta.streamIds).toEqual([await b.page.evaluate(() => window.test.localStreamId)]);
      expect(tb.streamIds).toEqual([await a.page.evaluate(() => window.test.localStreamId)]);
      expect(ta.nativeTrack && tb.nativeTrack).toBe(true);
      await Promise.all([a, b].map((x) => x.page.evaluate(() => { window.recording = true; })));
      await new Promise((r) => { setTimeout(r, 3000); });
      const [ra, rb] = await Promise.all([a, b].map((x) => x.page.evaluate(() => {
        window.recording = false;
        return Array.from(window.test.recorded, (v) => Math.round(v * 32767));
      })));
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
