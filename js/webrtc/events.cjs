'use strict';
// Event interfaces of webrtc-pc: RTCPeerConnectionIceEvent (4.8.2),
// RTCPeerConnectionIceErrorEvent (4.8.3), RTCDataChannelEvent (6.3),
// RTCErrorEvent and RTCError (11.1, 11.2).
// Constructors convert as WebIDL does: the type argument is required (an
// Event subclass given none would otherwise be named "undefined"), and each
// dictionary member is converted to its IDL type or throws TypeError.
const { idl } = require('./dom.cjs');
const { RTCIceCandidate } = require('./ice-candidate.cjs');

/** WebIDL's "N argument(s) required" TypeError for a constructor called with too few. */
function requireArguments(name, given, required) {
  if (given >= required) return;
  throw new TypeError(`Failed to construct '${name}': ${required} argument${required > 1 ? 's' : ''} required, but only ${given} present.`);
}

class RTCPeerConnectionIceEvent extends Event {
  #candidate;
  #url;

  // constructor(DOMString type, optional RTCPeerConnectionIceEventInit eventInitDict = {}),
  // the dictionary's members RTCIceCandidate? candidate and DOMString? url (4.8.2).
  constructor(type, eventInitDict) {
    requireArguments('RTCPeerConnectionIceEvent', arguments.length, 1);
    const init = idl.dictionary(eventInitDict, 'RTCPeerConnectionIceEventInit');
    const candidate = init.candidate ?? null;
    if (candidate !== null && !(candidate instanceof RTCIceCandidate)) {
      throw new TypeError("Failed to construct 'RTCPeerConnectionIceEvent': member candidate is not of type RTCIceCandidate.");
    }
    const url = idl.nullable(init.url, idl.domString);
    super(type, init);
    this.#candidate = candidate;
    this.#url = url;
  }

  get candidate() { return this.#candidate; }
  get url() { return this.#url; }
}

class RTCPeerConnectionIceErrorEvent extends Event {
  #init;

  // constructor(DOMString type, RTCPeerConnectionIceErrorEventInit eventInitDict)
  // (4.8.3): DOMString? address, unsigned short? port, DOMString url,
  // required unsigned short errorCode, USVString errorText.
  constructor(type, eventInitDict) {
    requireArguments('RTCPeerConnectionIceErrorEvent', arguments.length, 2);
    const init = idl.dictionary(eventInitDict, 'RTCPeerConnectionIceErrorEventInit');
    if (init.errorCode === undefined) {
      throw new TypeError("Failed to construct 'RTCPeerConnectionIceErrorEvent': required member errorCode is undefined.");
    }
    const fields = {
      address: idl.nullable(init.address, idl.domString),
      port: idl.nullable(init.port, idl.wrapUnsignedShort),
      url: init.url === undefined ? '' : idl.domString(init.url),
      errorCode: idl.wrapUnsignedShort(init.errorCode),
      errorText: init.errorText === undefined ? '' : idl.usvString(idl.domString(init.errorText)),
    };
    super(type, init);
    this.#init = fields;
  }

  get address() { return this.#init.address; }
  get port() { return this.#init.port; }
  get url() { return this.#init.url; }
  get errorCode() { return this.#init.errorCode; }
  get errorText() { return this.#init.errorText; }
}

class RTCDataChannelEvent extends Event {
  #channel;

  // constructor(DOMString type, RTCDataChannelEventInit eventInitDict) (6.3):
  // required RTCDataChannel channel.
  constructor(type, eventInitDict) {
    requireArguments('RTCDataChannelEvent', arguments.length, 2);
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

  // constructor(RTCErrorInit init, optional DOMString message = "") (11.1):
  // required errorDetail; long sdpLineNumber, sctpCauseCode and
  // httpRequestStatusCode; unsigned long receivedAlert and sentAlert.
  constructor(init, message = '') {
    requireArguments('RTCError', arguments.length, 1);
    const dict = idl.dictionary(init, 'RTCErrorInit');
    if (dict.errorDetail === undefined) {
      throw new TypeError("Failed to construct 'RTCError': required member errorDetail is undefined.");
    }
    const fields = {
      errorDetail: idl.enumValue(dict.errorDetail, ERROR_DETAILS, 'RTCErrorDetailType'),
      sdpLineNumber: idl.optional(dict.sdpLineNumber, idl.wrapLong),
      sctpCauseCode: idl.optional(dict.sctpCauseCode, idl.wrapLong),
      receivedAlert: idl.optional(dict.receivedAlert, idl.wrapUnsignedLong),
      sentAlert: idl.optional(dict.sentAlert, idl.wrapUnsignedLong),
      httpRequestStatusCode: idl.optional(dict.httpRequestStatusCode, idl.wrapLong),
    };
    super(idl.domString(message), 'OperationError');
    this.#init = fields;
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

  // constructor(DOMString type, RTCErrorEventInit eventInitDict) (11.2): required RTCError error.
  constructor(type, eventInitDict) {
    requireArguments('RTCErrorEvent', arguments.length, 2);
    const init = idl.dictionary(eventInitDict, 'RTCErrorEventInit');
    if (!(init.error instanceof RTCError)) {
      throw new TypeError("Failed to construct 'RTCErrorEvent': member error is not of type RTCError.");
    }
    super(type, init);
    this.#error = init.error;
  }

  get error() { return this.#error; }
}

module.exports = {
  RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCError, RTCErrorEvent,
};
