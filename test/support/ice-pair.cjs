// Connects two IceSessions (WASM ICE agents on real transports) by trickling
// candidates and credentials between them in-process, as signaling would.
const { load } = require('../../js/core/module.cjs');
const { IceSession } = require('../../wasm/loop/ice-session.cjs');

function once(emitter, event, predicate = () => true) {
  return new Promise((resolve) => {
    const on = (...args) => {
      if (!predicate(...args)) return;
      emitter.off(event, on);
      resolve(args[0]);
    };
    emitter.on(event, on);
  });
}

function waitForState(session, wanted) {
  if (wanted.includes(session.state)) return Promise.resolve(session.state);
  return once(session, 'statechange', (s) => wanted.includes(s));
}

async function connectPair(optionsA, optionsB) {
  const core = load();
  const a = new IceSession(core, { controlling: true, ...optionsA });
  const b = new IceSession(core, { controlling: false, ...optionsB });
  a.on('candidate', (c) => b.addRemoteCandidate(c));
  b.on('candidate', (c) => a.addRemoteCandidate(c));
  a.on('gatheringstatechange', (s) => s === 'complete' && b.endOfRemoteCandidates());
  b.on('gatheringstatechange', (s) => s === 'complete' && a.endOfRemoteCandidates());
  a.setRemoteCredentials(b.localCredentials);
  b.setRemoteCredentials(a.localCredentials);
  const connected = Promise.all([waitForState(a, ['connected', 'completed']), waitForState(b, ['connected', 'completed'])]);
  const failed = Promise.race([waitForState(a, ['failed']), waitForState(b, ['failed'])]).then(() => {
    throw new Error(`ICE failed: a=${a.state} b=${b.state}`);
  });
  await Promise.all([a.gather(), b.gather()]);
  await Promise.race([connected, failed]);
  return { a, b };
}

/**
 * Sends `count` numbered datagrams from `from` to `to` with at most `window`
 * unacknowledged (the receiver's count is read directly: both live in this
 * process), and resolves with the sequence numbers received, in order.
 */
function transfer(from, to, count, window = 64, size = 200) {
  return new Promise((resolve, reject) => {
    const received = [];
    let sent = 0;
    const pump = () => {
      while (sent < count && sent - received.length < window) {
        const buf = new Uint8Array(size);
        new DataView(buf.buffer).setUint32(0, sent);
        buf[0] = 0xff; // keep the first byte out of the STUN/DTLS/RTP ranges (RFC 7983)
        new DataView(buf.buffer).setUint32(4, sent);
        if (!from.send(buf)) {
          reject(new Error(`send failed at ${sent}, state ${from.state}`));
          return;
        }
        sent++;
      }
    };
    const onData = (bytes) => {
      received.push(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4));
      if (received.length === count) {
        to.off('data', onData);
        resolve(received);
      } else {
        pump();
      }
    };
    to.on('data', onData);
    pump();
  });
}

module.exports = { connectPair, transfer, waitForState, once };
