'use strict';
// "ip:port" and "[ipv6]:port" text, as the engine and the transports pass
// socket addresses around.

function formatAddress(address, port) {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function parseAddress(text) {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) || /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`bad address ${text}`);
  return { address: m[1], port: Number(m[2]) };
}

module.exports = { formatAddress, parseAddress };
