// RTCPeerConnection.generateCertificate() and RTCCertificate (webrtc-pc
// 4.9): both algorithms the spec makes mandatory, WebCrypto's errors, and
// RSA certificates on the wire against real peers.
const { RTCPeerConnection, RTCCertificate } = require('../..');
const {
  createPeer, signal, channelOpen, nextChannel,
} = require('../support/peers.cjs');

jest.setTimeout(60000);

const RSA = (modulusLength, extra = {}) => ({
  name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256', ...extra,
});
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };

async function rejectsWith(promise, name) {
  const e = await promise.then(() => null, (err) => err);
  expect(e).not.toBeNull();
  expect(e.name).toBe(name);
  if (name !== 'TypeError') expect(e).toBeInstanceOf(DOMException);
  else expect(e).toBeInstanceOf(TypeError);
}

// RTCDtlsFingerprint.value: lowercase hex in RFC 4572's fingerprint syntax.
const SHA256 = /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/;

describe('generateCertificate (4.9.2)', () => {
  test('is a static method of length 1 that returns a promise', () => {
    expect(RTCPeerConnection.generateCertificate.length).toBe(1);
    const p = RTCPeerConnection.generateCertificate(ECDSA);
    expect(p).toBeInstanceOf(Promise);
    return p;
  });

  test.each([[1024], [2048]])('RSASSA-PKCS1-v1_5 with a %i-bit modulus', async (bits) => {
    const before = Date.now();
    const cert = await RTCPeerConnection.generateCertificate(RSA(bits));
    expect(cert).toBeInstanceOf(RTCCertificate);
    // 30 days by default, as for ECDSA.
    expect(cert.expires).toBeGreaterThanOrEqual(before + 29 * 24 * 3600 * 1000);
    const [fp] = cert.getFingerprints();
    expect(fp.algorithm).toBe('sha-256');
    expect(fp.value).toMatch(SHA256);
  });

  test('ECDSA P-256, also with the name in another case', async () => {
    const a = await RTCPeerConnection.generateCertificate(ECDSA);
    const b = await RTCPeerConnection.generateCertificate({ name: 'ecdsa', namedCurve: 'P-256' });
    expect(a.getFingerprints()[0].value).toMatch(SHA256);
    expect(b.getFingerprints()[0].value).not.toBe(a.getFingerprints()[0].value);
  });

  test('getFingerprints(): sha-256 in lowercase hex, a fresh array of fresh dictionaries each call', async () => {
    const cert = await RTCPeerConnection.generateCertificate(ECDSA);
    const fps = cert.getFingerprints();
    expect(fps).toEqual([{ algorithm: 'sha-256', value: expect.stringMatching(SHA256) }]);
    expect(fps[0].value).toBe(fps[0].value.toLowerCase());
    expect(cert.getFingerprints()).not.toBe(fps);
    fps[0].value = 'changed';
    expect(cert.getFingerprints()[0].value).toMatch(SHA256);
  });

  test('expires: kept; 0 gives a certificate that has expired', async () => {
    const now = Date.now();
    const a = await RTCPeerConnection.generateCertificate(RSA(1024, { expires: 2000 }));
    expect(a.expires).toBeGreaterThanOrEqual(now + 2000);
    expect(a.expires).toBeLessThan(now + 60000);
    const b = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 0 });
    expect(b.expires).toBeLessThanOrEqual(Date.now());
  });

  test('unknown or unsupported algorithms are NotSupportedErrors', async () => {
    const p = RTCPeerConnection.generateCertificate.bind(RTCPeerConnection);
    await rejectsWith(p('invalid-algorithm'), 'NotSupportedError');
    await rejectsWith(p({ name: 'invalid-algorithm' }), 'NotSupportedError');
    await rejectsWith(p({ name: 'AES-GCM', length: 128 }), 'NotSupportedError');
    await rejectsWith(p({ name: 'ECDSA', namedCurve: 'P-384' }), 'NotSupportedError');
    await rejectsWith(p(RSA(2048, { publicExponent: new Uint8Array([3]) })), 'NotSupportedError');
    await rejectsWith(p(RSA(512)), 'NotSupportedError');
    await rejectsWith(p(RSA(2048, { hash: 'MD5' })), 'NotSupportedError');
  });

  test('missing or mistyped members, and a missing argument, are TypeErrors', async () => {
    const p = RTCPeerConnection.generateCertificate.bind(RTCPeerConnection);
    await rejectsWith(p(), 'TypeError');
    await rejectsWith(p({}), 'TypeError');
    await rejectsWith(p({ name: 'ECDSA' }), 'TypeError');
    await rejectsWith(p(RSA(2048, { publicExponent: [1, 0, 1] })), 'TypeError');
    await rejectsWith(p(RSA(undefined)), 'TypeError');
    await rejectsWith(p(RSA(2048, { hash: undefined })), 'TypeError');
    await rejectsWith(p({ ...ECDSA, expires: -1 }), 'TypeError');
    await rejectsWith(p({ ...ECDSA, expires: 'invalid' }), 'TypeError');
  });
});

// An RSA certificate changes the DTLS handshake: the DTLS server's
// certificate decides between ECDHE_ECDSA and ECDHE_RSA suites.
describe.each(['wasmrtc', 'wrtc', 'node-datachannel'])('an RSA certificate against %s', (other) => {
  test.each(['offerer', 'answerer'])('connects with wasmrtc as %s; the fingerprint in the SDP is the certificate\'s', async (role) => {
    const cert = await RTCPeerConnection.generateCertificate(RSA(2048));
    const ours = createPeer('wasmrtc', { certificates: [cert] });
    const theirs = createPeer(other);
    try {
      const [offerer, answerer] = role === 'offerer' ? [ours, theirs] : [theirs, ours];
      const local = offerer.createDataChannel('rsa');
      const remote = nextChannel(answerer);
      await signal(offerer, answerer);
      const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
      const got = new Promise((resolve) => { b.onmessage = (e) => resolve(e.data); });
      a.send('over RSA');
      expect(await got).toBe('over RSA');
      const fingerprint = cert.getFingerprints()[0].value;
      // The SDP carries the same hex in uppercase (RFC 4572's UHEX, as Chromium writes it).
      expect(ours.localDescription.sdp).toContain(`a=fingerprint:sha-256 ${fingerprint.toUpperCase()}`);
      const stats = [...(await ours.getStats()).values()];
      const transport = stats.find((s) => s.type === 'transport');
      expect(transport.dtlsState).toBe('connected');
      // A DTLS server with our RSA certificate signs its key exchange with it.
      const ourRole = transport.dtlsRole;
      expect(['client', 'server']).toContain(ourRole);
      if (ourRole === 'server') expect(transport.dtlsCipher).toMatch(/^TLS_ECDHE_RSA_WITH_/);
      const certStats = stats.find((s) => s.type === 'certificate' && s.id === transport.localCertificateId);
      expect(certStats.fingerprint.toLowerCase()).toBe(fingerprint);
    } finally {
      ours.close();
      theirs.close();
    }
  });
});
