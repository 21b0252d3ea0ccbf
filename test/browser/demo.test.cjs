// The demo (demo/server.cjs) as a user runs it: two Chromium tabs in one
// room chat and send a file, every tab on wasmrtc's polyfill.
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');
const { launchChromium } = require('../support/chromium.cjs');

jest.setTimeout(60000);

const ROOT = path.join(__dirname, '..', '..');
let demo;
let url;
let browser;

beforeAll(async () => {
  demo = spawn(process.execPath, [path.join(ROOT, 'demo', 'server.cjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: demo.stdout }).on('line', (line) => {
      const m = /open (http:\/\/\S+) in two tabs/.exec(line);
      if (m) resolve(m[1]);
    });
    demo.once('exit', (code) => reject(new Error(`demo server exited (${code})`)));
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
});

test('two tabs chat and send a file', async () => {
  const room = `r${Date.now()}`;
  const first = await browser.context.newPage();
  await first.goto(`${url}?room=${room}`);
  await first.waitForSelector('#status:has-text("waiting for a second tab")');
  const second = await browser.context.newPage();
  await second.goto(`${url}?room=${room}`);
  for (const page of [first, second]) await page.waitForSelector('#text:not([disabled])');

  await second.fill('#text', 'hello from the second tab');
  await second.click('#chat button');
  await first.waitForSelector('#log .peer:has-text("hello from the second tab")');

  const file = Buffer.alloc(200 * 1024);
  for (let i = 0; i < file.length; i++) file[i] = (i * 13) & 0xff;
  await first.setInputFiles('#file', { name: 'pattern.bin', mimeType: 'application/octet-stream', buffer: file });
  const link = await second.waitForSelector('#log a[download="pattern.bin"]');
  const received = await second.evaluate(async (a) => Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())), link);
  expect(Buffer.from(received).equals(file)).toBe(true);
  expect(await first.textContent('#status')).toMatch(/connected/);
  if (process.env.WASMRTC_DEMO_SCREENSHOT) await second.screenshot({ path: process.env.WASMRTC_DEMO_SCREENSHOT });
  await Promise.all([first.close(), second.close()]);
});
