// Compiled with tsc --noEmit by test/jest/types.test.cjs: the declarations
// describe what the package exports.
import wasmrtc, { versions, stun } from 'wasmrtc';

const v: string = versions().libvpx;
const bytes: Uint8Array = stun.build({
  class: 'request',
  method: 'binding',
  transactionId: new Uint8Array(12),
  iceControlling: 1n,
  integrity: { password: 'x' },
  fingerprint: true,
});
const msg = stun.parse(bytes);
const cls: 'request' | 'indication' | 'success' | 'error' = msg.class;
const tie: bigint | undefined = msg.iceControlling;
try {
  stun.parse(new Uint8Array(3));
} catch (e) {
  if (e instanceof stun.StunError) {
    const code: string = e.code;
    console.log(code);
  }
}
console.log(v, cls, tie, wasmrtc.versions().opus);
