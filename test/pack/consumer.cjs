// Run from an empty directory where only the packed tarball is installed.
const assert = require('assert');
const wasmrtc = require('wasmrtc');
const v = wasmrtc.versions();
assert.deepStrictEqual(Object.keys(v).sort(), ['libsrtp2', 'libvpx', 'mbedtls', 'openh264', 'opus', 'usrsctp']);
const req = wasmrtc.stun.build({ method: 'binding', class: 'request', transactionId: new Uint8Array(12).fill(7), fingerprint: true });
assert.strictEqual(wasmrtc.stun.parse(req).method, 'binding');
assert.ok(require.resolve('wasmrtc').includes('node_modules'));
console.log('require: ok', JSON.stringify(v));
