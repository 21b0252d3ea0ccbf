// The WASM module loads and runs in a dedicated worker of Debian's Chromium.
const path = require('path');
const { startStaticServer } = require('../support/static-server.cjs');
const { launchChromium } = require('../support/chromium.cjs');

const ROOT = path.join(__dirname, '..', '..');
let server;
let browser;

beforeAll(async () => {
  server = await startStaticServer(ROOT);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('module loads in a browser worker and runs the STUN codec', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}test/browser/pages/worker-load.html`);
  const result = await page.evaluate(() => window.result);
  expect(result.error).toBeUndefined();
  expect(result.isWorker).toBe(true);
  expect(result.versions).toEqual({
    mbedtls: '2.28.3', libsrtp2: '2.5.0', usrsctp: '0.9.5.0', opus: '1.3.1', libvpx: '1.12.0', openh264: '2.3.1',
  });
  expect(result.stunClass).toBe('request');
  expect(result.stunLength).toBe(20 + 8); // header + FINGERPRINT
  expect(result.stunTxid).toEqual(new Array(12).fill(9));
  await page.close();
});
