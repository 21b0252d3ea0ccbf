// The polyfill under a strict Content-Security-Policy, without
// cross-origin isolation: the directives the README lists are enough.
const path = require('path');
const { startStaticServer } = require('../support/static-server.cjs');
const { launchChromium } = require('../support/chromium.cjs');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');

jest.setTimeout(60000);

const ROOT = path.join(__dirname, '..', '..');
let server;
let browser;
let turn;
let gateway;

beforeAll(async () => {
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test', relayIp: '10.77.0.2' });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
  const csp = [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${gateway.url}`,
  ].join('; ');
  server = await startStaticServer(ROOT, { 'content-security-policy': csp });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gateway?.stop();
  await turn?.stop();
});

test('the engine starts in its worker and gathers a relay candidate through the gateway', async () => {
  const page = await browser.context.newPage();
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  page.on('worker', (w) => w.on('console', (m) => messages.push(`worker: ${m.text()}`)));
  const iceServers = JSON.stringify([{
    urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password,
  }]);
  await page.goto(`${server.url}test/browser/pages/peer.html?polyfill=1&gateway=${encodeURIComponent(gateway.url)}&iceServers=${encodeURIComponent(iceServers)}`);
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
