'use strict';
// An in-engine datagram network: host sockets that reach only other sockets
// of the same engine (one page's worker). Two RTCPeerConnections of one page
// connect over it with no gateway and no ICE servers, as a native browser
// connects two local peers. Addresses come from 198.18.0.0/15 (RFC 2544,
// benchmarking: never routed), so a remote peer that receives such a
// candidate only fails a check against it.
const { formatAddress } = require('./address.cjs');

const sockets = new Map(); // "ip:port" -> onDatagram(from, bytes)
let next = 1;

/** Opens a socket; `onDatagram(from, bytes)` gets what other memory sockets send to it. */
function openMemorySocket(onDatagram) {
  const n = next++;
  const local = formatAddress(`198.18.${(n >> 8) & 0xff}.${n & 0xff}`, 50000 + (n % 10000));
  sockets.set(local, onDatagram);
  return {
    local,
    send(destination, bytes) {
      const deliver = sockets.get(destination);
      if (!deliver) return; // lost, like any datagram to nobody
      // Later, never inside the sender's drain: the sans-IO loop is not
      // re-entrant. No copy: the engine's outputs are fresh copies already
      // (wasm/bindings copy out of the heap) and nobody keeps them.
      queueMicrotask(() => deliver(local, bytes));
    },
    close() {
      sockets.delete(local);
      return Promise.resolve();
    },
  };
}

module.exports = { openMemorySocket };
