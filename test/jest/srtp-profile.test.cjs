'use strict';
// The DTLS-SRTP protection profile (RFC 5764 use_srtp) our WASM engine
// negotiates, as getStats() reports it (RTCTransportStats.srtpCipher,
// webrtc-stats). Our WASM build's Mbed TLS is patched to know the AES-GCM
// profiles (RFC 7714 section 14.2; deps/recipes/mbedtls.sh) and offers
// AEAD_AES_128_GCM first, so ours against ours must pick it. Against
// libwebrtc (@roamhq/wrtc) the profile must be one both offer, and both
// sides must report the same. Loopback in the test's network namespace.
const { createPeer, signal, channelOpen, nextChannel } = require('../support/peers.cjs');

jest.setTimeout(60000);

// What ours offers (dtls::supported_srtp_profiles() in the WASM build), by
// IANA name (the "Profile" column of the DTLS-SRTP registry).
const OURS = ['SRTP_AEAD_AES_128_GCM', 'SRTP_AEAD_AES_256_GCM', 'SRTP_AES128_CM_HMAC_SHA1_80', 'SRTP_AES128_CM_HMAC_SHA1_32'];

// libwebrtc reports its own names for the suites (rtc::SrtpCryptoSuiteToName);
// map them to IANA's to compare.
const LIBWEBRTC_NAMES = {
  AES_CM_128_HMAC_SHA1_80: 'SRTP_AES128_CM_HMAC_SHA1_80',
  AES_CM_128_HMAC_SHA1_32: 'SRTP_AES128_CM_HMAC_SHA1_32',
  AEAD_AES_128_GCM: 'SRTP_AEAD_AES_128_GCM',
  AEAD_AES_256_GCM: 'SRTP_AEAD_AES_256_GCM',
};
const iana = (name) => LIBWEBRTC_NAMES[name] || name;

async function transportStats(pc) {
  const report = await pc.getStats();
  const transports = [...report.values()].filter((s) => s.type === 'transport');
  expect(transports.length).toBeGreaterThanOrEqual(1);
  // The one carrying the connection (libwebrtc may list an RTCP one too).
  return transports.find((t) => t.dtlsState === 'connected') || transports[0];
}

async function connect(offerer, answerer) {
  const local = offerer.createDataChannel('srtp');
  const remote = nextChannel(answerer, 'srtp');
  await signal(offerer, answerer);
  await Promise.all([channelOpen(local), remote.then(channelOpen)]);
}

describe('DTLS-SRTP profile (RTCTransportStats.srtpCipher)', () => {
  let pcs = [];
  afterEach(() => {
    for (const pc of pcs) pc.close();
    pcs = [];
  });

  test('wasmrtc with wasmrtc negotiates SRTP_AEAD_AES_128_GCM', async () => {
    const a = createPeer('wasmrtc');
    const b = createPeer('wasmrtc');
    pcs = [a, b];
    await connect(a, b);
    const [ta, tb] = await Promise.all([transportStats(a), transportStats(b)]);
    for (const t of [ta, tb]) {
      expect(t.dtlsState).toBe('connected');
      expect(t.srtpCipher).toBe('SRTP_AEAD_AES_128_GCM');
      expect(t.dtlsCipher).toBe('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'); // our first choice
      expect(t.tlsVersion).toBe('FEFD');
    }
    expect(new Set([ta.dtlsRole, tb.dtlsRole])).toEqual(new Set(['client', 'server']));
  });

  describe.each(['offerer', 'answerer'])('wasmrtc as %s with wrtc (libwebrtc)', (role) => {
    test('both report the same profile, one both support', async () => {
      const ours = createPeer('wasmrtc');
      const theirs = createPeer('wrtc');
      pcs = [ours, theirs];
      if (role === 'offerer') await connect(ours, theirs);
      else await connect(theirs, ours);
      const [t, w] = await Promise.all([transportStats(ours), transportStats(theirs)]);
      expect(t.dtlsState).toBe('connected');
      expect(OURS).toContain(t.srtpCipher);
      // libwebrtc offers AES128_CM_HMAC_SHA1_80 always, and the GCM profiles
      // only when its CryptoOptions enable them.
      expect(Object.values(LIBWEBRTC_NAMES)).toContain(t.srtpCipher);
      // wrtc (libwebrtc ~M105) reports both, srtpCipher by its own name
      // (e.g. "AES_CM_128_HMAC_SHA1_80"): the two sides must agree.
      expect(typeof w.srtpCipher).toBe('string');
      expect(iana(w.srtpCipher)).toBe(t.srtpCipher);
      expect(w.dtlsCipher).toBe(t.dtlsCipher);
      // eslint-disable-next-line no-console
      console.log(`wasmrtc ${role} (DTLS ${t.dtlsRole}) with wrtc: ours srtpCipher=${t.srtpCipher}, `
        + `wrtc srtpCipher=${w.srtpCipher}, dtlsCipher ours=${t.dtlsCipher} wrtc=${w.dtlsCipher}`);
    });
  });
});
