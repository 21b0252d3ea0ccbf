'use strict';
// RTCCertificate (webrtc-pc section 4.9). The key pair and certificate are
// made by the engine (ECDSA P-256, src/dtls) and kept here as PEM, so a
// certificate outlives any one engine worker and can be given to any
// RTCPeerConnection through RTCConfiguration.certificates.
const { EngineClient } = require('./engine-client.cjs');
const { domException } = require('./dom.cjs');

const internal = Symbol('wasmrtc.certificate');

class RTCCertificate {
  #expires;
  #fingerprints;
  #pem;

  constructor(key, { expires, fingerprints, keyPem, certPem }) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    this.#expires = expires;
    this.#fingerprints = fingerprints;
    this.#pem = { keyPem, certPem };
  }

  get expires() { return this.#expires; }

  getFingerprints() {
    return this.#fingerprints.map((f) => ({ ...f }));
  }

  /** For the engine: the PEM key and certificate (not part of the W3C surface). */
  static pemOf(cert) {
    return cert.#pem;
  }
}
Object.defineProperty(RTCCertificate.prototype, Symbol.toStringTag, { value: 'RTCCertificate' });

const DAY_MS = 24 * 3600 * 1000;

/** webrtc-pc 4.9.2 generateCertificate(keygenAlgorithm). */
async function generateCertificate(keygenAlgorithm) {
  if (keygenAlgorithm === undefined) {
    throw new TypeError("Failed to execute 'generateCertificate' on 'RTCPeerConnection': 1 argument required.");
  }
  const alg = typeof keygenAlgorithm === 'string' ? { name: keygenAlgorithm } : { ...keygenAlgorithm };
  const name = String(alg.name || '').toUpperCase();
  // ECDSA P-256 is what every WebRTC endpoint must support (RFC 8827 section 6.5).
  if (name !== 'ECDSA' || (alg.namedCurve !== undefined && alg.namedCurve !== 'P-256')) {
    throw domException(`Unsupported keygenAlgorithm ${JSON.stringify(keygenAlgorithm)}: use { name: 'ECDSA', namedCurve: 'P-256' }`, 'NotSupportedError');
  }
  let lifetimeMs = 30 * DAY_MS;
  if (alg.expires !== undefined) {
    const e = Number(alg.expires);
    if (!Number.isFinite(e) || e < 0) throw new TypeError('expires must be a non-negative number');
    lifetimeMs = Math.min(e, 365 * DAY_MS);
  }
  const now = Date.now();
  const client = EngineClient.shared();
  client.acquire(0, () => {});
  try {
    const r = await client.request(0, 'generateCertificate', { notBeforeMs: now - DAY_MS, notAfterMs: now + lifetimeMs });
    return new RTCCertificate(internal, { expires: now + lifetimeMs, ...r });
  } finally {
    client.release(0);
  }
}

function isCertificate(value) {
  return value instanceof RTCCertificate;
}

module.exports = { RTCCertificate, generateCertificate, isCertificate };
