// wasmrtc-gateway against a real coturn, all on loopback: relaying STUN/TURN,
// the allow-list, origins, per-IP limits, idle timeout, backpressure, hostile
// clients (with a descriptor-leak check) and shutdown on SIGTERM.
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const WebSocket = require('ws');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');

let turn;
const gateways = [];
const cleanups = [];

beforeAll(async () => {
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test' });
});

afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
  const results = await Promise.all(gateways.splice(0).map((g) => g.stop()));
  // Every gateway a test started must exit cleanly on SIGTERM.
  for (const r of results) expect(r).toEqual({ code: 0, signal: null });
});

afterAll(async () => {
  await turn?.stop();
});

async function gateway(options = {}) {
  const g = await startGateway({ turn: [`127.0.0.1:${turn.port}`], ...options });
  gateways.push(g);
  return g;
}

function targetUrl(g, target) {
  const url = new URL(g.url);
  url.searchParams.set('target', target);
  return url.href;
}

// --- STUN, built by hand (RFC 8489 5, 14; TURN over TCP: RFC 8656 12.5) ---

const MAGIC_COOKIE = 0x2112a442;

function stunMessage(type, attributes = []) {
  const body = Buffer.concat(
    attributes.map(([attrType, value]) => {
      const header = Buffer.alloc(4);
      header.writeUInt16BE(attrType, 0);
      header.writeUInt16BE(value.length, 2);
      return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
    }),
  );
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  crypto.randomFillSync(header, 8, 12);
  return Buffer.concat([header, body]);
}

function parseStun(buf) {
  const type = buf.readUInt16BE(0);
  const length = buf.readUInt16BE(2);
  const attributes = new Map();
  for (let at = 20; at + 4 <= 20 + length; ) {
    const attrType = buf.readUInt16BE(at);
    const attrLength = buf.readUInt16BE(at + 2);
    attributes.set(attrType, buf.subarray(at + 4, at + 4 + attrLength));
    at += 4 + attrLength + ((4 - (attrLength % 4)) % 4);
  }
  return { type, cookie: buf.readUInt32BE(4), txid: buf.subarray(8, 20), attributes };
}

/** Collects binary messages from `ws` and yields whole STUN messages (a stream: frames may be split or joined). */
function stunReader(ws) {
  let pending = Buffer.alloc(0);
  const waiters = [];
  const messages = [];
  const pump = () => {
    while (pending.length >= 20 && pending.length >= 20 + pending.readUInt16BE(2)) {
      const size = 20 + pending.readUInt16BE(2);
      messages.push(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
    while (messages.length && waiters.length) waiters.shift()(messages.shift());
  };
  ws.on('message', (data, isBinary) => {
    expect(isBinary).toBe(true);
    pending = Buffer.concat([pending, data]);
    pump();
  });
  return { next: () => new Promise((resolve) => (waiters.push(resolve), pump())) };
}

// --- WebSocket and socket helpers ---

/** Opens a WebSocket; resolves with it, or rejects with the HTTP status of a refusal. */
function open(url, options = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (req, res) => {
      const error = new Error(`refused with ${res.statusCode}`);
      error.status = res.statusCode;
      res.resume();
      req.destroy();
      reject(error);
    });
    ws.on('error', reject); // kept: later errors (a reset after a refusal) must not go unhandled
  });
}

/** The HTTP status a refused upgrade got. */
async function refusal(url, options) {
  const error = await open(url, options).then(
    (ws) => {
      ws.terminate();
      throw new Error(`expected ${url} to be refused, but it opened`);
    },
    (e) => e,
  );
  if (!error.status) throw error;
  return error.status;
}

function closed(ws) {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: null });
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

async function bindingRoundTrip(ws) {
  const reader = stunReader(ws);
  const request = stunMessage(0x0001);
  ws.send(request);
  const response = parseStun(await reader.next());
  expect(response.type).toBe(0x0101);
  expect(response.cookie).toBe(MAGIC_COOKIE);
  expect(response.txid.equals(request.subarray(8, 20))).toBe(true);
  return response;
}

