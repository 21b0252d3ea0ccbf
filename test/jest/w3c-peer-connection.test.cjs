'use strict';
// RTCPeerConnection (webrtc-pc 4.4): event handler attributes, the
// signaling state machine and its errors, addIceCandidate, ICE gathering
// events, negotiationneeded, and close(); in the manner of web-platform-tests'
// RTCPeerConnection-*.html. Two in-process peers on loopback.
const wasmrtc = require('../..');
const { signal, waitFor, connectionState } = require('../support/peers.cjs');

const { RTCPeerConnection, RTCSessionDescription, RTCPeerConnectionIceEvent, RTCIceCandidate } = wasmrtc;
const { peerFactory } = require('../support/w3c.cjs');

const make = peerFactory(RTCPeerConnection, { wasmrtc: { loopback: true } });

async function rejectsWith(promise, name) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error).toBeDefined();
  expect(error.name).toBe(name);
  if (name !== 'TypeError') expect(error).toBeInstanceOf(DOMException);
  return error;
}

/** Records the types of events `types` fired at `target`, with a state read in the same task. */
function record(target, types, read = () => '') {
  const log = [];
  for (const type of types) target.addEventListener(type, (e) => log.push(`${type}:${read(e)}`));
  return log;
}

async function offerWithChannel(pc) {
  pc.createDataChannel('x');
  const offer = await pc.createOffer();
  return offer;
}

