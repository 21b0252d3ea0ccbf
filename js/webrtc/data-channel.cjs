'use strict';
// RTCDataChannel (webrtc-pc section 6.2). The page-side object: it mirrors
// readyState and bufferedAmount as the spec ties them to tasks, and talks to
// the engine through the channel port its RTCPeerConnection gives it.
const { utf8Length } = require('../utf8.cjs');
const { defineEventHandlers, domException, fire, idl } = require('./dom.cjs');

const internal = Symbol('wasmrtc.channel');
// The most a channel holds unsent: send() beyond it throws OperationError
// (16 MiB, libwebrtc's DataChannelInterface::MaxSendQueueSize()).
const MAX_BUFFERED_AMOUNT = 16 * 1024 * 1024;
const BINARY_TYPES = ['blob', 'arraybuffer'];

// Realm-independent checks: an ArrayBuffer made in another context (a vm
// context, as Jest's test environment is) fails instanceof.
// Across realms (Jest's sandbox, a worker's buffers) instanceof fails; the
// brand check works everywhere, Node and browsers alike.
const isArrayBuffer = (data) => Object.prototype.toString.call(data) === '[object ArrayBuffer]';
const isBlob = (data) => typeof Blob === 'function' && (data instanceof Blob || Object.prototype.toString.call(data) === '[object Blob]');

function byteLength(data) {
  if (typeof data === 'string') return utf8Length(data);
  if (isArrayBuffer(data)) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (isBlob(data)) return data.size;
  return -1;
}

