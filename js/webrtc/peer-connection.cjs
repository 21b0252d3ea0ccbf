'use strict';
// RTCPeerConnection (webrtc-pc section 4.4). The page-side object: it keeps
// the W3C state (signalingState, descriptions, ICE and connection states,
// data channels) and changes it in the task the spec ties each change to;
// the protocol work happens in the engine worker (src/pc through wasm/).
// Step numbers in comments refer to the algorithms of webrtc-pc.
const { utf8Length } = require('../utf8.cjs');
const { EngineClient } = require('./engine-client.cjs');
const {
  defineEventHandlers, domException, fire, idl, invokeCallback, queueTask,
} = require('./dom.cjs');
const { normalizeConfiguration, validateConfiguration } = require('./configuration.cjs');
const { RTCSessionDescription } = require('./session-description.cjs');
const { RTCIceCandidate, parseCandidate, LOCAL_CANDIDATE } = require('./ice-candidate.cjs');
const { RTCCertificate, generateCertificate, isCertificate } = require('./certificate.cjs');
const { RTCDataChannel, createChannel } = require('./data-channel.cjs');
const { createTransports } = require('./transports.cjs');
const {
  RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCDataChannelEvent, RTCError, RTCErrorEvent,
} = require('./events.cjs');
const { statsReport } = require('./stats.cjs');
const { platform } = require('./media-platform.cjs');
const { MediaStreamEvent } = require('./media-stream.cjs');
const {
  RTCRtpSender, RTCTrackEvent, createTransceiver, T,
} = require('./rtp.cjs');

const UPDATE = Symbol.for('wasmrtc.update');
const CH = {
  setId: Symbol.for('wasmrtc.setId'),
  open: Symbol.for('wasmrtc.open'),
  message: Symbol.for('wasmrtc.message'),
  sent: Symbol.for('wasmrtc.sent'),
  closing: Symbol.for('wasmrtc.closing'),
  closed: Symbol.for('wasmrtc.closed'),
  markOpen: Symbol.for('wasmrtc.markOpen'),
  fireOpen: Symbol.for('wasmrtc.fireOpen'),
  abort: Symbol.for('wasmrtc.abort'),
};
const DEFAULT_MAX_MESSAGE_SIZE = 262144;

/** The mids of the rejected (port 0) m= sections of an SDP. */
function rejectedMids(sdp) {
  const mids = [];
  for (const section of sdp.split(/\r?\n(?=m=)/).slice(1)) {
    if (!/^m=\S+ 0 /.test(section)) continue;
    const mid = /^a=mid:(\S+)/m.exec(section);
    if (mid) mids.push(mid[1]);
  }
  return mids;
}

// The mids (or, without one, the positions) of the audio and video
// m-sections that are not rejected and lack a=rtcp-mux (RFC 5761 5.1.1).
function sectionsWithoutRtcpMux(sdp) {
  const out = [];
  sdp.split(/\r?\n(?=m=)/).slice(1).forEach((section, i) => {
    if (!/^m=(audio|video) /.test(section) || /^m=\S+ 0 /.test(section)) return;
    if (/^a=rtcp-mux\s*$/m.test(section)) return;
    const mid = /^a=mid:(\S+)/m.exec(section);
    out.push(mid ? mid[1] : `#${i}`);
  });
  return out;
}

/** What the applied description says of bundling: its BUNDLE group's mids (first is the tag) and its data section's mid. */
function bundleInfo(sdp) {
  const group = /^a=group:BUNDLE(.*)$/m.exec(sdp || '');
  const bundle = group ? group[1].trim().split(/\s+/).filter(Boolean) : [];
  let dataMid = null;
  for (const section of (sdp || '').split(/\r?\n(?=m=)/).slice(1)) {
    if (!/^m=application /.test(section)) continue;
    const mid = /^a=mid:(\S+)/m.exec(section);
    if (mid) dataMid = mid[1];
    break;
  }
  return { bundle, dataMid };
}

function description(d) {
  return d ? new RTCSessionDescription(d) : null;
}

/** setLocalDescription's argument as WebIDL converts it (an RTCLocalSessionDescriptionInit); throws TypeError. */
function localDescriptionInit(d) {
  const init = idl.dictionary(d, 'RTCLocalSessionDescriptionInit');
  return {
    // No type: the implicit one (4.4.1.5), which is the engine's to choose.
    type: init.type === undefined ? '' : idl.enumValue(init.type, ['offer', 'answer', 'pranswer', 'rollback'], 'RTCSdpType'),
    sdp: init.sdp === undefined ? '' : String(init.sdp),
  };
}

/** setRemoteDescription's argument as WebIDL converts it (an RTCSessionDescriptionInit, type required); throws TypeError. */
function remoteDescriptionInit(d) {
  if (d === undefined || d === null || typeof d !== 'object') {
    throw new TypeError("Failed to execute 'setRemoteDescription' on 'RTCPeerConnection': 1 argument required.");
  }
  if (d.type === undefined) throw new TypeError("Failed to execute 'setRemoteDescription': required member type is undefined.");
  return {
    type: idl.enumValue(d.type, ['offer', 'answer', 'pranswer', 'rollback'], 'RTCSdpType'),
    sdp: d.sdp === undefined ? '' : String(d.sdp),
  };
}

/** What createOffer/createAnswer resolve with: a plain RTCSessionDescriptionInit (members in WebIDL order). */
function sessionDescriptionInit(type, sdp) {
  return { sdp, type };
}

/**
 * The legacy callback methods of 4.4.3: run the promise-based `operation`,
 * invoke successCallback with its result (`result`: the description; else
 * none, a VoidFunction) or failureCallback with the error, and return a
 * promise resolved with undefined (step "Return a promise resolved with
 * undefined": it does not wait for the operation, as in Chromium).
 * Arguments that are not callbacks, and `check()` errors, reject at once
 * with TypeError (WebIDL argument conversion).
 */
function legacyCall(operation, successCallback, failureCallback, { result = false, failureOptional = false, check } = {}) {
  if (typeof successCallback !== 'function') return Promise.reject(new TypeError('successCallback is not a function'));
  if (typeof failureCallback !== 'function' && !(failureOptional && failureCallback === undefined)) {
    return Promise.reject(new TypeError('failureCallback is not a function'));
  }
  try {
    if (check) check();
  } catch (e) {
    return Promise.reject(e);
  }
  let pending;
  try {
    pending = operation();
  } catch (e) {
    pending = Promise.reject(e);
  }
  pending.then(
    (value) => invokeCallback(successCallback, result ? [value] : []),
    (error) => { if (failureCallback) invokeCallback(failureCallback, [error]); },
  );
  return Promise.resolve(undefined);
}

// Page-wide defaults (the polyfill's script tag, js/browser/polyfill.cjs):
// a function of the page's configuration that fills in what it leaves out.
// The interface itself stays the W3C one (its own members, its prototype
// chain), which a subclass would not.
let configurationDefaults = null;
function setConfigurationDefaults(fn) {
  configurationDefaults = fn;
}

// The legacy addstream/removestream event: the page's own MediaStreamEvent
// where it has one that takes the stream (native Chromium), else ours.
function mediaStreamEvent(type, stream) {
  const Native = globalThis.MediaStreamEvent;
  if (typeof Native === 'function' && Native !== MediaStreamEvent) {
    try { return new Native(type, { stream }); } catch { /* not the page's stream: ours */ }
  }
  return new MediaStreamEvent(type, { stream });
}

class RTCPeerConnection extends EventTarget {
  #s;
  #ctl;

