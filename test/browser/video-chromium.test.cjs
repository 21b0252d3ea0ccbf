// VP8 video between Chromium's own RTCPeerConnection (a page) and ours in
// Node, both ways at once: the page sends a numbered canvas
// (canvas.captureStream(30), pages/media.js) and decodes the numbers of
// what it receives; Node sends numbered I420 frames (with a band of noise:
// several packets a frame) from an RTCVideoSource
// and decodes what an RTCVideoSink gets (test/support/video.cjs). Chromium
// offers (its full video offer: VP8 with rtx, H264, AV1, VP9, red, ulpfec),
// we answer; then the reverse. The congestion control feedback both sides
// offer (transport-cc, goog-remb, the transport-wide-cc extension) must be
// what is negotiated.
const path = require('path');
const { launchChromium } = require('../support/chromium.cjs');
const { startStaticServer } = require('../support/static-server.cjs');
const {
  openPeerPage, connectPageToNode, mediaSection, scoreNumbers,
} = require('../support/browser-page.cjs');
const { numberedFrame, playFrames, watch } = require('../support/video.cjs');
const wasmrtc = require('../..');

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
const TWCC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

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

/** VP8's payload type, its rtcp-fb values and the extmap URIs of an SDP's video section. */
function videoFeedback(sdp) {
  const lines = mediaSection(sdp, 'video');
  const pt = lines.map((l) => /^a=rtpmap:(\d+) VP8\/90000/i.exec(l)).find(Boolean)?.[1];
  return {
    pt,
    rtcpFb: lines.filter((l) => l.startsWith(`a=rtcp-fb:${pt} `)).map((l) => l.slice(`a=rtcp-fb:${pt} `.length)),
    extmaps: lines.filter((l) => l.startsWith('a=extmap:')).map((l) => l.split(' ')[1]),
  };
}

/** Sends the idle picture (a number no test frame has) at `FPS` until stopped: the first keyframe in, before counting. */
function idle(source) {
  const frame = numberedFrame(WIDTH, HEIGHT, 0xffff, { noise: true });
  const timer = setInterval(() => source.onFrame(frame), 1000 / FPS);
  return () => clearInterval(timer);
}

describe.each([true, false])('Chromium <-> wasmrtc video (Chromium offers: %s)', (chromiumOffers) => {
  test(`${WIDTH}x${HEIGHT} numbered frames reach Node and the page; transport-cc and REMB negotiated`, async () => {
    const { page, errors } = await openPeerPage(env);
    await page.evaluate((o) => window.media.videoPeer(o), { width: WIDTH, height: HEIGHT, fps: FPS });
    const ours = new wasmrtc.RTCPeerConnection();
    const source = new wasmrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    ours.addTrack(track, new wasmrtc.MediaStream());
    const remote = new Promise((resolve) => { ours.ontrack = (e) => resolve(e.track); });
    let stopIdle = () => {};
    try {
      const { offer, answer } = await connectPageToNode(page, ours, chromiumOffers);
      // The offer (Chromium's or ours) and the answer both carry the
      // congestion control feedback for VP8, so both sides use it.
      for (const sdp of [offer, answer]) {
        const fb = videoFeedback(sdp);
        expect(fb.pt).toBeDefined();
        expect(fb.rtcpFb).toEqual(expect.arrayContaining(['transport-cc', 'goog-remb']));
        expect(fb.extmaps).toContain(TWCC);
      }
      if (chromiumOffers) expect(offer).toMatch(/a=rtpmap:\d+ AV1\/90000/); // Chromium's full video offer
      const theirs = await remote;
      expect(theirs.kind).toBe('video');
      await page.evaluate(() => window.media.connected(window.test.pc));

      // Until both receivers decode (the first keyframes are in).
      stopIdle = idle(source);
      let first = null;
      const warm = new wasmrtc.nonstandard.RTCVideoSink(theirs);
      const nodeGotOne = new Promise((resolve) => { warm.onframe = ({ frame }) => { first = first || frame; resolve(); }; });
      await Promise.all([
        nodeGotOne,
        page.waitForFunction(() => window.test.seen && window.test.seen.read > 0, null, { timeout: 20000 }),
      ]);
      warm.stop();

      // SECONDS of numbered frames each way, then a second for the last
      // ones to arrive.
      const nodeSaw = watch(wasmrtc.nonstandard.RTCVideoSink, theirs);
      await page.evaluate(() => {
        window.test.seen.on = true;
        window.test.source.start();
      });
      stopIdle();
      const [sentByNode, sentByPage] = await Promise.all([
        playFrames(source, {
          width: WIDTH, height: HEIGHT, fps: FPS, count: SECONDS * FPS, noise: true,
        }),
        new Promise((r) => { setTimeout(r, SECONDS * 1000); }).then(() => page.evaluate(() => window.test.source.stop())),
      ]);
      await new Promise((r) => { setTimeout(r, 1000); });
      const pageSaw = await page.evaluate(() => {
        window.test.seen.on = false;
        return window.test.seen.frames;
      });
      const nodeFrames = nodeSaw.stop();
      const toNode = scoreNumbers(nodeFrames, sentByPage, WIDTH, HEIGHT);
      const toPage = scoreNumbers(pageSaw, sentByNode, WIDTH, HEIGHT);

      // The page decoded what it received; our side of the selected pair
      // has a send-side bandwidth estimate.
      const report = await page.evaluate(() => window.media.videoReport());
      const stats = [...(await ours.getStats()).values()];
      const transport = stats.find((s) => s.type === 'transport');
      const pair = stats.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId) ||
        stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      const outbound = stats.find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      const inbound = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
      // eslint-disable-next-line no-console
      console.log(JSON.stringify({
        chromiumOffers,
        toNode,
        toPage,
        page: report,
        ours: {
          availableOutgoingBitrate: pair?.availableOutgoingBitrate,
          outbound: outbound && {
            framesEncoded: outbound.framesEncoded, framesSent: outbound.framesSent, bytesSent: outbound.bytesSent, keyFramesEncoded: outbound.keyFramesEncoded, targetBitrate: outbound.targetBitrate,
          },
          inbound: inbound && {
            framesReceived: inbound.framesReceived, framesDecoded: inbound.framesDecoded, framesDropped: inbound.framesDropped, nackCount: inbound.nackCount, pliCount: inbound.pliCount,
          },
        },
      }));

      expect(first.width).toBe(WIDTH);
      expect(first.height).toBe(HEIGHT);
      for (const s of [toNode, toPage]) {
        expect(s.sent).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
        expect(s.ratio).toBeGreaterThanOrEqual(MIN_IN_ORDER);
        expect(s.backwards).toBeLessThanOrEqual(2);
        expect(s.longestGap).toBeLessThanOrEqual(FPS / 2);
        expect(s.wrongSize).toBe(0);
      }
      expect(report.inbound.framesDecoded).toBeGreaterThan(0);
      expect(report.videoWidth).toBe(WIDTH);
      expect(typeof pair?.availableOutgoingBitrate).toBe('number');
      expect(errors).toEqual([]);
    } finally {
      stopIdle();
      track.stop();
      ours.close();
      await page.evaluate(() => { window.test.source.close(); window.test.pc.close(); }).catch(() => {});
      await page.close();
    }
  });
});
