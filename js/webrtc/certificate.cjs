'use strict';
// RTCCertificate (webrtc-pc section 4.9). The key pair and certificate are
// made by the engine (ECDSA P-256 or RSA, src/dtls) and kept here as PEM, so a
// certificate outlives any one engine worker and can be given to any
// RTCPeerConnection through RTCConfiguration.certificates.
const { EngineClient } = require('./engine-client.cjs');
const { domException, idl } = require('./dom.cjs');

const internal = Symbol('wasmrtc.certificate');

class RTCCertificate {
  #expires;
  #fingerprints;
  #pem;

  constructor(key, { expires, fingerprints, keyPem, certPem }) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    this.#expires = expires;
    // webrtc-pc RTCDtlsFingerprint: value is "lowercase hex" in RFC 4572's
    // fingerprint syntax, as Chromium gives it; the engine writes the
    // uppercase hex the SDP's a=fingerprint carries.
    this.#fingerprints = fingerprints.map(({ algorithm, value }) => ({
      algorithm: algorithm.toLowerCase(), value: value.toLowerCase(),
    }));
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

const DAY_MS = 24 * 3600 * 1000;
const RSA = 'RSASSA-PKCS1-v1_5';
const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
// Other WebCrypto algorithms: recognized names, but no certificate keys.
const OTHER_ALGORITHMS = ['RSA-PSS', 'RSA-OAEP', 'ECDH', 'ED25519', 'X25519', 'AES-CTR', 'AES-CBC',
  'AES-GCM', 'AES-KW', 'HMAC', 'HKDF', 'PBKDF2', ...HASHES];

const notSupported = (what) => domException(`generateCertificate: ${what}; use { name: 'ECDSA', namedCurve: 'P-256' } `
  + `or { name: '${RSA}', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }`, 'NotSupportedError');

/** The value of a WebCrypto BigInteger (big-endian Uint8Array), or NaN past 2^53. */
function bigIntegerValue(bytes) {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return Number.isSafeInteger(v) ? v : NaN;
}

/**
 * WebCrypto "normalize an algorithm" for generateKey, as far as
 * generateCertificate needs it, then what we can make. Dictionary and type
 * errors are TypeErrors; an unknown or unsupported algorithm is a
 * NotSupportedError (webrtc-pc 4.9.2 step 3). Returns the engine's key
 * arguments: {} for ECDSA P-256, { rsaModulusBits, rsaPublicExponent } for RSA.
 */
function keyArguments(keygenAlgorithm) {
  const alg = (keygenAlgorithm !== null && typeof keygenAlgorithm === 'object')
    ? keygenAlgorithm : { name: String(keygenAlgorithm) };
  if (alg.name === undefined) throw new TypeError('generateCertificate: the algorithm needs a name');
  const name = String(alg.name).toUpperCase();
  if (name === 'ECDSA') {
    if (alg.namedCurve === undefined) throw new TypeError('generateCertificate: ECDSA needs a namedCurve');
    if (String(alg.namedCurve) !== 'P-256') throw notSupported(`the curve ${String(alg.namedCurve)} is not supported`);
    return {};
  }
  if (name === RSA.toUpperCase()) {
    const bits = idl.unsignedLong(alg.modulusLength, 'generateCertificate: modulusLength');
    if (!(alg.publicExponent instanceof Uint8Array)) {
      throw new TypeError('generateCertificate: publicExponent must be a Uint8Array (a BigInteger)');
    }
    if (alg.hash === undefined) throw new TypeError(`generateCertificate: ${RSA} needs a hash`);
    const hash = typeof alg.hash === 'object' && alg.hash !== null ? alg.hash.name : alg.hash;
    if (!HASHES.includes(String(hash).toUpperCase())) throw notSupported(`the hash ${String(hash)} is not supported`);
    const exponent = bigIntegerValue(alg.publicExponent);
    // Limits as src/dtls KeyParams::valid(): 1024..4096 bits, exponent 65537.
    if (exponent !== 65537) throw notSupported('only the public exponent 65537 is supported');
    if (bits < 1024 || bits > 4096 || bits % 8 !== 0) throw notSupported(`an RSA modulus of ${bits} bits is not supported (1024..4096)`);
    // The certificate is signed with SHA-256 whatever the hash, as Chromium does.
    return { rsaModulusBits: bits, rsaPublicExponent: exponent };
  }
  if (OTHER_ALGORITHMS.includes(name)) throw notSupported(`${alg.name} cannot make certificates`);
  throw notSupported(`unknown algorithm ${JSON.stringify(String(alg.name))}`);
}

/** webrtc-pc 4.9.2 generateCertificate(keygenAlgorithm). */
async function generateCertificate(keygenAlgorithm) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'generateCertificate' on 'RTCPeerConnection': 1 argument required.");
  }
  const key = keyArguments(keygenAlgorithm);
  let lifetimeMs = 30 * DAY_MS;
  const expires = keygenAlgorithm !== null && typeof keygenAlgorithm === 'object' ? keygenAlgorithm.expires : undefined;
  if (expires !== undefined) {
    const e = Number(expires);
    if (!Number.isFinite(e) || e < 0) throw new TypeError('expires must be a non-negative number');
    lifetimeMs = Math.min(e, 365 * DAY_MS);
  }
  const now = Date.now();
  // RSA keys take seconds in WebAssembly: they are made in an engine of
  // their own, so the connections on the shared one do not stall.
  const client = key.rsaModulusBits ? EngineClient.dedicated() : EngineClient.shared();
  // A handle of its own, so that calls at the same time each hold the
  // engine and each let go of it (the client counts handles).
  const handle = client.newHandle();
  client.acquire(handle, () => {});
  try {
    const r = await client.request(handle, 'generateCertificate', { notBeforeMs: now - DAY_MS, notAfterMs: now + lifetimeMs, ...key });
    return new RTCCertificate(internal, { expires: now + lifetimeMs, ...r });
  } finally {
    client.release(handle);
  }
}

function isCertificate(value) {
  return value instanceof RTCCertificate;
}

module.exports = { RTCCertificate, generateCertificate, isCertificate };
