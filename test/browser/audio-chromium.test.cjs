// Audio between Chromium's own RTCPeerConnection (a page) and ours in Node,
// both ways at once: the page sends a 440 Hz WebAudio oscillator and plays
// what it receives into a recorder; Node sends 660 Hz from an RTCAudioSource
// and listens with an RTCAudioSink. Chromium offers (audio with red,
// transport-cc and the rest of its codecs), we answer; then the reverse.
const { launchChromium } = require('../support/chromium.cjs');
const { startStaticServer } = require('../support/static-server.cjs');
const { openPeerPage, connectPageToNode } = require('../support/browser-page.cjs');
const path = require('path');
const wasmrtc = require('../..');
const { playTone, listen, audibleFrames, frequency } = require('../support/audio.cjs');

jest.setTimeout(90000);

const env = {};
beforeAll(async () => {
  env.server = await startStaticServer(path.join(__dirname, '..', '..'));
  // No mDNS names for host candidates (the namespace has no mDNS); media
  // without a user gesture.
  env.browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required']);
});
afterAll(async () => {
  await env.browser?.close();
  await env.server?.close();
});

describe.each([true, false])('Chromium <-> wasmrtc audio (Chromium offers: %s)', (chromiumOffers) => {
  test('440 Hz reaches Node and 660 Hz reaches the page', async () => {
    // In the page: a native RTCPeerConnection with a 440 Hz oscillator
    // track, and a recorder for the remote track (pages/media.js audioPeer).
    const { page, errors } = await openPeerPage(env);
    await page.evaluate(() => window.media.audioPeer(440));
    const ours = new wasmrtc.RTCPeerConnection();
    const source = new wasmrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    ours.addTrack(track, new wasmrtc.MediaStream());
    const remote = new Promise((resolve) => { ours.ontrack = (e) => resolve(e.track); });
    try {
      const { offer } = await connectPageToNode(page, ours, chromiumOffers);
      if (chromiumOffers) expect(offer).toMatch(/a=rtpmap:\d+ red\/48000\/2/); // Chromium's full audio offer
      const theirs = await remote;
      await page.evaluate(() => window.media.connected(window.test.pc));
      const heard = listen(wasmrtc.nonstandard.RTCAudioSink, theirs);
      await page.evaluate(() => { window.recording = true; });
      await playTone(source, { hz: 660, ms: 3000 });
      const recorded = await page.evaluate(() => window.media.takeRecording());
      const frames = heard.stop();
      // Node heard Chromium's oscillator.
      expect(audibleFrames(frames, 500)).toBeGreaterThan(250);
      expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);
      // The page heard ours (recorded at the AudioContext's 48 kHz).
      const pageFrames = [];
      for (let i = 0; i + 480 <= recorded.length; i += 480) {
        pageFrames.push({ mono: Int16Array.from(recorded.slice(i, i + 480)), sampleRate: 48000 });
      }
      expect(audibleFrames(pageFrames, 500)).toBeGreaterThan(150);
      expect(Math.abs(frequency(pageFrames) - 660)).toBeLessThan(2);
      // Both ends count the same packets (give or take those in flight).
      const chromeIn = await page.evaluate(async () => {
        const r = await window.test.pc.getStats();
        return [...r.values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'audio').packetsReceived;
      });
      const ourOut = [...(await ours.getStats()).values()].find((s) => s.type === 'outbound-rtp');
      expect(Math.abs(ourOut.packetsSent - chromeIn)).toBeLessThanOrEqual(5);
      expect(errors).toEqual([]);
    } finally {
      track.stop();
      ours.close();
      await page.evaluate(() => window.test.pc.close());
      await page.close();
    }
  });
});
