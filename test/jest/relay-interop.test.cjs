// Ours against libwebrtc (@roamhq/wrtc) with every one of our candidates a
// TURN relay candidate on a real coturn, reached over a WebSocket through
// wasmrtc-gateway: the path a browser page without UDP takes.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');
const {
  createPeer, signal, channelOpen, nextChannel, collect, toBuffer,
} = require('../support/peers.cjs');

jest.setTimeout(60000);

let turn;
let gateway;

beforeAll(async () => {
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test' });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
});

afterAll(async () => {
  await gateway?.stop();
  await turn?.stop();
});

function relayedConfig() {
  return {
    iceServers: [{ urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password }],
    iceTransportPolicy: 'relay',
    wasmrtc: { gateway: gateway.url },
  };
}

/** The selected candidate pair's local and remote candidate types, from getStats. */
async function selectedTypes(pc) {
  const report = await pc.getStats();
  const stats = [...report.values()];
  const transport = stats.find((s) => s.type === 'transport');
  const pair = stats.find((s) => s.type === 'candidate-pair' && s.id === transport.selectedCandidatePairId);
  const byId = new Map(stats.map((s) => [s.id, s]));
  return { local: byId.get(pair.localCandidateId).candidateType, remote: byId.get(pair.remoteCandidateId).candidateType };
}

describe.each(['offerer', 'answerer'])('wasmrtc relayed as %s, wrtc direct', (role) => {
  let ours;
  let theirs;

  beforeEach(() => {
    ours = createPeer('wasmrtc', relayedConfig());
    theirs = createPeer('wrtc');
  });

  afterEach(() => {
    ours.close();
    theirs.close();
  });

  test('only relay candidates; 1,000 messages and a 256 KiB message each way', async () => {
    const gathered = [];
    ours.addEventListener('icecandidate', (e) => { if (e.candidate && e.candidate.candidate) gathered.push(e.candidate); });
    const offerer = role === 'offerer' ? ours : theirs;
    const answerer = role === 'offerer' ? theirs : ours;
    const local = offerer.createDataChannel('relayed');
    const remote = nextChannel(answerer, 'relayed');
    await signal(offerer, answerer);
    const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);

    expect(gathered.length).toBeGreaterThan(0);
    expect(gathered.map((c) => c.type)).toEqual(gathered.map(() => 'relay'));
    expect(await selectedTypes(ours)).toMatchObject({ local: 'relay' });
    // W3C RTCIceCandidate.url and relayProtocol: the TURN server, over a stream (TCP).
    const url = relayedConfig().iceServers[0].urls;
    for (const c of gathered) expect([c.url, c.relayProtocol]).toEqual([url, 'tcp']);
    const localStats = [...(await ours.getStats()).values()].filter((x) => x.type === 'local-candidate');
    expect(localStats.length).toBeGreaterThan(0);
    for (const c of localStats) expect([c.url, c.relayProtocol]).toEqual([url, 'tcp']);

    const atB = collect(b, 1000);
    const atA = collect(a, 1000);
    for (let i = 0; i < 1000; i++) a.send(`a${i}`);
    for (let i = 0; i < 1000; i++) b.send(`b${i}`);
    expect((await atB).map(String)).toEqual(Array.from({ length: 1000 }, (_, i) => `a${i}`));
    expect((await atA).map(String)).toEqual(Array.from({ length: 1000 }, (_, i) => `b${i}`));

    const big = Buffer.alloc(256 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 13 + 5) & 0xff;
    a.binaryType = 'arraybuffer';
    b.binaryType = 'arraybuffer';
    const bigAtB = collect(b, 1);
    a.send(big);
    expect(toBuffer((await bigAtB)[0]).equals(big)).toBe(true);
    const bigAtA = collect(a, 1);
    b.send(big);
    expect(toBuffer((await bigAtA)[0]).equals(big)).toBe(true);
    expect(ours.connectionState).toBe('connected');
  });
});

test('a turn: URL that names its host (localhost) is resolved in the engine worker', async () => {
  const ours = createPeer('wasmrtc', {
    iceServers: [{ urls: `turn:localhost:${turn.port}?transport=udp`, username: turn.username, credential: turn.password }],
    iceTransportPolicy: 'relay',
  });
  const theirs = createPeer('wrtc');
  try {
    const errors = [];
    ours.addEventListener('icecandidateerror', (e) => errors.push(e.errorText));
    const local = ours.createDataChannel('named');
    const remote = nextChannel(theirs, 'named');
    await signal(ours, theirs);
    const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
    expect(await selectedTypes(ours)).toMatchObject({ local: 'relay' });
    const got = collect(b, 1);
    a.send('via a named TURN server');
    expect(String((await got)[0])).toBe('via a named TURN server');
    expect(errors).toEqual([]);
  } finally {
    ours.close();
    theirs.close();
  }
});

test('a TURN server name that does not resolve is an icecandidateerror, not a hang', async () => {
  const ours = createPeer('wasmrtc', {
    iceServers: [{ urls: 'turn:no-such-host.invalid:3478', username: 'u', credential: 'p' }],
    iceTransportPolicy: 'relay',
  });
  try {
    const error = new Promise((resolve) => ours.addEventListener('icecandidateerror', resolve, { once: true }));
    const complete = new Promise((resolve) => {
      ours.addEventListener('icegatheringstatechange', () => { if (ours.iceGatheringState === 'complete') resolve(); });
    });
    ours.createDataChannel('x');
    await ours.setLocalDescription();
    const e = await error;
    expect(e.url).toBe('turn:no-such-host.invalid:3478');
    expect(e.errorCode).toBe(701);
    await complete;
  } finally {
    ours.close();
  }
});

