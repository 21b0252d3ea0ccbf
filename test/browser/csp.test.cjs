// The polyfill under a strict Content-Security-Policy, without
// cross-origin isolation: the directives the README lists are enough.
const { useBrowserEnv } = require('../support/browser-env.cjs');

jest.setTimeout(60000);

const env = useBrowserEnv({
  headers: ({ gateway }) => ({
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "worker-src 'self'",
      `connect-src 'self' ${gateway.url}`,
    ].join('; '),
  }),
});

test('the engine starts in its worker and gathers a relay candidate through the gateway', async () => {
  const page = await env.browser.context.newPage();
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  page.on('worker', (w) => w.on('console', (m) => messages.push(`worker: ${m.text()}`)));
  await page.goto(`${env.server.url}test/browser/pages/peer.html?polyfill=1`
    + `&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`);
  expect(await page.evaluate(() => window.ready)).toBe('wasmrtc');
  const r = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    pc.createDataChannel('csp');
    await pc.setLocalDescription();
    const { sdp } = await window.gathered(pc);
    pc.close();
    return { isolated: window.crossOriginIsolated, relay: / typ relay /.test(sdp) };
  });
  expect(r).toEqual({ isolated: false, relay: true });
  expect(messages.filter((m) => /Content Security Policy|Refused/.test(m))).toEqual([]);
  await page.close();
});
