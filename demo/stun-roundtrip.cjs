// Prints the versions of the C libraries inside the WASM module, then plays
// one ICE connectivity check through the WASM STUN codec: a Binding request
// with USERNAME, PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY and FINGERPRINT,
// and its success response with XOR-MAPPED-ADDRESS, each built, put on the
// "wire" as bytes, parsed and verified on the other side.
const crypto = require('crypto');
const wasmrtc = require('..');
const { stun } = wasmrtc;

const hex = (b) => Buffer.from(b).toString('hex').replace(/(.{8})/g, '$1 ').trim();

console.log('wasmrtc', require('../package.json').version, 'linked libraries:');
for (const [name, version] of Object.entries(wasmrtc.versions())) console.log(`  ${name.padEnd(9)} ${version}`);

const password = 'remote-ice-pwd-0123456789';
const key = new TextEncoder().encode(password); // short-term credential: the key is the password
const request = stun.build({
  class: 'request',
  method: 'binding',
  transactionId: crypto.randomBytes(12),
  username: 'rfrag:lfrag',
  priority: 0x6e0001ff,
  iceControlling: 0x0123456789abcdefn,
  integrity: { key },
  fingerprint: true,
});
console.log(`\nBinding request, ${request.length} bytes:\n  ${hex(request)}`);

const got = stun.parse(request);
console.log(`parsed: ${got.class} ${got.method}, username ${got.username}, priority 0x${got.priority.toString(16)},`
  + ` integrity ${stun.verifyIntegrity(request, key) ? 'valid' : 'INVALID'}, fingerprint ${got.fingerprint ? 'valid' : 'absent'}`);

const response = stun.build({
  class: 'success',
  method: 'binding',
  transactionId: got.transactionId,
  xorMappedAddress: { address: '192.0.2.1', port: 32853 },
  integrity: { key },
  fingerprint: true,
});
const back = stun.parse(response);
console.log(`\nsuccess response, ${response.length} bytes:\n  ${hex(response)}`);
console.log(`parsed: ${back.class} ${back.method}, XOR-MAPPED-ADDRESS ${back.xorMappedAddress.address}:${back.xorMappedAddress.port},`
  + ` integrity ${stun.verifyIntegrity(response, key) ? 'valid' : 'INVALID'},`
  + ` same transaction: ${Buffer.compare(Buffer.from(back.transactionId), Buffer.from(got.transactionId)) === 0}`);

try {
  stun.parse(response.subarray(0, response.length - 3));
} catch (e) {
  console.log(`\na truncated copy is refused: ${e.name} ${e.code}: ${e.message}`);
}
