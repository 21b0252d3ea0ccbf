'use strict';
// getStats() (webrtc-pc 8.2, webrtc-stats) and the transport objects
// RTCSctpTransport (6.1.1), RTCDtlsTransport (5.5), RTCIceTransport (5.6) of
// a connected pair; in the manner of web-platform-tests'
// RTCPeerConnection-getStats.https.html, RTCDtlsTransport-*.html and
// RTCIceTransport.html. Two in-process peers on loopback.
const {
  RTCPeerConnection, RTCStatsReport, RTCSctpTransport, RTCDtlsTransport, RTCIceTransport, RTCIceCandidate,
} = require('../..');
const { signal, channelOpen } = require('../support/peers.cjs');

let a;
let b;
let dc;

beforeAll(async () => {
  a = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  b = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  expect(a.sctp).toBeNull(); // 4.4.2 sctp: null until an SCTP transport is negotiated
  dc = a.createDataChannel('stats');
  await signal(a, b);
  await channelOpen(dc);
  dc.send('counted');
  await new Promise((resolve) => { dc.addEventListener('bufferedamountlow', resolve, { once: true }); });
});

afterAll(() => {
  a.close();
  b.close();
});

describe('getStats()', () => {
  let report;
  beforeAll(async () => {
    report = await a.getStats();
  });

  const byType = (type) => [...report.values()].filter((s) => s.type === type);

  test('resolves with a read-only maplike RTCStatsReport', () => {
    expect(report).toBeInstanceOf(RTCStatsReport);
    expect(Object.prototype.toString.call(report)).toBe('[object RTCStatsReport]');
    for (const method of ['forEach', 'get', 'has', 'entries', 'keys', 'values']) expect(typeof report[method]).toBe('function');
    expect(report.size).toBeGreaterThan(0);
    const [id, stats] = [...report.entries()][0];
    expect(report.has(id)).toBe(true);
    expect(report.get(id)).toBe(stats);
    expect([...report.keys()]).toContain(id);
    expect(() => report.set('x', {})).toThrow(TypeError);
  });

  test('every stats object has id, type and a timestamp near now', () => {
    const now = performance.timeOrigin + performance.now();
    report.forEach((stats, id) => {
      expect(stats.id).toBe(id);
      expect(typeof stats.type).toBe('string');
      expect(typeof stats.timestamp).toBe('number');
      expect(Math.abs(now - stats.timestamp)).toBeLessThan(60000);
    });
  });

  test('one peer-connection stats object counts opened channels', () => {
    const [pc] = byType('peer-connection');
    expect(byType('peer-connection')).toHaveLength(1);
    expect(pc.dataChannelsOpened).toBeGreaterThanOrEqual(1);
    expect(pc.dataChannelsClosed).toBe(0);
  });

  test('the data-channel stats describe the channel', () => {
    const channel = byType('data-channel').find((s) => s.label === 'stats');
    expect(channel).toBeDefined();
    expect(channel.protocol).toBe('');
    expect(channel.dataChannelIdentifier).toBe(dc.id);
    expect(channel.state).toBe('open');
    expect(channel.messagesSent).toBeGreaterThanOrEqual(1);
    expect(channel.bytesSent).toBeGreaterThanOrEqual('counted'.length);
  });

  test('transport, candidate pair, candidates and certificates reference each other', () => {
    const [transport] = byType('transport');
    expect(transport.dtlsState).toBe('connected');
    expect(['controlling', 'controlled']).toContain(transport.iceRole);
    const pair = report.get(transport.selectedCandidatePairId);
    expect(pair.type).toBe('candidate-pair');
    expect(pair.transportId).toBe(transport.id);
    expect(pair.nominated).toBe(true);
    expect(pair.state).toBe('succeeded');
    // DOMHighResTimeStamps on the same clock as the stats' own timestamp.
    for (const t of [pair.lastPacketSentTimestamp, pair.lastPacketReceivedTimestamp]) {
      expect(t).toBeLessThanOrEqual(pair.timestamp + 1);
      expect(t).toBeGreaterThan(pair.timestamp - 60000);
    }
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    expect(local.type).toBe('local-candidate');
    expect(remote.type).toBe('remote-candidate');
    for (const c of [local, remote]) {
      expect(c.address).toBe('127.0.0.1');
      expect(c.candidateType).toBe('host');
      expect(c.protocol).toBe('udp');
      expect(typeof c.port).toBe('number');
    }
    const cert = report.get(transport.localCertificateId);
    expect(cert.type).toBe('certificate');
    expect(cert.fingerprintAlgorithm).toBe('sha-256');
    expect(cert.fingerprint).toMatch(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/);
    expect(typeof cert.base64Certificate).toBe('string');
    expect(report.get(transport.remoteCertificateId).type).toBe('certificate');
  });
});

