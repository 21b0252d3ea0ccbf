// The STUN codec through the WASM module: RFC 5769 test vectors (read from the
// same annotated hex fixtures as the native tests), round trips, and
// malformed input refused with a StunError, never a crash.
const fs = require('fs');
const path = require('path');
const { stun } = require('../..');

const DATA = path.join(__dirname, '..', 'data', 'stun');
function fixture(name) {
  const text = fs.readFileSync(path.join(DATA, `${name}.hex`), 'utf8').replace(/#.*$/gm, '');
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}
const enc = (s) => new TextEncoder().encode(s);
const RFC5769_PASSWORD = enc('VOkJxbRl1RmTxUk/WvJxBt');

describe('RFC 5769 test vectors', () => {
  test('2.1 sample request', () => {
    const bytes = fixture('rfc5769-2.1-request');
    const m = stun.parse(bytes);
    expect(m.class).toBe('request');
    expect(m.method).toBe('binding');
    expect(Buffer.from(m.transactionId).toString('hex')).toBe('b7e7a701bc34d686fa87dfae');
    expect(m.software).toBe('STUN test client');
    expect(m.username).toBe('evtj:h6vY');
    expect(m.priority).toBe(0x6e0001ff);
    expect(m.iceControlled).toBe(0x932ff9b151263b36n);
    expect(m.fingerprint).toBe(true);
    expect(stun.verifyIntegrity(bytes, RFC5769_PASSWORD)).toBe(true);
    expect(stun.verifyIntegrity(bytes, enc('wrong password'))).toBe(false);
  });

  test('2.2 IPv4 response', () => {
    const bytes = fixture('rfc5769-2.2-ipv4-response');
    const m = stun.parse(bytes);
    expect(m.class).toBe('success');
    expect(m.xorMappedAddress).toEqual({ family: 'IPv4', address: '192.0.2.1', port: 32853 });
    expect(stun.verifyIntegrity(bytes, RFC5769_PASSWORD)).toBe(true);
  });

  test('2.3 IPv6 response', () => {
    const bytes = fixture('rfc5769-2.3-ipv6-response');
    const m = stun.parse(bytes);
    expect(m.xorMappedAddress).toEqual({ family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    expect(stun.verifyIntegrity(bytes, RFC5769_PASSWORD)).toBe(true);
  });

  test('2.4 request with long-term authentication', () => {
    const bytes = fixture('rfc5769-2.4-long-term-request');
    const m = stun.parse(bytes);
    expect(m.username).toBe('\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9');
    expect(m.realm).toBe('example.org');
    expect(m.nonce).toBe('f//499k954d6OL34oL9FSTvy64sA');
    // The password "The<U+00AD>M<U+00AA>tr<U+2168>" after SASLprep.
    const key = stun.longTermKey(m.username, m.realm, 'TheMatrIX');
    expect(stun.verifyIntegrity(bytes, key)).toBe(true);
  });
});

test('build then parse keeps every typed attribute', () => {
  const transactionId = Uint8Array.from({ length: 12 }, (_, i) => i * 7);
  const key = enc('a short-term password');
  const bytes = stun.build({
    class: 'error',
    method: 'allocate',
    transactionId,
    realm: 'example.org',
    nonce: 'abc',
    software: 'wasmrtc test',
    errorCode: { code: 438, reason: 'Stale Nonce' },
    xorMappedAddress: { address: '2001:db8::1', port: 4000 },
    unknownAttributes: [0x7001],
    iceControlling: 0xffffffffffffffffn,
    attributes: [{ type: 0x8050, value: Uint8Array.of(1, 2, 3) }],
    integrity: { key },
    integritySha256: { key },
    fingerprint: true,
  });
  const m = stun.parse(bytes);
  expect(m).toMatchObject({
    class: 'error', method: 'allocate', realm: 'example.org', nonce: 'abc', software: 'wasmrtc test',
    errorCode: { code: 438, reason: 'Stale Nonce' },
    xorMappedAddress: { family: 'IPv6', address: '2001:db8::1', port: 4000 },
    unknownAttributes: [0x7001], iceControlling: 0xffffffffffffffffn,
    messageIntegrity: true, messageIntegritySha256: true, fingerprint: true,
  });
  expect(Array.from(m.transactionId)).toEqual(Array.from(transactionId));
  expect(Array.from(m.attributes.find((a) => a.type === 0x8050).value)).toEqual([1, 2, 3]);
  expect(stun.verifyIntegrity(bytes, key)).toBe(true);
  expect(stun.verifyIntegritySha256(bytes, key)).toBe(true);
  // Parsing the built bytes and building again from the raw attributes gives the same bytes.
  const again = stun.build({ class: m.class, method: m.method, transactionId: m.transactionId, attributes: m.attributes });
  expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
});

test('comprehension-required attributes the codec does not know are reported', () => {
  const bytes = stun.build({
    class: 'request', method: 'binding', transactionId: new Uint8Array(12),
    attributes: [{ type: 0x7001, value: new Uint8Array(4) }, { type: 0x8001, value: new Uint8Array(4) }],
  });
  expect(stun.parse(bytes).unknownComprehensionRequired).toEqual([0x7001]);
});

describe('malformed input gives a StunError with the reason', () => {
  const good = () => fixture('rfc5769-2.2-ipv4-response');
  const cases = {
    Truncated: () => good().subarray(0, 19),
    'Truncated (body)': () => good().subarray(0, good().length - 4),
    BadMagicCookie: () => { const b = good(); b[4] ^= 1; return b; },
    BadLeadingBits: () => { const b = good(); b[0] |= 0x80; return b; },
    BadLength: () => Uint8Array.from([...good(), 0, 0, 0, 0]), // bytes beyond the length field
    BadFingerprint: () => { const b = good(); b[b.length - 1] ^= 0xff; return b; },
    // SOFTWARE of 5 bytes, the message ending without its 3 bytes of padding.
    BadAttributePadding: () => Uint8Array.from([0, 1, 0, 9, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(0), 0x80, 0x22, 0, 5, 0x61, 0x62, 0x63, 0x64, 0x65]),
    AttributeOverflow: () => Uint8Array.from([0, 1, 0, 8, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(0), 0x80, 0x22, 0, 9, 0x61, 0x62, 0x63, 0x64]),
  };
  for (const [name, make] of Object.entries(cases)) {
    test(name, () => {
      let error;
      try {
        stun.parse(make());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(stun.StunError);
      expect(error.code).toBe(name.split(' ')[0]);
      expect(error.message).toMatch(/malformed STUN message/);
    });
  }

  test('a wrong MESSAGE-INTEGRITY fails verification, not parsing', () => {
    const b = good();
    b[b.length - 12] ^= 1; // inside the HMAC; then the fingerprint no longer matches either
    expect(() => stun.parse(b)).toThrow(stun.StunError);
    expect(stun.verifyIntegrity(b, RFC5769_PASSWORD)).toBe(false);
  });

  test('10,000 random inputs never crash the module', () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
    let accepted = 0;
    for (let i = 0; i < 10000; i++) {
      const b = good();
      for (let k = rand() % 4; k >= 0; k--) b[rand() % b.length] = rand() & 0xff;
      const cut = b.subarray(0, rand() % (b.length + 1));
      try {
        stun.parse(cut);
        accepted++;
      } catch (e) {
        expect(e).toBeInstanceOf(stun.StunError);
      }
    }
    expect(accepted).toBeLessThan(10000);
  });
});

test('looksLikeStun tells STUN from DTLS and RTP (RFC 7983)', () => {
  expect(stun.looksLikeStun(fixture('rfc5769-2.1-request'))).toBe(true);
  expect(stun.looksLikeStun(Uint8Array.of(22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe(false);
  expect(stun.looksLikeStun(new Uint8Array(40).fill(0x80))).toBe(false);
});

test('bad arguments to build are TypeErrors', () => {
  expect(() => stun.build({ class: 'nope', method: 'binding', transactionId: new Uint8Array(12) })).toThrow(TypeError);
  expect(() => stun.build({ class: 'request', method: 'nope', transactionId: new Uint8Array(12) })).toThrow(TypeError);
  expect(() => stun.build({ class: 'request', method: 'binding', transactionId: new Uint8Array(11) })).toThrow(TypeError);
  expect(() => stun.build({ class: 'request', method: 'binding', transactionId: new Uint8Array(12), xorMappedAddress: { address: 'x', port: 1 } })).toThrow(stun.StunError);
});