/** A copy of the bytes in a fresh ArrayBuffer (transferable to the worker). */
function copyBytes(data) {
  if (isArrayBuffer(data)) return data.slice(0);
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

class RTCDataChannel extends EventTarget {
  #s;

  /** Not constructible by pages: made by RTCPeerConnection.createDataChannel or the datachannel event. */
  constructor(key, state) {
    if (key !== internal) throw new TypeError('Illegal constructor');
    super();
    this.#s = {
      label: state.label,
      ordered: state.ordered,
      maxPacketLifeTime: state.maxPacketLifeTime,
      maxRetransmits: state.maxRetransmits,
      protocol: state.protocol,
      negotiated: state.negotiated,
      id: state.id,
      readyState: state.readyState,
      bufferedAmount: 0,
      bufferedAmountLowThreshold: 0,
      binaryType: 'arraybuffer',
      port: state.port, // { send(bytesOrString, binary, size), close(), maxMessageSize() }
      closeRequested: false,
      sendQueue: Promise.resolve(), // keeps Blob sends in order with the rest
    };
  }

  get label() { return this.#s.label; }
  get ordered() { return this.#s.ordered; }
  get maxPacketLifeTime() { return this.#s.maxPacketLifeTime; }
  get maxRetransmits() { return this.#s.maxRetransmits; }
  // Chromium's legacy member: neither retransmission limit is set.
  get reliable() { return this.#s.maxRetransmits === null && this.#s.maxPacketLifeTime === null; }
  get protocol() { return this.#s.protocol; }
  get negotiated() { return this.#s.negotiated; }
  get id() { return this.#s.id; }
  get readyState() { return this.#s.readyState; }
  get bufferedAmount() { return this.#s.bufferedAmount; }
  get priority() { return 'low'; }

  get bufferedAmountLowThreshold() { return this.#s.bufferedAmountLowThreshold; }
  set bufferedAmountLowThreshold(value) {
    this.#s.bufferedAmountLowThreshold = idl.unsignedLong(value, 'bufferedAmountLowThreshold');
  }

  get binaryType() { return this.#s.binaryType; }
  set binaryType(value) {
    // Setting an unknown value is ignored, as for WebSocket.binaryType.
    if (BINARY_TYPES.includes(String(value))) this.#s.binaryType = String(value);
  }

  /** webrtc-pc 6.2 "send()". */
  send(data) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'send' on 'RTCDataChannel': 1 argument required.");
    const s = this.#s;
    // Step 2: "If channel.[[ReadyState]] is not "open", throw an InvalidStateError."
    if (s.readyState !== 'open') {
      throw domException(`RTCDataChannel.readyState is '${s.readyState}', not 'open'`, 'InvalidStateError');
    }
    // send(USVString or Blob or ArrayBuffer or ArrayBufferView): anything
    // else is converted to a USVString, as WebIDL overload resolution does.
    let payload = data;
    if (!(isArrayBuffer(payload) || ArrayBuffer.isView(payload) || isBlob(payload))) {
      payload = idl.usvString(payload);
    }
    const size = byteLength(payload);
    // Step 3 (per type): a message over the SCTP transport's maxMessageSize is a TypeError.
    const max = s.port.maxMessageSize();
    if (size > max) {
      throw new TypeError(`RTCDataChannel message of ${size} bytes exceeds maxMessageSize ${max}`);
    }
    // Step 4: data that would overflow the send buffer is an OperationError
    // (the channel stays open). Its size is Chromium's and libwebrtc's.
    if (s.bufferedAmount + size > MAX_BUFFERED_AMOUNT) {
      throw domException(`RTCDataChannel send queue is full (${MAX_BUFFERED_AMOUNT} bytes)`, 'OperationError');
    }
    s.bufferedAmount += size;
    if (typeof payload === 'string') {
      s.port.send(payload, false, size);
    } else if (isBlob(payload)) {
      // The bytes of a Blob arrive asynchronously; later sends wait so order is kept.
      const pending = payload.arrayBuffer();
      s.port.sendLater(pending.then((buf) => buf), size);
    } else {
      s.port.send(copyBytes(payload), true, size);
    }
  }

  /** webrtc-pc 6.2 "close()". */
  close() {
    const s = this.#s;
    if (s.closeRequested || s.readyState === 'closing' || s.readyState === 'closed') return;
    s.closeRequested = true;
    s.readyState = 'closing';
    s.port.close();
  }

  // ---- engine side (called by RTCPeerConnection, in the task of each event)

  static [internal](label, state) {
    return new RTCDataChannel(internal, { label, ...state });
  }

  [Symbol.for('wasmrtc.setId')](id) { this.#s.id = id; }

  [Symbol.for('wasmrtc.open')]() {
    const s = this.#s;
    if (s.readyState !== 'connecting') return;
    s.readyState = 'open';
    fire(this, 'open');
  }

  /** 6.2 "announce the data channel": readyState "open" before the datachannel event, */
  [Symbol.for('wasmrtc.markOpen')]() {
    if (this.#s.readyState === 'connecting') this.#s.readyState = 'open';
  }

  /** ... and the open event after it, if the channel is still open. */
  [Symbol.for('wasmrtc.fireOpen')]() {
    if (this.#s.readyState === 'open') fire(this, 'open');
  }

  /** The connection closed (4.4.1.5): the channel closes without events. */
  [Symbol.for('wasmrtc.abort')]() {
    this.#s.readyState = 'closed';
  }

  [Symbol.for('wasmrtc.message')](binary, data) {
    const s = this.#s;
    if (s.readyState !== 'open') return;
    let value = data;
    if (binary) {
      value = s.binaryType === 'blob' ? new Blob([data]) : data;
    }
    this.dispatchEvent(new MessageEvent('message', { data: value }));
  }

  /** `bytes` left the send buffer for the network. */
  [Symbol.for('wasmrtc.sent')](bytes) {
    const s = this.#s;
    const before = s.bufferedAmount;
    s.bufferedAmount = Math.max(0, before - bytes);
    // 6.2: fire bufferedamountlow when bufferedAmount decreases from above
    // the threshold to equal or below it.
    if (before > s.bufferedAmountLowThreshold && s.bufferedAmount <= s.bufferedAmountLowThreshold) {
      fire(this, 'bufferedamountlow');
    }
  }

  [Symbol.for('wasmrtc.closing')]() {
    const s = this.#s;
    if (s.readyState === 'closed' || s.readyState === 'closing') return;
    s.readyState = 'closing';
    fire(this, 'closing');
  }

  /**
   * 6.2: the underlying data transport closed: readyState "closed", then,
   * if it closed with an error (`error`, an RTCErrorEvent), error, then close.
   */
  [Symbol.for('wasmrtc.closed')](error = null) {
    const s = this.#s;
    if (s.readyState === 'closed') return;
    s.readyState = 'closed';
    if (error) this.dispatchEvent(error);
    fire(this, 'close');
  }
}

defineEventHandlers(RTCDataChannel.prototype, ['open', 'bufferedamountlow', 'error', 'closing', 'close', 'message']);

module.exports = { RTCDataChannel, createChannel: RTCDataChannel[internal], byteLength };
