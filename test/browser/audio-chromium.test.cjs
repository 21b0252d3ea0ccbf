// Audio between Chromium's own RTCPeerConnection (a page) and ours in Node,
// both ways at once: the page sends a 440 Hz WebAudio oscillator and plays
// what it receives into a recorder; Node sends 660 Hz from an RTCAudioSource
// and listens with an RTCAudioSink. Chromium offers (audio with red,
// transport-cc and the rest of its codecs), we answer; then the reverse.
const { launchChromium } = require('../support/chromium.cjs');
const { startStaticServer } = require('../support/static-server.cjs');
const path = require('path');
const wasmrtc = require('../..');
const { playTone, listen, audibleFrames, frequency } = require('../support/audio.cjs');

jest.setTimeout(90000);

let browser;
let server;
beforeAll(async () => {
  server = await startStaticServer(path.join(__dirname, '..', '..'));
  // No mDNS names for host candidates (the namespace has no mDNS); media
  // without a user gesture.
  browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required']);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// In the page: a native RTCPeerConnection with a 440 Hz oscillator track, and
// a recorder for the remote track (ScriptProcessor: raw samples out).
async function setUpPage(page) {
  await page.goto(`${server.url}test/browser/pages/peer.html`);
  await page.evaluate(() => {
    const ctx = new AudioContext({ sampleRate: 48000 });
    const osc = ctx.createOscillator();
    osc.frequency.value = 440;
    const gain = ctx.createGain();
    gain.gain.value = 0.25;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const pc = new RTCPeerConnection();
    pc.addTrack(dest.stream.getAudioTracks()[0], dest.stream);
    const recorded = [];
    pc.ontrack = (e) => {
      // Chromium pulls remote WebRTC audio into WebAudio only while an
      // element plays it too.
      const el = new Audio();
      el.muted = true;
      el.srcObject = e.streams[0] || new MediaStream([e.track]);
      el.play();
      const src = ctx.createMediaStreamSource(new MediaStream([e.track]));
      const proc = ctx.createScriptProcessor(4096, 1, 1);
      proc.onaudioprocess = (ev) => {
        if (window.recording) recorded.push(...ev.inputBuffer.getChannelData(0));
      };
      src.connect(proc).connect(ctx.destination);
    };
    window.test = { pc, ctx, recorded };
    window.gathered = () => new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    });
    window.connected = () => new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  });
}

function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
  });
}

async function exchange(page, ours, chromiumOffers) {
  if (chromiumOffers) {
    const offer = await page.evaluate(async () => {
      await window.test.pc.setLocalDescription();
      await window.gathered();
      return window.test.pc.localDescription.sdp;
    });
    expect(offer).toMatch(/a=rtpmap:\d+ red\/48000\/2/); // Chromium's full audio offer
    await ours.setRemoteDescription({ type: 'offer', sdp: offer });
    await ours.setLocalDescription();
    await gathered(ours);
    await page.evaluate((sdp) => window.test.pc.setRemoteDescription({ type: 'answer', sdp }), ours.localDescription.sdp);
  } else {
    await ours.setLocalDescription();
    await gathered(ours);
    const answer = await page.evaluate(async (sdp) => {
      await window.test.pc.setRemoteDescription({ type: 'offer', sdp });
      await window.test.pc.setLocalDescription();
      await window.gathered();
      return window.test.pc.localDescription.sdp;
    }, ours.localDescription.sdp);
    await ours.setRemoteDescription({ type: 'answer', sdp: answer });
  }
}

describe.each([true, false])('Chromium <-> wasmrtc audio (Chromium offers: %s)', (chromiumOffers) => {
  test('440 Hz reaches Node and 660 Hz reaches the page', async () => {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await setUpPage(page);
    const ours = new wasmrtc.RTCPeerConnection();
    const source = new wasmrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    ours.addTrack(track, new wasmrtc.MediaStream());
    const remote = new Promise((resolve) => { ours.ontrack = (e) => resolve(e.track); });
    try {
      await exchange(page, ours, chromiumOffers);
      const theirs = await remote;
      await page.evaluate(() => window.connected());
      const heard = listen(wasmrtc.nonstandard.RTCAudioSink, theirs);
      await page.evaluate(() => { window.recording = true; });
      await playTone(source, { hz: 660, ms: 3000 });
      const recorded = await page.evaluate(() => {
        window.recording = false;
        return Array.from(window.test.recorded, (x) => Math.round(x * 32767));
      });
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
