'use strict';
// Node UDP sockets for host candidates (RFC 8445 section 5.1.1.1): one
// socket per local interface address. Loopback addresses are left out unless
// asked for (they only reach this machine) or there is nothing else;
// link-local IPv6 too (they need a scope id peers cannot use).
const dgram = require('dgram');
const os = require('os');
const { formatAddress, parseAddress } = require('./address.cjs');

function hostAddresses({ loopback = false, addresses } = {}) {
  if (Array.isArray(addresses)) return addresses.slice();
  const out = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list || []) {
      if (a.internal && !loopback) continue;
      if (a.family === 'IPv6' && a.address.startsWith('fe80')) continue;
      out.push(a.address);
    }
  }
  // A machine (or network namespace, or container) with nothing but
  // loopback: loopback it is, so peers on the same machine still connect.
  if (out.length === 0 && !loopback) return hostAddresses({ loopback: true });
  return out;
}


/**
 * Opens a UDP socket on `address` (port 0: any). Resolves to
 * { local: "ip:port", send(destination, bytes), close() }; `onDatagram(from, bytes)`.
 * close() resolves once the socket is closed (nothing more can arrive).
 */
function openUdpSocket(address, onDatagram, onError = () => {}) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
    let bound = false;
    socket.on('error', (err) => (bound ? onError(err) : reject(err)));
    socket.on('message', (msg, rinfo) => {
      onDatagram(formatAddress(rinfo.address, rinfo.port), new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    });
    socket.bind(0, address, () => {
      bound = true;
      const { port } = socket.address();
      resolve({
        local: formatAddress(address, port),
        send(destination, bytes) {
          const { address: host, port: p } = parseAddress(destination);
          // A send error (e.g. unreachable family) is a lost datagram, as on any UDP path.
          socket.send(bytes, p, host, (err) => err && onError(err));
        },
        close() {
          return new Promise((done) => {
            try { socket.close(done); } catch { done(); /* already closed */ }
          });
        },
      });
    });
  });
}

module.exports = { hostAddresses, openUdpSocket, formatAddress, parseAddress };
