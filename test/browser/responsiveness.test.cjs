// The page stays responsive while data flows: a polyfilled page sends 20 MB
// with flow control (pages/peer.js sendFile: 16 KiB messages, refilled on
// bufferedamountlow) and a requestAnimationFrame counter on it keeps at least
// 30 frames a second over the whole transfer, until the receiver has every
// byte. The stack runs in the polyfill's worker; only the page's own calls
// and events are on its main thread.
//
// What headless Chromium does: requestAnimationFrame runs at 60 Hz on the
// page in front; a page behind it gets a few frames and then none (measured:
// 5 frames in a second), whatever it does. So the measured page is brought
// to the front, and before each transfer the same counter on it must read
// about 60 when idle and under 30 with its main thread busy in turns of
// 40 ms (what a stack computing on the page's thread would do): the measure
// can fail, and the rate it reads during the transfer is the page's own.
const { useBrowserEnv } = require('../support/browser-env.cjs');

jest.setTimeout(120000);

// Chromium hides host addresses behind mDNS names by default, which only
// its own resolver knows; the test namespace has no mDNS.
const env = useBrowserEnv({ chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] });

const SIZE = 20 * 1000 * 1000;
const MIN_FPS = 30;

async function openPage(kind, { gateway = true } = {}) {
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let query = kind === 'polyfilled' ? '?polyfill=1' : '';
  if (kind === 'polyfilled' && gateway) query += `&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`;
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(kind === 'polyfilled' ? 'wasmrtc' : 'native');
  await page.addScriptTag({ url: `${env.server.url}test/browser/pages/frame-meter.js` });
  return { page, errors };
}

/** Brings `page` to the front and checks that its counter reads ~60 idle and under 30 when busy. */
async function checkMeter(page) {
  await page.bringToFront();
  const measure = (busyMs) => page.evaluate(async (busy) => {
    window.frameMeter.start();
    if (busy) window.frameMeter.hog(busy);
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    return { visibility: document.visibilityState, ...window.frameMeter.stop() };
  }, busyMs);
  const idle = await measure(0);
  const busy = await measure(40);
  expect(idle.visibility).toBe('visible');
  expect(idle.fps).toBeGreaterThan(55);
  expect(busy.fps).toBeLessThan(MIN_FPS);
}

/**
 * Sends SIZE bytes on the `sender` page's window.dc and counts its frames
 * from the first message until `received` (the receiver's hash of them)
 * resolves; checks the bytes.
 */
async function framesDuringTransfer(sender, received) {
  await sender.evaluate((n) => {
    window.frameMeter.start();
    window.sending = window.sendFile(window.dc, n);
  }, SIZE);
  const hash = await received;
  const frames = await sender.evaluate(async () => {
    await window.sending;
    return window.frameMeter.stop();
  });
  expect(hash).toBe(await sender.evaluate((n) => window.patternHash(n), SIZE));
  return frames;
}

test(`a polyfilled page sending ${SIZE / 1e6} MB to a native page through gateway + coturn keeps ${MIN_FPS} frames a second`, async () => {
  const sender = await openPage('polyfilled');
  const receiver = await openPage('native');
  const offer = await sender.page.evaluate(async () => {
    window.pc = new RTCPeerConnection();
    window.dc = window.pc.createDataChannel('file');
    await window.pc.setLocalDescription();
    return window.gathered(window.pc);
  });
  const answer = await receiver.page.evaluate(async (o) => {
    window.pc = new RTCPeerConnection();
    window.remote = new Promise((resolve) => { window.pc.ondatachannel = (e) => resolve(e.channel); });
    await window.pc.setRemoteDescription(o);
    await window.pc.setLocalDescription();
    return window.gathered(window.pc);
  }, offer);
  await sender.page.evaluate((a) => window.pc.setRemoteDescription(a), answer);
  await receiver.page.evaluate(async () => { window.dc = await window.remote; });
  await Promise.all([sender, receiver].map((s) => s.page.evaluate(() => window.opened(window.dc))));

  await checkMeter(sender.page);
  const received = receiver.page.evaluate((n) => window.receiveFile(window.dc, n), SIZE);
  const frames = await framesDuringTransfer(sender.page, received);
  // At 60 Hz a transfer this long is many frames: the rate is measured, not guessed.
  expect(frames.ms).toBeGreaterThan(1000);
  expect(frames.fps).toBeGreaterThanOrEqual(MIN_FPS);

  await Promise.all([sender, receiver].map((s) => s.page.evaluate(() => window.pc.close())));
  expect(sender.errors).toEqual([]);
  expect(receiver.errors).toEqual([]);
  await sender.page.close();
  await receiver.page.close();
});

test(`a polyfilled page sending ${SIZE / 1e6} MB to its own second connection (in-engine network) keeps ${MIN_FPS} frames a second`, async () => {
  // Here the page's main thread also takes every message the receiver gets.
  const { page, errors } = await openPage('polyfilled', { gateway: false });
  await page.evaluate(async () => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    window.pcs = [a, b];
    window.dc = a.createDataChannel('file');
    const remote = new Promise((resolve) => { b.ondatachannel = (e) => resolve(e.channel); });
    await a.setLocalDescription();
    await b.setRemoteDescription(await window.gathered(a));
    await b.setLocalDescription();
    await a.setRemoteDescription(await window.gathered(b));
    window.remote = await remote;
    await window.opened(window.dc);
  });
  await checkMeter(page);
  const received = page.evaluate((n) => window.receiveFile(window.remote, n), SIZE);
  const frames = await framesDuringTransfer(page, received);
  // The in-engine network moves the 20 MB in about a second (1000 ms seen,
  // 2026-12-07); half a second is still 30 frames at 60 Hz.
  expect(frames.ms).toBeGreaterThan(500);
  expect(frames.fps).toBeGreaterThanOrEqual(MIN_FPS);
  await page.evaluate(() => window.pcs.forEach((pc) => pc.close()));
  expect(errors).toEqual([]);
  await page.close();
});
