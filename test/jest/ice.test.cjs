// Two WASM ICE agents on real sockets on loopback: direct UDP, both relayed
// through wasmrtc-gateway and a real coturn, and one of each. Each exchanges
// 10,000 datagrams with none lost.
const { connectPair, transfer } = require('../support/ice-pair.cjs');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');

const COUNT = 10000;
const LOOPBACK = { loopback: true, hostAddresses: ['127.0.0.1'] };
let turn;
let gateway;
const sessions = [];

beforeAll(async () => {
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test' });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await gateway?.stop();
  await turn?.stop();
});

function relayed() {
  return {
    iceServers: [{ urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password }],
    iceTransportPolicy: 'relay',
    wasmrtc: { gateway: gateway.url },
  };
}

function typeOf(candidateLine) {
  return / typ (\w+)/.exec(candidateLine)[1];
}

async function exchange(a, b) {
  const inOrder = (list) => list.every((n, i) => n === i);
  const [ab, ba] = await Promise.all([transfer(a, b, COUNT), transfer(b, a, COUNT)]);
  expect(ab).toHaveLength(COUNT);
  expect(ba).toHaveLength(COUNT);
  // Loopback neither loses nor reorders; every number arrives once.
  expect(new Set(ab).size).toBe(COUNT);
  expect(new Set(ba).size).toBe(COUNT);
  return { inOrderAB: inOrder(ab), inOrderBA: inOrder(ba) };
}

test('direct UDP: host candidates on loopback', async () => {
  const { a, b } = await connectPair({ wasmrtc: LOOPBACK }, { wasmrtc: LOOPBACK });
  sessions.push(a, b);
  const [pair] = a.pairStats().filter((p) => p.selected);
  expect(typeOf(pair.local)).toBe('host');
  expect(typeOf(pair.remote)).toBe('host');
  await exchange(a, b);
});

test('both relayed: TURN over WebSocket through wasmrtc-gateway and coturn', async () => {
  const { a, b } = await connectPair(relayed(), relayed());
  sessions.push(a, b);
  expect(a.candidates.length).toBeGreaterThan(0);
  expect(a.candidates.every((c) => typeOf(c) === 'relay')).toBe(true);
  expect(b.candidates.every((c) => typeOf(c) === 'relay')).toBe(true);
  const [pair] = a.pairStats().filter((p) => p.selected);
  expect(typeOf(pair.local)).toBe('relay');
  expect(typeOf(pair.remote)).toBe('relay');
  await exchange(a, b);
});

test('one relayed, one direct', async () => {
  const { a, b } = await connectPair(relayed(), { wasmrtc: LOOPBACK });
  sessions.push(a, b);
  const [pair] = a.pairStats().filter((p) => p.selected);
  expect(typeOf(pair.local)).toBe('relay');
  expect(typeOf(pair.remote)).toBe('host');
  await exchange(a, b);
});
