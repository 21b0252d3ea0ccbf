// Run from an empty directory where only the packed tarball is installed.
import assert from 'node:assert';
import wasmrtc, { versions, stun } from 'wasmrtc';
assert.strictEqual(wasmrtc.versions, versions);
const v = versions();
assert.match(v.mbedtls, /^2\.28\./);
const req = stun.build({ method: 'binding', class: 'request', transactionId: new Uint8Array(12).fill(7), fingerprint: true });
assert.strictEqual(stun.parse(req).class, 'request');
console.log('import: ok', JSON.stringify(v));
