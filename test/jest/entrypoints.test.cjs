// The package's entry points: CommonJS, ES module (same objects) and the
// TypeScript declarations, resolved by the package's own name.
const { execFileSync } = require('child_process');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');

test('import from the ES module entry gives the same functions as require', () => {
  const script = `
    import wasmrtc, { versions, stun } from 'wasmrtc';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('wasmrtc');
    if (wasmrtc !== cjs || versions !== cjs.versions || stun !== cjs.stun) throw new Error('not the same objects');
    console.log(JSON.stringify(versions()));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(JSON.parse(out).mbedtls).toBe('2.28.3');
});

test('the TypeScript declarations describe the exports (tsc --noEmit)', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  // Throws, with tsc's diagnostics, when a declaration does not fit.
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'test/types/tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
});
