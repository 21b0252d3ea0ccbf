// Libraries built on RTCPeerConnection, unmodified, on a polyfilled page
// (dist/wasmrtc-polyfill.js with data-force, through wasmrtc-gateway and
// coturn) against a page on Chromium's own RTCPeerConnection, both
// directions: simple-peer (its browser build) and PeerJS (with a PeerServer
// from the `peer` package on loopback). Each page loads, in this order, the
// polyfill (peer.html), webrtc-adapter (its browser bundle) and the library,
// as an application would. First: adapter, which shims by browser
// detection, sees the polyfill's classes and changes on them exactly what
// it changes on native Chromium's.
const { useBrowserEnv } = require('../support/browser-env.cjs');
const { startPeerServer } = require('../support/peer-server.cjs');

jest.setTimeout(90000);

// Chromium hides host addresses behind mDNS names by default, which only
// its own resolver knows; the test namespace has no mDNS.
const env = useBrowserEnv({ chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] });

let peerServer;
beforeAll(async () => { peerServer = await startPeerServer(); });
afterAll(() => peerServer?.stop());

// Every page a test opened closes after it, passed or failed: a page left
// open keeps its connections, TURN allocations and PeerServer id.
const pages = [];
// Every URL a page asked for, HTTP and WebSocket: the libraries have cloud
// defaults (PeerJS's 0.peerjs.com, public STUN servers), and nothing here
// may leave the machine.
const requested = new Set();
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
  const hosts = [...requested].map((u) => new URL(u).hostname);
  requested.clear();
  expect(hosts.filter((h) => h !== '127.0.0.1')).toEqual([]);
});

// Browser builds, served from node_modules by the static server (the repository root).
const SCRIPTS = {
  adapter: 'node_modules/webrtc-adapter/out/adapter.js',
  simplePeer: 'node_modules/simple-peer/simplepeer.min.js',
  peerjs: 'node_modules/peerjs/dist/peerjs.min.js',
};

/**
 * peer.html, polyfilled through the gateway or native, then `scripts` in
 * order and pages/libraries.js. Returns { page, errors, logs (its console),
 * kind, config }: config is
 * the RTCConfiguration the page's library gets (the test's TURN server on a
 * polyfilled page, whose only way out is TURN through the gateway; none on
 * the native page, which reaches the relay directly). The libraries' own
 * defaults name public STUN and TURN servers: always replaced.
 */
