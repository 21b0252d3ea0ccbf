'use strict';
// One ICE agent from the WASM core, wired to real transports: Node UDP
// sockets for host candidates (and TURN over UDP), WebSocket streams through
// wasmrtc-gateway (or direct TCP in Node) for TURN relay candidates.
// Used directly by the ICE tests and benches; the peer-connection engine
// composes the same pieces.
const { EventEmitter } = require('events');
const { SansIoLoop } = require('./sans-io-loop.cjs');
const { hostAddresses, openUdpSocket, formatAddress } = require('../../shim/transports/udp-node.cjs');
const { openGatewayStream, openTcpStream } = require('../../shim/transports/stream.cjs');
const { parseIceServers } = require('../../js/ice-servers.cjs');

class IceSession extends EventEmitter {
  /**
   * @param core  the loaded WASM module
   * @param options { controlling, iceServers, iceTransportPolicy, wasmrtc: { gateway, loopback, hostAddresses } }
   */
  constructor(core, options = {}) {
    super();
    this.options = options;
    this.agent = new core.IceAgent({ controlling: !!options.controlling });
    this.loop = new SansIoLoop(this.agent, (out) => this.onOutput(out));
    this.closers = [];
    this.nextId = 1;
    this.relayOnly = options.iceTransportPolicy === 'relay';
    this.candidates = [];
  }

  get localCredentials() {
    return { ufrag: this.agent.ufrag(), pwd: this.agent.pwd() };
  }

  get state() { return this.agent.state(); }

  onOutput(out) {
    switch (out.type) {
      case 'candidate':
        if (this.relayOnly && !/ typ relay/.test(out.candidate)) return;
        this.candidates.push(out.candidate);
        this.emit('candidate', out.candidate);
        break;
      case 'gathering-state': this.emit('gatheringstatechange', out.state); break;
      case 'state': this.emit('statechange', out.state); break;
      case 'data': this.emit('data', out.data); break;
      case 'candidate-error': this.emit('candidateerror', out); break;
      case 'selected-pair': this.emit('selectedpair', out); break;
      default: this.emit(out.type, out);
    }
  }

  /** Opens transports, hands them to the agent and starts gathering. */
  async gather() {
    const w = this.options.wasmrtc || {};
    const servers = parseIceServers(this.options.iceServers || []);
    const turnUdp = servers.some((s) => s.scheme === 'turn' && s.transport === 'udp' && !w.gateway);
    if (!this.relayOnly || turnUdp) {
      for (const address of hostAddresses({ loopback: !!w.loopback, addresses: w.hostAddresses })) {
        const id = this.nextId++;
        // eslint-disable-next-line no-await-in-loop
        const socket = await openUdpSocket(address, (from, bytes) => this.loop.datagram(id, from, bytes));
        this.closers.push(() => socket.close());
        this.loop.addSocket(id, socket);
        this.agent.addHostSocket(id, socket.local);
      }
    }
    for (const s of servers) {
      const target = formatAddress(s.host, s.port);
      if (s.scheme === 'stun') {
        if (!this.relayOnly) this.agent.addStunServer(target, s.url);
      } else if (s.scheme === 'turn' && (w.gateway || s.transport === 'tcp')) {
        const id = this.nextId++;
        const onData = (bytes) => this.loop.streamData(id, bytes);
        const onClose = () => this.loop.streamClosed(id);
        // eslint-disable-next-line no-await-in-loop
        const stream = await (w.gateway
          ? openGatewayStream(w.gateway, target, onData, onClose)
          : openTcpStream(s.host, s.port, onData, onClose));
        this.closers.push(() => stream.close());
        this.loop.addStream(id, stream);
        this.agent.addTurnServer({ address: target, transport: 'stream', stream: id, username: s.username, password: s.credential, url: s.url });
      } else if (s.scheme === 'turn') {
        this.agent.addTurnServer({ address: target, transport: 'udp', username: s.username, password: s.credential, url: s.url });
      }
      // turns: (TLS) needs a TLS stream: not offered yet; such URLs are skipped.
    }
    this.loop.run((now) => this.agent.gather(now));
  }

  setRemoteCredentials({ ufrag, pwd, lite = false }) {
    this.loop.run(() => this.agent.setRemoteCredentials(ufrag, pwd, lite));
  }

  addRemoteCandidate(line) {
    const err = this.loop.run((now) => this.agent.addRemoteCandidate(now, line));
    if (err) throw new Error(`remote candidate refused (${err}): ${line}`);
  }

  endOfRemoteCandidates() {
    this.loop.run(() => this.agent.endOfRemoteCandidates());
  }

  /** Sends on the selected pair; returns false when not connected. */
  send(bytes) {
    return this.loop.run((now) => this.agent.send(now, bytes)) === '';
  }

  restart() {
    this.loop.run((now) => this.agent.restart(now));
  }

  pairStats() { return this.agent.pairStats(); }

  /** Deallocates (TURN), then closes every transport. */
  async close() {
    this.loop.run((now) => this.agent.close(now));
    this.loop.stop();
    for (const c of this.closers) c();
    this.closers = [];
    this.agent.delete();
  }
}

module.exports = { IceSession };