function fdCount(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

async function waitFor(predicate, { timeout = 15000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** A TCP server on 127.0.0.1 or ::1, standing in for a TURN server. */
async function tcpServer(onConnection, host = '127.0.0.1') {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return { port: server.address().port, server };
}

/** Resolves once `socket` is closed (by us or the peer); resolves at once if it already is. */
function socketClosed(socket) {
  if (socket.destroyed && socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', resolve));
}

/** A TCP connection to `port`; unless `read`, whatever arrives is discarded (so 'end' and 'close' can come). */
function rawConnect(port, { read = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    if (!read) socket.resume();
  });
}

function upgradeRequest(port, target) {
  return (
    `GET /?target=${encodeURIComponent(target)} HTTP/1.1\r\n` +
    `Host: 127.0.0.1:${port}\r\n` +
    'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n` +
    'Sec-WebSocket-Version: 13\r\n\r\n'
  );
}

// --- Relaying ---

describe('relaying to an allowed TURN server', () => {
  test('a STUN Binding request reaches coturn and its success response comes back', async () => {
    const g = await gateway();
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`));
    const response = await bindingRoundTrip(ws);
    // XOR-MAPPED-ADDRESS (0x0020): coturn saw the gateway's side of the TCP connection.
    expect(response.attributes.has(0x0020)).toBe(true);
    ws.close();
    await closed(ws);
    await g.waitForLog(/close .* reason="client closed/);
  });

  test('an unauthenticated Allocate gets 401 with REALM and NONCE', async () => {
    const g = await gateway();
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`));
    const reader = stunReader(ws);
    // REQUESTED-TRANSPORT (0x0019): UDP (17), RFC 8656 18.11.
    const request = stunMessage(0x0003, [[0x0019, Buffer.from([17, 0, 0, 0])]]);
    ws.send(request);
    const response = parseStun(await reader.next());
    expect(response.type).toBe(0x0113); // Allocate error response
    expect(response.txid.equals(request.subarray(8, 20))).toBe(true);
    const errorCode = response.attributes.get(0x0009);
    expect(errorCode[2] * 100 + errorCode[3]).toBe(401);
    expect(response.attributes.get(0x0014).toString()).toBe(turn.realm); // REALM
    expect(response.attributes.get(0x0015).length).toBeGreaterThan(0); // NONCE
    ws.close();
    await closed(ws);
  });

  test('an IPv6 target in brackets, written in any spelling, reaches an allow-listed [::1] server', async () => {
    const echo = await tcpServer((socket) => socket.pipe(socket), '::1');
    const g = await gateway({ turn: [`[::1]:${echo.port}`] });
    // URLSearchParams percent-encodes the brackets and colons; the gateway decodes and normalises.
    const ws = await open(targetUrl(g, `[0:0:0::1]:${echo.port}`));
    const payload = crypto.randomBytes(1000);
    ws.send(payload);
    const [data] = await new Promise((resolve) => ws.once('message', (...args) => resolve(args)));
    expect(Buffer.from(data).equals(payload)).toBe(true);
    await g.waitForLog(new RegExp(`open target=\\[::1\\]:${echo.port}`));
    ws.close();
    await closed(ws);
  });

  test('a --turn entry given as a DNS name (localhost, from /etc/hosts) is resolved per connection', async () => {
    const g = await gateway({ turn: [`localhost:${turn.port}`] });
    // Only the name as listed is allowed; it resolves to 127.0.0.1 (and perhaps ::1 first).
    expect(await refusal(targetUrl(g, `127.0.0.1:${turn.port}`))).toBe(403);
    const ws = await open(targetUrl(g, `LOCALHOST.:${turn.port}`));
    await bindingRoundTrip(ws);
    await g.waitForLog(new RegExp(`open target=localhost:${turn.port}`));
    ws.close();
    await closed(ws);
  });

  test('many messages in both directions arrive whole and in order', async () => {
    const echo = await tcpServer((socket) => socket.pipe(socket));
    const g = await gateway({ turn: [`127.0.0.1:${echo.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${echo.port}`));
    const sent = [];
    for (let i = 0; i < 200; i++) sent.push(crypto.randomBytes(1 + crypto.randomInt(65536)));
    const total = sent.reduce((n, b) => n + b.length, 0);
    const chunks = [];
    let received = 0;
    const done = new Promise((resolve) =>
      ws.on('message', (data) => {
        chunks.push(data);
        received += data.length;
        if (received >= total) resolve();
      }),
    );
    for (const b of sent) ws.send(b);
    await done;
    expect(Buffer.concat(chunks).equals(Buffer.concat(sent))).toBe(true);
    ws.close();
    await closed(ws);
  });
});

// --- The allow-list: never an open proxy ---

describe('the target allow-list', () => {
  test('targets not on the allow-list are refused with 403 and never connected to', async () => {
    let decoyConnections = 0;
    const decoy = await tcpServer(() => decoyConnections++);
    const g = await gateway();
    expect(await refusal(targetUrl(g, `127.0.0.1:${decoy.port}`))).toBe(403);
    expect(await refusal(targetUrl(g, '127.0.0.1:22'))).toBe(403);
    // Same place, other spelling: only the exact (normalised) entry is allowed.
    expect(await refusal(targetUrl(g, `localhost:${turn.port}`))).toBe(403);
    expect(await refusal(targetUrl(g, `[::ffff:127.0.0.2]:${turn.port}`))).toBe(403);
    expect(await refusal(targetUrl(g, `example.com:${turn.port}`))).toBe(403);
    expect(decoyConnections).toBe(0);
    await g.waitForLog(new RegExp(`refuse 403 target not allowed: 127\\.0\\.0\\.1:${decoy.port}`));
    await g.waitForLog(/refuse 403 target not allowed: 127\.0\.0\.1:22$/);
  });

  test('missing, malformed, repeated or unnormalisable targets are refused', async () => {
    const g = await gateway();
    const port = turn.port;
    const base = g.url;
    const cases = [
      base, // no query
      `${base}?other=1`,
      `${base}?target=`,
      `${base}?target=127.0.0.1`, // no port
      `${base}?target=127.0.0.1:0`,
      `${base}?target=127.0.0.1:99999`,
      `${base}?target=127.0.0.1:${port}x`,
      `${base}?target=::1:${port}`, // IPv6 without brackets
      `${base}?target=%5Bfe80::1%25lo%5D:${port}`, // zone id
      `${base}?target=127.1:${port}`, // inet_aton shorthand
      `${base}?target=%ZZ`,
      `${base}?target=127.0.0.1:${port}&target=127.0.0.1:22`, // repeated
      `${base}?target=127.0.0.1%00:${port}`,
    ];
    for (const url of cases) {
      const status = await refusal(url);
      expect([400, 403]).toContain(status);
    }
    // The one valid spelling still works alongside.
    const ws = await open(`${base}?target=127.0.0.1:${port}`); // unencoded ':' is fine too
    await bindingRoundTrip(ws);
    ws.close();
    await closed(ws);
  });

  test('an allowed TURN server that is down gives 502', async () => {
    const spare = await tcpServer(() => {});
    const port = spare.port;
    await new Promise((resolve) => spare.server.close(resolve)); // nothing listens there now
    const g = await gateway({ turn: [`127.0.0.1:${port}`] });
    expect(await refusal(targetUrl(g, `127.0.0.1:${port}`))).toBe(502);
  });
});

// --- Origin ---

describe('the Origin check', () => {
  test('with --origin, only the listed origins are accepted', async () => {
    const g = await gateway({ origins: ['https://app.example', 'http://localhost:8080'] });
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    expect(await refusal(url, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusal(url, { origin: 'https://app.example.evil.example' })).toBe(403);
    expect(await refusal(url, { origin: 'http://app.example' })).toBe(403);
    expect(await refusal(url)).toBe(403); // no Origin header at all
    for (const origin of ['https://app.example', 'HTTPS://App.Example', 'http://localhost:8080']) {
      const ws = await open(url, { origin });
      await bindingRoundTrip(ws);
      ws.close();
      await closed(ws);
    }
    await g.waitForLog(/refuse 403 origin not allowed: https:\/\/evil\.example/);
  });

  test('without --origin, any origin (or none) is accepted', async () => {
    const g = await gateway();
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    for (const options of [{ origin: 'https://anything.example' }, { origin: 'null' }, {}]) {
      const ws = await open(url, options);
      await bindingRoundTrip(ws);
      ws.close();
      await closed(ws);
    }
  });

  // Issue 14: a gateway reachable from other hosts checks Origin unless told
  // otherwise. (The test runs in its own network namespace: 10.77.0.1 is its
  // veth address, see scripts/lib/netns.sh.)
  test('beyond loopback without --origin: only pages of the host the request was sent to', async () => {
    const g = await gateway({ listen: '10.77.0.1' });
    await g.waitForLog(/listening on ws:\/\/10\.77\.0\.1:\d+, .*origins of this host only$/);
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    expect(await refusal(url, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusal(url, { origin: 'https://10.77.0.1.evil.example' })).toBe(403);
    expect(await refusal(url, { origin: 'null' })).toBe(403);
    expect(await refusal(url)).toBe(403); // no Origin header at all
    for (const origin of ['https://10.77.0.1', 'http://10.77.0.1:8080']) {
      const ws = await open(url, { origin });
      await bindingRoundTrip(ws);
      ws.close();
      await closed(ws);
    }
    await g.waitForLog(/refuse 403 origin not allowed: https:\/\/evil\.example/);
  });

  test('--any-origin accepts every origin beyond loopback, and does not go with --origin', async () => {
    const g = await gateway({ listen: '10.77.0.1', args: ['--any-origin'] });
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    for (const options of [{ origin: 'https://anything.example' }, {}]) {
      const ws = await open(url, options);
      await bindingRoundTrip(ws);
      ws.close();
      await closed(ws);
    }
    await expect(startGateway({ turn: [`127.0.0.1:${turn.port}`], origins: ['https://a.example'], args: ['--any-origin'] }))
      .rejects.toThrow(/--any-origin and --origin exclude each other/);
  });
});

// --- Limits and timeouts ---

describe('limits', () => {
  // Issue 14: one client with many addresses cannot hold the gateway. 64
  // connections (the per-address default) from each of 200 loopback
  // addresses, that never send a request: beyond --max-connections they are
  // refused, the gateway's memory stays bounded (no 64 KiB read buffer
  // before a WebSocket is open), and once they go a new client gets in.
  test('--max-connections: 64 connections from each of 200 addresses; refused beyond the limit, under 100 MB, then a fresh client gets through', async () => {
    const g = await gateway({ maxConnections: 1000 });
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    const flood = [];
    let closedByGateway = 0;
    const connectFrom = (localAddress) => new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: g.port, localAddress });
      socket.on('error', () => {});
      socket.once('close', () => { closedByGateway += 1; });
      socket.once('connect', () => resolve(socket));
      socket.once('close', () => resolve(socket));
      flood.push(socket);
    });
    for (let a = 1; a <= 200; a++) {
      await Promise.all(Array.from({ length: 64 }, () => connectFrom(`127.0.0.${a}`)));
    }
    expect(flood.length).toBe(12800);
    // Those over the limit are closed (beyond 64 refusing at once, unanswered).
    await waitFor(() => flood.length - closedByGateway <= 1000 + 64, { what: 'the gateway to close the excess' });
    const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${g.pid}/status`, 'utf8'))[1]);
    expect(rssKiB).toBeLessThan(100 * 1024);
    // A client that asks now is refused: 503 (or closed unanswered while 64 are being refused).
    const status = await refusal(url).catch(() => 'closed');
    expect([503, 'closed']).toContain(status);
    await g.waitForLog(/refuse:? (?:503 )?too many connections/);
    for (const socket of flood) socket.destroy();
    const ws = await waitFor(() => open(url).catch(() => null), { what: 'a free slot' });
    await bindingRoundTrip(ws);
    ws.close();
    await closed(ws);
  });
  test('--max-per-ip 2: a third concurrent connection gets 429, and a slot frees on close', async () => {
    const g = await gateway({ maxPerIp: 2 });
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    const a = await open(url);
    const b = await open(url);
    expect(await refusal(url)).toBe(429);
    await g.waitForLog(/refuse 429 too many connections/);
    a.close();
    await closed(a);
    // The slot is released when the gateway has finished with the socket: poll.
    const c = await waitFor(() => open(url).catch((e) => (e.status === 429 ? null : Promise.reject(e))), {
      what: 'a free slot',
    });
    await bindingRoundTrip(c);
    expect(await refusal(url)).toBe(429);
    b.close();
    c.close();
    await Promise.all([closed(b), closed(c)]);
  });

  test('--idle-timeout closes a connection without traffic, and traffic keeps it open', async () => {
    const g = await gateway({ idleTimeout: 1 });
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);

    // Idle from the start: closed by the gateway after about a second.
    const idle = await open(url);
    const started = Date.now();
    const { code } = await closed(idle);
    const elapsed = Date.now() - started;
    expect(code).toBe(1000);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    await g.waitForLog(/reason="idle timeout"/);

    // Busy: a Binding round trip every 300 ms for 2.4 s keeps it open.
    const busy = await open(url);
    let closedEarly = false;
    busy.once('close', () => (closedEarly = true));
    const reader = stunReader(busy);
    for (let i = 0; i < 8; i++) {
      busy.send(stunMessage(0x0001));
      await reader.next();
      await new Promise((r) => setTimeout(r, 300)); // pacing the traffic, by design
    }
    expect(closedEarly).toBe(false);
    expect((await closed(busy)).code).toBe(1000); // then idle again
  });

  test('a client that never finishes the upgrade is dropped after --handshake-timeout', async () => {
    const g = await gateway({ handshakeTimeout: 0.5 });
    const socket = await rawConnect(g.port);
    socket.on('error', () => {});
    socket.write('GET /?target=127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n'); // and nothing more
    const started = Date.now();
    await socketClosed(socket);
    expect(Date.now() - started).toBeLessThan(5000);
    await g.waitForLog(/drop: during handshake/);
  });
});

describe('protocol checks', () => {
  test('plain HTTP requests get 426 or 400 and are closed', async () => {
    const g = await gateway();
    const get = (options) =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: g.port, ...options }, (res) => {
          res.resume();
          res.on('end', () => resolve(res));
        });
        req.on('error', reject);
        req.end(options.body);
      });
    const plain = await get({ path: `/?target=127.0.0.1:${turn.port}` });
    expect(plain.statusCode).toBe(426);
    expect(plain.headers.connection).toBe('close');
    const post = await get({ method: 'POST', path: '/', body: 'hello', headers: { 'content-length': 5 } });
    expect([400, 426]).toContain(post.statusCode);
    const badVersion = await get({
      path: `/?target=127.0.0.1:${turn.port}`,
      headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'x', 'Sec-WebSocket-Version': '8' },
    });
    expect(badVersion.statusCode).toBe(426);
    expect(badVersion.headers['sec-websocket-version']).toBe('13');
  });

  test('a text message closes the connection with 1008 (policy violation)', async () => {
    const g = await gateway();
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`));
    ws.send('not TURN');
    expect((await closed(ws)).code).toBe(1008);
    await g.waitForLog(/reason="text message"/);
  });

  test('a message over the size limit closes the connection (1009)', async () => {
    const g = await gateway();
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`));
    ws.send(Buffer.alloc(1024 * 1024));
    expect((await closed(ws)).code).toBe(1009);
  });

  test('the gateway closes the WebSocket when the TURN server closes the TCP connection', async () => {
    const server = await tcpServer((socket) => socket.once('data', () => socket.end()));
    const g = await gateway({ turn: [`127.0.0.1:${server.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${server.port}`));
    ws.send(Buffer.from([1, 2, 3]));
    expect((await closed(ws)).code).toBe(1000);
    await g.waitForLog(/reason="TURN server closed"/);
  });

  test('the TURN connection is closed when the client goes away', async () => {
    let serverSide;
    const gotConnection = new Promise((resolve) => {
      serverSide = resolve;
    });
    const server = await tcpServer((socket) => serverSide(socket));
    const g = await gateway({ turn: [`127.0.0.1:${server.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${server.port}`));
    const socket = await gotConnection;
    ws.terminate(); // no close frame: the TCP connection just ends
    await socketClosed(socket);
  });
});

// --- Backpressure ---

describe('backpressure', () => {
  const PAUSE_DETECT_MS = 500;
  const CAP = 512 * 1024 * 1024;

  test('a client that stops reading stalls the TURN server instead of growing the gateway', async () => {
    // The "TURN server" writes as fast as the gateway takes it, up to CAP.
    let stalledAt = null;
    let serverSocket;
    const ready = new Promise((resolve) => {
      serverSocket = resolve;
    });
    const server = await tcpServer((socket) => serverSocket(socket));
    const g = await gateway({ turn: [`127.0.0.1:${server.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${server.port}`));
    ws._socket.pause(); // the client stops reading: TCP flow control only
    const socket = await ready;
    const chunk = Buffer.alloc(64 * 1024, 0xab);
    let written = 0;
    let waitingSince = null;
    let stopped = false;
    const write = () => {
      while (written < CAP && !stopped) {
        written += chunk.length;
        if (!socket.write(chunk)) {
          waitingSince = Date.now();
          socket.once('drain', () => {
            waitingSince = null;
            write();
          });
          return;
        }
      }
    };
    write();
    // Stalled: the server's writes have waited for 'drain' for a while.
    await waitFor(() => waitingSince !== null && Date.now() - waitingSince > PAUSE_DETECT_MS, {
      timeout: 30000,
      what: 'the TURN side to stall',
    });
    stalledAt = written;
    expect(stalledAt).toBeLessThan(CAP);
    // Kernel buffers hold a few MB on loopback; the gateway holds one read (64 KiB).
    expect(stalledAt).toBeLessThan(64 * 1024 * 1024);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${g.pid}/status`, 'utf8'))[1]) * 1024;
    expect(rss).toBeLessThan(200 * 1024 * 1024);

    // Reading again drains everything, in order.
    let received = 0;
    const target = stalledAt;
    const all = new Promise((resolve) =>
      ws.on('message', (data) => {
        expect(data.every((b) => b === 0xab)).toBe(true);
        received += data.length;
        if (received >= target) resolve();
      }),
    );
    stopped = true;
    ws._socket.resume();
    await all;
    expect(received).toBe(target);
    ws.close();
    await closed(ws);
  });

  test('a TURN server that stops reading stalls the client instead of growing the gateway', async () => {
    let serverSocket;
    const ready = new Promise((resolve) => {
      serverSocket = resolve;
    });
    const server = await tcpServer((socket) => {
      socket.pause();
      serverSocket(socket);
    });
    const g = await gateway({ turn: [`127.0.0.1:${server.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${server.port}`));
    const socket = await ready;
    const chunk = Buffer.alloc(64 * 1024, 0xcd);
    let sent = 0;
    let flushed = 0;
    let progressAt = Date.now();
    // Keep 1 MB queued in the client; stalled once nothing has been flushed to
    // the kernel for a while.
    await waitFor(
      () => {
        while (ws.bufferedAmount < 1024 * 1024 && sent < CAP) {
          sent += chunk.length;
          ws.send(chunk, () => {
            flushed += chunk.length;
            progressAt = Date.now();
          });
        }
        return Date.now() - progressAt > PAUSE_DETECT_MS;
      },
      { timeout: 30000, what: 'the client side to stall' },
    );
    expect(sent).toBeLessThan(CAP);
    expect(flushed).toBeLessThan(64 * 1024 * 1024);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${g.pid}/status`, 'utf8'))[1]) * 1024;
    expect(rss).toBeLessThan(200 * 1024 * 1024);

    let received = 0;
    const all = new Promise((resolve) =>
      socket.on('data', (data) => {
        received += data.length;
        if (received >= sent) resolve();
      }),
    );
    socket.resume();
    await all;
    expect(received).toBe(sent);
    ws.close();
    await closed(ws);
  });
});

// --- Hostile clients ---

describe('robustness', () => {
  test('garbage, half-open and vanishing clients leave no descriptors behind and do not stop service', async () => {
    // Short limits: some clients below just stop, and the gateway has to notice.
    const g = await gateway({ handshakeTimeout: 1, idleTimeout: 2, maxPerIp: 10000 });
    const target = `127.0.0.1:${turn.port}`;
    const baseline = fdCount(g.pid);
    // A normal connection first: afterwards the count must be back to the baseline.
    {
      const ws = await open(targetUrl(g, target));
      await bindingRoundTrip(ws);
      expect(fdCount(g.pid)).toBe(baseline + 2); // the client's socket and the one to coturn
      ws.close();
      await closed(ws);
    }
    await waitFor(() => fdCount(g.pid) === baseline, { what: `fd count back to ${baseline} after one connection` });

    const tasks = [];
    const task = (name, promise) => {
      let timer;
      const limit = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`robustness: '${name}' did not finish`)), 20000);
      });
      tasks.push(Promise.race([promise, limit]).finally(() => clearTimeout(timer)));
    };
    // Random bytes, then end.
    for (let i = 0; i < 40; i++) {
      task(
        'random bytes then end',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.end(crypto.randomBytes(1 + crypto.randomInt(4000)));
          await socketClosed(s);
        }),
      );
    }
    // Random bytes, and wait for the gateway to hang up (400 or timeout).
    for (let i = 0; i < 20; i++) {
      task(
        'random bytes then wait',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.on('data', () => {});
          s.write(crypto.randomBytes(1 + crypto.randomInt(20000)));
          await socketClosed(s);
        }),
      );
    }
    // A huge header: over the limit.
    for (let i = 0; i < 5; i++) {
      task(
        'huge header',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.on('data', () => {});
          s.write(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
          await socketClosed(s);
        }),
      );
    }
    // Half-open: part of a request, then silence until the gateway gives up.
    for (let i = 0; i < 20; i++) {
      task(
        'half-open request',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.write(upgradeRequest(g.port, target).slice(0, 10 + crypto.randomInt(100)));
          await socketClosed(s);
        }),
      );
    }
    // Connect and say nothing at all.
    for (let i = 0; i < 10; i++) {
      task(
        'silent',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          await socketClosed(s);
        }),
      );
    }
    // Vanish mid-handshake: part of a request, then a reset or a FIN.
    for (let i = 0; i < 30; i++) {
      task(
        'vanish mid-request',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.write(upgradeRequest(g.port, target).slice(0, crypto.randomInt(150)));
          if (i % 2) s.resetAndDestroy();
          else s.end();
          await socketClosed(s);
        }),
      );
    }
    // A whole upgrade request, then vanish before reading the 101.
    for (let i = 0; i < 20; i++) {
      task(
        'vanish before the 101',
        rawConnect(g.port).then(async (s) => {
          s.on('error', () => {});
          s.write(upgradeRequest(g.port, target));
          if (i % 2) s.resetAndDestroy();
          else s.destroy();
          await socketClosed(s);
        }),
      );
    }
    // A valid upgrade, then garbage instead of WebSocket frames: then either
    // end, or stay (garbage can look like the start of a long frame, so the
    // gateway may wait for the rest until the idle timeout).
    for (let i = 0; i < 20; i++) {
      task(
        'upgrade then garbage',
        rawConnect(g.port, { read: true }).then(async (s) => {
          s.on('error', () => {});
          s.write(upgradeRequest(g.port, target));
          let head = '';
          await new Promise((resolve) => {
            const onData = (d) => {
              head += d.toString('latin1');
              if (head.includes('\r\n\r\n')) {
                s.off('data', onData);
                resolve();
              }
            };
            s.on('data', onData);
          });
          expect(head.startsWith('HTTP/1.1 101')).toBe(true);
          s.on('data', () => {});
          s.write(crypto.randomBytes(1 + crypto.randomInt(3000)));
          if (i % 2) s.end();
          await socketClosed(s);
        }),
      );
    }
    // Open WebSockets that are torn down abruptly while coturn answers.
    for (let i = 0; i < 10; i++) {
      task(
        'abrupt close',
        open(targetUrl(g, target)).then(async (ws) => {
          ws.send(stunMessage(0x0001));
          ws.send(stunMessage(0x0003, [[0x0019, Buffer.from([17, 0, 0, 0])]]));
          ws.terminate();
          await closed(ws);
        }),
      );
    }
    await Promise.all(tasks);

    // Still serving.
    expect(g.result).toBeNull();
    const ws = await open(targetUrl(g, target));
    await bindingRoundTrip(ws);
    ws.close();
    await closed(ws);

    // And every descriptor of those connections is closed again.
    await waitFor(() => fdCount(g.pid) <= baseline, { timeout: 20000, what: `fd count back to ${baseline}` });
    expect(fdCount(g.pid)).toBe(baseline);
  });
});

// --- wss:// ---

describe('TLS (--cert/--key)', () => {
  let dir;
  let cert;
  let key;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmrtc-gateway-tls-'));
    cert = `${dir}/cert.pem`;
    key = `${dir}/key.pem`;
    // A throwaway self-signed certificate for 127.0.0.1.
    const r = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('wss:// relays to coturn, checked against the certificate', async () => {
    const g = await gateway({ tls: { cert, key } });
    expect(g.url.startsWith('wss://')).toBe(true);
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    const ws = await open(url, { ca: fs.readFileSync(cert) });
    await bindingRoundTrip(ws);
    ws.close();
    await closed(ws);
    // Refusals come over TLS too.
    expect(await refusal(targetUrl(g, '127.0.0.1:22'), { ca: fs.readFileSync(cert) })).toBe(403);
    // SIGTERM closes open wss:// connections cleanly too.
    const still = await open(url, { ca: fs.readFileSync(cert) });
    const stillClosed = closed(still);
    const started = Date.now();
    expect(await g.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await stillClosed).code).toBe(1001);
  });

  test('plain ws:// or an untrusted client to the TLS port is dropped, and service goes on', async () => {
    const g = await gateway({ tls: { cert, key }, handshakeTimeout: 1 });
    const baseline = fdCount(g.pid);
    const plain = targetUrl(g, `127.0.0.1:${turn.port}`).replace('wss://', 'ws://');
    await expect(open(plain)).rejects.toThrow();
    await expect(open(targetUrl(g, `127.0.0.1:${turn.port}`))).rejects.toThrow(/self.signed|certificate/i);
    const garbage = await rawConnect(g.port);
    garbage.on('error', () => {});
    garbage.end(crypto.randomBytes(3000));
    await socketClosed(garbage);
    const silent = await rawConnect(g.port);
    silent.on('error', () => {});
    await socketClosed(silent); // dropped after the handshake timeout
    await g.waitForLog(/drop: TLS handshake/);
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`), { ca: fs.readFileSync(cert) });
    await bindingRoundTrip(ws);
    ws.close();
    await closed(ws);
    await waitFor(() => fdCount(g.pid) === baseline, { what: `fd count back to ${baseline}` });
  });
});

