// VP8 and H.264 video between Chromium's own RTCPeerConnection (a page)
// and ours in Node, both ways at once: the page sends a numbered canvas
// (canvas.captureStream(30), pages/media.js) and decodes the numbers of
// what it receives; Node sends numbered I420 frames (with a band of noise:
// several packets a frame) from an RTCVideoSource
// and decodes what an RTCVideoSink gets (test/support/video.cjs). Chromium
// offers (its full video offer: VP8 with rtx, H264, AV1, VP9, red, ulpfec),
// we answer; then the reverse. The congestion control feedback both sides
// offer (transport-cc, goog-remb, the transport-wide-cc extension) must be
// what is negotiated. For H.264 both sides put H.264 in packetization-mode
// 1 first with setCodecPreferences (Chromium encodes with its OpenH264,
// decodes with FFmpeg; we with ours), so nothing else is negotiated.
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
// H.264 from us: OpenH264's rate control skips frames (as libwebrtc lets it)
// to hold the 1.2 Mbit/s cap on these noisy frames: 139 of ~157 encoded,
// 134-135 of 150 numbers in order (89-90 %) at the page (2026-12-07), no
// gap over one frame. Chromium -> us stays at 98-99 %.
const MIN_IN_ORDER_H264 = 0.85;
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

/** The payload type of `codec`, its rtcp-fb values and the extmap URIs of an SDP's video section. */
function videoFeedback(sdp, codec) {
  const lines = mediaSection(sdp, 'video');
  const pt = lines.map((l) => new RegExp(`^a=rtpmap:(\\d+) ${codec}/90000`, 'i').exec(l)).find(Boolean)?.[1];
  return {
    pt,
    first: lines[0].split(' ')[3],
    rtcpFb: lines.filter((l) => l.startsWith(`a=rtcp-fb:${pt} `)).map((l) => l.slice(`a=rtcp-fb:${pt} `.length)),
    extmaps: lines.filter((l) => l.startsWith('a=extmap:')).map((l) => l.split(' ')[1]),
  };
}

// H.264 in packetization-mode 1 (and its RTX) first, from a side's own
// capabilities: Chromium's list and ours name the same formats.
const H264_FIRST = (capabilities) => {
  const h264 = capabilities.codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine) &&
    /profile-level-id=42e01f/.test(c.sdpFmtpLine));
  return [...h264, ...capabilities.codecs.filter((c) => !h264.includes(c))];
};

/** Sends the idle picture (a number no test frame has) at `FPS` until stopped: the first keyframe in, before counting. */
function idle(source) {
  const frame = numberedFrame(WIDTH, HEIGHT, 0xffff, { noise: true });
  const timer = setInterval(() => source.onFrame(frame), 1000 / FPS);
  return () => clearInterval(timer);
}

describe.each([
  ['VP8', true], ['VP8', false], ['H264', true], ['H264', false],
])('Chromium <-> wasmrtc video, %s (Chromium offers: %s)', (codec, chromiumOffers) => {
  test(`${WIDTH}x${HEIGHT} numbered frames reach Node and the page; transport-cc and REMB negotiated`, async () => {
    const { page, errors } = await openPeerPage(env);
    await page.evaluate((o) => window.media.videoPeer(o), { width: WIDTH, height: HEIGHT, fps: FPS });
    const ours = new wasmrtc.RTCPeerConnection();
    const source = new wasmrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    ours.addTrack(track, new wasmrtc.MediaStream());
    if (codec === 'H264') {
      const first = H264_FIRST.toString();
      await page.evaluate((f) => {
        // eslint-disable-next-line no-new-func
        const order = new Function(`return ${f}`)();
        window.test.pc.getTransceivers()[0].setCodecPreferences(order(RTCRtpReceiver.getCapabilities('video')));
      }, first);
      ours.getTransceivers()[0].setCodecPreferences(H264_FIRST(wasmrtc.RTCRtpReceiver.getCapabilities('video')));
    }
    const remote = new Promise((resolve) => { ours.ontrack = (e) => resolve(e.track); });
    let stopIdle = () => {};
    try {
      const { offer, answer } = await connectPageToNode(page, ours, chromiumOffers);
      // The offer (Chromium's or ours) and the answer both carry the
      // congestion control feedback for VP8, so both sides use it.
      for (const sdp of [offer, answer]) {
        const fb = videoFeedback(sdp, codec);
        expect(fb.pt).toBeDefined();
        expect(fb.first).toBe(fb.pt); // the codec both sides send
        expect(fb.rtcpFb).toEqual(expect.arrayContaining(['transport-cc', 'goog-remb']));
        expect(fb.extmaps).toContain(TWCC);
      }
      if (chromiumOffers) expect(offer).toMatch(/a=rtpmap:\d+ AV1\/90000/); // Chromium's full video offer
      if (codec === 'H264') expect(videoFeedback(answer, codec).pt).toBe(videoFeedback(offer, codec).pt);
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
        codec,
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
        expect(s.ratio).toBeGreaterThanOrEqual(codec === 'H264' ? MIN_IN_ORDER_H264 : MIN_IN_ORDER);
        expect(s.backwards).toBeLessThanOrEqual(2);
        expect(s.longestGap).toBeLessThanOrEqual(FPS / 2);
        expect(s.wrongSize).toBe(0);
      }
      expect(report.inbound.framesDecoded).toBeGreaterThan(0);
      // Both sides say which codec carried it (webrtc-stats codec.mimeType).
      const ourCodecs = stats.filter((st) => st.type === 'codec').map((st) => st.mimeType);
      const codecOf = (st) => stats.find((c) => c.id === st?.codecId)?.mimeType;
      expect([codecOf(outbound), codecOf(inbound)]).toEqual([`video/${codec}`, `video/${codec}`]);
      // qpSum: libvpx's quantizer for VP8, the slice headers' QP for H.264.
      expect(outbound.qpSum).toBeGreaterThan(outbound.framesEncoded);
      expect(ourCodecs).toContain(`video/${codec}`);
      expect(report.codecs).toEqual([`video/${codec}`, `video/${codec}`]);
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