  constructor(configuration = {}) {
    super();
    // 4.4.1.1 constructor, step "set the configuration" (throws synchronously).
    const given = configurationDefaults && (configuration === null || typeof configuration === 'object')
      ? configurationDefaults(configuration ?? {}) : configuration;
    const config = normalizeConfiguration(given, isCertificate);
    validateConfiguration(config, { checkCertificates: true });
    const client = EngineClient.shared();
    if (!client.canAcquire()) {
      throw domException("Failed to construct 'RTCPeerConnection': Cannot create so many PeerConnections", 'UnknownError');
    }
    const handle = client.newHandle();
    const transports = createTransports();
    this.#s = {
      client,
      handle,
      config,
      closed: false,
      signalingState: 'stable',
      iceGatheringState: 'new',
      iceConnectionState: 'new',
      connectionState: 'new',
      currentLocal: null,
      pendingLocal: null,
      currentRemote: null,
      pendingRemote: null,
      canTrickle: null,
      chain: Promise.resolve(),
      chainLength: 0,
      localDescriptionSet: false,
      negotiationNeeded: false,
      updateOnEmptyChain: false,
      restartPending: false,
      dataSectionNegotiated: false,
      wantsData: false,
      transports,
      sctp: null,
      // RTCDtlsTransports of m= sections not (yet) bundled, by mid: the
      // engine bundles everything on one transport (s.transports.dtls), but
      // until an answer accepts the BUNDLE group, an offerer whose
      // bundlePolicy is not max-bundle shows one transport per m= section,
      // as Chromium does (webrtc-pc 4.2.5 RTCBundlePolicy).
      sectionTransports: new Map(),
      bundledMids: new Set(),
      stableSctp: null, // [[SctpTransport]] when the signaling state was last stable
      channels: new Map(), // handle -> RTCDataChannel
      nextChannel: 1,
      usedIds: new Set(),
      dtlsRole: null,
      transceivers: [], // RTCRtpTransceiver, in the order they were made
      nextTransceiver: 1,
      streams: new Map(), // remote MediaStream id -> MediaStream
      receiving: new WeakSet(), // transceivers whose remote track was added ([[FiredDirection]] receives)
      mediaNegotiationNeeded: false,
      cname: '',
    };
    this.#ctl = {
      post: (op, args, transfer) => {
        if (!this.#s.closed) this.#s.client.post(this.#s.handle, op, args, transfer);
      },
      // Resolves when the engine has taken the message (or the connection closed).
      request: (op, args, transfer) => (this.#s.closed ? Promise.resolve()
        : this.#s.client.request(this.#s.handle, op, args, transfer).catch(() => {})),
      closed: () => this.#s.closed,
      cname: () => this.#s.cname,
      chain: (op) => this.#chain(op),
      stats: () => this.getStats(),
      negotiationNeeded: () => {
        this.#s.mediaNegotiationNeeded = true;
        this.#updateNegotiationNeeded();
      },
    };
    client.acquire(handle, (event) => this.#deliver(event));
    client.post(handle, 'createPeerConnection', { configuration: this.#engineConfig(config) });
  }

  #engineConfig(config) {
    return {
      iceServers: config.iceServers,
      iceTransportPolicy: config.iceTransportPolicy,
      bundlePolicy: config.bundlePolicy,
      certificates: config.certificates.map((c) => RTCCertificate.pemOf(c)),
      wasmrtc: config.wasmrtc || {},
    };
  }

  // ---- attributes (4.4.2)

  get localDescription() { return description(this.#s.pendingLocal || this.#s.currentLocal); }
  get currentLocalDescription() { return description(this.#s.currentLocal); }
  get pendingLocalDescription() { return description(this.#s.pendingLocal); }
  get remoteDescription() { return description(this.#s.pendingRemote || this.#s.currentRemote); }
  get currentRemoteDescription() { return description(this.#s.currentRemote); }
  get pendingRemoteDescription() { return description(this.#s.pendingRemote); }
  get signalingState() { return this.#s.signalingState; }
  get iceGatheringState() { return this.#s.iceGatheringState; }
  get iceConnectionState() { return this.#s.iceConnectionState; }
  get connectionState() { return this.#s.connectionState; }
  get canTrickleIceCandidates() { return this.#s.canTrickle; }
  get sctp() { return this.#s.sctp; }
  get peerIdentity() { return new Promise(() => {}); }
  get idpLoginUrl() { return null; }
  get idpErrorInfo() { return null; }

  // eslint-disable-next-line no-unused-vars
  static generateCertificate(keygenAlgorithm) { // (declared: the method's length is 1)
    return generateCertificate(...arguments);
  }

  // ---- the operations chain (4.4.1.4)

  #chain(operation) {
    const s = this.#s;
    if (s.closed) return Promise.reject(domException('The RTCPeerConnection is closed', 'InvalidStateError'));
    s.chainLength++;
    const result = s.chain.then(() => {
      if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
      return operation();
    });
    const done = () => {
      s.chainLength--;
      if (s.chainLength === 0 && s.updateOnEmptyChain) {
        s.updateOnEmptyChain = false;
        this.#updateNegotiationNeeded();
      }
    };
    s.chain = result.then(done, done);
    return result.then((v) => {
      // Results of a closed connection never settle (4.4.1.4 step 7.2).
      if (s.closed) return new Promise(() => {});
      return v;
    }, (e) => {
      if (s.closed) return new Promise(() => {});
      throw e;
    });
  }

  #request(op, args, transfer) {
    return this.#s.client.request(this.#s.handle, op, args, transfer);
  }

  // ---- negotiation-needed (4.7.3)

  #isNegotiationNeeded() {
    const s = this.#s;
    if (s.restartPending) return true;
    if (s.mediaNegotiationNeeded) return true;
    return s.wantsData && !s.dataSectionNegotiated;
  }

  #updateNegotiationNeeded() {
    const s = this.#s;
    if (s.chainLength > 0) {
      s.updateOnEmptyChain = true;
      return;
    }
    setTimeout(() => {
      if (s.closed) return;
      if (s.chainLength > 0) {
        s.updateOnEmptyChain = true;
        return;
      }
      if (s.signalingState !== 'stable') return;
      if (!this.#isNegotiationNeeded()) {
        s.negotiationNeeded = false;
        return;
      }
      if (s.negotiationNeeded) return;
      s.negotiationNeeded = true;
      fire(this, 'negotiationneeded');
    }, 0);
  }

  // ---- offer/answer (4.4.2)

  // createOffer(options), or the legacy createOffer(successCallback,
  // failureCallback, options) of 4.4.3 when called with two or more
  // arguments (WebIDL overload resolution by argument count, as Chromium).
  createOffer(...args) {
    if (args.length >= 2) {
      return legacyCall(() => this.#createOffer(args[2]), args[0], args[1], {
        result: true, check: () => idl.dictionary(args[2], 'RTCOfferOptions'),
      });
    }
    return this.#createOffer(args[0]);
  }

  #createOffer(options) {
    let opts;
    try {
      opts = idl.dictionary(options, 'RTCOfferOptions');
    } catch (e) {
      return Promise.reject(e);
    }
    this.#offerToReceive(opts);
    return this.#chain(async () => {
      const s = this.#s;
      // 4.4.2 createOffer, the chained operation: "If connection's signaling
      // state is neither "stable" nor "have-local-offer", return a promise
      // rejected with a newly created InvalidStateError."
      if (s.signalingState !== 'stable' && s.signalingState !== 'have-local-offer') {
        throw domException(`createOffer in signalingState ${s.signalingState}`, 'InvalidStateError');
      }
      const r = await this.#request('createOffer', { iceRestart: !!opts.iceRestart || s.restartPending });
      // An RTCSessionDescriptionInit dictionary, not an RTCSessionDescription
      // (4.4.2 createOffer: "a newly created RTCSessionDescriptionInit"):
      // pages and libraries (simple-peer) rewrite offer.sdp before using it.
      return sessionDescriptionInit('offer', r.sdp);
    });
  }

  // 4.4.3 legacy RTCOfferOptions: offerToReceiveAudio/offerToReceiveVideo,
  // applied when createOffer is called (Chromium does so synchronously).
  #offerToReceive(opts) {
    const s = this.#s;
    if (s.closed) return; // createOffer rejects with InvalidStateError
    for (const [kind, member] of [['audio', 'offerToReceiveAudio'], ['video', 'offerToReceiveVideo']]) {
      const value = opts[member];
      if (value === undefined) continue;
      const live = s.transceivers.filter((t) => t.kind === kind && !t.stopped);
      if (!value) {
        // false: for each non-stopped transceiver of that kind, sendrecv
        // becomes sendonly and recvonly inactive.
        for (const t of live) {
          const d = t.direction;
          const direction = d === 'sendrecv' ? 'sendonly' : d === 'recvonly' ? 'inactive' : d;
          if (direction === d) continue;
          t.setDirectionSilently(direction);
          this.#ctl.post('updateTransceiver', { handle: t[T.handle], direction });
        }
        continue;
      }
      // true: unless a non-stopped transceiver of that kind receives, add a
      // recvonly one, without updating the negotiation-needed flag.
      if (live.some((t) => t.direction === 'sendrecv' || t.direction === 'recvonly')) continue;
      this.#newTransceiver(kind, 'recvonly', null, [], [], false, { negotiationNeeded: false });
    }
  }

  // createAnswer(options), or the legacy createAnswer(successCallback, failureCallback) (4.4.3).
  createAnswer(...args) {
    if (args.length >= 2) return legacyCall(() => this.#createAnswer(), args[0], args[1], { result: true });
    return this.#createAnswer();
  }

  #createAnswer() {
    return this.#chain(async () => {
      const s = this.#s;
      if (s.signalingState !== 'have-remote-offer' && s.signalingState !== 'have-local-pranswer') {
        throw domException(`createAnswer in signalingState ${s.signalingState}`, 'InvalidStateError');
      }
      const r = await this.#request('createAnswer', {});
      return sessionDescriptionInit('answer', r.sdp);
    });
  }

  // setLocalDescription(description), or the legacy
  // setLocalDescription(description, successCallback, failureCallback)
  // (4.4.3); as in Chromium, two arguments are enough (failureCallback optional).
  setLocalDescription(...args) {
    if (args.length >= 2) {
      return legacyCall(() => this.#setLocalDescription(args[0]), args[1], args[2], {
        failureOptional: true, check: () => localDescriptionInit(args[0]),
      });
    }
    return this.#setLocalDescription(args[0]);
  }

  #setLocalDescription(descriptionInit) {
    let init;
    try {
      init = localDescriptionInit(descriptionInit);
    } catch (e) {
      return Promise.reject(e);
    }
    const { type, sdp } = init;
    // 4.4.1.5: the implicit type and the last created offer/answer are the
    // engine's to choose (sdp::JsepSession keeps [[LastCreatedOffer]]).
    return this.#chain(async () => {
      const r = await this.#request('setLocalDescription', { type, sdp });
      this.#s.localDescriptionSet = true;
      this.#applyDescriptions(r, { rollback: type === 'rollback', local: true });
      return undefined;
    });
  }

  // setRemoteDescription(description), or the legacy
  // setRemoteDescription(description, successCallback, failureCallback) (4.4.3).
  setRemoteDescription(descriptionInit, ...rest) {
    if (rest.length >= 1) {
      return legacyCall(() => this.#setRemoteDescription(descriptionInit), rest[0], rest[1], {
        failureOptional: true, check: () => remoteDescriptionInit(descriptionInit),
      });
    }
    return this.#setRemoteDescription(descriptionInit);
  }

  #setRemoteDescription(descriptionInit) {
    let init;
    try {
      init = remoteDescriptionInit(descriptionInit);
    } catch (e) {
      return Promise.reject(e);
    }
    const { type, sdp } = init;
    return this.#chain(async () => {
      this.#checkRtcpMux(type, sdp);
      // 4.4.1.6 setRemoteDescription: an offer in "have-local-offer" first
      // rolls the local offer back (implicit rollback, glare), within the same
      // chained operation: the signaling state visits "stable", with its own
      // signalingstatechange, before "have-remote-offer", and negotiationneeded
      // waits until the chain is empty (4.7.3), as in Chromium.
      if (type === 'offer' && this.#s.signalingState === 'have-local-offer') {
        const rolledBack = await this.#request('setLocalDescription', { type: 'rollback', sdp: '' });
        this.#applyDescriptions(rolledBack, { rollback: true });
        if (this.#s.closed) return undefined;
      }
      const r = await this.#request('setRemoteDescription', { type, sdp });
      this.#applyDescriptions(r, { remoteOffer: type === 'offer' ? r.pendingRemote : null, rollback: type === 'rollback' });
      return undefined;
    });
  }

  // RTCRtcpMuxPolicy "require" (4.2.1; JSEP 5.10 / RFC 8829 section 5.10):
  // a remote offer or answer whose audio or video sections do not all
  // accept rtcp-mux is rejected, with InvalidAccessError as in Chromium (its
  // "Failed to set ... session description: rtcp-mux ... require"). Under
  // "negotiate" it is accepted (the engine only ever muxes RTCP).
  #checkRtcpMux(type, sdp) {
    const s = this.#s;
    if (s.config.rtcpMuxPolicy !== 'require') return;
    // An answer in the wrong state is the engine's InvalidStateError.
    const answerState = s.signalingState === 'have-local-offer' || s.signalingState === 'have-remote-pranswer';
    if (type !== 'offer' && !((type === 'answer' || type === 'pranswer') && answerState)) return;
    const missing = sectionsWithoutRtcpMux(sdp);
    if (missing.length === 0) return;
    throw domException(`setRemoteDescription: rtcpMuxPolicy is "require" but m-section ${missing[0]} has no a=rtcp-mux`, 'InvalidAccessError');
  }

  /** Applies the engine's answer to SLD/SRD: the "set the RTCSessionDescription" algorithm, final steps. */
  #applyDescriptions(r, { remoteOffer = null, rollback = false, local = false } = {}) {
    const s = this.#s;
    if (s.closed) return;
    s.currentLocal = r.currentLocal;
    s.pendingLocal = r.pendingLocal;
    s.currentRemote = r.currentRemote;
    s.pendingRemote = r.pendingRemote;
    if (r.canTrickle !== undefined && r.canTrickle !== null) s.canTrickle = r.canTrickle;
    // [[SctpTransport]]: made by the first description with a data section;
    // a rollback restores it to its value the last time the signaling state
    // was stable (4.4.1.5, rollback), so rolling back the offer that made it
    // leaves none (null, as in Chromium).
    if (rollback) s.sctp = s.stableSctp;
    else if (r.hasDataSection && !s.sctp) s.sctp = s.transports.makeSctp();
    if (r.signalingState === 'stable') s.stableSctp = s.sctp;
    if (r.iceRole) s.transports.ice[UPDATE]({ role: r.iceRole });
    s.dataSectionNegotiated = !!r.dataSectionNegotiated;
    if (r.cname) s.cname = r.cname;
    if (r.signalingState === 'stable' && !r.negotiationNeeded) s.restartPending = false;
    if (r.signalingState === 'stable') s.mediaNegotiationNeeded = !!r.negotiationNeeded && !s.restartPending;
    // Rolling back a remote offer (4.4.1.5, rollback): each receiver's
    // associated remote streams go back to what they were when the state was
    // last stable (transceivers the offer made: none), with the removals,
    // additions and track events of "set the associated remote streams".
    const remoteRollback = rollback && (s.signalingState === 'have-remote-offer' || s.signalingState === 'have-local-pranswer');
    if (remoteRollback) r = { ...r, trackChanges: this.#restoreStableStreams() };
    const remote = this.#applyTransceivers(r, remoteOffer);
    this.#applyTransports(local, rollback);
    const changed = r.signalingState !== s.signalingState;
    s.signalingState = r.signalingState;
    // 4.4.1.5 steps 10-14: signalingstatechange, then muted tracks, tracks
    // removed from and added to streams, then the track events.
    if (changed) fire(this, 'signalingstatechange');
    for (const receiver of remote.mute) receiver[T.mute](true);
    // Chromium's legacy events (measured): a remote stream its last track
    // left is removed (removestream), one that gets its first is added
    // (addstream, with its tracks in it), before the track events.
    const touched = new Map(); // stream -> had tracks before
    for (const [stream] of [...remote.remove, ...remote.add]) {
      if (!touched.has(stream)) touched.set(stream, stream.getTracks().length > 0);
    }
    for (const [stream, track] of remote.remove) platform.removeFromStream(stream, track);
    for (const [stream, track] of remote.add) platform.addToStream(stream, track);
    for (const [stream, had] of touched) if (had && stream.getTracks().length === 0) this.dispatchEvent(mediaStreamEvent('removestream', stream));
    for (const [stream, had] of touched) if (!had && stream.getTracks().length > 0) this.dispatchEvent(mediaStreamEvent('addstream', stream));
    for (const e of remote.events) this.dispatchEvent(e);
    if (s.signalingState === 'stable') this.#saveStableStreams();
    if (s.signalingState === 'stable') {
      s.negotiationNeeded = false;
      this.#updateNegotiationNeeded();
    }
  }

  // Each receiving transceiver's associated remote streams in the last
  // stable state (what a rollback of a remote offer restores).
  #saveStableStreams() {
    const s = this.#s;
    s.stableStreams = new Map();
    for (const t of s.transceivers) {
      if (!s.receiving.has(t)) continue;
      const { track } = t.receiver;
      s.stableStreams.set(t, [...s.streams.values()].filter((st) => platform.streamHas(st, track)).map((st) => ({ id: st.id })));
    }
  }

