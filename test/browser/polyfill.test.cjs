// The drop-in polyfill in Debian's Chromium: a page with
// dist/wasmrtc-polyfill.js (data-force) runs the whole stack in its worker
// and reaches a page using Chromium's own RTCPeerConnection through
// wasmrtc-gateway and coturn, both offer directions.
const path = require('path');
const { startStaticServer } = require('../support/static-server.cjs');
const { launchChromium } = require('../support/chromium.cjs');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');

jest.setTimeout(90000);

const ROOT = path.join(__dirname, '..', '..');
let server;
let browser;
let turn;
let gateway;

beforeAll(async () => {
  // Chromium ignores loopback candidates: relay on the namespace's veth address.
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test', relayIp: '10.77.0.2' });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
  server = await startStaticServer(ROOT);
  // Chromium hides host addresses behind mDNS names by default, which only
  // its own resolver knows; the test namespace has no mDNS.
  browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns']);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gateway?.stop();
  await turn?.stop();
});

async function openPage(polyfill) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const iceServers = JSON.stringify([{
    urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password,
  }]);
  const query = polyfill ? `?polyfill=1&gateway=${encodeURIComponent(gateway.url)}&iceServers=${encodeURIComponent(iceServers)}` : '';
  await page.goto(`${server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(polyfill ? 'wasmrtc' : 'native');
  return { page, errors };
}

test('the polyfill installs real globals and keeps the native ones', async () => {
  const { page, errors } = await openPage(true);
  const r = await page.evaluate(() => {
    const pc = new RTCPeerConnection();
    const out = {
      isOurs: pc instanceof window.wasmrtc.RTCPeerConnection,
      nativeKept: typeof window.wasmrtc.native.RTCPeerConnection === 'function'
        && window.wasmrtc.native.RTCPeerConnection !== RTCPeerConnection,
      handlersNull: pc.onicecandidate === null && pc.ondatachannel === null,
      signalingState: pc.signalingState,
      isEventTarget: pc instanceof EventTarget,
      globals: ['RTCSessionDescription', 'RTCIceCandidate', 'RTCDataChannel', 'RTCDataChannelEvent',
        'RTCPeerConnectionIceEvent', 'RTCCertificate'].filter((n) => typeof window[n] !== 'function'),
    };
    pc.close();
    return out;
  });
  expect(r).toEqual({
    isOurs: true, nativeKept: true, handlersNull: true, signalingState: 'stable', isEventTarget: true, globals: [],
  });
  expect(errors).toEqual([]);
  await page.close();
});

test('two connections in one page connect with no gateway and no ICE servers (in-engine network)', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}test/browser/pages/peer.html?polyfill=1`);
  expect(await page.evaluate(() => window.ready)).toBe('wasmrtc');
  const r = await page.evaluate(async () => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    // Candidates wait for the remote description, as a signaling queue would.
    const trickle = (from, to) => {
      const queue = [];
      from.onicecandidate = (e) => { if (e.candidate) queue.push(e.candidate); };
      return () => Promise.all(queue.splice(0).map((c) => to.addIceCandidate(c)))
        .then(() => { from.onicecandidate = (e) => e.candidate && to.addIceCandidate(e.candidate); });
    };
    const flushToB = trickle(a, b);
    const flushToA = trickle(b, a);
    const dc = a.createDataChannel('local');
    const remote = new Promise((resolve) => { b.ondatachannel = (e) => resolve(e.channel); });
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await flushToB();
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    await flushToA();
    const channel = await remote;
    channel.binaryType = 'arraybuffer';
    await window.opened(dc);
    const got = window.collect(channel, 2);
    dc.send('same page');
    dc.send(new Uint8Array([7, 8, 9]));
    const messages = await got;
    const state = a.connectionState;
    a.close();
    b.close();
    return { messages, state };
  });
  expect(r).toEqual({ messages: ['same page', [7, 8, 9]], state: 'connected' });
  expect(errors).toEqual([]);
  await page.close();
});

describe.each(['polyfilled', 'native'])('%s page offers', (offererKind) => {
  test('connects through gateway + coturn; messages both ways; close reaches the other side', async () => {
    const ours = await openPage(true);
    const native = await openPage(false);
    const [offerer, answerer] = offererKind === 'polyfilled' ? [ours.page, native.page] : [native.page, ours.page];

    const offer = await offerer.evaluate(async () => {
      window.pc = new RTCPeerConnection();
      window.dc = window.pc.createDataChannel('chat');
      await window.pc.setLocalDescription();
      return window.gathered(window.pc);
    });
    const answer = await answerer.evaluate(async (o) => {
      window.pc = new RTCPeerConnection();
      window.remote = new Promise((resolve) => { window.pc.ondatachannel = (e) => resolve(e.channel); });
      await window.pc.setRemoteDescription(o);
      await window.pc.setLocalDescription();
      return window.gathered(window.pc);
    }, offer);
    // Our page's candidates are TURN relay candidates only: it has no UDP.
    const oursSdp = offererKind === 'polyfilled' ? offer.sdp : answer.sdp;
    const types = [...oursSdp.matchAll(/a=candidate:.* typ (\w+)/g)].map((m) => m[1]);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['relay']));

    await offerer.evaluate((a) => window.pc.setRemoteDescription(a), answer);
    await answerer.evaluate(async () => { window.dc = await window.remote; });
    await Promise.all([offerer, answerer].map((p) => p.evaluate(() => window.opened(window.dc))));

    const atAnswerer = answerer.evaluate(() => window.collect(window.dc, 1000));
    const atOfferer = offerer.evaluate(() => window.collect(window.dc, 1000));
    await offerer.evaluate(() => { for (let i = 0; i < 1000; i++) window.dc.send(`o${i}`); });
    await answerer.evaluate(() => { for (let i = 0; i < 1000; i++) window.dc.send(`a${i}`); });
    expect(await atAnswerer).toEqual(Array.from({ length: 1000 }, (_, i) => `o${i}`));
    expect(await atOfferer).toEqual(Array.from({ length: 1000 }, (_, i) => `a${i}`));

    const closed = answerer.evaluate(() => new Promise((resolve) => { window.dc.onclose = () => resolve(window.dc.readyState); }));
    await offerer.evaluate(() => window.dc.close());
    expect(await closed).toBe('closed');

    await Promise.all([offerer, answerer].map((p) => p.evaluate(() => window.pc.close())));
    expect(ours.errors).toEqual([]);
    expect(native.errors).toEqual([]);
    await Promise.all([ours.page.close(), native.page.close()]);
  });
});
