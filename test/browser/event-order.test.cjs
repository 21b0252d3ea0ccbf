// Issue 12, defect 1: events relative to promises on a page, natively and
// with the polyfill forced. The same scenario (pages/event-order.js) runs in
// native Chromium, which must keep the rules too (so the rules are
// Chromium's), and with the polyfill, in one page (no gateway: the
// in-engine network) and across two pages that signal as applications do,
// polyfill to native and polyfill to polyfill, through the gateway.
const { useBrowserEnv } = require('../support/browser-env.cjs');

jest.setTimeout(90000);

const env = useBrowserEnv({ chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] });

async function openPage({ polyfill, gateway }) {
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let query = polyfill ? '?polyfill=1' : '';
  if (polyfill && gateway) query += `&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`;
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(polyfill ? 'wasmrtc' : 'native');
  await page.addScriptTag({ url: `${env.server.url}test/browser/pages/event-order.js` });
  await page.addScriptTag({ url: `${env.server.url}test/browser/pages/signal-peer.js` });
  return { page, errors };
}

async function sameRealm(polyfill, withAudio) {
  const { page, errors } = await openPage({ polyfill, gateway: false });
  const r = await page.evaluate(async (audio) => {
    const out = await window.eventOrder.run(RTCPeerConnection, { withAudio: audio });
    return { ...out, violations: window.eventOrder.rules(out.log), descriptionEvents: window.eventOrder.descriptionEvents(out.log) };
  }, withAudio);
  await page.close();
  return { ...r, errors };
}

test.each([['with audio and a data channel', true], ['with a data channel', false]])(
  'two connections in one page, %s: native Chromium and the polyfill keep the rules and fire the same description events',
  async (_, audio) => {
    const native = await sameRealm(false, audio);
    const ours = await sameRealm(true, audio);
    for (const r of [native, ours]) {
      expect(r.rejections).toEqual([]);
      expect(r.violations).toEqual([]);
      expect(r.received).toBe('in order');
      expect(r.log).toContain('a.icecandidate');
      expect(r.errors).toEqual([]);
    }
    expect(ours.descriptionEvents).toEqual(native.descriptionEvents);
  },
);

test.each([['polyfill to native', true, false], ['native to polyfill', false, true], ['polyfill to polyfill', true, true]])(
  'two pages signalling as applications do, %s: no addIceCandidate rejects and data flows',
  async (_, offerPolyfilled, answerPolyfilled) => {
    const offerer = await openPage({ polyfill: offerPolyfilled, gateway: true });
    const answerer = await openPage({ polyfill: answerPolyfilled, gateway: true });
    const room = `room-${Math.random().toString(36).slice(2)}`;
    // The answerer listens (synchronously, in signalPeer's first steps) before the offerer starts.
    await answerer.page.evaluate((r) => { window.answering = window.signalPeer(r, false); }, room);
    const [a, b] = await Promise.all([
      offerer.page.evaluate((r) => window.signalPeer(r, true), room),
      answerer.page.evaluate(() => window.answering),
    ]);
    expect(a.rejections).toEqual([]);
    expect(b.rejections).toEqual([]);
    expect(a.echoed).toBe('from answerer');
    expect(b.echoed).toBe('from offerer');
    expect(offerer.errors).toEqual([]);
    expect(answerer.errors).toEqual([]);
    await offerer.page.close();
    await answerer.page.close();
  },
);
