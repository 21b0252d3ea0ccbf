'use strict';
// RTCIceCandidate (webrtc-pc section 4.8.2): the candidate attribute is
// parsed into its fields (RFC 8839 section 5.1 grammar).
const { idl } = require('./dom.cjs');

const TYPES = ['host', 'srflx', 'prflx', 'relay'];

function parseCandidate(text) {
  const out = {
    foundation: null, component: null, priority: null, address: null, protocol: null, port: null,
    type: null, tcpType: null, relatedAddress: null, relatedPort: null, usernameFragment: null,
  };
  const line = text.replace(/^a=/, '');
  const m = /^candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/i.exec(line);
  if (!m) return out;
  out.foundation = m[1];
  out.component = m[2] === '1' ? 'rtp' : m[2] === '2' ? 'rtcp' : null;
  const protocol = m[3].toLowerCase();
  out.protocol = protocol === 'udp' || protocol === 'tcp' ? protocol : null;
  out.priority = Number(m[4]);
  out.address = m[5];
  out.port = Number(m[6]);
  out.type = TYPES.includes(m[7]) ? m[7] : null;
  const rest = m[8].trim().split(/\s+/);
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const [k, v] = [rest[i], rest[i + 1]];
    if (k === 'raddr') out.relatedAddress = v;
    else if (k === 'rport') out.relatedPort = Number(v);
    else if (k === 'tcptype') out.tcpType = v;
    else if (k === 'ufrag') out.usernameFragment = v;
  }
  return out;
}

class RTCIceCandidate {
  #candidate;
  #sdpMid;
  #sdpMLineIndex;
  #usernameFragment;
  #fields;

  constructor(candidateInitDict) {
    const init = idl.dictionary(candidateInitDict, 'RTCIceCandidateInit');
    const sdpMid = init.sdpMid === undefined || init.sdpMid === null ? null : String(init.sdpMid);
    const sdpMLineIndex = init.sdpMLineIndex === undefined || init.sdpMLineIndex === null
      ? null : idl.unsignedShort(init.sdpMLineIndex, 'sdpMLineIndex');
    // Step 1: "If both sdpMid and sdpMLineIndex are null, throw a TypeError."
    if (sdpMid === null && sdpMLineIndex === null) {
      throw new TypeError("Failed to construct 'RTCIceCandidate': sdpMid and sdpMLineIndex are both null.");
    }
    this.#candidate = init.candidate === undefined || init.candidate === null ? '' : String(init.candidate);
    this.#sdpMid = sdpMid;
    this.#sdpMLineIndex = sdpMLineIndex;
    this.#fields = parseCandidate(this.#candidate);
    this.#usernameFragment = init.usernameFragment === undefined || init.usernameFragment === null
      ? this.#fields.usernameFragment : String(init.usernameFragment);
  }

  get candidate() { return this.#candidate; }
  get sdpMid() { return this.#sdpMid; }
  get sdpMLineIndex() { return this.#sdpMLineIndex; }
  get foundation() { return this.#fields.foundation; }
  get component() { return this.#fields.component; }
  get priority() { return this.#fields.priority; }
  get address() { return this.#fields.address; }
  get protocol() { return this.#fields.protocol; }
  get port() { return this.#fields.port; }
  get type() { return this.#fields.type; }
  get tcpType() { return this.#fields.tcpType; }
  get relatedAddress() { return this.#fields.relatedAddress; }
  get relatedPort() { return this.#fields.relatedPort; }
  get usernameFragment() { return this.#usernameFragment; }
  get relayProtocol() { return null; }
  get url() { return null; }

  toJSON() {
    return {
      candidate: this.#candidate,
      sdpMid: this.#sdpMid,
      sdpMLineIndex: this.#sdpMLineIndex,
      usernameFragment: this.#usernameFragment,
    };
  }
}

Object.defineProperty(RTCIceCandidate.prototype, Symbol.toStringTag, { value: 'RTCIceCandidate' });

module.exports = { RTCIceCandidate, parseCandidate };
