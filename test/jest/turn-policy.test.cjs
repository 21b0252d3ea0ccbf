// Issue 14: coturn configured as README.md says ("Deploying the gateway and
// coturn"), reached through wasmrtc-gateway as a page reaches it, with
// time-limited credentials from shim/turn-credentials.cjs:
// - an authenticated client cannot relay into loopback, private, link-local
//   (cloud metadata) or CGNAT addresses: CreatePermission gets 403, and a
//   listener there receives nothing;
// - TCP relay is off: a TCP Allocate gets 442;
// - expired credentials get 401;
// - README.md's configuration is the one tested (the lines come from
//   shim/dev/coturn.cjs, and the README must hold every one of them).
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');
const WebSocket = require('ws');
const stun = require('../../js/stun.cjs');
const { startCoturn, SAFE_RELAY_LINES, LIMIT_LINES } = require('../../shim/dev/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');
const { turnCredentials } = require('../../shim/turn-credentials.cjs');

jest.setTimeout(30000);

const SECRET = crypto.randomBytes(16).toString('hex');
const REALM = 'wasmrtc.test';
const MAGIC_COOKIE = 0x2112a442;
const REQUESTED_TRANSPORT = 0x0019;
const XOR_PEER_ADDRESS = 0x0012;
const XOR_RELAYED_ADDRESS = 0x0016;
const DATA = 0x0013;

let turn;
let gateway;

beforeAll(async () => {
  turn = await startCoturn({ realm: REALM, authSecret: SECRET, localPeers: false });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
});

afterAll(async () => {
  await gateway?.stop();
  await turn?.stop();
});

/** A TURN-over-TCP client through the gateway (RFC 8656 12.5 framing). */
async function connect() {
  const url = new URL(gateway.url);
  url.searchParams.set('target', `127.0.0.1:${turn.port}`);
  const ws = new WebSocket(url.href);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let pending = Buffer.alloc(0);
  const waiting = new Map(); // transaction id (hex) -> resolve
  ws.on('message', (data) => {
    pending = Buffer.concat([pending, data]);
    while (pending.length >= 20) {
      const length = 20 + pending.readUInt16BE(2);
      if (pending.length < length) break;
      const message = stun.parse(pending.subarray(0, length));
      pending = pending.subarray(length);
      const key = Buffer.from(message.transactionId).toString('hex');
      const resolve = waiting.get(key);
      waiting.delete(key);
      if (resolve) resolve(message);
    }
  });
  return {
    ws,
    request(message) {
      const transactionId = crypto.randomBytes(12);
      const bytes = stun.build({ ...message, transactionId, fingerprint: true });
      return new Promise((resolve) => {
        waiting.set(transactionId.toString('hex'), resolve);
        ws.send(bytes);
      });
    },
    indicate(message) {
      ws.send(stun.build({ ...message, class: 'indication', transactionId: crypto.randomBytes(12), fingerprint: true }));
    },
    close() {
      ws.close();
      return new Promise((resolve) => ws.once('close', resolve));
    },
  };
}

function xorAddress(address, port) {
  const v = Buffer.alloc(8);
  v[1] = 0x01; // IPv4
  v.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const ip = address.split('.').map(Number);
  const cookie = Buffer.alloc(4);
  cookie.writeUInt32BE(MAGIC_COOKIE);
  for (let i = 0; i < 4; i++) v[4 + i] = ip[i] ^ cookie[i];
  return v;
}

const attr = (type, value) => ({ type, value: Uint8Array.from(value) });
const code = (m) => (m.class === 'success' ? 'success' : m.errorCode && m.errorCode.code);

/** Allocates (transport 17 UDP, 6 TCP) with these credentials; returns the client, its auth and the answer. */
async function allocate({ username, credential }, transport = 17) {
  const client = await connect();
  const first = await client.request({
    class: 'request', method: 'allocate', attributes: [attr(REQUESTED_TRANSPORT, [transport, 0, 0, 0])],
  });
  expect(code(first)).toBe(401); // RFC 8656 7.2: the challenge, with realm and nonce
  const auth = {
    username, realm: first.realm, nonce: first.nonce, integrity: { username, realm: first.realm, password: credential },
  };
  const answer = await client.request({
    class: 'request', method: 'allocate', ...auth, attributes: [attr(REQUESTED_TRANSPORT, [transport, 0, 0, 0])],
  });
  return { client, auth, answer };
}

