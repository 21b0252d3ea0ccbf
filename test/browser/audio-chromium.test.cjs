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

/** A call between the page's RTCPeerConnection (audioPeer) and ours; `fn` runs once both hear. */
async function withCall(chromiumOffers, fn) {
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
    await fn({
      page, ours, source, theirs,
    });
    expect(errors).toEqual([]);
  } finally {
    track.stop();
    ours.close();
    await page.evaluate(() => window.test.pc.close());
    await page.close();
  }
}

describe.each([true, false])('Chromium <-> wasmrtc audio (Chromium offers: %s)', (chromiumOffers) => {
  test('440 Hz reaches Node and 660 Hz reaches the page', () => withCall(chromiumOffers, async ({
    page, ours, source, theirs,
  }) => {
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
  }));

  // webrtc-pc 7 against Chromium's own RTCDTMFSender: its RFC 4733 events
  // arrive as tones in Node, each once, with its length; and ours can send.
  test('DTMF: Chromium\'s insertDTMF reaches RTCDtmfSink; ours can insert toward Chromium', () => withCall(chromiumOffers, async ({
    page, ours, source, theirs,
  }) => {
    const playing = playTone(source, { hz: 660, ms: 2500 });
    const receiver = ours.getTransceivers()[0].receiver;
    expect(receiver.track).toBe(theirs);
    const sink = new wasmrtc.nonstandard.RTCDtmfSink(receiver);
    const got = [];
    const all = new Promise((resolve) => {
      sink.ontone = ({ tone, duration }) => {
        got.push({ tone, duration });
        if (got.length === 4) resolve();
      };
    });
    const pageTones = await page.evaluate(() => new Promise((resolve) => {
      const { dtmf } = window.test.pc.getSenders()[0];
      const seen = [];
      dtmf.ontonechange = (e) => {
        seen.push(e.tone);
        if (e.tone === '') resolve(seen);
      };
      dtmf.insertDTMF('147#', 150, 70);
    }));
    expect(pageTones).toEqual(['1', '4', '7', '#', '']);
    await all;
    sink.stop();
    expect(got.map((g) => g.tone).join('')).toBe('147#');
    // As long as asked for, or longer: Chromium 156 sends its events in
    // whole steps of its audio (150 ms came as 240, 400 ms as 480).
    for (const g of got) {
      expect(g.duration).toBeGreaterThanOrEqual(150);
      expect(g.duration).toBeLessThanOrEqual(150 + 240);
    }
    const { dtmf } = ours.getSenders()[0];
    expect(dtmf.canInsertDTMF).toBe(true);
    const ours3 = new Promise((resolve) => {
      dtmf.ontonechange = (e) => { if (e.tone === '') resolve(); };
    });
    dtmf.insertDTMF('321');
    await ours3;
    await playing;
  }));
});
