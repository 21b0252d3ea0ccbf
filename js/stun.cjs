'use strict';
// The STUN codec (RFC 8489) from src/stun, running in WASM, with JS types at
// the edge: method names instead of numbers, BigInt for 64-bit tie-breakers,
// Uint8Array copies for bytes, and a StunError carrying the codec's error code.
const { load } = require('./core/module.cjs');

// RFC 8489 section 18.2 and RFC 8656 section 17 (TURN methods).
const METHODS = {
  binding: 0x001, allocate: 0x003, refresh: 0x004, send: 0x006, data: 0x007,
  'create-permission': 0x008, 'channel-bind': 0x009,
};
const METHOD_NAMES = Object.fromEntries(Object.entries(METHODS).map(([k, v]) => [v, k]));
const CLASSES = new Set(['request', 'indication', 'success', 'error']);

class StunError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'StunError';
    this.code = code; // e.g. 'Truncated', 'BadFingerprint': the C++ enum's name
  }
}

function toBytes(data, what) {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${what} must be a Uint8Array, an ArrayBufferView or an ArrayBuffer`);
}

function unwrap(result) {
  if (result && result.error) throw new StunError(result.error.code, result.error.message);
  return result;
}

/** Parses one STUN message; throws StunError when it is malformed. */
function parse(data) {
  const raw = unwrap(load().stunParse(toBytes(data, 'data')));
  raw.method = METHOD_NAMES[raw.method] ?? raw.method;
  for (const k of ['iceControlling', 'iceControlled']) if (k in raw) raw[k] = BigInt(raw[k]);
  return raw;
}

function methodNumber(method) {
  if (typeof method === 'number' && Number.isInteger(method) && method >= 0 && method <= 0xfff) return method;
  if (typeof method === 'string' && method in METHODS) return METHODS[method];
  throw new TypeError(`unknown STUN method ${String(method)}`);
}

function integrityKey(integrity) {
  if (integrity.key !== undefined) return toBytes(integrity.key, 'integrity.key');
  if (integrity.realm !== undefined) return longTermKey(integrity.username, integrity.realm, integrity.password);
  if (integrity.password !== undefined) return new TextEncoder().encode(integrity.password);
  throw new TypeError('integrity needs key, password, or username + realm + password');
}

/** Builds a STUN message; returns its bytes. */
function build(message) {
  if (!message || typeof message !== 'object') throw new TypeError('build takes a message object');
  if (!CLASSES.has(message.class)) throw new TypeError(`class must be one of ${[...CLASSES].join(', ')}`);
  const raw = { ...message, method: methodNumber(message.method) };
  raw.transactionId = toBytes(message.transactionId ?? [], 'transactionId');
  if (raw.transactionId.length !== 12) throw new TypeError('transactionId must be 12 bytes');
  for (const k of ['iceControlling', 'iceControlled']) {
    if (k in raw) raw[k] = BigInt.asUintN(64, BigInt(raw[k])).toString();
  }
  delete raw.integrity;
  delete raw.integritySha256;
  if (message.integrity) raw.integrityKey = integrityKey(message.integrity);
  if (message.integritySha256) raw.integritySha256Key = integrityKey(message.integritySha256);
  if (raw.attributes) raw.attributes = raw.attributes.map((a) => ({ type: a.type, value: toBytes(a.value, 'attribute value') }));
  return unwrap(load().stunBuild(raw));
}

/** RFC 8489 section 14.5: true when MESSAGE-INTEGRITY is present and matches `key`. */
function verifyIntegrity(data, key) {
  return load().stunVerifyIntegrity(toBytes(data, 'data'), toBytes(key, 'key'));
}

/** RFC 8489 section 14.6: the same for MESSAGE-INTEGRITY-SHA256. */
function verifyIntegritySha256(data, key) {
  return load().stunVerifyIntegritySha256(toBytes(data, 'data'), toBytes(key, 'key'));
}

/** RFC 8489 section 9.2.2: the long-term credential key, MD5(username ":" realm ":" password). */
function longTermKey(username, realm, password) {
  return load().stunLongTermKey(String(username), String(realm), String(password));
}

/** RFC 7983: could these bytes be STUN (first byte 0..3 and the magic cookie)? */
function looksLikeStun(data) {
  return load().stunLooksLikeStun(toBytes(data, 'data'));
}

module.exports = { parse, build, verifyIntegrity, verifyIntegritySha256, longTermKey, looksLikeStun, StunError, METHODS };