describe('interface', () => {
  test('every on<event> handler attribute exists and starts null', () => {
    const pc = make();
    for (const type of ['negotiationneeded', 'icecandidate', 'icecandidateerror', 'signalingstatechange',
      'iceconnectionstatechange', 'icegatheringstatechange', 'connectionstatechange', 'datachannel', 'track']) {
      expect(`on${type}` in RTCPeerConnection.prototype).toBe(true);
      expect(pc[`on${type}`]).toBeNull();
    }
    expect(pc).toBeInstanceOf(EventTarget);
  });

  test('an on<event> handler is called with the event and can be replaced and cleared', () => {
    const pc = make();
    const calls = [];
    pc.onsignalingstatechange = (e) => calls.push(['first', e.type]);
    pc.onsignalingstatechange = (e) => calls.push(['second', e.type]);
    pc.dispatchEvent(new Event('signalingstatechange'));
    pc.onsignalingstatechange = null;
    pc.dispatchEvent(new Event('signalingstatechange'));
    expect(calls).toEqual([['second', 'signalingstatechange']]);
    expect(pc.onsignalingstatechange).toBeNull();
  });

  test('the classes are exported by require("wasmrtc") and installed by wasmrtc/polyfill', () => {
    const names = ['RTCPeerConnection', 'RTCDataChannel', 'RTCSessionDescription', 'RTCIceCandidate', 'RTCCertificate',
      'RTCIceTransport', 'RTCDtlsTransport', 'RTCSctpTransport', 'RTCPeerConnectionIceEvent',
      'RTCPeerConnectionIceErrorEvent', 'RTCDataChannelEvent', 'RTCError', 'RTCErrorEvent', 'RTCStatsReport'];
    const polyfill = require('../../js/polyfill.cjs'); // eslint-disable-line global-require
    for (const name of names) {
      expect(typeof wasmrtc[name]).toBe('function');
      expect(globalThis[name]).toBe(wasmrtc[name]);
      expect(polyfill[name]).toBe(wasmrtc[name]);
    }
  });

  // WebIDL 3.7, as native Chromium has them (test/browser/conformance.test.cjs).
  test('interface objects: lengths, toStringTag, own members, constructors; RTCStatsReport is a readonly maplike', async () => {
    const expected = {
      RTCPeerConnection: 0, RTCSessionDescription: 1, RTCIceCandidate: 0, RTCPeerConnectionIceEvent: 1,
      RTCPeerConnectionIceErrorEvent: 2, RTCDataChannelEvent: 2, RTCTrackEvent: 2, RTCErrorEvent: 2, RTCError: 1,
      RTCDTMFToneChangeEvent: 1, RTCDataChannel: 0, RTCRtpSender: 0, RTCRtpReceiver: 0, RTCRtpTransceiver: 0,
      RTCCertificate: 0, RTCStatsReport: 0, RTCSctpTransport: 0, RTCDtlsTransport: 0, RTCIceTransport: 0, RTCDTMFSender: 0,
    };
    for (const [name, length] of Object.entries(expected)) {
      expect([name, wasmrtc[name].length]).toEqual([name, length]);
      expect(Object.prototype.toString.call(wasmrtc[name].prototype)).toBe(`[object ${name}]`);
    }
    for (const name of ['RTCDataChannel', 'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCStatsReport',
      'RTCSctpTransport', 'RTCDtlsTransport', 'RTCIceTransport', 'RTCDTMFSender', 'RTCCertificate']) {
      expect(() => new wasmrtc[name]()).toThrow(TypeError);
    }
    const polyfill = require('../../js/polyfill.cjs'); // eslint-disable-line global-require
    expect(Object.getPrototypeOf(polyfill.RTCPeerConnection.prototype)).toBe(EventTarget.prototype);
    expect(Object.prototype.hasOwnProperty.call(polyfill.RTCPeerConnection.prototype, 'createOffer')).toBe(true);
    const pc = new RTCPeerConnection();
    const report = await pc.getStats();
    pc.close();
    expect(report instanceof Map).toBe(false);
    expect(report.set).toBeUndefined();
    expect(typeof report[Symbol.iterator]).toBe('function');
    expect(report.size).toBe([...report].length);
  });

  test('RTCPeerConnectionIceEvent and RTCPeerConnectionIceErrorEvent constructors', () => {
    const candidate = new RTCIceCandidate({ sdpMid: '0', candidate: '' });
    const e = new RTCPeerConnectionIceEvent('icecandidate', { candidate, url: null });
    expect(e).toBeInstanceOf(Event);
    expect(e.candidate).toBe(candidate);
    expect(e.url).toBeNull();
    expect(new RTCPeerConnectionIceEvent('icecandidate').candidate).toBeNull();
    const err = new wasmrtc.RTCPeerConnectionIceErrorEvent('icecandidateerror', {
      address: '192.0.2.1', port: 5000, url: 'stun:example.net', errorCode: 701, errorText: 'unreachable',
    });
    expect([err.address, err.port, err.url, err.errorCode, err.errorText]).toEqual(['192.0.2.1', 5000, 'stun:example.net', 701, 'unreachable']);
    expect(() => new wasmrtc.RTCPeerConnectionIceErrorEvent('icecandidateerror', {})).toThrow(TypeError);
  });

  // WebIDL: the type argument is required; the init dictionary's members
  // convert to their types or throw TypeError (as Chromium's do; see
  // web-platform-tests RTCPeerConnectionIceEvent-constructor.html).
  test('RTCPeerConnectionIceEvent: a missing type, or a candidate that is not an RTCIceCandidate, is a TypeError', () => {
    expect(() => new RTCPeerConnectionIceEvent()).toThrow(TypeError);
    for (const candidate of ['', 'candidate:1 1 udp 1 192.0.2.1 9 typ host', {}, { candidate: '', sdpMid: '0' }, 0, true]) {
      expect(() => new RTCPeerConnectionIceEvent('icecandidate', { candidate })).toThrow(TypeError);
    }
    expect(() => new RTCPeerConnectionIceEvent('icecandidate', 'not a dictionary')).toThrow(TypeError);
    expect(new RTCPeerConnectionIceEvent('icecandidate', { candidate: undefined }).candidate).toBeNull();
    expect(new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }).candidate).toBeNull();
    expect(new RTCPeerConnectionIceEvent('icecandidate', undefined).candidate).toBeNull();
    // DOMString? url: converted, null stays null.
    expect(new RTCPeerConnectionIceEvent('icecandidate', { url: 5 }).url).toBe('5');
    expect(new RTCPeerConnectionIceEvent('icecandidate', { url: null }).url).toBeNull();
    const e = new RTCPeerConnectionIceEvent('x', { bubbles: true, cancelable: true });
    expect([e.type, e.bubbles, e.cancelable]).toEqual(['x', true, true]);
  });

  test('the other event constructors: required arguments and members, member types', () => {
    const {
      RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCErrorEvent, RTCError,
    } = wasmrtc;
    expect(() => new RTCPeerConnectionIceErrorEvent()).toThrow(TypeError);
    expect(() => new RTCPeerConnectionIceErrorEvent('icecandidateerror')).toThrow(TypeError);
    // unsigned short without [EnforceRange] wraps; DOMString? address converts.
    const err = new RTCPeerConnectionIceErrorEvent('icecandidateerror', { errorCode: 65536 + 701, port: '5000', address: 1 });
    expect([err.errorCode, err.port, err.address, err.url, err.errorText]).toEqual([701, 5000, '1', '', '']);
    expect(() => new RTCDataChannelEvent()).toThrow(TypeError);
    expect(() => new RTCDataChannelEvent('datachannel')).toThrow(TypeError);
    expect(() => new RTCDataChannelEvent('datachannel', { channel: {} })).toThrow(TypeError);
    expect(() => new RTCError()).toThrow(TypeError);
    expect(() => new RTCError({})).toThrow(TypeError);
    expect(() => new RTCError({ errorDetail: 'no-such-detail' })).toThrow(TypeError);
    // long and unsigned long members convert; absent ones are null.
    const rtcError = new RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: '12', receivedAlert: -1 }, 'lost');
    expect([rtcError.name, rtcError.message, rtcError.errorDetail, rtcError.sctpCauseCode, rtcError.receivedAlert, rtcError.sdpLineNumber])
      .toEqual(['OperationError', 'lost', 'sctp-failure', 12, 4294967295, null]);
    expect(() => new RTCErrorEvent()).toThrow(TypeError);
    expect(() => new RTCErrorEvent('error')).toThrow(TypeError);
    expect(() => new RTCErrorEvent('error', {})).toThrow(TypeError);
    expect(() => new RTCErrorEvent('error', { error: new Error('x') })).toThrow(TypeError);
    expect(new RTCErrorEvent('error', { error: rtcError }).error).toBe(rtcError);
  });
});