  // The track changes that take every transceiver back to its saved stable
  // streams: receiving ones re-added with those streams, the others (among
  // them the transceivers the rolled-back offer made) removed.
  #restoreStableStreams() {
    const s = this.#s;
    const stable = s.stableStreams || new Map();
    const changes = [];
    for (const t of s.transceivers) {
      const streams = stable.get(t);
      if (streams) changes.push({ transceiver: t[T.handle], added: true, streams });
      else if (s.receiving.has(t)) changes.push({ transceiver: t[T.handle], added: false });
    }
    return changes;
  }

  // 4.4.1.5 "set the RTCSessionDescription": [[SenderTransport]] and
  // [[ReceiverTransport]] of each transceiver with a mid, set by a local
  // description and by a remote answer (not by a remote offer), and the
  // RTCSctpTransport's transport. An m= section uses the BUNDLE tag's
  // transport (the engine's one) once bundled: by an answer that keeps it
  // in the group, or by the offer itself with bundlePolicy max-bundle;
  // before that, one of its own (Chromium's JsepTransportController).
  #applyTransports(local, rollback) {
    const s = this.#s;
    if (rollback) return; // mids taken back took their transports (T.update)
    const desc = local ? (s.pendingLocal || s.currentLocal) : (s.pendingRemote || s.currentRemote);
    if (!desc) return;
    const { type, sdp } = desc;
    const isAnswer = type === 'answer' || type === 'pranswer';
    if (!local && !isAnswer) return;
    const { bundle, dataMid } = bundleInfo(sdp);
    // An offer whose group holds a mid bundled already bundles all of it:
    // RFC 8843 section 7.3.2, the answer cannot take an m= section out of
    // an established group without rejecting it (Chromium's BundleManager).
    if (isAnswer || s.config.bundlePolicy === 'max-bundle' || bundle.some((mid) => s.bundledMids.has(mid))) {
      for (const mid of bundle) s.bundledMids.add(mid);
    }
    const transportFor = (mid) => {
      if (s.bundledMids.has(mid) || mid === bundle[0]) return s.transports.dtls;
      if (!s.sectionTransports.has(mid)) s.sectionTransports.set(mid, s.transports.makeDtls());
      return s.sectionTransports.get(mid);
    };
    for (const t of s.transceivers) {
      if (t.mid !== null) t[T.transport] = transportFor(t.mid);
    }
    if (s.sctp && dataMid !== null) s.sctp[UPDATE]({ transport: transportFor(dataMid) });
  }

  // 4.4.1.5 "set the RTCSessionDescription": transceivers the engine made
  // for a remote offer, mids and currentDirection, stopped transceivers,
  // and remote tracks added to or removed from their streams. Returns what
  // happens after signalingstatechange: tracks to mute, [stream, track]
  // pairs to remove and to add, and the track events.
  #applyTransceivers(r, remoteOffer) {
    const s = this.#s;
    const byHandle = new Map(s.transceivers.map((t) => [t[T.handle], t]));
    for (const info of r.transceivers || []) {
      let t = byHandle.get(info.handle);
      if (!t) {
        t = createTransceiver(this.#ctl, {
          handle: info.handle, kind: info.kind, direction: info.direction, receiverTrackId: info.receiverTrackId,
        });
        // A page's generated track has an id of its own: stats name that one.
        if (t.receiver.track.id !== info.receiverTrackId) {
          this.#ctl.post('updateTransceiver', { handle: info.handle, receiverTrackId: t.receiver.track.id });
        }
        s.transceivers.push(t);
        byHandle.set(info.handle, t);
      }
      t[T.update](info);
    }
    // A remote offer that rejects a section stops its transceiver at once
    // (4.4.1.5, remote description: "if the media description is rejected,
    // and transceiver is not already stopped, stop the RTCRtpTransceiver");
    // the engine is told, so that the answer rejects it too.
    if (remoteOffer && remoteOffer.sdp) {
      for (const mid of rejectedMids(remoteOffer.sdp)) {
        const t = s.transceivers.find((x) => x.mid === mid && !x.stopped);
        if (!t) continue;
        t[T.stopByRemote]();
        this.#ctl.post('updateTransceiver', { handle: t[T.handle], stop: true });
      }
    }
    // Rolled back: transceivers the engine no longer has (4.4.1.5, rollback:
    // one a remote offer created, with no track added since, leaves the set
    // of transceivers). Its mid goes back to null, as the engine's other
    // transceivers' do, and with it its transports.
    const live = new Set((r.transceivers || []).map((i) => i.handle));
    s.transceivers = s.transceivers.filter((t) => {
      if (live.has(t[T.handle]) || t[T.handle] > 0) return true;
      t[T.update]({ mid: null, currentDirection: null, ssrc: 0 });
      // Chromium stops it: stopped (currentDirection "stopped"), its remote
      // track ends with an event.
      t[T.stopByRemote]();
      return false;
    });
    const out = {
      mute: [], remove: [], add: [], events: [],
    };
    for (const change of r.trackChanges || []) {
      const t = byHandle.get(change.transceiver);
      if (!t) continue;
      const { track } = t.receiver;
      // "Set the associated remote streams": leave the streams no longer
      // named, join the new ones.
      const streams = change.added ? change.streams.map(({ id }) => {
        if (!s.streams.has(id)) s.streams.set(id, platform.remoteStream(id));
        return s.streams.get(id);
      }) : [];
      const before = [...s.streams.values()].filter((st) => platform.streamHas(st, track));
      for (const st of before) if (!streams.includes(st)) out.remove.push([st, track]);
      const added = streams.filter((st) => !before.includes(st));
      for (const st of added) out.add.push([st, track]);
      if (change.added) {
        // "Process the addition of a remote track" when a stream was added
        // or the track was not being received.
        if (added.length > 0 || !s.receiving.has(t)) {
          out.events.push(new RTCTrackEvent('track', {
            receiver: t.receiver, track, streams, transceiver: t,
          }));
        }
        s.receiving.add(t);
      } else {
        // "Process the removal of a remote track".
        out.mute.push(t.receiver);
        s.receiving.delete(t);
      }
    }
    return out;
  }

  // addIceCandidate(candidate), or the legacy addIceCandidate(candidate,
  // successCallback, failureCallback) (4.4.3), which takes all three (as in
  // Chromium: with two arguments it is the promise form).
  addIceCandidate(...args) {
    if (args.length >= 3) return legacyCall(() => this.#addIceCandidate(args[0]), args[1], args[2], {});
    return this.#addIceCandidate(args[0]);
  }

  #addIceCandidate(candidate) {
    let init = candidate;
    if (init instanceof RTCIceCandidate) init = init.toJSON();
    init = idl.dictionary(init, 'RTCIceCandidateInit');
    const line = init.candidate === undefined || init.candidate === null ? '' : String(init.candidate);
    const sdpMid = init.sdpMid === undefined ? null : init.sdpMid;
    const sdpMLineIndex = init.sdpMLineIndex === undefined ? null : init.sdpMLineIndex;
    // 4.4.1.6 addIceCandidate step 4.
    if (line !== '' && sdpMid === null && sdpMLineIndex === null) {
      return Promise.reject(new TypeError('Candidate has neither sdpMid nor sdpMLineIndex'));
    }
    return this.#chain(async () => {
      const s = this.#s;
      if (!s.pendingRemote && !s.currentRemote) {
        throw domException('addIceCandidate before setRemoteDescription', 'InvalidStateError');
      }
      // 4.4.1.6 addIceCandidate: a candidate that cannot be parsed is an OperationError.
      if (line !== '' && parseCandidate(line).foundation === null) {
        throw domException(`The candidate could not be parsed: ${line}`, 'OperationError');
      }
      const r = await this.#request('addIceCandidate', {
        candidate: line, sdpMid, sdpMLineIndex, usernameFragment: init.usernameFragment ?? null,
      });
      if (r && r.remoteCandidate) s.transports.ice[UPDATE]({ remoteCandidate: r.remoteCandidate });
      if (r) {
        s.currentRemote = r.currentRemote ?? s.currentRemote;
        s.pendingRemote = r.pendingRemote ?? s.pendingRemote;
      }
      return undefined;
    });
  }

  restartIce() {
    const s = this.#s;
    if (s.closed) return;
    s.restartPending = true;
    s.client.post(s.handle, 'restartIce', {});
    this.#updateNegotiationNeeded();
  }

  getConfiguration() {
    const c = this.#s.config;
    const out = {
      iceServers: c.iceServers.map((x) => ({ ...x, urls: x.urls.slice() })),
      iceTransportPolicy: c.iceTransportPolicy,
      bundlePolicy: c.bundlePolicy,
      rtcpMuxPolicy: c.rtcpMuxPolicy,
      iceCandidatePoolSize: c.iceCandidatePoolSize,
      certificates: c.certificates.slice(),
    };
    if (c.wasmrtc) out.wasmrtc = { ...c.wasmrtc };
    return out;
  }

  setConfiguration(configuration = {}) {
    const s = this.#s;
    const config = normalizeConfiguration(configuration, isCertificate);
    // 4.4.1.2 "set a configuration": a closed connection first, then the
    // changes that are not allowed (InvalidModificationError), then the ICE
    // servers; nothing is applied unless all of it passes.
    if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    const old = s.config;
    // Step 4.1-4.2: the same certificate objects, in the same order (an
    // omitted member is the default [], so it only matches a connection made
    // without certificates).
    if (config.certificates.length !== old.certificates.length
        || config.certificates.some((x, i) => x !== old.certificates[i])) {
      throw domException('certificates cannot be changed', 'InvalidModificationError');
    }
    if (config.bundlePolicy !== old.bundlePolicy) {
      throw domException('bundlePolicy cannot be changed', 'InvalidModificationError');
    }
    if (config.rtcpMuxPolicy !== old.rtcpMuxPolicy) {
      throw domException('rtcpMuxPolicy cannot be changed', 'InvalidModificationError');
    }
    if (config.iceCandidatePoolSize !== old.iceCandidatePoolSize && s.localDescriptionSet) {
      throw domException('iceCandidatePoolSize cannot be changed after setLocalDescription', 'InvalidModificationError');
    }
    validateConfiguration(config, { checkCertificates: false });
    if (config.wasmrtc === undefined && old.wasmrtc !== undefined) config.wasmrtc = old.wasmrtc;
    s.config = config;
    s.client.post(s.handle, 'setConfiguration', { configuration: this.#engineConfig(config) });
  }

  // ---- data channels (6.1)

  createDataChannel(label, ...rest) {
    const s = this.#s;
    const dataChannelDict = rest[0];
    if (arguments.length === 0) throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': 1 argument required.");
    // 6.1 createDataChannel step 2.
    if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    const init = idl.dictionary(dataChannelDict, 'RTCDataChannelInit');
    const labelText = idl.usvString(label);
    const protocol = init.protocol === undefined ? '' : idl.usvString(init.protocol);
    if (utf8Length(labelText) > 65535) throw new TypeError('label is longer than 65535 bytes');
    if (utf8Length(protocol) > 65535) throw new TypeError('protocol is longer than 65535 bytes');
    const ordered = init.ordered === undefined ? true : !!init.ordered;
    const maxPacketLifeTime = init.maxPacketLifeTime === undefined || init.maxPacketLifeTime === null
      ? null : idl.unsignedShort(init.maxPacketLifeTime, 'maxPacketLifeTime');
    const maxRetransmits = init.maxRetransmits === undefined || init.maxRetransmits === null
      ? null : idl.unsignedShort(init.maxRetransmits, 'maxRetransmits');
    if (maxPacketLifeTime !== null && maxRetransmits !== null) {
      throw new TypeError('maxPacketLifeTime and maxRetransmits cannot both be set');
    }
    const negotiated = !!init.negotiated;
    let id = init.id === undefined || init.id === null ? null : idl.unsignedShort(init.id, 'id');
    if (negotiated && id === null) throw new TypeError('negotiated channels need an id');
    if (!negotiated) id = null;
    if (id === 65535) throw new TypeError('id 65535 is reserved');
    if (id !== null) {
      if (s.sctp && s.sctp.maxChannels !== null && id >= s.sctp.maxChannels) {
        throw domException(`id ${id} is not below maxChannels`, 'OperationError');
      }
      if (s.usedIds.has(id)) throw domException(`id ${id} is already in use`, 'OperationError');
      s.usedIds.add(id);
    }
    const handle = s.nextChannel++;
    // Step 21 (6.1): once the DTLS role is negotiated, an in-band channel gets
    // its id at once. The engine allocates it (the lowest free id of our
    // parity, RFC 8832 section 6) and confirms it with a channelid event; the
    // same rule is applied here so that the id is there when this returns.
    const shownId = id === null ? this.#predictId() : id;
    if (shownId !== null && id === null) s.usedIds.add(shownId);
    const channel = createChannel(labelText, {
      ordered, maxPacketLifeTime, maxRetransmits, protocol, negotiated, id: shownId,
      readyState: 'connecting',
      port: this.#channelPort(handle),
    });
    s.channels.set(handle, channel);
    s.client.post(s.handle, 'createDataChannel', {
      channel: handle, label: labelText, protocol, ordered, maxPacketLifeTime, maxRetransmits, negotiated, id,
    });
    // 6.1 step 20: the first data channel makes negotiation needed.
    if (!s.wantsData) {
      s.wantsData = true;
      this.#updateNegotiationNeeded();
    }
    return channel;
  }

  #channelPort(handle) {
    const s = this.#s;
    let queue = null;
    let queued = 0;
    const post = (data, binary) => {
      const transfer = binary ? [data] : undefined;
      s.client.post(s.handle, 'send', { channel: handle, binary, data }, transfer);
    };
    return {
      maxMessageSize: () => (s.sctp ? s.sctp.maxMessageSize : DEFAULT_MAX_MESSAGE_SIZE),
      send(data, binary) {
        if (queue) {
          queued++;
          queue = queue.then(() => post(data, binary)).finally(() => { if (--queued === 0) queue = null; });
        } else {
          post(data, binary);
        }
      },
      sendLater(promise) {
        queued++;
        queue = (queue || Promise.resolve()).then(() => promise).then((buf) => post(buf, true))
          .finally(() => { if (--queued === 0) queue = null; });
      },
      close() {
        s.client.post(s.handle, 'closeDataChannel', { channel: handle });
      },
    };
  }

  /** The id the engine will give the next in-band channel, or null while the DTLS role is unknown. */
  #predictId() {
    const s = this.#s;
    const role = this.#dtlsRole();
    if (!s.sctp || role === null) return null;
    const limit = s.sctp.maxChannels ?? 65535;
    for (let id = role === 'client' ? 0 : 1; id < limit; id += 2) {
      if (!s.usedIds.has(id)) return id;
    }
    return null;
  }

  /**
   * Our DTLS role from the current descriptions' a=setup (RFC 8842 section
   * 5): active is the DTLS client, passive the server; an actpass offer
   * takes the role the answer leaves it. Null before an answer is applied.
   */
  #dtlsRole() {
    const s = this.#s;
    if (s.dtlsRole) return s.dtlsRole;
    if (!s.currentLocal || !s.currentRemote) return null;
    const setup = (d) => /^a=setup:(\w+)/m.exec(d.sdp)?.[1] ?? null;
    const local = setup(s.currentLocal);
    const remote = setup(s.currentRemote);
    if (local === 'active' || (local === 'actpass' && remote === 'passive')) s.dtlsRole = 'client';
    else if (local === 'passive' || (local === 'actpass' && remote === 'active')) s.dtlsRole = 'server';
    return s.dtlsRole ?? null;
  }

  /** The engine's id for an in-band channel: it is the authority, if it differs from the one shown. */
  #channelId(handle, id) {
    const s = this.#s;
    const channel = s.channels.get(handle);
    if (!channel || channel.id === id) return;
    if (channel.id !== null) s.usedIds.delete(channel.id);
    channel[CH.setId](id);
    s.usedIds.add(id);
  }

  // ---- media (4.4.3 RTP media API)

  // CollectTransceivers: the set of transceivers, which a stopped one leaves
  // when a description is applied (4.4.1.5), not when the connection closes.
  getTransceivers() { return this.#s.transceivers.filter((t) => !t[T.update]().removed); }
  getSenders() { return this.getTransceivers().map((t) => t.sender); }
  getReceivers() { return this.getTransceivers().map((t) => t.receiver); }

  addTrack(track, ...streams) {
    const s = this.#s;
    if (!platform.isTrack(track)) throw new TypeError('addTrack takes a MediaStreamTrack');
    for (const st of streams) if (!platform.isStream(st)) throw new TypeError('addTrack streams must be MediaStreams');
    if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    if (this.getSenders().some((x) => x.track === track)) {
      throw domException('The track already has a sender on this connection', 'InvalidAccessError');
    }
    // 4.4.3 addTrack steps 8-9: reuse a sender without a track whose
    // transceiver is of the same kind, not stopping, and never sent.
    const reuse = this.getTransceivers().find((t) => !t.stopping && t.kind === track.kind && t.sender.track === null &&
      !t.hasEverSent);
    if (reuse) {
      reuse.sender[T.streams] = [...new Set(streams)];
      reuse.sender[T.attach](track);
      const d = reuse.direction;
      const direction = d === 'recvonly' ? 'sendrecv' : d === 'inactive' ? 'sendonly' : d;
      reuse.setDirectionSilently(direction);
      this.#ctl.post('updateTransceiver', {
        handle: reuse[T.handle], direction, sender: { trackId: track.id, streamIds: streams.map((x) => x.id) },
      });
      this.#ctl.negotiationNeeded();
      return reuse.sender;
    }
    const t = this.#newTransceiver(track.kind, 'sendrecv', track, streams, [], true);
    return t.sender;
  }

  removeTrack(sender) {
    const s = this.#s;
    if (!(sender instanceof RTCRtpSender)) throw new TypeError('removeTrack takes an RTCRtpSender');
    if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    const t = s.transceivers.find((x) => x.sender === sender);
    if (!t) throw domException('The sender does not belong to this connection', 'InvalidAccessError');
    if (t.stopping || sender.track === null) return;
    sender[T.attach](null);
    const d = t.direction;
    const direction = d === 'sendrecv' ? 'recvonly' : d === 'sendonly' ? 'inactive' : d;
    t.setDirectionSilently(direction);
    this.#ctl.post('updateTransceiver', { handle: t[T.handle], direction, sender: { trackId: null, streamIds: [] } });
    this.#ctl.negotiationNeeded();
  }

  // Chromium's legacy stream API (not in webrtc-pc; older pages and
  // libraries use it), as Chromium behaves (measured):
  // addStream(stream) adds each of its tracks that has no sender yet.
  addStream(stream) {
    if (!platform.isStream(stream)) throw new TypeError('addStream takes a MediaStream');
    if (this.#s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    for (const track of stream.getTracks()) {
      if (!this.getSenders().some((x) => x.track === track)) this.addTrack(track, stream);
    }
  }

  // removeStream(stream) removes the senders of its tracks; a stream never
  // added is no error.
  removeStream(stream) {
    if (!platform.isStream(stream)) throw new TypeError('removeStream takes a MediaStream');
    if (this.#s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    const tracks = stream.getTracks();
    for (const sender of this.getSenders()) if (sender.track && tracks.includes(sender.track)) this.removeTrack(sender);
  }

  // The streams our senders send with (addTrack's or addStream's).
  getLocalStreams() {
    const out = new Set();
    for (const sender of this.getSenders()) if (sender.track) for (const st of sender[T.streams]) out.add(st);
    return [...out];
  }

  // The remote streams that have tracks.
  getRemoteStreams() { return [...this.#s.streams.values()].filter((st) => st.getTracks().length > 0); }

  // The sender's RTCDTMFSender for a track we send; SyntaxError otherwise.
  createDTMFSender(track) {
    if (!platform.isTrack(track)) throw new TypeError('createDTMFSender takes a MediaStreamTrack');
    const sender = this.getSenders().find((x) => x.track === track);
    if (!sender) throw domException('The track is not sent on this connection', 'SyntaxError');
    return sender.dtmf;
  }

  addTransceiver(trackOrKind, init = {}) {
    const s = this.#s;
    let kind;
    let track = null;
    if (platform.isTrack(trackOrKind)) {
      track = trackOrKind;
      kind = track.kind;
    } else {
      kind = String(trackOrKind);
      if (kind !== 'audio' && kind !== 'video') throw new TypeError(`'${kind}' is not a valid media kind`);
    }
    const opts = idl.dictionary(init, 'RTCRtpTransceiverInit');
    const direction = opts.direction === undefined ? 'sendrecv' : String(opts.direction);
    if (!['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(direction)) {
      throw new TypeError(`'${direction}' is not a valid RTCRtpTransceiverDirection`);
    }
    const streams = opts.streams === undefined ? [] : [...opts.streams];
    for (const st of streams) if (!platform.isStream(st)) throw new TypeError('streams must be MediaStreams');
    const encodings = opts.sendEncodings === undefined ? [] : [...opts.sendEncodings].map((e) => {
      const enc = { ...idl.dictionary(e, 'RTCRtpEncodingParameters') };
      if (enc.maxBitrate !== undefined) enc.maxBitrate = idl.unsignedLong(enc.maxBitrate, 'maxBitrate');
      return enc;
    });
    // Step 7, then step 8 "validate sendEncodings".
    if (s.closed) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    const rids = encodings.filter((e) => e.rid !== undefined).map((e) => String(e.rid));
    // A rid must match RFC 8851 section 10, rid-id = 1*(alpha-numeric / "-" / "_"),
    // and be at most 16 characters, the limit earlier webrtc-pc drafts and
    // web-platform-tests state and Chromium enforces (longer: TypeError).
    for (const rid of rids) if (!/^[A-Za-z0-9_-]{1,16}$/.test(rid)) throw new TypeError(`invalid rid '${rid}': RFC 8851 rid-id of at most 16 characters`);
    if (rids.length > 0 && rids.length !== encodings.length) throw new TypeError('either every encoding has a rid or none');
    if (new Set(rids).size !== rids.length) throw new TypeError('rids must be unique');
    for (const e of encodings) {
      if (kind === 'audio') {
        delete e.scaleResolutionDownBy;
        delete e.maxFramerate;
      } else {
        if (e.scaleResolutionDownBy !== undefined && !(Number(e.scaleResolutionDownBy) >= 1)) throw new RangeError('scaleResolutionDownBy must be >= 1');
        if (e.maxFramerate !== undefined && !(Number(e.maxFramerate) >= 0)) throw new RangeError('maxFramerate must be >= 0');
      }
    }
    return this.#newTransceiver(kind, direction, track, streams, encodings, false);
  }

  #newTransceiver(kind, direction, track, streams, encodings, addedByAddTrack, { negotiationNeeded = true } = {}) {
    const s = this.#s;
    const handle = s.nextTransceiver++;
    const receiverTrackId = globalThis.crypto.randomUUID();
    const t = createTransceiver(this.#ctl, {
      handle, kind, direction, track, streams, sendEncodings: encodings, receiverTrackId,
    });
    s.transceivers.push(t);
    const first = encodings[0] || {};
    // receiverTrackId: the engine's inbound-rtp trackIdentifier names this
    // track (its own id, which a page's generated track chose itself).
    this.#ctl.post('addTransceiver', {
      handle, kind, direction, trackId: track ? track.id : null, streamIds: streams.map((x) => x.id), addedByAddTrack, receiverTrackId: t.receiver.track.id,
    });
    if (first.active === false || first.maxBitrate !== undefined) {
      this.#ctl.post('updateTransceiver', { handle, active: first.active ?? true, maxBitrate: first.maxBitrate ?? 0 });
    }
    if (negotiationNeeded) this.#ctl.negotiationNeeded();
    return t;
  }

  // ---- stats (8.2)

  getStats(selector = null) { // length 0, as WebIDL gives an optional argument (simple-peer reads it)
    const s = this.#s;
    if (selector !== undefined && selector !== null) {
      // 8.2 getStats(selector): the one sender or receiver of that track,
      // with the stats the stats selection algorithm gives for it.
      if (!platform.isTrack(selector)) return Promise.reject(new TypeError('getStats takes a MediaStreamTrack or null'));
      const senders = s.transceivers.filter((t) => t.sender.track === selector).map((t) => t.sender);
      const receivers = s.transceivers.filter((t) => t.receiver.track === selector).map((t) => t.receiver);
      if (senders.length + receivers.length !== 1) {
        return Promise.reject(domException('The track is not sent or received exactly once on this connection', 'InvalidAccessError'));
      }
      return (senders[0] || receivers[0]).getStats();
    }
    if (s.closed) {
      return Promise.resolve(statsReport([]));
    }
    return this.#request('getStats', {}).then((list) => statsReport(list));
  }

  // ---- close (4.4.1.5 "close the connection")

  close() {
    const s = this.#s;
    if (s.closed) return;
    s.closed = true;
    s.signalingState = 'closed';
    // 4.4.1.5 "close the connection" step 6: every transceiver stops; the
    // remote tracks end (without events, the connection is gone).
    for (const t of s.transceivers) t[T.close]();
    // Channels close without events: the connection is gone (4.4.1.5).
    for (const channel of s.channels.values()) channel[CH.abort]();
    s.iceConnectionState = 'closed';
    s.connectionState = 'closed';
    // Transports close without events too ("close the connection" steps
    // 8-10), but for the RTCSctpTransport: Chromium fires its statechange
    // inside close(), the DTLS and ICE transports still "connected" then
    // (WPT RTCSctpTransport-events waits for it).
    if (s.sctp && s.sctp.state !== 'closed') s.sctp[UPDATE]({ state: 'closed' });
    s.transports.dtls[UPDATE]({ state: 'closed', silent: true });
    s.transports.ice[UPDATE]({ state: 'closed', silent: true });
    for (const dtls of s.sectionTransports.values()) {
      dtls[UPDATE]({ state: 'closed', silent: true });
      dtls.iceTransport[UPDATE]({ state: 'closed', silent: true });
    }
    s.client.post(s.handle, 'close', {});
    s.client.release(s.handle);
  }

  // ---- engine events

  // Each engine event arrives in a task of its own (a message from the
  // worker), as each networking event does in a browser, so the page's
  // microtasks run between them. When one event must be followed by another
  // in a later task (6.2 "announce the data channel": the datachannel event,
  // then open), #nextTask queues that step; until it has run, later engine
  // events wait behind it, each again in a task of its own, so nothing
  // overtakes it.
  #deliver(e) {
    const s = this.#s;
    if (s.taskQueue) s.taskQueue.push(() => this.#onEngineEvent(e));
    else this.#onEngineEvent(e);
  }

  #nextTask(step) {
    const s = this.#s;
    if (!s.taskQueue) {
      s.taskQueue = [];
      queueTask(() => this.#runTask());
    }
    // Before the engine events that wait, after the steps queued before it.
    s.taskQueue.splice(s.nextTaskAt ?? 0, 0, step);
    s.nextTaskAt = (s.nextTaskAt ?? 0) + 1;
  }

  #runTask() {
    const s = this.#s;
    const step = s.taskQueue.shift();
    s.nextTaskAt = 0;
    try {
      step();
    } finally {
      s.nextTaskAt = null;
      if (s.taskQueue.length > 0) queueTask(() => this.#runTask());
      else s.taskQueue = null;
    }
  }

  #onEngineEvent(e) {
    const s = this.#s;
    if (s.closed) return;
    switch (e.type) {
      case 'videoframe': {
        const t = s.transceivers.find((x) => x[T.handle] === e.transceiver);
        if (!t || t.stopped || !s.receiving.has(t)) break;
        t.receiver[T.frame]({
          width: e.width,
          height: e.height,
          // The worker transfers event.data as an ArrayBuffer (no copy).
          data: e.data instanceof ArrayBuffer ? new Uint8ClampedArray(e.data) : new Uint8ClampedArray(e.data.buffer, e.data.byteOffset, e.data.byteLength),
          rotation: 0,
          video: true,
          ssrc: e.ssrc,
          rtpTimestamp: e.rtpTimestamp,
        });
        break;
      }
      case 'audioframe': {
        const t = s.transceivers.find((x) => x[T.handle] === e.transceiver);
        // Audio still in flight for a removed remote track neither unmutes
        // it nor plays (webrtc-pc "process the removal of a remote track").
        if (!t || t.stopped || !s.receiving.has(t)) break;
        const samples = new Int16Array(e.samples.buffer, e.samples.byteOffset, e.samples.byteLength / 2);
        t.receiver[T.frame]({
          samples: new Int16Array(samples),
          sampleRate: e.sampleRate,
          bitsPerSample: 16,
          channelCount: e.channelCount,
          numberOfFrames: samples.length / e.channelCount,
          ssrc: e.ssrc,
          rtpTimestamp: e.rtpTimestamp,
          audioLevel: e.audioLevel,
        });
        break;
      }
      case 'dtmf': {
        const t = s.transceivers.find((x) => x[T.handle] === e.transceiver);
        if (t && !t.stopped) t.receiver[T.dtmf](e.tone, e.duration);
        break;
      }
      case 'icecandidate': {
        if (e.localDescription) {
          s.currentLocal = e.localDescription.current;
          s.pendingLocal = e.localDescription.pending;
        }
        const candidate = RTCIceCandidate[LOCAL_CANDIDATE]({
          candidate: e.candidate, sdpMid: e.sdpMid, sdpMLineIndex: e.sdpMLineIndex, usernameFragment: e.usernameFragment,
        }, { url: e.url ?? null, relayProtocol: e.relayProtocol ?? null });
        s.transports.ice[UPDATE]({ localCandidate: e.candidate });
        this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate, url: e.url ?? null }));
        break;
      }
      case 'icegatheringstatechange': {
        if (e.localDescription) {
          s.currentLocal = e.localDescription.current;
          s.pendingLocal = e.localDescription.pending;
        }
        s.transports.ice[UPDATE]({ gatheringState: e.state });
        if (e.state === s.iceGatheringState) break;
        s.iceGatheringState = e.state;
        fire(this, 'icegatheringstatechange');
        // 4.4.1.x "update the ICE gathering state" step 5: a null candidate ends gathering.
        if (e.state === 'complete') this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
        break;
      }
      case 'icecandidateerror':
        this.dispatchEvent(new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
          address: e.address ?? null, port: e.port ?? null, url: e.url, errorCode: e.errorCode, errorText: e.errorText,
        }));
        break;
      case 'iceconnectionstatechange':
        // RTCIceTransportState "completed" is the pc's only: Chromium's
        // RTCIceTransport stays "connected" (libwebrtc's IceTransportState
        // has no completed), as page code and WPT see it.
        s.transports.ice[UPDATE]({ state: e.state === 'completed' ? 'connected' : e.state, pair: e.pair });
        if (e.state === s.iceConnectionState) break;
        s.iceConnectionState = e.state;
        fire(this, 'iceconnectionstatechange');
        break;
      case 'selectedcandidatepair':
        s.transports.ice[UPDATE]({ pair: e.pair });
        break;
      case 'dtlsstatechange': {
        const error = e.error ? new RTCErrorEvent('error', { error: new RTCError({ errorDetail: e.error.detail }, e.error.message) }) : null;
        s.transports.dtls[UPDATE]({ state: e.state, remoteCertificates: e.remoteCertificates, error });
        break;
      }
      case 'connectionstatechange':
        if (e.state === s.connectionState) break;
        s.connectionState = e.state;
        fire(this, 'connectionstatechange');
        break;
      case 'sctpstatechange':
        if (!s.sctp) s.sctp = s.transports.makeSctp();
        s.sctp[UPDATE]({ state: e.state, maxMessageSize: e.maxMessageSize, maxChannels: e.maxChannels });
        break;
      case 'channelid':
        this.#channelId(e.channel, e.id);
        break;
      case 'channelopen': {
        const channel = s.channels.get(e.channel);
        if (channel) channel[CH.open]();
        break;
      }
      case 'datachannel': {
        // 6.2 "announce the data channel": created open, the datachannel
        // event, then, in a task of its own as in browsers (the page's
        // microtasks run first), open.
        const channel = createChannel(e.label, {
          ordered: e.ordered, maxPacketLifeTime: e.maxPacketLifeTime, maxRetransmits: e.maxRetransmits,
          protocol: e.protocol, negotiated: false, id: e.id, readyState: 'connecting', port: this.#channelPort(e.channel),
        });
        s.channels.set(e.channel, channel);
        s.usedIds.add(e.id);
        channel[CH.markOpen]();
        this.dispatchEvent(new RTCDataChannelEvent('datachannel', { channel }));
        this.#nextTask(() => channel[CH.fireOpen]());
        break;
      }
      case 'message': {
        const channel = s.channels.get(e.channel);
        if (channel) channel[CH.message](e.binary, e.data);
        break;
      }
      case 'sent': {
        const channel = s.channels.get(e.channel);
        if (channel) channel[CH.sent](e.bytes);
        break;
      }
      case 'channelclosing': {
        const channel = s.channels.get(e.channel);
        if (channel) channel[CH.closing]();
        break;
      }
      case 'channelclose': {
        // With e.error, the transport closed with an error (6.2): the
        // channel could not be opened (data-channel-failure), or the
        // association was lost under it, as when the peer closes its
        // connection (sctp-failure).
        const channel = s.channels.get(e.channel);
        if (channel) {
          s.channels.delete(e.channel);
          if (channel.id !== null) s.usedIds.delete(channel.id);
          const error = e.error ? new RTCErrorEvent('error', {
            error: new RTCError({ errorDetail: e.error.detail, sctpCauseCode: e.error.sctpCauseCode ?? null }, e.error.message),
          }) : null;
          channel[CH.closed](error);
        }
        break;
      }
      case 'engine-failed': {
        // The engine this connection lived in is gone (a trap, or out of
        // memory: wasm/worker/engine-service.cjs). Everything it carried
        // fails as when the network is lost: each open channel gets an
        // error (sctp-failure) and closes, the transports and the
        // connection go to "failed".
        const channels = [...s.channels.values()];
        s.channels.clear();
        for (const channel of channels) {
          if (channel.id !== null) s.usedIds.delete(channel.id);
          channel[CH.closed](new RTCErrorEvent('error', {
            error: new RTCError({ errorDetail: 'sctp-failure' }, e.message),
          }));
        }
        for (const dtls of [s.transports.dtls, ...s.sectionTransports.values()]) {
          dtls.iceTransport[UPDATE]({ state: 'failed' });
          dtls[UPDATE]({ state: 'failed' });
        }
        if (s.sctp) s.sctp[UPDATE]({ state: 'closed' });
        s.iceConnectionState = 'failed';
        s.connectionState = 'failed';
        fire(this, 'iceconnectionstatechange');
        fire(this, 'connectionstatechange');
        break;
      }
      default:
        break;
    }
  }
}

defineEventHandlers(RTCPeerConnection.prototype, [
  'negotiationneeded', 'icecandidate', 'icecandidateerror', 'signalingstatechange', 'iceconnectionstatechange',
  'icegatheringstatechange', 'connectionstatechange', 'datachannel', 'track', 'addstream', 'removestream',
]);

module.exports = { RTCPeerConnection, RTCDataChannel, setConfigurationDefaults };
