'use strict';
// RTCIceTransport (webrtc-pc 5.6), RTCDtlsTransport (5.5) and
// RTCSctpTransport (6.1): page-side mirrors of the engine's transports,
// updated by their RTCPeerConnection in the task that fires their events.
const { defineEventHandlers, fire } = require('./dom.cjs');
const { RTCIceCandidate } = require('./ice-candidate.cjs');

const internal = Symbol('wasmrtc.transport');

/** A fresh ArrayBuffer of a certificate's DER (the engine sends { der } records). */
function derBuffer(cert) {
  const der = cert && cert.der !== undefined ? cert.der : cert;
  if (ArrayBuffer.isView(der)) return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
  return der.slice(0);
}

function candidateObject(line, mid) {
  return new RTCIceCandidate({ candidate: line, sdpMid: mid ?? '0', sdpMLineIndex: 0 });
}

class RTCIceTransport extends EventTarget {
  #s;

  constructor(key) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    super();
    this.#s = {
      role: 'unknown', state: 'new', gatheringState: 'new', local: [], remote: [], pair: null,
      localParameters: null, remoteParameters: null,
    };
  }

  get role() { return this.#s.role; }
  get component() { return 'rtp'; }
  get state() { return this.#s.state; }
  get gatheringState() { return this.#s.gatheringState; }
  getLocalCandidates() { return this.#s.local.map((c) => candidateObject(c)); }
  getRemoteCandidates() { return this.#s.remote.map((c) => candidateObject(c)); }
  getSelectedCandidatePair() {
    const p = this.#s.pair;
    return p ? { local: candidateObject(p.local), remote: candidateObject(p.remote) } : null;
  }
  getLocalParameters() { return this.#s.localParameters ? { ...this.#s.localParameters } : null; }
  getRemoteParameters() { return this.#s.remoteParameters ? { ...this.#s.remoteParameters } : null; }

  [Symbol.for('wasmrtc.update')](u) {
    const s = this.#s;
    if (u.role) s.role = u.role;
    if (u.localCandidate) s.local.push(u.localCandidate);
    if (u.remoteCandidate) s.remote.push(u.remoteCandidate);
    if (u.localParameters) s.localParameters = u.localParameters;
    if (u.remoteParameters) s.remoteParameters = u.remoteParameters;
    if (u.gatheringState && u.gatheringState !== s.gatheringState) {
      s.gatheringState = u.gatheringState;
      fire(this, 'gatheringstatechange');
    }
    if (u.state && u.state !== s.state) {
      s.state = u.state;
      if (!u.silent) fire(this, 'statechange');
    }
    if (u.pair) {
      s.pair = u.pair;
      fire(this, 'selectedcandidatepairchange');
    }
  }
}
defineEventHandlers(RTCIceTransport.prototype, ['statechange', 'gatheringstatechange', 'selectedcandidatepairchange']);

class RTCDtlsTransport extends EventTarget {
  #s;

  constructor(key, iceTransport) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    super();
    this.#s = { state: 'new', iceTransport, remoteCertificates: [] };
  }

  get iceTransport() { return this.#s.iceTransport; }
  get state() { return this.#s.state; }
  /** 5.5 getRemoteCertificates(): the DER of the peer's certificate chain, one ArrayBuffer each. */
  getRemoteCertificates() { return this.#s.remoteCertificates.map(derBuffer); }

  [Symbol.for('wasmrtc.update')](u) {
    const s = this.#s;
    if (u.remoteCertificates) s.remoteCertificates = u.remoteCertificates;
    if (u.state && u.state !== s.state) {
      s.state = u.state;
      if (u.error) this.dispatchEvent(u.error);
      if (!u.silent) fire(this, 'statechange');
    }
  }
}
defineEventHandlers(RTCDtlsTransport.prototype, ['statechange', 'error']);

class RTCSctpTransport extends EventTarget {
  #s;

  constructor(key, dtlsTransport) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    super();
    this.#s = { state: 'connecting', transport: dtlsTransport, maxMessageSize: 65536, maxChannels: null };
  }

  get transport() { return this.#s.transport; }
  get state() { return this.#s.state; }
  get maxMessageSize() { return this.#s.maxMessageSize; }
  get maxChannels() { return this.#s.maxChannels; }

  [Symbol.for('wasmrtc.update')](u) {
    const s = this.#s;
    if (u.transport) s.transport = u.transport;
    if (u.maxMessageSize !== undefined) s.maxMessageSize = u.maxMessageSize;
    if (u.maxChannels !== undefined) s.maxChannels = u.maxChannels;
    if (u.state && u.state !== s.state) {
      s.state = u.state;
      if (!u.silent) fire(this, 'statechange');
    }
  }
}
defineEventHandlers(RTCSctpTransport.prototype, ['statechange']);

function createTransports() {
  const ice = new RTCIceTransport(internal);
  const dtls = new RTCDtlsTransport(internal, ice);
  return {
    ice,
    dtls,
    makeSctp: () => new RTCSctpTransport(internal, dtls),
    // A transport of an m= section not bundled (yet): it never connects.
    makeDtls: () => new RTCDtlsTransport(internal, new RTCIceTransport(internal)),
  };
}

module.exports = { RTCIceTransport, RTCDtlsTransport, RTCSctpTransport, createTransports };