describe('signaling state machine', () => {
  test('createAnswer in stable rejects with InvalidStateError', async () => {
    await rejectsWith(make().createAnswer(), 'InvalidStateError');
  });

  test('setRemoteDescription(answer) in stable rejects with InvalidStateError', async () => {
    const a = make();
    const b = make();
    const offer = await offerWithChannel(a);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    await rejectsWith(make().setRemoteDescription(answer), 'InvalidStateError');
  });

  test('setLocalDescription(answer) in stable rejects with InvalidStateError', async () => {
    const a = make();
    const b = make();
    await b.setRemoteDescription(await offerWithChannel(a));
    const answer = await b.createAnswer();
    await rejectsWith(make().setLocalDescription(answer), 'InvalidStateError');
  });

  test('setRemoteDescription without type is a TypeError; an unknown type is a TypeError', async () => {
    await rejectsWith(make().setRemoteDescription({ sdp: 'v=0' }), 'TypeError');
    await rejectsWith(make().setRemoteDescription({ type: 'bogus', sdp: '' }), 'TypeError');
  });

  test('offer/answer: signalingstatechange sequences and descriptions', async () => {
    const a = make();
    const b = make();
    const logA = record(a, ['signalingstatechange'], () => a.signalingState);
    const logB = record(b, ['signalingstatechange'], () => b.signalingState);
    const offer = await offerWithChannel(a);
    expect(offer.type).toBe('offer');
    await a.setLocalDescription(offer);
    expect(a.signalingState).toBe('have-local-offer');
    expect(a.pendingLocalDescription.type).toBe('offer');
    expect(a.currentLocalDescription).toBeNull();
    expect(a.localDescription).toBeInstanceOf(RTCSessionDescription);
    await b.setRemoteDescription(offer);
    expect(b.signalingState).toBe('have-remote-offer');
    expect(b.pendingRemoteDescription.type).toBe('offer');
    const answer = await b.createAnswer();
    expect(answer.type).toBe('answer');
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    expect(logA).toEqual(['signalingstatechange:have-local-offer', 'signalingstatechange:stable']);
    expect(logB).toEqual(['signalingstatechange:have-remote-offer', 'signalingstatechange:stable']);
    for (const pc of [a, b]) {
      expect(pc.pendingLocalDescription).toBeNull();
      expect(pc.pendingRemoteDescription).toBeNull();
      expect(pc.currentLocalDescription).not.toBeNull();
      expect(pc.currentRemoteDescription).not.toBeNull();
    }
    expect(a.canTrickleIceCandidates).toBe(true);
  });

  test('setLocalDescription() with no argument creates the offer, then the answer', async () => {
    const a = make();
    const b = make();
    a.createDataChannel('x');
    await a.setLocalDescription();
    expect(a.localDescription.type).toBe('offer');
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    expect(b.localDescription.type).toBe('answer');
    expect(b.signalingState).toBe('stable');
  });

  test('rollback of a local offer returns to stable', async () => {
    const pc = make();
    await pc.setLocalDescription(await offerWithChannel(pc));
    const log = record(pc, ['signalingstatechange'], () => pc.signalingState);
    await pc.setLocalDescription({ type: 'rollback' });
    expect(pc.signalingState).toBe('stable');
    expect(pc.localDescription).toBeNull();
    expect(pc.pendingLocalDescription).toBeNull();
    expect(log).toEqual(['signalingstatechange:stable']);
  });

  test('rollback of a remote offer returns to stable', async () => {
    const a = make();
    const b = make();
    await b.setRemoteDescription(await offerWithChannel(a));
    await b.setRemoteDescription({ type: 'rollback' });
    expect(b.signalingState).toBe('stable');
    expect(b.remoteDescription).toBeNull();
  });

  // 4.4.1.6 setRemoteDescription: an offer in have-local-offer rolls the
  // local offer back first, in the same chained operation (WPT
  // RTCPeerConnection-setRemoteDescription-offer.html "glare-proof" and
  // -rollback.html "implicit rollback ... should visit stable state").
  test('implicit rollback: signalingstatechange visits stable, an operation chained then waits, negotiationneeded waits for stable', async () => {
    const a = make();
    const b = make();
    a.addTransceiver('audio');
    b.addTransceiver('audio');
    await a.setLocalDescription(await a.createOffer());
    const log = record(a, ['signalingstatechange', 'negotiationneeded'], () => a.signalingState);
    const ops = [];
    a.addEventListener('signalingstatechange', () => {
      // Chained after the offer: with no remote description yet, only
      // running once the offer is set lets it resolve.
      if (a.signalingState === 'stable' && ops.length === 0) ops.push(a.addIceCandidate().then(() => 'resolved', (e) => e.name));
    });
    const offer = await b.createOffer();
    await a.setRemoteDescription(offer);
    expect(await ops[0]).toBe('resolved');
    expect(log).toEqual(['signalingstatechange:stable', 'signalingstatechange:have-remote-offer']);
    await a.setLocalDescription(await a.createAnswer());
    // a's own audio transceiver was answered on b's section: a's m-line still
    // needs an offer of its own, so negotiationneeded fires, once stable.
    await new Promise((resolve) => { a.addEventListener('negotiationneeded', resolve, { once: true }); });
    expect(log).toEqual(['signalingstatechange:stable', 'signalingstatechange:have-remote-offer',
      'signalingstatechange:stable', 'negotiationneeded:stable']);
  });

  test('rollback in stable rejects with InvalidStateError', async () => {
    await rejectsWith(make().setRemoteDescription({ type: 'rollback' }), 'InvalidStateError');
    await rejectsWith(make().setLocalDescription({ type: 'rollback' }), 'InvalidStateError');
  });

  // 4.4.1.5 "set the RTCSessionDescription": an SDP that does not parse
  // rejects with an RTCError (a DOMException named OperationError) whose
  // errorDetail is "sdp-syntax-error" and sdpLineNumber the line at fault.
  test('an SDP that does not parse rejects with an RTCError: sdp-syntax-error and the line', async () => {
    const srd = await rejectsWith(make().setRemoteDescription({ type: 'offer', sdp: 'bogus' }), 'OperationError');
    expect(srd).toBeInstanceOf(wasmrtc.RTCError);
    expect(srd.errorDetail).toBe('sdp-syntax-error');
    expect(srd.sdpLineNumber).toBe(1);
    // setLocalDescription parses text that differs from the last created
    // offer (without one, it is an InvalidModificationError first).
    const pc = make();
    await pc.createOffer();
    const third = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nbogus\r\n';
    const sld = await rejectsWith(pc.setLocalDescription({ type: 'offer', sdp: third }), 'OperationError');
    expect(sld).toBeInstanceOf(wasmrtc.RTCError);
    expect([sld.errorDetail, sld.sdpLineNumber]).toEqual(['sdp-syntax-error', 3]);
    // Any other error is not an RTCError.
    const state = await rejectsWith(make().setRemoteDescription({ type: 'answer', sdp: 'v=0\r\n' }), 'InvalidStateError');
    expect(state).not.toBeInstanceOf(wasmrtc.RTCError);
  });

  // 4.4.2 createOffer, the chained operation: outside "stable" and
  // "have-local-offer" it rejects with InvalidStateError (WPT
  // RTCPeerConnection-createOffer.html).
  test('createOffer in have-remote-offer rejects with InvalidStateError', async () => {
    const a = make();
    const b = make();
    await b.setRemoteDescription(await offerWithChannel(a));
    expect(b.signalingState).toBe('have-remote-offer');
    await rejectsWith(b.createOffer(), 'InvalidStateError');
    expect(b.signalingState).toBe('have-remote-offer');
  });

  // 4.4.2 createOffer/createAnswer: "a newly created RTCSessionDescriptionInit",
  // a plain writable dictionary (as Chromium gives): simple-peer assigns offer.sdp.
  test('createOffer and createAnswer resolve with a plain, writable RTCSessionDescriptionInit', async () => {
    const a = make();
    const b = make();
    const offer = await offerWithChannel(a);
    expect(offer).not.toBeInstanceOf(RTCSessionDescription);
    expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
    expect(Object.keys(offer)).toEqual(['sdp', 'type']);
    expect(offer.type).toBe('offer');
    offer.sdp = offer.sdp.replace(/\r\na=ice-options:trickle/g, '');
    await a.setLocalDescription(offer);
    expect(a.localDescription).toBeInstanceOf(RTCSessionDescription);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    expect(Object.getPrototypeOf(answer)).toBe(Object.prototype);
    expect(answer.type).toBe('answer');
    answer.sdp += ''; // writable
    expect(JSON.stringify(answer)).toBe(JSON.stringify({ sdp: answer.sdp, type: 'answer' }));
    await b.setLocalDescription(answer);
    expect(b.signalingState).toBe('stable');
  });
});