// --- Process ---

describe('process', () => {
  test('SIGTERM exits with status 0 promptly, closing open connections', async () => {
    const g = await startGateway({ turn: [`127.0.0.1:${turn.port}`] }); // stopped here, not in afterEach
    const url = targetUrl(g, `127.0.0.1:${turn.port}`);
    const clients = await Promise.all([open(url), open(url), open(url)]);
    await bindingRoundTrip(clients[0]);
    const halfOpen = await rawConnect(g.port);
    halfOpen.on('error', () => {});
    halfOpen.write('GET / HT');
    const closes = clients.map(closed);
    const started = Date.now();
    const result = await g.stop();
    expect(result).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    for (const { code } of await Promise.all(closes)) expect(code).toBe(1001);
    await socketClosed(halfOpen);
    expect(g.stderrLines.some((l) => /received SIGTERM/.test(l))).toBe(true);
    expect(g.stderrLines.some((l) => /shutting down: closing 4 connection/.test(l))).toBe(true);
  });

  test('SIGTERM also ends connections whose client does not answer the close', async () => {
    const g = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
    const ws = await open(targetUrl(g, `127.0.0.1:${turn.port}`));
    ws._socket.pause(); // never reads the close frame
    const started = Date.now();
    expect(await g.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5000);
    ws.terminate();
  });

  test('bad arguments exit with status 2 and a message; --help exits 0', () => {
    const binary =
      process.env.WASMRTC_GATEWAY || path.resolve(__dirname, '../../build/native/shim/gateway/wasmrtc-gateway');
    const run = (...args) => spawnSync(binary, args, { encoding: 'utf8', timeout: 10000 });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: wasmrtc-gateway --listen HOST:PORT --turn HOST:PORT/);
    for (const args of [
      [],
      ['--listen', '127.0.0.1:0'], // no --turn
      ['--turn', '127.0.0.1:3478'], // no --listen
      ['--listen', 'nowhere:1', '--turn', '127.0.0.1:3478'],
      ['--listen', '127.0.0.1:0', '--turn', '::1:3478'],
      ['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478', '--origin', 'https://x.example/path'],
      ['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478', '--max-per-ip', '-1'],
      ['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478', '--idle-timeout', 'soon'],
      ['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478', '--bogus'],
      ['--listen'],
      ['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478', '--cert', '/nonexistent.pem'], // no --key
    ]) {
      const r = run(...args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(/^wasmrtc-gateway: .+\nRun 'wasmrtc-gateway --help' for usage\.\n$/);
    }
    // Arguments fine, but the certificate cannot be loaded: status 1, at once.
    const missing = run(
      ...['--listen', '127.0.0.1:0', '--turn', '127.0.0.1:3478'],
      ...['--cert', '/nonexistent.pem', '--key', '/nonexistent.pem'],
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--cert \/nonexistent\.pem/);
  });
});
