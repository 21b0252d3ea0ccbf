// The WASM module links the six C libraries and reports their versions.
const wasmrtc = require('../..');

test('versions() reads each library version from the WASM module', () => {
  expect(wasmrtc.versions()).toEqual({
    mbedtls: '2.28.3',
    libsrtp2: '2.5.0',
    usrsctp: '0.9.5.0',
    opus: '1.3.1',
    libvpx: '1.12.0',
    openh264: '2.3.1',
  });
});

test('versions() returns a fresh object each call', () => {
  const a = wasmrtc.versions();
  a.opus = 'changed';
  expect(wasmrtc.versions().opus).toBe('1.3.1');
});
