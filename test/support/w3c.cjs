// Helpers shared by the W3C-style suites (test/jest/w3c-*.test.cjs).

/**
 * Returns make(config) that creates RTCPeerConnections and closes every one
 * of them after each test. `defaults` is used when make() gets no config.
 */
function peerFactory(RTCPeerConnection, defaults) {
  const pcs = [];
  afterEach(() => {
    for (const pc of pcs.splice(0)) pc.close();
  });
  return (config = defaults) => {
    const pc = new RTCPeerConnection(config);
    pcs.push(pc);
    return pc;
  };
}

/** Expects fn() to throw a DOMException named `name`. */
function throwsDom(fn, name) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DOMException);
  expect(error.name).toBe(name);
}

module.exports = { peerFactory, throwsDom };