// webrtc-pc 4.4.3 "Legacy Interface Extensions" (as Chromium and Firefox
// implement them): the callback forms and the legacy RTCOfferOptions.
describe('legacy interface extensions', () => {
  /** Settles once the callback given to it (or the returned promise's) ran: [which, args]. */
  function callbacks() {
    let done;
    const called = new Promise((resolve) => { done = resolve; });
    return {
      called,
      success(...args) { done(['success', args]); },
      failure(...args) { done(['failure', args]); },
    };
  }

  test('the methods keep their WebIDL lengths', () => {
    const lengths = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']
      .map((m) => RTCPeerConnection.prototype[m].length);
    expect(lengths).toEqual([0, 0, 0, 1, 0]); // as in Chromium
  });

  test('createOffer(success, failure) calls success with the offer and resolves with undefined', async () => {
    const pc = make();
    pc.createDataChannel('x');
    const cb = callbacks();
    await expect(pc.createOffer(cb.success, cb.failure)).resolves.toBeUndefined();
    const [which, [offer]] = await cb.called;
    expect(which).toBe('success');
    expect(offer.type).toBe('offer');
    expect(offer.sdp).toMatch(/^v=0\r\n/);
    expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
  });

  test('createAnswer(success, failure) in stable calls failure with InvalidStateError', async () => {
    const cb = callbacks();
    await expect(make().createAnswer(cb.success, cb.failure)).resolves.toBeUndefined();
    const [which, [error]] = await cb.called;
    expect(which).toBe('failure');
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('InvalidStateError');
  });

  test('an offer/answer and a candidate through the callback forms', async () => {
    const a = make();
    const b = make();
    a.createDataChannel('x');
    let cb = callbacks();
    a.createOffer(cb.success, cb.failure);
    const [, [offer]] = await cb.called;
    cb = callbacks();
    await expect(a.setLocalDescription(offer, cb.success, cb.failure)).resolves.toBeUndefined();
    // A VoidFunction: called with no argument.
    expect(await cb.called).toEqual(['success', []]);
    expect(a.signalingState).toBe('have-local-offer');
    cb = callbacks();
    b.setRemoteDescription(offer, cb.success, cb.failure);
    expect(await cb.called).toEqual(['success', []]);
    cb = callbacks();
    b.createAnswer(cb.success, cb.failure);
    const [, [answer]] = await cb.called;
    expect(answer.type).toBe('answer');
    // failureCallback may be left out of setLocal/RemoteDescription (as in Chromium).
    cb = callbacks();
    b.setLocalDescription(answer, cb.success);
    expect(await cb.called).toEqual(['success', []]);
    cb = callbacks();
    a.setRemoteDescription(answer, cb.success, cb.failure);
    expect(await cb.called).toEqual(['success', []]);
    expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
    const mid = /a=mid:(\S+)/.exec(offer.sdp)[1];
    cb = callbacks();
    await expect(b.addIceCandidate({ candidate: 'candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host', sdpMid: mid }, cb.success, cb.failure))
      .resolves.toBeUndefined();
    expect(await cb.called).toEqual(['success', []]);
    cb = callbacks();
    b.addIceCandidate({ candidate: 'candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host', sdpMid: 'nope' }, cb.success, cb.failure);
    const [which, [error]] = await cb.called;
    expect([which, error.name]).toEqual(['failure', 'OperationError']);
  });

  test('a description that does not parse reaches the failure callback as an RTCError', async () => {
    const cb = callbacks();
    await expect(make().setRemoteDescription({ type: 'offer', sdp: 'bogus' }, cb.success, cb.failure)).resolves.toBeUndefined();
    const [which, [error]] = await cb.called;
    expect(which).toBe('failure');
    expect(error).toBeInstanceOf(wasmrtc.RTCError);
    expect(error.errorDetail).toBe('sdp-syntax-error');
  });

  test('arguments that are not callbacks reject with TypeError; addIceCandidate with two is the promise form', async () => {
    const pc = make();
    const noop = () => {};
    await rejectsWith(pc.createOffer(undefined, undefined), 'TypeError');
    await rejectsWith(pc.createOffer(noop, 5), 'TypeError');
    await rejectsWith(pc.createOffer(noop, noop, 5), 'TypeError');
    await rejectsWith(pc.createAnswer(noop, 5), 'TypeError');
    await rejectsWith(pc.setRemoteDescription({ type: 'offer', sdp: '' }, 5, 6), 'TypeError');
    await rejectsWith(pc.setRemoteDescription({ sdp: '' }, noop, noop), 'TypeError');
    // Two arguments: addIceCandidate(candidate) rejects as usual, no callback.
    await rejectsWith(pc.addIceCandidate({ candidate: 'candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host', sdpMid: '0' }, noop),
      'InvalidStateError');
  });

  describe('offerToReceiveAudio / offerToReceiveVideo', () => {
    const directions = (pc) => pc.getTransceivers().map((t) => [t.receiver.track.kind, t.direction]);

    test('true adds a recvonly transceiver of that kind, at once and once, without negotiationneeded', async () => {
      const pc = make();
      let needed = 0;
      pc.onnegotiationneeded = () => { needed++; };
      const pending = pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
      expect(directions(pc)).toEqual([['audio', 'recvonly'], ['video', 'recvonly']]);
      const offer = await pending;
      expect(offer.sdp.match(/^m=\w+|^a=(sendrecv|sendonly|recvonly|inactive)$/gm))
        .toEqual(['m=audio', 'a=recvonly', 'm=video', 'a=recvonly']);
      await pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
      expect(directions(pc)).toHaveLength(2);
      await pc.createOffer(); // an operation in between: a negotiationneeded would have fired by now
      expect(needed).toBe(0);
      // Also as the legacy createOffer's third argument.
      const other = make();
      await new Promise((resolve, reject) => { other.createOffer(resolve, reject, { offerToReceiveVideo: true }); });
      expect(directions(other)).toEqual([['video', 'recvonly']]);
    });

    test('true adds one when no transceiver of that kind receives (sendonly does not)', async () => {
      const pc = make();
      pc.addTransceiver('audio', { direction: 'sendonly' });
      await pc.createOffer({ offerToReceiveAudio: true });
      expect(directions(pc)).toEqual([['audio', 'sendonly'], ['audio', 'recvonly']]);
    });

    test('false: sendrecv becomes sendonly, recvonly inactive; nothing is added', async () => {
      const pc = make();
      pc.addTransceiver('audio');
      pc.addTransceiver('video', { direction: 'recvonly' });
      const offer = await pc.createOffer({ offerToReceiveAudio: false, offerToReceiveVideo: false });
      expect(directions(pc)).toEqual([['audio', 'sendonly'], ['video', 'inactive']]);
      expect(offer.sdp.match(/^a=(sendrecv|sendonly|recvonly|inactive)$/gm)).toEqual(['a=sendonly', 'a=inactive']);
      const empty = make();
      empty.createDataChannel('x');
      await empty.createOffer({ offerToReceiveAudio: false });
      expect(empty.getTransceivers()).toEqual([]);
    });
  });
});