// webrtc-pc 4.4.1.6: a new configuration waits for the next gathering
// phase. Connected directly without any ICE server, then a TURN server and
// "relay", and an ICE restart: what we gather from then on is relay only,
// and the path moves onto coturn.
test('iceServers and iceTransportPolicy "relay" from setConfiguration take effect at the ICE restart', async () => {
  const iceServers = [{ urls: `turn:127.0.0.1:${turn.port}?transport=udp`, username: turn.username, credential: turn.password }];
  const ours = createPeer('wasmrtc', { iceServers: [] });
  const theirs = createPeer('wrtc');
  try {
    const local = ours.createDataChannel('policy');
    const remote = nextChannel(theirs, 'policy');
    await signal(ours, theirs);
    const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
    expect((await selectedTypes(ours)).local).toBe('host');
    ours.setConfiguration({ iceServers, iceTransportPolicy: 'relay' });
    expect(ours.getConfiguration().iceTransportPolicy).toBe('relay');
    expect((await selectedTypes(ours)).local).toBe('host'); // nothing changes before the restart

    const after = [];
    ours.addEventListener('icecandidate', (e) => { if (e.candidate && e.candidate.candidate) after.push(e.candidate); });
    const iceTransport = ours.sctp.transport.iceTransport;
    const moved = new Promise((resolve) => {
      iceTransport.addEventListener('selectedcandidatepairchange', () => {
        if (/ typ relay/.test(iceTransport.getSelectedCandidatePair().local.candidate)) resolve();
      });
    });
    ours.restartIce();
    await signal(ours, theirs);
    await moved;
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((c) => / typ relay /.test(c.candidate))).toBe(true);
    expect(after.every((c) => c.relayProtocol === 'udp' && c.url === iceServers[0].urls)).toBe(true);
    expect((await selectedTypes(ours)).local).toBe('relay');
    const got = collect(b, 1);
    a.send('over coturn now');
    expect(String((await got)[0])).toBe('over coturn now');
  } finally {
    ours.close();
    theirs.close();
  }
});

// TURN over TLS (turns:, RFC 8656 section 3.1) from Node: coturn with a
// throwaway certificate for 127.0.0.1, trusted through wasmrtc.turnsCa.
describe('turns:', () => {
  let tlsTurn;
  let dir;
  let ca;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmrtc-turns-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const r = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    ca = fs.readFileSync(cert, 'utf8');
    tlsTurn = await startCoturn({
      username: 'alice', password: 'wonderland', realm: 'wasmrtc.test', tls: { cert, key },
    });
  });
  afterAll(async () => {
    await tlsTurn?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const turnsConfig = (extra = {}) => ({
    iceServers: [{ urls: `turns:127.0.0.1:${tlsTurn.tlsPort}`, username: 'alice', credential: 'wonderland' }],
    iceTransportPolicy: 'relay',
    wasmrtc: extra,
  });

  test('relayed over TLS to coturn, with its CA given, against wrtc', async () => {
    const ours = createPeer('wasmrtc', turnsConfig({ turnsCa: ca }));
    const theirs = createPeer('wrtc');
    try {
      const gathered = [];
      ours.addEventListener('icecandidate', (e) => { if (e.candidate && e.candidate.candidate) gathered.push(e.candidate); });
      const local = ours.createDataChannel('tls');
      const remote = nextChannel(theirs, 'tls');
      await signal(ours, theirs);
      const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
      expect(gathered.length).toBeGreaterThan(0);
      expect(gathered.every((c) => / typ relay /.test(c.candidate))).toBe(true);
      expect(gathered.every((c) => c.relayProtocol === 'tls' && c.url === `turns:127.0.0.1:${tlsTurn.tlsPort}`)).toBe(true);
      expect(await selectedTypes(ours)).toMatchObject({ local: 'relay' });
      const got = collect(b, 1);
      a.send('through TLS to the relay');
      expect(String((await got)[0])).toBe('through TLS to the relay');
    } finally {
      ours.close();
      theirs.close();
    }
  });

  test('an untrusted certificate is an icecandidateerror and no candidate, not a hang', async () => {
    const ours = createPeer('wasmrtc', turnsConfig());
    try {
      const error = new Promise((resolve) => ours.addEventListener('icecandidateerror', resolve, { once: true }));
      const candidates = [];
      ours.addEventListener('icecandidate', (e) => { if (e.candidate && e.candidate.candidate) candidates.push(e.candidate); });
      const complete = new Promise((resolve) => {
        ours.addEventListener('icegatheringstatechange', () => { if (ours.iceGatheringState === 'complete') resolve(); });
      });
      ours.createDataChannel('x');
      await ours.setLocalDescription();
      const e = await error;
      expect(e.url).toBe(`turns:127.0.0.1:${tlsTurn.tlsPort}`);
      expect(e.errorText).toMatch(/certificate/i);
      await complete;
      expect(candidates).toEqual([]);
    } finally {
      ours.close();
    }
  });
});
