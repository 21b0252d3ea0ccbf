// The drop-in polyfill in Debian's Chromium: a page with
// dist/wasmrtc-polyfill.js (data-force) runs the whole stack in its worker
// and reaches a page using Chromium's own RTCPeerConnection through
// wasmrtc-gateway and coturn, both offer directions.
const { useBrowserEnv } = require('../support/browser-env.cjs');

jest.setTimeout(90000);

// Chromium hides host addresses behind mDNS names by default, which only
// its own resolver knows; the test namespace has no mDNS.
const env = useBrowserEnv({ chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] });

/**
 * kind: true or 'polyfilled' (script tag), 'module' (ES module import), false or 'native'.
 * gateway: false leaves out the gateway and ICE servers (the page reaches only itself).
 */
async function openPage(kind, { gateway: withGateway = true } = {}) {
  const polyfill = kind === true || kind === 'polyfilled' || kind === 'module';
  const mode = kind === 'module' ? 'esm' : 'polyfill';
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let query = polyfill ? `?${mode}=1` : '';
  if (polyfill && withGateway) query += `&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`;
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
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
  const { page, errors } = await openPage('polyfilled', { gateway: false });
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

test('Blob in and out with binaryType "blob"; the script is safe to load twice and in a blank frame', async () => {
  const { page, errors } = await openPage('polyfilled', { gateway: false });
  const r = await page.evaluate(async () => {
    // Loading the script again changes nothing.
    const before = window.RTCPeerConnection;
    await new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/dist/wasmrtc-polyfill.js';
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
    const same = window.RTCPeerConnection === before;
    // A blank frame gets its own copy of the globals.
    const frame = document.createElement('iframe');
    document.body.appendChild(frame);
    const fdoc = frame.contentDocument;
    await new Promise((resolve, reject) => {
      const s = fdoc.createElement('script');
      s.src = `${location.origin}/dist/wasmrtc-polyfill.js`;
      s.dataset.force = '';
      s.onload = resolve;
      s.onerror = reject;
      fdoc.head.appendChild(s);
    });
    const framePc = new frame.contentWindow.RTCPeerConnection();
    const frameOk = framePc instanceof frame.contentWindow.wasmrtc.RTCPeerConnection && framePc.signalingState === 'stable';
    framePc.close();

    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    const dc = a.createDataChannel('blobs');
    const remote = new Promise((resolve) => { b.ondatachannel = (e) => resolve(e.channel); });
    await a.setLocalDescription();
    await b.setRemoteDescription(await window.gathered(a)); // no trickle: the candidates are in it
    await b.setLocalDescription();
    await a.setRemoteDescription(await window.gathered(b));
    const channel = await remote;
    await window.opened(dc);
    channel.binaryType = 'blob';
    const got = new Promise((resolve) => { channel.onmessage = (e) => resolve(e.data); });
    dc.send(new Blob([new Uint8Array([1, 2]), 'é']));
    const data = await got;
    const bytes = Array.from(new Uint8Array(await data.arrayBuffer()));
    a.close();
    b.close();
    return { same, frameOk, isBlob: data instanceof Blob, bytes };
  });
  expect(r).toEqual({ same: true, frameOk: true, isBlob: true, bytes: [1, 2, 0xc3, 0xa9] });
  expect(errors).toEqual([]);
  await page.close();
});

// [offerer, answerer, who closes]: each kind of page, polyfilled or native.
const PAIRS = [
  ['polyfilled', 'native', 'offerer'],
  ['native', 'polyfilled', 'answerer'],
  ['polyfilled', 'polyfilled', 'answerer'],
  ['module', 'native', 'offerer'],
];

describe.each(PAIRS)('%s page offers to a %s page', (offererKind, answererKind, closer) => {
  test(`through gateway + coturn: 1,000 messages each way, 256 KiB, a 5 MB file; ${closer} closes`, async () => {
    const offererSide = await openPage(offererKind);
    const answererSide = await openPage(answererKind);
    const offerer = offererSide.page;
    const answerer = answererSide.page;

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
    // A polyfilled page's candidates are TURN relay candidates only: it has no UDP.
    for (const [kind, description] of [[offererKind, offer], [answererKind, answer]]) {
      if (kind === 'native') continue;
      const types = [...description.sdp.matchAll(/a=candidate:.* typ (\w+)/g)].map((m) => m[1]);
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(['relay']));
    }

    await offerer.evaluate((a) => window.pc.setRemoteDescription(a), answer);
    await answerer.evaluate(async () => { window.dc = await window.remote; });
    await Promise.all([offerer, answerer].map((p) => p.evaluate(() => window.opened(window.dc))));

    const atAnswerer = answerer.evaluate(() => window.collect(window.dc, 1000));
    const atOfferer = offerer.evaluate(() => window.collect(window.dc, 1000));
    await offerer.evaluate(() => { for (let i = 0; i < 1000; i++) window.dc.send(`o${i}`); });
    await answerer.evaluate(() => { for (let i = 0; i < 1000; i++) window.dc.send(`a${i}`); });
    expect(await atAnswerer).toEqual(Array.from({ length: 1000 }, (_, i) => `o${i}`));
    expect(await atOfferer).toEqual(Array.from({ length: 1000 }, (_, i) => `a${i}`));

    // One 256 KiB message (Chromium's a=max-message-size), then a 5 MB file
    // in 16 KiB chunks under bufferedAmountLowThreshold flow control.
    const BIG = 256 * 1024;
    const FILE = 5 * 1000 * 1000;
    const bigHash = answerer.evaluate((n) => window.receiveFile(window.dc, n), BIG);
    await offerer.evaluate((n) => window.sendFile(window.dc, n, n), BIG);
    expect(await bigHash).toBe(await offerer.evaluate((n) => window.patternHash(n), BIG));
    const fileHash = offerer.evaluate((n) => window.receiveFile(window.dc, n), FILE);
    await answerer.evaluate((n) => window.sendFile(window.dc, n), FILE);
    expect(await fileHash).toBe(await answerer.evaluate((n) => window.patternHash(n), FILE));

    const [closing, other] = closer === 'offerer' ? [offerer, answerer] : [answerer, offerer];
    const closed = other.evaluate(() => new Promise((resolve) => { window.dc.onclose = () => resolve(window.dc.readyState); }));
    await closing.evaluate(() => window.dc.close());
    expect(await closed).toBe('closed');

    await Promise.all([offerer, answerer].map((p) => p.evaluate(() => window.pc.close())));
    expect(offererSide.errors).toEqual([]);
    expect(answererSide.errors).toEqual([]);
    await Promise.all([offerer.close(), answerer.close()]);
  });
});