// 4.4.1.5, rollback: [[SctpTransport]] and each transceiver's
// [[SenderTransport]]/[[ReceiverTransport]] go back to what they were when
// the signaling state was last stable (Chromium: null after the first offer).
describe('rollback restores the transports', () => {
  const transports = (pc) => pc.getTransceivers().map((t) => [t.sender.transport, t.receiver.transport]);

  test('rolling back a first local offer leaves no SCTP or DTLS transport', async () => {
    const pc = make();
    pc.createDataChannel('x');
    const t = pc.addTransceiver('audio');
    await pc.setLocalDescription();
    expect(pc.sctp).not.toBeNull();
    // (balanced: one transport per m= section until the answer bundles them)
    expect(t.sender.transport).not.toBeNull();
    expect(t.receiver.transport).toBe(t.sender.transport);
    await pc.setLocalDescription({ type: 'rollback' });
    expect(pc.sctp).toBeNull();
    expect(t.mid).toBeNull();
    expect(transports(pc)).toEqual([[null, null]]);
  });

  test('rolling back a first remote offer leaves pc.sctp null', async () => {
    const a = make();
    const b = make();
    await b.setRemoteDescription(await offerWithChannel(a));
    expect(b.sctp).not.toBeNull();
    await b.setRemoteDescription({ type: 'rollback' });
    expect(b.sctp).toBeNull();
  });

  test('rolling back a re-offer keeps the transports of the last stable state', async () => {
    const a = make();
    const b = make();
    a.createDataChannel('x');
    const first = a.addTransceiver('audio');
    await signal(a, b);
    const { sctp } = a;
    const dtls = first.sender.transport;
    expect(dtls).toBe(sctp.transport);
    const second = a.addTransceiver('video');
    await a.setLocalDescription();
    expect(second.sender.transport).toBe(dtls);
    await a.setLocalDescription({ type: 'rollback' });
    expect(a.sctp).toBe(sctp);
    expect(transports(a)).toEqual([[dtls, dtls], [null, null]]);
  });
});