async function openPage(polyfilled, scripts) {
  const page = await env.browser.context.newPage();
  pages.push(page);
  page.on('request', (r) => requested.add(r.url()));
  page.on('websocket', (ws) => requested.add(ws.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const logs = [];
  page.on('console', (m) => logs.push(m.text().slice(0, 200)));
  const query = polyfilled
    ? `?polyfill=1&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`
    : '';
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(polyfilled ? 'wasmrtc' : 'native');
  for (const name of scripts) await page.addScriptTag({ url: `${env.server.url}${SCRIPTS[name]}` });
  await page.addScriptTag({ url: `${env.server.url}test/browser/pages/libraries.js` });
  // Still the polyfill's class after adapter and the library ran.
  expect(await page.evaluate(() => (window.wasmrtc ? RTCPeerConnection === window.wasmrtc.RTCPeerConnection : 'native')))
    .toBe(polyfilled ? true : 'native');
  return {
    page, errors, logs, kind: polyfilled ? 'polyfilled' : 'native', config: { iceServers: polyfilled ? JSON.parse(env.iceServers) : [] },
  };
}

/**
 * Awaits `work` for at most `ms`; past that, fails with the last console
 * lines of each page (PeerJS logs each step at debug 3), not a bare Jest timeout.
 */
async function within(ms, sides, work) {
  let timer;
  const expired = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not done after ${ms} ms:\n${
      sides.map((s) => `${s.kind} page:\n  ${s.logs.slice(-25).join('\n  ')}`).join('\n')}`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const KIND = (polyfilled) => (polyfilled ? 'polyfilled' : 'native');

test('webrtc-adapter on a polyfilled page detects Chromium and changes on the polyfill\'s classes what it changes natively', async () => {
  const changed = async (polyfilled) => {
    const { page, errors } = await openPage(polyfilled, []);
    // Every global WebRTC binding, and every member (value, getter, setter)
    // its prototype chain resolves, before and after adapter.js.
    await page.evaluate(() => {
      const NAMES = ['RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate', 'RTCDataChannel',
        'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCPeerConnectionIceEvent', 'RTCDataChannelEvent',
        'RTCTrackEvent', 'RTCSctpTransport', 'RTCDtlsTransport', 'RTCIceTransport', 'RTCDTMFSender', 'MediaStream'];
      window.members = () => {
        const out = new Map();
        for (const name of NAMES) {
          const C = window[name];
          out.set(name, C);
          if (typeof C !== 'function') continue;
          for (let p = C.prototype; p && p !== EventTarget.prototype && p !== Event.prototype && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
            for (const key of Object.getOwnPropertyNames(p)) {
              const d = Object.getOwnPropertyDescriptor(p, key);
              for (const part of ['value', 'get', 'set']) {
                const id = `${name}.${key}${part === 'value' ? '' : ` (${part})`}`;
                if (!out.has(id) && d[part] !== undefined) out.set(id, d[part]);
              }
            }
          }
        }
        return out;
      };
      window.before = window.members();
    });
    await page.addScriptTag({ url: `${env.server.url}${SCRIPTS.adapter}` });
    const r = await page.evaluate(() => {
      const after = window.members();
      const keys = new Set([...window.before.keys(), ...after.keys()]);
      return {
        browser: window.adapter.browserDetails.browser,
        changed: [...keys].filter((k) => window.before.get(k) !== after.get(k)).sort(),
        ours: window.wasmrtc ? RTCPeerConnection === window.wasmrtc.RTCPeerConnection : null,
      };
    });
    expect(errors).toEqual([]);
    return r;
  };
  const native = await changed(false);
  const ours = await changed(true);
  expect(native.browser).toBe('chrome');
  expect(ours.browser).toBe('chrome');
  expect(ours.ours).toBe(true);
  // Where adapter decides by feature (addIceCandidate.length and
  // setLocalDescription.length 0 mean "already standard"), the polyfill must
  // look as native Chromium does, or adapter wraps our methods in shims
  // that run outside the operations chain.
  expect(ours.changed).toEqual(native.changed);
});

// [initiator polyfilled, other polyfilled]
describe.each([[true, false], [false, true]])('simple-peer', (initiatorPolyfilled, otherPolyfilled) => {
  test(`${KIND(initiatorPolyfilled)} initiator, ${KIND(otherPolyfilled)} other side: data both ways and 1 MB through its flow control`, async () => {
    const BULK = 1 << 20;
    const initiator = await openPage(initiatorPolyfilled, ['adapter', 'simplePeer']);
    const other = await openPage(otherPolyfilled, ['adapter', 'simplePeer']);
    const room = `simple-peer-${Math.random().toString(36).slice(2)}`;
    // The other side listens (synchronously, in simplePeerSide's first steps) before the initiator signals.
    await other.page.evaluate(([r, c, n]) => { window.side = window.simplePeerSide(r, false, c, n); }, [room, other.config, BULK]);
    const [a, b] = await within(60000, [initiator, other], Promise.all([
      initiator.page.evaluate(([r, c, n]) => window.simplePeerSide(r, true, c, n), [room, initiator.config, BULK]),
      other.page.evaluate(() => window.side),
    ]));
    expect(a.received).toEqual(['simple-peer from the other side', [2, 0, 255]]);
    expect(b.received).toEqual(['simple-peer from the initiator', [1, 0, 255]]);
    expect(b.bulkBytes).toBe(BULK);
    expect(b.bulkSum).toBe(a.sentSum);
    expect([a.errors, b.errors]).toEqual([[], []]);
    expect([initiator.errors, other.errors]).toEqual([[], []]);
  });
});

// [connecting page polyfilled, listening page polyfilled]
describe.each([[true, false], [false, true]])('PeerJS with a local PeerServer', (connectingPolyfilled, listeningPolyfilled) => {
  test(`${KIND(connectingPolyfilled)} page connects to a ${KIND(listeningPolyfilled)} page: text, bytes and objects both ways, 200 kB in chunks`, async () => {
    const BIG = 200 * 1000;
    const connecting = await openPage(connectingPolyfilled, ['adapter', 'peerjs']);
    const listening = await openPage(listeningPolyfilled, ['adapter', 'peerjs']);
    const server = { host: peerServer.host, port: peerServer.port, path: peerServer.path };
    const ids = { listening: `l${Math.random().toString(36).slice(2)}`, connecting: `c${Math.random().toString(36).slice(2)}` };
    await listening.page.evaluate(([s, id, c]) => { window.side = window.peerjsSide(s, id, null, c, 0); }, [server, ids.listening, listening.config]);
    await listening.page.evaluate(() => Promise.race([window.peerjsOpened, window.side]));
    const [a, b] = await within(60000, [connecting, listening], Promise.all([
      connecting.page.evaluate(([s, id, to, c, n]) => window.peerjsSide(s, id, to, c, n), [server, ids.connecting, ids.listening, connecting.config, BIG]),
      listening.page.evaluate(() => window.side),
    ]));
    expect(b.received).toEqual([
      'PeerJS from the connecting side', [1, 0, 255], { side: 'connecting', n: [1, 2, 3] }, { bytes: BIG, last: 42 },
    ]);
    expect(a.received).toEqual([
      'PeerJS from the listening side', [2, 0, 255], { side: 'listening', n: [1, 2, 3] }, 'all received',
    ]);
    expect([a.errors, b.errors]).toEqual([[], []]);
    expect([connecting.errors, listening.errors]).toEqual([[], []]);
  });
});
