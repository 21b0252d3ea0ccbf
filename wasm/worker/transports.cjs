'use strict';
// Opens one RTCPeerConnection's transports in the engine worker and hands
// them to the engine: a UDP socket per host address (Node), and for each
// turn: URL a stream (WebSocket through wasmrtc-gateway when configured,
// else TCP for ?transport=tcp, TLS for turns: in Node); turn: over UDP uses
// the host sockets.
const { formatAddress } = require('../../shim/transports/address.cjs');
const { openMemorySocket } = require('../../shim/transports/memory.cjs');
const { openGatewayStream, openTcpStream, openTlsStream } = require('../../shim/transports/stream.cjs');
const { parseIceServers } = require('../../js/ice-servers.cjs');

let nextId = 1;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The IP address for a STUN/TURN server's host (RFC 7064/7065 URLs may name
 * a host): literals as they are, names through the system resolver where
 * there is one (Node). Resolves to null when the name cannot be resolved.
 */
async function resolveHost(host) {
  if (IPV4.test(host) || host.includes(':')) return host;
  let dns;
  try {
    dns = require('dns'); // eslint-disable-line global-require
  } catch {
    return null; // no resolver here (browser worker): only the gateway can resolve names
  }
  try {
    // IPv4 first when there is one: host candidates are mostly IPv4 and a
    // TURN server is often reachable on one family only.
    const all = await dns.promises.lookup(host, { all: true });
    return (all.find((a) => a.family === 4) || all[0]).address;
  } catch {
    return null;
  }
}

/**
 * `udp`: whether this environment has UDP sockets (Node); a browser worker
 * has none, and reaches TURN servers only through the gateway.
 * `memory`: a host socket on the in-engine network (shim/transports/memory.cjs),
 * for connections between RTCPeerConnections of the same engine.
 */
async function openPeerTransports(pc, configuration, loop, engine, { udp = true, memory = false } = {}) {
  const w = configuration.wasmrtc || {};
  const closers = [];
  const relayOnly = configuration.iceTransportPolicy === 'relay';
  const servers = parseIceServers(configuration.iceServers || []);
  const needUdp = !relayOnly || servers.some((s) => s.scheme === 'turn' && s.transport === 'udp' && !w.gateway);
  if (needUdp && udp) {
    // eslint-disable-next-line global-require
    const { hostAddresses, openUdpSocket } = require('../../shim/transports/udp-node.cjs');
    for (const address of hostAddresses({ loopback: !!w.loopback, addresses: w.hostAddresses })) {
      const id = nextId++;
      try {
        // eslint-disable-next-line no-await-in-loop
        const socket = await openUdpSocket(address, (from, bytes) => loop.datagram(id, from, bytes));
        closers.push(() => { loop.removeSocket(id); return socket.close(); });
        loop.addSocket(id, socket);
        loop.run(() => engine.addHostSocket(pc, id, socket.local));
      } catch {
        // An address that cannot be bound is skipped (e.g. IPv6 disabled).
      }
    }
  }
  // Only without a gateway: then the page can reach nobody but itself, and
  // no remote peer is handed candidates it cannot use.
  if (memory && !relayOnly && !w.gateway) {
    const id = nextId++;
    const socket = openMemorySocket((from, bytes) => loop.datagram(id, from, bytes));
    closers.push(() => { loop.removeSocket(id); return socket.close(); });
    loop.addSocket(id, socket);
    loop.run(() => engine.addHostSocket(pc, id, socket.local));
  }
  // Each server once (by URL and credentials): setConfiguration may list
  // new ones, which the engine keeps for the next ICE restart.
  const opened = new Set();
  const key = (s) => JSON.stringify([s.url, s.username, s.credential]);
  async function openServers(list) {
    const fresh = list.filter((s) => !opened.has(key(s)));
    for (const s of fresh) opened.add(key(s));
    for (const s of fresh) {
      const viaGateway = s.scheme === 'turn' && !!w.gateway;
      // eslint-disable-next-line no-await-in-loop
      let ip = await resolveHost(s.host);
      if (ip === null && !viaGateway) {
        loop.run(() => engine.reportCandidateError(pc, { url: s.url, errorCode: 701, errorText: `cannot resolve ${s.host}` }));
        continue; // eslint-disable-line no-continue
      }
      // Through the gateway the name goes as it is (the gateway resolves it
      // and its allow-list may name hosts); the engine only needs the
      // address family for a stream, IPv4 when the name is unknown here.
      if (ip === null) ip = '0.0.0.0';
      const target = formatAddress(ip, s.port);
      const gatewayTarget = formatAddress(s.host, s.port);
      if (s.scheme === 'stun') {
        loop.run(() => engine.addStunServer(pc, target, s.url));
      } else if ((s.scheme === 'turn' && (w.gateway || s.transport === 'tcp')) || (s.scheme === 'turns' && !w.gateway && udp)) {
        const id = nextId++;
        const onData = (b) => loop.streamData(id, b);
        const onClose = () => loop.streamClosed(id);
        try {
          // eslint-disable-next-line no-await-in-loop
          const stream = await (s.scheme === 'turns' ? openTlsStream(s.host, s.port, { ca: w.turnsCa }, onData, onClose)
            : w.gateway ? openGatewayStream(w.gateway, gatewayTarget, onData, onClose)
              : openTcpStream(s.host, s.port, onData, onClose));
          closers.push(() => { loop.removeStream(id); return stream.close(); });
          loop.addStream(id, stream);
          loop.run(() => engine.addTurnServer(pc, {
            address: target, transport: 'stream', stream: id, username: s.username, password: s.credential, url: s.url,
          }));
        } catch (e) {
          loop.run(() => engine.reportCandidateError(pc, { url: s.url, errorCode: 701, errorText: String(e.message || e) }));
        }
      } else if (s.scheme === 'turn') {
        loop.run(() => engine.addTurnServer(pc, {
          address: target, transport: 'udp', username: s.username, password: s.credential, url: s.url,
        }));
      }
      // turns: is TLS from Node itself; wasmrtc-gateway carries only plain
      // TCP to the TURN server, and a browser worker has no TLS sockets.
      else {
        const why = s.scheme === 'stuns' ? 'stuns: (STUN over TLS) is not supported' : 'turns: is supported only in Node without a gateway';
        loop.run(() => engine.reportCandidateError(pc, { url: s.url, errorCode: 701, errorText: why }));
      }
    }
  }
  await openServers(servers);
  return {
    // Resolves once every socket and stream is closed.
    close: () => Promise.all(closers.map((c) => c())),
    // The servers of a new configuration that are not open yet.
    addServers: (c) => openServers(parseIceServers(c.iceServers || [])),
  };
}

module.exports = { openPeerTransports };
