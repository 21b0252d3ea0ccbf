'use strict';
// RTCIceCandidate (webrtc-pc section 4.8.2): the candidate attribute is
// parsed into its fields (RFC 8839 section 5.1 grammar).
const { idl } = require('./dom.cjs');

const TYPES = ['host', 'srflx', 'prflx', 'relay'];
const TCP_TYPES = ['active', 'passive', 'so'];
const FIELDS = ['foundation', 'component', 'priority', 'address', 'protocol', 'port', 'type',
  'tcpType', 'relatedAddress', 'relatedPort'];

function emptyFields() {
  return Object.fromEntries(FIELDS.map((f) => [f, null]));
}

function port(text) {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/**
 * "create an RTCIceCandidate" step 4: parse the candidate-attribute grammar;
 * if parsing fails, or any field is not a valid value of its attribute, every
 * field stays null (the steps are aborted, not half done).
 */
function parseCandidate(text) {
  const out = emptyFields();
  const line = text.replace(/^a=/, '');
  const m = /^candidate:(\S{1,32}) (\d{1,3}) (\S+) (\d{1,10}) (\S+) (\d{1,5}) typ (\S+)(.*)$/i.exec(line);
  if (!m) return out;
  const parsed = emptyFields();
  parsed.foundation = m[1];
  parsed.component = m[2] === '1' ? 'rtp' : m[2] === '2' ? 'rtcp' : null;
  parsed.protocol = m[3].toLowerCase();
  parsed.priority = Number(m[4]);
  parsed.address = m[5];
  parsed.port = port(m[6]);
  parsed.type = m[7];
  if (parsed.component === null || !['udp', 'tcp'].includes(parsed.protocol) || parsed.priority > 4294967295
      || parsed.port === null || !TYPES.includes(parsed.type)) {
    return out;
  }
  const rest = m[8].trim() === '' ? [] : m[8].trim().split(/\s+/);
  if (rest.length % 2 !== 0) return out;
  for (let i = 0; i < rest.length; i += 2) {
    const [k, v] = [rest[i], rest[i + 1]];
    if (k === 'raddr') parsed.relatedAddress = v;
    else if (k === 'rport') {
      parsed.relatedPort = port(v);
      if (parsed.relatedPort === null) return out;
    } else if (k === 'tcptype') {
      if (!TCP_TYPES.includes(v)) return out;
      parsed.tcpType = v;
    }
  }
  return parsed;
}

// Not part of the W3C surface: how the connection makes its local candidates.
const LOCAL = Symbol('wasmrtc.localCandidate');

class RTCIceCandidate {
  #candidate;
  #sdpMid;
  #sdpMLineIndex;
  #usernameFragment;
  #fields;
  #url = null;
  #relayProtocol = null;

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
    // Step 3: usernameFragment is the dictionary's, never read out of the line.
    this.#usernameFragment = init.usernameFragment === undefined || init.usernameFragment === null
      ? null : String(init.usernameFragment);
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
  // Set for the local candidates an icecandidate event gives: the STUN/TURN
  // server's URL (srflx, relay) and how a relay reaches it ("udp", "tcp", "tls").
  get relayProtocol() { return this.#relayProtocol; }
  get url() { return this.#url; }

  /** A local candidate from the engine, with what only the gatherer knows. */
  static [LOCAL](init, { url = null, relayProtocol = null } = {}) {
    const c = new RTCIceCandidate(init);
    c.#url = url;
    c.#relayProtocol = relayProtocol;
    return c;
  }

  toJSON() {
    return {
      candidate: this.#candidate,
      sdpMid: this.#sdpMid,
      sdpMLineIndex: this.#sdpMLineIndex,
      usernameFragment: this.#usernameFragment,
    };
  }
}


module.exports = { RTCIceCandidate, parseCandidate, LOCAL_CANDIDATE: LOCAL };