test("README.md's coturn configuration holds every restriction and quota the tests apply", () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const block = /### Deploying the gateway and coturn[\s\S]*?```\n(# \/etc\/turnserver\.conf[\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  const lines = block[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
  for (const line of [...SAFE_RELAY_LINES, ...LIMIT_LINES, 'use-auth-secret']) expect(lines).toContain(line);
  expect(lines).not.toContain('allow-loopback-peers');
  expect(lines.some((l) => l.startsWith('allowed-peer-ip'))).toBe(false);
});

test('fresh credentials allocate; relaying to loopback, private, link-local and CGNAT addresses is refused with 403, and nothing arrives', async () => {
  const listener = dgram.createSocket('udp4');
  const received = [];
  listener.on('message', (m) => received.push(m));
  await new Promise((resolve) => listener.bind(0, '127.0.0.1', resolve));
  const { port } = listener.address();
  try {
    const { client, auth, answer } = await allocate(turnCredentials({ secret: SECRET, user: 'alice', ttl: 600 }));
    expect(code(answer)).toBe('success');
    expect(answer.attributes.some((a) => a.type === XOR_RELAYED_ADDRESS)).toBe(true);
    for (const address of ['127.0.0.1', '10.77.0.1', '192.168.1.1', '172.16.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0']) {
      const r = await client.request({
        class: 'request', method: 'create-permission', ...auth, attributes: [attr(XOR_PEER_ADDRESS, xorAddress(address, port))],
      });
      expect([address, code(r)]).toEqual([address, 403]);
    }
    // The list does not refuse everything: a public address may be
    // permitted (a permission sends nothing to it).
    const allowed = await client.request({
      class: 'request', method: 'create-permission', ...auth, attributes: [attr(XOR_PEER_ADDRESS, xorAddress('93.184.216.34', 9))],
    });
    expect(code(allowed)).toBe('success');
    // A Send indication to the listener without a permission is dropped;
    // the Refresh after it is answered only once coturn has handled it.
    client.indicate({ method: 'send', attributes: [attr(XOR_PEER_ADDRESS, xorAddress('127.0.0.1', port)), attr(DATA, [1, 2, 3])] });
    const refreshed = await client.request({ class: 'request', method: 'refresh', ...auth });
    expect(code(refreshed)).toBe('success');
    expect(received).toEqual([]);
    await client.close();
  } finally {
    listener.close();
  }
});

test('TCP relay is off: a TCP Allocate gets 442', async () => {
  const { client, answer } = await allocate(turnCredentials({ secret: SECRET, user: 'alice', ttl: 600 }), 6);
  expect(code(answer)).toBe(442);
  await client.close();
});

test('expired credentials get 401, and credentials from another secret too', async () => {
  const expired = turnCredentials({ secret: SECRET, user: 'alice', ttl: 3600, now: Date.now() - 2 * 3600 * 1000 });
  const a = await allocate(expired);
  expect(code(a.answer)).toBe(401);
  await a.client.close();
  const forged = await allocate(turnCredentials({ secret: 'not the secret', user: 'alice', ttl: 600 }));
  expect(code(forged.answer)).toBe(401);
  await forged.client.close();
});

test('turnCredentials: the coturn REST format, and clear errors', () => {
  const c = turnCredentials({ secret: 'k', user: 'bob', ttl: 60, now: 1_000_000 });
  expect(c.username).toBe('1060:bob');
  expect(c.credential).toBe(crypto.createHmac('sha1', 'k').update('1060:bob').digest('base64'));
  expect(c.expires).toBe(1_060_000);
  expect(() => turnCredentials({ secret: '' })).toThrow(TypeError);
  expect(() => turnCredentials({ secret: 'k', user: 'a:b' })).toThrow(TypeError);
  expect(() => turnCredentials({ secret: 'k', ttl: 0 })).toThrow(RangeError);
});
