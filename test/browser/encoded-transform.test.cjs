// W3C WebRTC Encoded Transform (issue 13) in the browser: a polyfilled
// page (wasmrtc's RTCRtpScriptTransform, through wasmrtc-gateway and
// coturn) against a native Chromium page (Chromium's own), video both ways.
// Each page gives the same worker (pages/xor-transform-worker.js) to an
// RTCRtpScriptTransform on its sender and on its receiver (before
// negotiation): the worker XORs each frame past the header bytes a receiver
// must read. With the transform on both pages, the numbered frames arrive
// in order both ways; with it on the polyfilled page only, neither page
// shows the numbers (only noise). The first keyframe each worker saw (type and
// getMetadata(): RTP timestamp, synchronizationSource, payloadType, width
// and height) looks the same on both pages.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const { openPeerPage, connectPages, scoreNumbers } = require('../support/browser-page.cjs');

jest.setTimeout(120000);

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 30;
const SECONDS = 4;
// As test/browser/polyfill-video.test.cjs (the same path without transforms).
const MIN_IN_ORDER = 0.9;

const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

async function openTransformPage(polyfilled, withTransform, identity = false) {
  const p = await openPeerPage(env, { polyfilled });
  await p.page.evaluate(({ o, on, identity: id }) => {
    window.identityTransform = id;
    window.media.videoPeer(o);
    window.workerReports = [];
    const make = (side) => {
      const identity = window.identityTransform;
      const worker = new Worker('/test/browser/pages/xor-transform-worker.js');
      worker.onmessage = (e) => window.workerReports.push({ side, ...e.data });
      return new RTCRtpScriptTransform(worker, identity ? { side, identity } : { side });
    };
    if (on) {
      // Both on the transceiver addTrack made, before negotiation (the
      // answerer's is the one the offer's section takes).
      const [t] = window.test.pc.getTransceivers();
      t.sender.transform = make('send');
      t.receiver.transform = make('receive');
    }
  }, { o: { width: WIDTH, height: HEIGHT, fps: FPS }, on: withTransform, identity });
  return p;
}

// The longest stretch of frames showing consecutive numbers: decoded video
// shows long ones; frames decoded from XORed data show noise, whose
// "numbers" may now and then happen to increase but do not run on.
function longestRun(frames) {
  let best = 0;
  let current = 0;
  for (let i = 0; i < frames.length; i++) {
    current = i > 0 && frames[i].n === frames[i - 1].n + 1 ? current + 1 : 1;
    best = Math.max(best, current);
  }
  return best;
}

async function run(nativeTransform, identity = false, oursPolyfilled = true) {
  const ours = await openTransformPage(oursPolyfilled, true, identity);
  const theirs = await openTransformPage(false, nativeTransform, identity);
  try {
    await connectPages(ours, theirs);
    await Promise.all([ours, theirs].map((x) => x.page.evaluate(() => window.media.connected(window.test.pc))));
    // The first frames (or, without the transform on both sides, none) arrive.
    await new Promise((r) => { setTimeout(r, 1000); });
    await Promise.all([ours, theirs].map((x) => x.page.evaluate(() => {
      window.test.seen.on = true;
      window.test.source.start();
    })));
    await new Promise((r) => { setTimeout(r, SECONDS * 1000); });
    const [sentOurs, sentTheirs] = await Promise.all([ours, theirs].map((x) => x.page.evaluate(() => window.test.source.stop())));
    await new Promise((r) => { setTimeout(r, 1000); });
    const [seenOurs, seenTheirs] = await Promise.all([ours, theirs].map((x) => x.page.evaluate(() => {
      window.test.seen.on = false;
      return window.test.seen.frames;
    })));
    const reports = await Promise.all([ours, theirs].map((x) => x.page.evaluate(() => window.workerReports)));
    const errors = [ours.errors, theirs.errors];
    return {
      oursToTheirs: { ...scoreNumbers(seenTheirs, sentOurs, WIDTH, HEIGHT), run: longestRun(seenTheirs) },
      theirsToOurs: { ...scoreNumbers(seenOurs, sentTheirs, WIDTH, HEIGHT), run: longestRun(seenOurs) },
      reports,
      errors,
    };
  } finally {
    await ours.page.close();
    await theirs.page.close();
  }
}

const bySide = (reports, side) => reports.find((r) => r.side === side);

test('the same XOR transform on a polyfilled page and on native Chromium: video arrives both ways; the workers see the same frames', async () => {
  const r = await run(true);
  for (const s of [r.oursToTheirs, r.theirsToOurs]) {
    expect(s.sent).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
    expect(s.ratio).toBeGreaterThanOrEqual(MIN_IN_ORDER);
    expect(s.run).toBeGreaterThan(30);
  }
  expect(r.errors).toEqual([[], []]);
  const [ours, native] = r.reports;
  const expected = {
    side: 'send',
    options: { side: 'send' },
    video: true,
    type: 'key',
    metadata: {
      rtpTimestamp: 'number', synchronizationSource: 'number', payloadType: 96, width: WIDTH, height: HEIGHT,
    },
    timestampMatches: true,
  };
  expect(bySide(native, 'send')).toEqual(expected);
  expect(bySide(ours, 'send')).toEqual(expected);
  expect(bySide(ours, 'receive')).toEqual(bySide(native, 'receive'));
  expect(bySide(native, 'receive')).toEqual({ ...expected, side: 'receive', options: { side: 'receive' } });
});

test('the transform on the polyfilled page only: neither page can decode what it gets', async () => {
  const r = await run(false);
  expect(r.oursToTheirs.sent).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
  // At most noise: no long stretch of consecutive numbers (decoded video
  // has runs of a hundred, and the test above wants more than 30), and few
  // numbers that happen to rise. The XOR leaves VP8's first partition (the
  // prediction modes) alone, so a few frames of these plain blocks can come
  // out right by chance: runs of up to 6 were seen (2026-12-07).
  for (const s of [r.oursToTheirs, r.theirsToOurs]) {
    expect(s.run).toBeLessThan(15);
    expect(s.ratio).toBeLessThan(0.3);
  }
  expect(bySide(r.reports[0], 'send')).toBeDefined();
});