describe('addIceCandidate', () => {
  const LINE = 'candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host';

  test('without a remote description rejects with InvalidStateError', async () => {
    await rejectsWith(make().addIceCandidate({ candidate: LINE, sdpMid: '0' }), 'InvalidStateError');
  });

  test('a candidate with neither sdpMid nor sdpMLineIndex is a TypeError', async () => {
    await rejectsWith(make().addIceCandidate({ candidate: LINE }), 'TypeError');
  });

  describe('with a remote description', () => {
    let pc;
    let mid;
    beforeEach(async () => {
      const a = make();
      pc = make();
      const offer = await offerWithChannel(a);
      await pc.setRemoteDescription(offer);
      mid = /a=mid:(\S+)/.exec(offer.sdp)[1];
    });

    test('a valid candidate (object or RTCIceCandidate) resolves', async () => {
      await expect(pc.addIceCandidate({ candidate: LINE, sdpMid: mid })).resolves.toBeUndefined();
      await expect(pc.addIceCandidate(new RTCIceCandidate({ candidate: LINE, sdpMLineIndex: 0 }))).resolves.toBeUndefined();
    });

    test('end-of-candidates ("" or no argument) resolves', async () => {
      await expect(pc.addIceCandidate({ candidate: '', sdpMid: mid })).resolves.toBeUndefined();
      await expect(pc.addIceCandidate()).resolves.toBeUndefined();
    });

    test('a candidate line that does not parse rejects with OperationError', async () => {
      await rejectsWith(pc.addIceCandidate({ candidate: 'candidate:bogus', sdpMid: mid }), 'OperationError');
    });

    test('an sdpMid or sdpMLineIndex that matches no media description rejects with OperationError', async () => {
      await rejectsWith(pc.addIceCandidate({ candidate: LINE, sdpMid: 'nope' }), 'OperationError');
      await rejectsWith(pc.addIceCandidate({ candidate: LINE, sdpMLineIndex: 7 }), 'OperationError');
    });

    // WPT RTCDataChannel-iceRestart.html: a late candidate of the remote's
    // previous ICE generation resolves (and is dropped), as in Chromium.
    test('a usernameFragment of an earlier remote description resolves; one never seen still rejects', async () => {
      const ufrag = /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription.sdp)[1];
      const restarted = pc.remoteDescription.sdp
        .replace(/a=ice-ufrag:\S+/g, 'a=ice-ufrag:restartufrag')
        .replace(/a=ice-pwd:\S+/g, 'a=ice-pwd:restartpasswordrestartpassword');
      await pc.setLocalDescription(await pc.createAnswer());
      await pc.setRemoteDescription({ type: 'offer', sdp: restarted });
      await expect(pc.addIceCandidate({ candidate: LINE, sdpMid: mid, usernameFragment: ufrag })).resolves.toBeUndefined();
      expect(pc.remoteDescription.sdp).not.toContain(LINE);
      await rejectsWith(pc.addIceCandidate({ candidate: LINE, sdpMid: mid, usernameFragment: 'nomatch' }), 'OperationError');
    });

    test('a usernameFragment that matches no remote ufrag rejects with OperationError', async () => {
      await rejectsWith(pc.addIceCandidate({ candidate: LINE, sdpMid: mid, usernameFragment: 'nomatch' }), 'OperationError');
    });
  });
});

