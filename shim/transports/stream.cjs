'use strict';
// Byte streams to a TURN server (TURN over TCP framing, RFC 8656 section
// 12.5): a WebSocket to wasmrtc-gateway (`ws://gw/?target=host:port`), which
// pipes it to the TURN server over TCP, or in Node a direct TCP connection.
// Either way the stream is `{ send(bytes), close() }` with onData/onClose;
// close() resolves once the connection is gone.

// How long a WebSocket close handshake may take before the socket is dropped.
const CLOSE_GRACE_MS = 1000;

function webSocketClass() {
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  // Node 20 has no global WebSocket client.
  return require('ws'); // eslint-disable-line global-require
}

/** Resolves once the WebSocket to the gateway is open. */
function openGatewayStream(gatewayUrl, target, onData, onClose) {
  const url = new URL(gatewayUrl);
  url.searchParams.set('target', target);
  const WS = webSocketClass();
  return new Promise((resolve, reject) => {
    const ws = new WS(url.href);
    ws.binaryType = 'arraybuffer';
    let open = false;
    ws.onopen = () => {
      open = true;
      resolve({
        send(bytes) {
          if (ws.readyState === 1) ws.send(bytes);
        },
        close() {
          if (ws.readyState === 3) return Promise.resolve();
          return new Promise((done) => {
            const timer = setTimeout(() => {
              if (typeof ws.terminate === 'function') ws.terminate(); // Node's ws: drop the TCP connection
              done();
            }, CLOSE_GRACE_MS);
            ws.addEventListener('close', () => { clearTimeout(timer); done(); });
            ws.close();
          });
        },
      });
    };
    ws.onmessage = (e) => {
      if (e.data instanceof ArrayBuffer) onData(new Uint8Array(e.data));
    };
    ws.onerror = () => {
      if (!open) reject(new Error(`wasmrtc: cannot open the gateway stream ${url.href}`));
    };
    ws.onclose = () => {
      if (open) onClose();
      else reject(new Error(`wasmrtc: the gateway refused ${url.href}`));
    };
  });
}

/** A connecting Node socket as a stream, once `readyEvent` fires. */
function nodeSocketStream(socket, readyEvent, onData, onClose) {
  return new Promise((resolve, reject) => {
    socket.setNoDelay(true);
    let open = false;
    socket.on(readyEvent, () => {
      open = true;
      resolve({
        send(bytes) { if (!socket.destroyed) socket.write(bytes); },
        close() {
          if (socket.destroyed) return Promise.resolve();
          return new Promise((done) => {
            socket.once('close', () => done());
            socket.destroy();
          });
        },
      });
    });
    socket.on('data', (b) => onData(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
    socket.on('error', (err) => { if (!open) reject(err); });
    socket.on('close', () => { if (open) onClose(); });
  });
}

/** Node only: a direct TCP connection to a TURN server. */
function openTcpStream(host, port, onData, onClose) {
  const net = require('net'); // eslint-disable-line global-require
  return nodeSocketStream(net.connect({ host, port }), 'connect', onData, onClose);
}

/**
 * Node only: TURN over TLS (turns:, RFC 8656 section 3.1) to a TURN server,
 * its certificate checked against the system's CAs, or `ca` (PEM) when given,
 * and the URL's host (name or IP address).
 */
function openTlsStream(host, port, { ca } = {}, onData, onClose) {
  const net = require('net'); // eslint-disable-line global-require
  const tls = require('tls'); // eslint-disable-line global-require
  const socket = tls.connect({
    host, port, ca, servername: net.isIP(host) ? undefined : host,
  });
  return nodeSocketStream(socket, 'secureConnect', onData, onClose);
}

module.exports = { openGatewayStream, openTcpStream, openTlsStream };