describe('transports', () => {
  test('RTCSctpTransport: connected, a DTLS transport, maxMessageSize, maxChannels', () => {
    const { sctp } = a;
    expect(sctp).toBeInstanceOf(RTCSctpTransport);
    expect(sctp).toBe(a.sctp); // the same object each time
    expect(sctp.state).toBe('connected');
    expect(sctp.maxMessageSize).toBeGreaterThan(0);
    expect(sctp.maxChannels).toBeGreaterThan(0);
    expect(sctp.onstatechange).toBeNull();
    expect(() => new RTCSctpTransport()).toThrow(TypeError);
  });

  test('RTCDtlsTransport: connected, with the peer certificate as DER', () => {
    const dtls = a.sctp.transport;
    expect(dtls).toBeInstanceOf(RTCDtlsTransport);
    expect(dtls.state).toBe('connected');
    expect(dtls.onstatechange).toBeNull();
    expect(dtls.onerror).toBeNull();
    const certs = dtls.getRemoteCertificates();
    expect(certs.length).toBeGreaterThanOrEqual(1);
    expect(Object.prototype.toString.call(certs[0])).toBe('[object ArrayBuffer]');
    expect(new Uint8Array(certs[0])[0]).toBe(0x30); // a DER SEQUENCE
  });

  test('RTCIceTransport: states, role, component and the selected pair', () => {
    const ice = a.sctp.transport.iceTransport;
    expect(ice).toBeInstanceOf(RTCIceTransport);
    // Never "completed", even where the pc's iceConnectionState is (as in
    // Chromium, whose RTCIceTransport has no completed state).
    expect(ice.state).toBe('connected');
    expect(ice.gatheringState).toBe('complete');
    expect(ice.component).toBe('rtp');
    expect(['controlling', 'controlled']).toContain(ice.role);
    expect(b.sctp.transport.iceTransport.role).not.toBe(ice.role);
    const pair = ice.getSelectedCandidatePair();
    expect(pair.local).toBeInstanceOf(RTCIceCandidate);
    expect(pair.remote).toBeInstanceOf(RTCIceCandidate);
    expect(pair.local.address).toBe('127.0.0.1');
    for (const type of ['statechange', 'gatheringstatechange', 'selectedcandidatepairchange']) {
      expect(ice[`on${type}`]).toBeNull();
    }
  });
});

// webrtc-pc 6.1.1 "update the data max message size": a peer's
// a=max-message-size:0 means it takes messages of any size, and we can send
// any size, so maxMessageSize is +Infinity and send() takes big messages.
describe('a remote a=max-message-size:0', () => {
  const pcs = [];
  afterEach(() => {
    for (const pc of pcs.splice(0)) pc.close();
  });

  test('makes RTCSctpTransport.maxMessageSize Infinity, and a 200 kB message is sent', async () => {
    const { collect, nextChannel } = require('../support/peers.cjs'); // eslint-disable-line global-require
    const x = new RTCPeerConnection({ wasmrtc: { loopback: true } });
    const y = new RTCPeerConnection({ wasmrtc: { loopback: true } });
    pcs.push(x, y);
    const channel = x.createDataChannel('big');
    const remote = nextChannel(y);
    await signal(x, y, { mangle: (sdp) => sdp.replace(/a=max-message-size:\d+/g, 'a=max-message-size:0') });
    expect(x.sctp.maxMessageSize).toBe(Infinity);
    expect(y.sctp.maxMessageSize).toBe(Infinity);
    await channelOpen(channel);
    const other = await remote;
    const got = collect(other, 1);
    // Over the 65536 of a peer without a=max-message-size, and under what
    // y really takes (it advertised 0 only through the mangled SDP).
    const big = new Uint8Array(200000).fill(7);
    expect(() => channel.send(big)).not.toThrow();
    const [data] = await got;
    expect(data.byteLength).toBe(big.byteLength);
  });
});