describe('negotiationneeded', () => {
  test('fires once after the first createDataChannel, not for the second', async () => {
    const pc = make();
    let count = 0;
    pc.onnegotiationneeded = () => { count++; };
    const fired = waitFor(pc, 'negotiationneeded');
    pc.createDataChannel('a');
    pc.createDataChannel('b');
    expect(count).toBe(0); // queued as a task, never synchronous
    await fired;
    await pc.createOffer(); // an operation in between: gives any second event time to come
    expect(count).toBe(1);
  });

  test('does not fire once the connection is closed', async () => {
    const pc = make();
    let fired = false;
    pc.onnegotiationneeded = () => { fired = true; };
    pc.createDataChannel('a');
    pc.close();
    await new Promise((resolve) => { setImmediate(resolve); });
    await new Promise((resolve) => { setTimeout(resolve, 10); });
    expect(fired).toBe(false);
  });
});

describe('ICE gathering', () => {
  test('gathering → complete, candidates are RTCPeerConnectionIceEvents, a null candidate ends it', async () => {
    const pc = make();
    const log = [];
    const candidates = [];
    let nullAfterComplete = false;
    pc.addEventListener('icegatheringstatechange', () => log.push(pc.iceGatheringState));
    const ended = new Promise((resolve) => {
      pc.addEventListener('icecandidate', (e) => {
        expect(e).toBeInstanceOf(RTCPeerConnectionIceEvent);
        if (e.candidate === null) {
          nullAfterComplete = pc.iceGatheringState === 'complete';
          resolve();
        } else {
          candidates.push(e.candidate);
        }
      });
    });
    await pc.setLocalDescription(await offerWithChannel(pc));
    await ended;
    expect(log).toEqual(['gathering', 'complete']);
    expect(nullAfterComplete).toBe(true);
    const real = candidates.filter((c) => c.candidate !== '');
    expect(real.length).toBeGreaterThan(0);
    for (const c of real) {
      expect(c).toBeInstanceOf(RTCIceCandidate);
      expect(c.sdpMid).not.toBeNull();
      expect(c.type).toBe('host');
      expect(pc.localDescription.sdp).toContain(c.candidate);
    }
    expect(pc.iceGatheringState).toBe('complete');
  });
});

