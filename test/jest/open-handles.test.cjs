// webrtc in Jest must not keep the run alive: a child Jest runs a typical
// connect/send/close test with --detectOpenHandles, and must exit by itself
// (no --forceExit) with nothing reported.
const { spawn } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const jestBin = require.resolve('jest/bin/jest');

test('a connect/send/close test leaves no open handles and Jest exits', async () => {
  const child = spawn(process.execPath, [
    jestBin, '--ci', '--detectOpenHandles', '--rootDir', root,
    '--testMatch', '**/test/jest/fixtures/open-handles.fixture.cjs',
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  // An open handle shows as a process that does not exit: give it 45 s.
  const timer = setTimeout(() => child.kill('SIGKILL'), 45000);
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(signal || c)));
  clearTimeout(timer);
  expect(output).toMatch(/Tests:\s+1 passed, 1 total/);
  expect(output).not.toMatch(/open handle/i);
  expect(output).not.toMatch(/did not exit/i);
  expect(code).toBe(0);
}, 60000);
