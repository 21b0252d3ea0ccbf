// Bandwidth estimation against a real bottleneck: the proxy forwards the
// sender's packets at 500 kbit/s behind a drop-tail queue (loss-proxy.cjs).
// Our sender runs its estimator on transport-wide feedback from libwebrtc
// or from us; libwebrtc's sender runs its own on our feedback. Within 10 s
// the sender's bitrate settles under 500 kbit/s, and frames keep flowing.
const { playFrames, watch } = require('../support/video.cjs');
const { startLossProxy } = require('../support/loss-proxy.cjs');
const {
  videoCall, longestGap, videoStats, selectedPair, sleep,
} = require('../support/video-call.cjs');

jest.setTimeout(90000);

const closeMe = [];
afterEach(() => {
  while (closeMe.length) closeMe.pop().close();
});

const LIMIT = 500000;

describe.each([['wasmrtc', 'wrtc'], ['wasmrtc', 'wasmrtc'], ['wrtc', 'wasmrtc']])('video %s -> %s through 500 kbit/s', (from, to) => {
  test('the sender settles under the limit within 10 s and frames keep flowing', async () => {
    // 40 KB of queue: 640 ms at 500 kbit/s, a small home router's worth.
    const proxy = await startLossProxy({ lossRate: 0, rateBps: LIMIT, queueBytes: 40000 });
    try {
      const c = await videoCall(from, to, closeMe, { proxy });
      const seen = watch(c.Sink, c.remote);
      const playing = playFrames(c.source, { count: 450, noise: true }); // 15 s
      await sleep(10000);
      const sentAt = async () => {
        const out = await videoStats(c.sender, 'outbound-rtp');
        return { bytes: out.bytesSent + (out.headerBytesSent || 0), at: performance.now() };
      };
      // From 10 s on, in 1 s windows: the rate the sender puts on the path.
      // And the estimate, availableOutgoingBitrate, at the end of each window.
      const rates = [];
      const estimates = [];
      let last = await sentAt();
      for (let i = 0; i < 4; i++) {
        await sleep(1000);
        const now = await sentAt();
        rates.push(((now.bytes - last.bytes) * 8000) / (now.at - last.at));
        last = now;
        if (from === 'wasmrtc') estimates.push((await selectedPair(c.sender)).availableOutgoingBitrate);
      }
      await playing;
      await sleep(300);
      const end = performance.now() - 300;
      const frames = seen.stop();
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      // RTP payload and headers (outbound-rtp bytesSent + headerBytesSent):
      // on average under the limit. AIMD saws around the capacity: a little
      // over it until the queue shows, then down to 85 % of what arrived.
      expect(mean).toBeLessThan(LIMIT);
      rates.forEach((r) => expect(r).toBeLessThan(LIMIT * 1.15));
      expect(mean).toBeGreaterThan(LIMIT * 0.3); // and does not give the link up
      if (from === 'wasmrtc') {
        // The estimate saws with the rate (one reading was 616 kbit/s at a
        // peak): its mean tracks the link, no reading strays far. Measured
        // means: 330-530 kbit/s over 8 runs on an idle machine, and 232
        // kbit/s once in CI, where jitter from the JS proxy under load reads
        // as queueing. It settles lower than libwebrtc's (issue 16).
        const meanEstimate = estimates.reduce((a, b) => a + b, 0) / estimates.length;
        expect(meanEstimate).toBeGreaterThan(LIMIT * 0.4);
        expect(meanEstimate).toBeLessThan(LIMIT * 1.1);
        estimates.forEach((e) => {
          expect(e).toBeGreaterThan(LIMIT * 0.25);
          expect(e).toBeLessThan(LIMIT * 1.3);
        });
      }
      // Frames kept flowing through the last 5 s.
      const late = frames.filter((f) => f.at > end - 5000);
      expect(late.length).toBeGreaterThan(5 * 10);
      expect(longestGap(late, end)).toBeLessThan(1000);
    } finally {
      proxy.close();
    }
  });
});