// Gathering as Chromium orders it (webrtc-pc 4.4.1.5: gathering runs in
// parallel once the description is set; WPT RTCPeerConnection-iceGatheringState.html,
// -explicit-rollback-iceGatheringState.html, -candidate-in-sdp.https.html).
describe('ICE gathering after setLocalDescription', () => {
  /** The next icegatheringstatechange states, `n` of them. */
  const gatheringStates = (pc, n) => new Promise((resolve) => {
    const states = [];
    const on = () => {
      states.push(pc.iceGatheringState);
      if (states.length === n) { pc.removeEventListener('icegatheringstatechange', on); resolve(states); }
    };
    pc.addEventListener('icegatheringstatechange', on);
  });

  test('its events follow the operation: no candidate in localDescription yet, "gathering" seen by a listener added after', async () => {
    const pc = make();
    pc.addTransceiver('audio');
    let sdpAtCandidate = null;
    const first = new Promise((resolve) => {
      pc.onicecandidate = (e) => { if (sdpAtCandidate === null) { sdpAtCandidate = pc.localDescription.sdp; resolve(e); } };
    });
    await pc.setLocalDescription(await pc.createOffer());
    expect(pc.localDescription.sdp).not.toContain('a=candidate:');
    expect(pc.iceGatheringState).toBe('new');
    expect(await gatheringStates(pc, 2)).toEqual(['gathering', 'complete']);
    await first;
    expect(sdpAtCandidate).toContain('a=candidate:');
  });

  test('an offer without m= sections gathers nothing', async () => {
    const pc = make();
    const log = record(pc, ['icegatheringstatechange', 'icecandidate']);
    await pc.setLocalDescription(await pc.createOffer());
    // Then one more round trip through the engine, after the gathering step would be due.
    await pc.getStats();
    await pc.setLocalDescription({ type: 'rollback' });
    await pc.getStats();
    expect(log).toEqual([]);
    expect(pc.iceGatheringState).toBe('new');
  });

  test('a restart re-offer gathers again at setLocalDescription; rolling it back changes nothing', async () => {
    const a = make();
    const b = make();
    a.addTransceiver('audio', { direction: 'recvonly' });
    const aDone = gatheringStates(a, 2);
    await signal(a, b);
    expect(await aDone).toEqual(['gathering', 'complete']);
    const candidates = [];
    a.onicecandidate = (e) => { if (e.candidate && e.candidate.candidate) candidates.push(e.candidate.usernameFragment); };
    await a.setLocalDescription(await a.createOffer({ iceRestart: true }));
    expect(await gatheringStates(a, 2)).toEqual(['gathering', 'complete']);
    const ufrag = /a=ice-ufrag:(\S+)/.exec(a.pendingLocalDescription.sdp)[1];
    expect(candidates.length).toBeGreaterThan(0);
    expect(new Set(candidates)).toEqual(new Set([ufrag]));
    const log = record(a, ['icegatheringstatechange']);
    await a.setLocalDescription({ type: 'rollback' });
    await a.getStats();
    expect(log).toEqual([]);
    expect(a.iceGatheringState).toBe('complete');
  });

  test.each([['complete', 2], ['gathering', 1]])('rolling back the first offer, from %s, takes the state back to "new"', async (_, seen) => {
    const pc = make();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringStates(pc, seen);
    const back = new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', function on() {
        if (pc.iceGatheringState === 'new') { pc.removeEventListener('icegatheringstatechange', on); resolve(); }
      });
    });
    await pc.setLocalDescription({ type: 'rollback' });
    await back;
    expect(pc.iceGatheringState).toBe('new');
    // Offered again, it gathers again.
    await pc.setLocalDescription(await pc.createOffer());
    expect(await gatheringStates(pc, 2)).toEqual(['gathering', 'complete']);
  });
});

describe('close()', () => {
  test('sets closed states synchronously and fires no event but the SCTP transport\'s statechange', async () => {
    const a = make();
    const b = make();
    const dc = a.createDataChannel('x');
    await signal(a, b);
    await connectionState(a, 'connected');
    const events = record(a, ['signalingstatechange', 'connectionstatechange', 'iceconnectionstatechange',
      'icegatheringstatechange', 'negotiationneeded']);
    const channelEvents = record(dc, ['close', 'closing', 'error']);
    const { sctp } = a;
    // As in Chromium, but for webrtc-pc's "no event": the RTCSctpTransport
    // fires statechange inside close(), its DTLS transport still connected.
    const sctpEvents = [];
    sctp.onstatechange = () => sctpEvents.push(`${sctp.state} ${sctp.transport.state} ${a.connectionState}`);
    sctp.transport.onstatechange = () => sctpEvents.push('dtls');
    sctp.transport.iceTransport.onstatechange = () => sctpEvents.push('ice');
    a.close();
    expect(sctpEvents).toEqual(['closed connected closed']);
    expect(a.signalingState).toBe('closed');
    expect(a.connectionState).toBe('closed');
    expect(a.iceConnectionState).toBe('closed');
    expect(dc.readyState).toBe('closed');
    expect(sctp.state).toBe('closed');
    expect(sctp.transport.state).toBe('closed');
    expect(sctp.transport.iceTransport.state).toBe('closed');
    a.close(); // a second close() does nothing
    // Both connections share the engine worker, which answers in order: once
    // b's request is answered, every event the engine had for a has arrived.
    await b.getStats();
    expect(events).toEqual([]);
    expect(channelEvents).toEqual([]);
  });

  test('after close(): methods reject or throw InvalidStateError', async () => {
    const pc = make();
    pc.close();
    await rejectsWith(pc.createOffer(), 'InvalidStateError');
    await rejectsWith(pc.createAnswer(), 'InvalidStateError');
    await rejectsWith(pc.setLocalDescription({ type: 'offer', sdp: '' }), 'InvalidStateError');
    await rejectsWith(pc.setRemoteDescription({ type: 'offer', sdp: '' }), 'InvalidStateError');
    await rejectsWith(pc.addIceCandidate({ candidate: '', sdpMid: '0' }), 'InvalidStateError');
    expect(() => pc.createDataChannel('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    expect(() => pc.restartIce()).not.toThrow();
  });
});
