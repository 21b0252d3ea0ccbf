'use strict';
// Event interfaces of webrtc-pc: RTCPeerConnectionIceEvent (4.8.2),
// RTCPeerConnectionIceErrorEvent (4.8.3), RTCDataChannelEvent (6.3),
// RTCErrorEvent and RTCError (11.1, 11.2).
const { idl } = require('./dom.cjs');

class RTCPeerConnectionIceEvent extends Event {
  #candidate;
  #url;

  constructor(type, eventInitDict) {
    const init = idl.dictionary(eventInitDict, 'RTCPeerConnectionIceEventInit');
    super(type, init);
    this.#candidate = init.candidate ?? null;
    this.#url = init.url ?? null;
  }

  get candidate() { return this.#candidate; }
  get url() { return this.#url; }
}

class RTCPeerConnectionIceErrorEvent extends Event {
  #init;

  constructor(type, eventInitDict) {
    const init = idl.dictionary(eventInitDict, 'RTCPeerConnectionIceErrorEventInit');
    if (init.errorCode === undefined) {
      throw new TypeError("Failed to construct 'RTCPeerConnectionIceErrorEvent': required member errorCode is undefined.");
    }
    super(type, init);
    this.#init = {
      address: init.address ?? null,
      port: init.port ?? null,
      url: init.url === undefined ? '' : String(init.url),
      errorCode: idl.unsignedShort(init.errorCode, 'errorCode'),
      errorText: init.errorText === undefined ? '' : String(init.errorText),
    };
  }

  get address() { return this.#init.address; }
  get port() { return this.#init.port; }
  get url() { return this.#init.url; }
  get errorCode() { return this.#init.errorCode; }
  get errorText() { return this.#init.errorText; }
}

class RTCDataChannelEvent extends Event {
  #channel;

  constructor(type, eventInitDict) {
    const init = idl.dictionary(eventInitDict, 'RTCDataChannelEventInit');
    if (init.channel === undefined) {
      throw new TypeError("Failed to construct 'RTCDataChannelEvent': required member channel is undefined.");
    }
    // eslint-disable-next-line global-require
    const { RTCDataChannel } = require('./data-channel.cjs');
    if (!(init.channel instanceof RTCDataChannel)) {
      throw new TypeError("Failed to construct 'RTCDataChannelEvent': member channel is not of type RTCDataChannel.");
    }
    super(type, init);
    this.#channel = init.channel;
  }

  get channel() { return this.#channel; }
}

const ERROR_DETAILS = [
  'data-channel-failure', 'dtls-failure', 'fingerprint-failure', 'sctp-failure',
  'sdp-syntax-error', 'hardware-encoder-not-available', 'hardware-encoder-error',
];

class RTCError extends DOMException {
  #init;

  constructor(init, message = '') {
    const dict = idl.dictionary(init, 'RTCErrorInit');
    if (dict.errorDetail === undefined) {
      throw new TypeError("Failed to construct 'RTCError': required member errorDetail is undefined.");
    }
    super(String(message), 'OperationError');
    this.#init = {
      errorDetail: idl.enumValue(dict.errorDetail, ERROR_DETAILS, 'RTCErrorDetailType'),
      sdpLineNumber: dict.sdpLineNumber ?? null,
      sctpCauseCode: dict.sctpCauseCode ?? null,
      receivedAlert: dict.receivedAlert ?? null,
      sentAlert: dict.sentAlert ?? null,
      httpRequestStatusCode: dict.httpRequestStatusCode ?? null,
    };
  }

  get errorDetail() { return this.#init.errorDetail; }
  get sdpLineNumber() { return this.#init.sdpLineNumber; }
  get sctpCauseCode() { return this.#init.sctpCauseCode; }
  get receivedAlert() { return this.#init.receivedAlert; }
  get sentAlert() { return this.#init.sentAlert; }
  get httpRequestStatusCode() { return this.#init.httpRequestStatusCode; }
}

class RTCErrorEvent extends Event {
  #error;

  constructor(type, eventInitDict) {
    const init = idl.dictionary(eventInitDict, 'RTCErrorEventInit');
    if (!(init.error instanceof RTCError)) {
      throw new TypeError("Failed to construct 'RTCErrorEvent': member error is not of type RTCError.");
    }
    super(type, init);
    this.#error = init.error;
  }

  get error() { return this.#error; }
}

for (const [cls, tag] of [
  [RTCPeerConnectionIceEvent, 'RTCPeerConnectionIceEvent'],
  [RTCPeerConnectionIceErrorEvent, 'RTCPeerConnectionIceErrorEvent'],
  [RTCDataChannelEvent, 'RTCDataChannelEvent'],
  [RTCError, 'RTCError'],
  [RTCErrorEvent, 'RTCErrorEvent'],
]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: tag });
}

module.exports = {
  RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCError, RTCErrorEvent,
};
