'use strict';
// RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver and RTCTrackEvent
// (webrtc-pc sections 5.2-5.4, 5.7). Each transceiver has a handle shared
// with the engine's JSEP transceiver; `ctl` is the owning connection's side
// of it (post to the engine, the DTLS transport, negotiation-needed).
const { domException, idl, queueTask } = require('./dom.cjs');
const { platform } = require('./media-platform.cjs');
const { statsReport } = require('./stats.cjs');
const { createDtmfSender } = require('./dtmf.cjs');
const { RTCRtpScriptTransform, ATTACH: TRANSFORM_ATTACH, DETACH: TRANSFORM_DETACH } = require('./encoded-transform.cjs');

const T = {
  update: Symbol.for('wasmrtc.transceiverUpdate'),
  frame: Symbol.for('wasmrtc.receiverFrame'),
  streams: Symbol.for('wasmrtc.senderStreams'),
  attach: Symbol.for('wasmrtc.senderAttach'),
  stopSending: Symbol.for('wasmrtc.senderStopSending'),
  transport: Symbol.for('wasmrtc.transceiverTransport'),
  handle: Symbol.for('wasmrtc.handle'),
  close: Symbol.for('wasmrtc.transceiverClose'),
  stopByRemote: Symbol.for('wasmrtc.transceiverStopByRemote'),
  mute: Symbol.for('wasmrtc.receiverMute'),
  end: Symbol.for('wasmrtc.receiverEnd'),
  dtmf: Symbol.for('wasmrtc.receiverDtmf'),
  dtmfSubscribe: Symbol.for('wasmrtc.receiverDtmfSubscribe'),
};
const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped'];
const CREATE = Symbol('wasmrtc.createRtp');

// What we can send and receive; mirrors src/sdp/capabilities.cc.
const CAPABILITIES = {
  audio: {
    codecs: [
      { mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
      { mimeType: 'audio/PCMU', clockRate: 8000, channels: 1 },
      { mimeType: 'audio/PCMA', clockRate: 8000, channels: 1 },
      { mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1 },
      { mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1 },
    ],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level' },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    ],
  },
  video: {
    codecs: [
      { mimeType: 'video/VP8', clockRate: 90000 },
      { mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: 'apt=96' },
      { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f' },
      { mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: 'apt=102' },
      { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f' },
      { mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: 'apt=106' },
    ],
    headerExtensions: [
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    ],
  },
};

// A codec registered with wasmrtc.codecs.register (js/webrtc/codecs.cjs):
// listed after ours, as the engine offers it.
function addCapability(kind, codec, payloadType) {
  CAPABILITIES[kind].codecs.push(codec);
  if (kind === 'video') {
    // Its RTX, whose apt is the payload type the engine gave it.
    CAPABILITIES[kind].codecs.push({ mimeType: 'video/rtx', clockRate: codec.clockRate, sdpFmtpLine: `apt=${payloadType}` });
  }
}

function capabilities(kind) {
  const c = CAPABILITIES[kind];
  if (!c) return null;
  return structuredClone(c);
}

// The `transform` setters of RTCRtpSender and RTCRtpReceiver
// (webrtc-encoded-transform 5.4): an RTCRtpScriptTransform or null; the
// engine's worker gets the transform's port.
function setTransform(owner, current, t, ctl, transceiver, side) {
  if (t !== null && !(t instanceof RTCRtpScriptTransform)) throw new TypeError('transform must be an RTCRtpScriptTransform or null');
  if (t === current) return current;
  const handle = transceiver[T.handle];
  if (t) t[TRANSFORM_ATTACH](owner, ctl, handle, side);
  else current[TRANSFORM_DETACH](ctl, handle, side);
  return t;
}

function sends(direction) { return direction === 'sendrecv' || direction === 'sendonly'; }

class RTCRtpSender {
  #ctl;
  #transceiver;
  #kind;
  #track;
  #streams = [];
  #unsubscribe = null;
  #parameters;
  #lastReturned = null; // [[LastReturnedParameters]]
  #videoInFlight = false;
  #videoWaiting = null;
  #dtmf = null;
  #transform = null;

  constructor(token, ctl, kind, track, streams, encodings) {
    if (token !== CREATE) throw new TypeError('Illegal constructor');
    this.#ctl = ctl;
    this.#kind = kind;
    if (kind === 'audio') {
      this.#dtmf = createDtmfSender({
        transceiver: () => this.#transceiver || null,
        play: (tone, duration) => this.#ctl.post('insertDtmf', { handle: this.#transceiver[T.handle], tone, duration }),
        // webrtc-pc 7.2 "determine if DTMF can be sent".
        canSend: () => {
          const t = this.#transceiver;
          if (!t || t.stopping || this.#ctl.closed() || !this.#track) return false;
          if (!sends(t.currentDirection) || !this.#parameters.encodings[0].active) return false;
          return t[T.update]().codecs.some((c) => c.mimeType.toLowerCase() === 'audio/telephone-event');
        },
      });
    }
    this.#track = track || null;
    this.#streams = streams || [];
    this.#parameters = {
      encodings: (encodings && encodings.length ? encodings : [{}]).map((e) => ({ active: e.active ?? true, ...(e.maxBitrate !== undefined ? { maxBitrate: e.maxBitrate } : {}) })),
    };
  }

  get track() { return this.#track; }
  // [[SenderTransport]]: set by the descriptions (4.4.1.5, RTCPeerConnection #applyTransports).
  get transport() { return this.#transceiver?.[T.update]().transport ?? null; }
  get rtcpTransport() { return null; }
  // 7.1: an RTCDTMFSender for audio, null for video.
  get dtmf() { return this.#dtmf; }
  static getCapabilities(kind) { return capabilities(kind); }

  // webrtc-encoded-transform 5.4: the encoded frames go through it before packetization.
  get transform() { return this.#transform; }
  set transform(t) { this.#transform = setTransform(this, this.#transform, t, this.#ctl, this.#transceiver, 'send'); }

  // 5.2 getParameters: the same parameters (and transactionId) until the
  // current task ends, [[LastReturnedParameters]].
  getParameters() {
    if (!this.#lastReturned) {
      this.#lastReturned = {
        transactionId: globalThis.crypto.randomUUID(),
        encodings: this.#parameters.encodings.map((e) => ({ ...e })),
        // What the last negotiation settled (none before it).
        headerExtensions: structuredClone(this.#transceiver?.[T.update]().headerExtensions ?? []),
        rtcp: { cname: this.#ctl.cname(), reducedSize: true },
        codecs: structuredClone(this.#transceiver?.[T.update]().codecs ?? []),
      };
      const last = this.#lastReturned;
      queueTask(() => { if (this.#lastReturned === last) this.#lastReturned = null; });
    }
    return structuredClone(this.#lastReturned);
  }

  // 5.2 setParameters: encodings' active and maxBitrate may change; the rest
  // must be what getParameters gave (InvalidModificationError otherwise).
  setParameters(parameters) {
    // WebIDL: RTCRtpSendParameters has required transactionId and encodings.
    if (parameters === null || typeof parameters !== 'object') {
      return Promise.reject(new TypeError('setParameters takes an RTCRtpSendParameters'));
    }
    if (parameters.transactionId === undefined) return Promise.reject(new TypeError('transactionId is required'));
    if (parameters.encodings === undefined) return Promise.reject(new TypeError('encodings is required'));
    if (typeof parameters.encodings[Symbol.iterator] !== 'function' || typeof parameters.encodings === 'string') {
      return Promise.reject(new TypeError('encodings must be a sequence'));
    }
    const enc = [...parameters.encodings];
    const transactionId = String(parameters.transactionId);
    // Steps 4-5.
    if (this.#transceiver.stopping) return Promise.reject(domException('The transceiver is stopped', 'InvalidStateError'));
    const last = this.#lastReturned;
    if (!last) return Promise.reject(domException('setParameters without getParameters in the same task', 'InvalidStateError'));
    // Step 6, the setParameters validation steps.
    if (transactionId !== last.transactionId) {
      return Promise.reject(domException('transactionId is not the one of the last getParameters', 'InvalidModificationError'));
    }
    if (enc.length !== last.encodings.length) {
      return Promise.reject(domException('The number of encodings cannot change', 'InvalidModificationError'));
    }
    const encodings = [];
    for (const e of enc) {
      if (e === null || typeof e !== 'object') return Promise.reject(new TypeError('an encoding must be a dictionary'));
      const out = { active: e.active === undefined ? true : !!e.active };
      if (e.maxBitrate !== undefined) {
        try {
          out.maxBitrate = idl.unsignedLong(e.maxBitrate, 'maxBitrate');
        } catch (err) {
          return Promise.reject(err);
        }
      }
      encodings.push(out);
    }
    // Step 8: configure the media stack, then in a task clear
    // [[LastReturnedParameters]], set [[SendEncodings]] and resolve.
    const first = encodings[0];
    this.#ctl.post('updateTransceiver', {
      handle: this.#transceiver[T.handle], active: first.active, maxBitrate: first.maxBitrate ?? 0,
    });
    return new Promise((resolve) => {
      queueTask(() => {
        this.#lastReturned = null;
        this.#parameters.encodings = encodings;
        resolve();
      });
    });
  }

  replaceTrack(track) {
    if (track !== null && !platform.isTrack(track)) {
      return Promise.reject(new TypeError('replaceTrack takes a MediaStreamTrack or null'));
    }
    if (track && track.kind !== this.#kind) return Promise.reject(new TypeError(`not a ${this.#kind} track`));
    if (this.#ctl.closed()) return Promise.reject(domException('The RTCPeerConnection is closed', 'InvalidStateError'));
    if (this.#transceiver.stopping) return Promise.reject(domException('The transceiver is stopped', 'InvalidStateError'));
    return this.#ctl.chain(async () => {
      this[T.attach](track);
    });
  }

  setStreams(...streams) {
    for (const st of streams) if (!platform.isStream(st)) throw new TypeError('setStreams takes MediaStreams');
    if (this.#ctl.closed()) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    this.#streams = [...new Set(streams)];
    this.#ctl.post('updateTransceiver', {
      handle: this.#transceiver[T.handle], sender: { trackId: this.#track ? this.#track.id : null, streamIds: this.#streams.map((s) => s.id) },
    });
    this.#ctl.negotiationNeeded();
  }

  getStats() {
    return this.#ctl.stats().then((report) => filterStats(report, (s) => s.type === 'outbound-rtp' && this.#transceiver.mid !== null && s.mid === this.#transceiver.mid));
  }

  get [T.streams]() { return this.#streams; }

  set [T.streams](streams) { this.#streams = streams; }

  // 5.4 stop(), "stop sending media with sender": no more frames to the
  // engine, but [[SenderTrack]] stays (as in Chromium: sender.track is
  // still the track after stop(), and removeTrack is then a no-op).
  [T.stopSending]() {
    if (this.#unsubscribe) this.#unsubscribe();
    this.#unsubscribe = null;
  }

  // Connects this sender to its transceiver and starts feeding the engine
  // with the track's frames.
  [T.attach](track, transceiver) {
    if (transceiver) this.#transceiver = transceiver;
    if (this.#unsubscribe) this.#unsubscribe();
    this.#unsubscribe = null;
    this.#track = track;
    if (!track) return;
    const handle = this.#transceiver[T.handle];
    this.#unsubscribe = platform.subscribe(track, (frame) => {
      if (this.#ctl.closed() || !sends(this.#transceiver.direction)) return;
      if (frame.video) {
        // One frame in the engine at a time: when it encodes slower than
        // the source delivers, the newest frame waits and older ones are
        // dropped, instead of piling up in the worker as latency.
        if (this.#videoInFlight) {
          this.#videoWaiting = frame;
          return;
        }
        this.#sendVideo(handle, frame);
        return;
      }
      const samples = new Int16Array(frame.samples);
      this.#ctl.post('sendAudio', {
        handle, samples, sampleRate: frame.sampleRate, channelCount: frame.channelCount,
      }, [samples.buffer]);
    });
  }

  #sendVideo(handle, frame) {
    this.#videoInFlight = true;
    const data = new Uint8Array(frame.data);
    this.#ctl.request('sendVideo', {
      handle, width: frame.width, height: frame.height, data,
    }, [data.buffer]).then(() => {
      this.#videoInFlight = false;
      const next = this.#videoWaiting;
      this.#videoWaiting = null;
      if (next && !this.#ctl.closed() && this.#track) this.#sendVideo(handle, next);
    });
  }
}

class RTCRtpReceiver {
  #ctl;
  #transceiver;
  #track;
  #remote;
  #sources = new Map(); // ssrc -> RTCRtpSynchronizationSource
  #dtmfListeners = new Set();
  #transform = null;

  constructor(token, ctl, kind, trackId) {
    if (token !== CREATE) throw new TypeError('Illegal constructor');
    this.#ctl = ctl;
    this.#remote = platform.remoteTrack(kind, trackId);
    this.#track = this.#remote.track;
  }

  get track() { return this.#track; }
  // [[ReceiverTransport]]: set by the descriptions, as [[SenderTransport]].
  get transport() { return this.#transceiver?.[T.update]().transport ?? null; }
  get rtcpTransport() { return null; }
  get jitterBufferTarget() { return null; }
  set jitterBufferTarget(v) {
    if (v !== null && (!Number.isFinite(v) || v < 0 || v > 4000)) throw new RangeError('jitterBufferTarget must be 0..4000 ms or null');
  }
  static getCapabilities(kind) { return capabilities(kind); }

  // webrtc-encoded-transform 5.4: received frames go through it before decoding.
  get transform() { return this.#transform; }
  set transform(t) { this.#transform = setTransform(this, this.#transform, t, this.#ctl, this.#transceiver, 'receive'); }

  getParameters() {
    const state = this.#transceiver?.[T.update]();
    return {
      headerExtensions: structuredClone(state?.headerExtensions ?? []),
      rtcp: { reducedSize: true },
      codecs: structuredClone(state?.codecs ?? []),
    };
  }

  getContributingSources() { return []; }

  getSynchronizationSources() {
    const horizon = performance.timeOrigin + performance.now() - 10000;
    return [...this.#sources.values()].filter((s) => s.timestamp >= horizon).map((s) => ({ ...s }));
  }

  getStats() {
    return this.#ctl.stats().then((report) => filterStats(report, (s) => s.type === 'inbound-rtp' && this.#transceiver?.mid != null && s.mid === this.#transceiver.mid));
  }

  [T.mute](muted) { this.#remote.setMuted(muted); }

  [T.end](silent) { this.#remote.end(silent); }

  // DTMF the peer sent (no W3C API receives it: nonstandard.RTCDtmfSink).
  [T.dtmfSubscribe](listener) {
    this.#dtmfListeners.add(listener);
    return () => this.#dtmfListeners.delete(listener);
  }

  [T.dtmf](tone, duration) {
    for (const l of [...this.#dtmfListeners]) l({ tone, duration });
  }

  // A decoded frame from the engine, with the RTCRtpContributingSource
  // (5.3.1) of who sent it: its SSRC, the RTP timestamp of the last packet
  // received from it, and (audio only) its audio level.
  [T.frame](frame) {
    this.#remote.setMuted(false);
    if (frame.ssrc !== undefined) {
      this.#sources.set(frame.ssrc, {
        timestamp: performance.timeOrigin + performance.now(),
        source: frame.ssrc,
        ...(frame.video ? {} : { audioLevel: frame.audioLevel ?? 0 }),
        rtpTimestamp: frame.rtpTimestamp ?? 0,
      });
    }
    this.#remote.emit(frame);
  }

  set [T.update](transceiver) { this.#transceiver = transceiver; }
}

class RTCRtpTransceiver {
  #ctl;
  #handle;
  #kind;
  #sender;
  #receiver;
  #direction;
  #state = {
    mid: null, currentDirection: null, stopping: false, stopped: false, ssrc: 0, transport: null, everSent: false, removed: false,
    codecs: [], headerExtensions: [],
  };

  constructor(token, ctl, { handle, kind, direction, track, streams, sendEncodings, receiverTrackId }) {
    if (token !== CREATE) throw new TypeError('Illegal constructor');
    this.#ctl = ctl;
    this.#handle = handle;
    this.#kind = kind;
    this.#direction = direction;
    this.#sender = new RTCRtpSender(CREATE, ctl, kind, null, streams, sendEncodings);
    this.#receiver = new RTCRtpReceiver(CREATE, ctl, kind, receiverTrackId);
    this.#receiver[T.update] = this;
    this.#sender[T.attach](track || null, this);
  }

  get mid() { return this.#state.mid; }
  get sender() { return this.#sender; }
  get receiver() { return this.#receiver; }
  get stopped() { return this.#state.stopped; }
  get direction() { return this.#state.stopping ? 'stopped' : this.#direction; }
  // 5.4 direction setter: the enum conversion (TypeError), then step 3
  // (stopping: InvalidStateError, which close() makes every transceiver),
  // step 5 (no change) and step 6 ("stopped": TypeError).
  set direction(value) {
    const v = String(value);
    if (!DIRECTIONS.includes(v)) throw new TypeError(`'${v}' is not a valid RTCRtpTransceiverDirection`);
    if (this.#state.stopping || this.#ctl.closed()) throw domException('The transceiver is stopping', 'InvalidStateError');
    if (v === this.#direction) return;
    if (v === 'stopped') throw new TypeError('Use stop() to stop a transceiver');
    this.#direction = v;
    this.#ctl.post('updateTransceiver', { handle: this.#handle, direction: v });
    this.#ctl.negotiationNeeded();
  }

  get currentDirection() { return this.#state.stopped ? 'stopped' : this.#state.currentDirection; }

  stop() {
    if (this.#ctl.closed()) throw domException('The RTCPeerConnection is closed', 'InvalidStateError');
    if (this.#state.stopping) return;
    this.#state.stopping = true;
    this.#sender[T.stopSending]();
    this.#receiver[T.end]();
    this.#ctl.post('updateTransceiver', { handle: this.#handle, stop: true });
    this.#ctl.negotiationNeeded();
  }

  // 5.4 setCodecPreferences.
  setCodecPreferences(codecs) {
    if (codecs === null || typeof codecs !== 'object' || typeof codecs[Symbol.iterator] !== 'function') {
      throw new TypeError('setCodecPreferences takes a sequence of RTCRtpCodec');
    }
    const given = [...codecs];
    for (const c of given) {
      if (c === null || typeof c !== 'object' || c.mimeType === undefined || c.clockRate === undefined) {
        throw new TypeError('an RTCRtpCodec needs mimeType and clockRate');
      }
    }
    // "codec dictionary match": a member missing on one side only differs.
    const same = (a, b) => String(a.mimeType).toLowerCase() === String(b.mimeType).toLowerCase() &&
      Number(a.clockRate) === Number(b.clockRate) &&
      (a.channels === undefined) === (b.channels === undefined) && (a.channels === undefined || Number(a.channels) === Number(b.channels)) &&
      (a.sdpFmtpLine === undefined) === (b.sdpFmtpLine === undefined) && (a.sdpFmtpLine === undefined || String(a.sdpFmtpLine) === String(b.sdpFmtpLine));
    // Step 4: duplicates go, the first of each stays.
    const unique = given.filter((c, i) => given.findIndex((d) => same(c, d)) === i);
    const ours = capabilities(this.#kind).codecs;
    if (unique.length > 0) {
      // Step 6: something that is not RTX, RED or FEC must be left to offer.
      const media = unique.filter((c) => ours.some((o) => same(o, c)) && !/\/(rtx|red|ulpfec|flexfec-03)$/i.test(String(c.mimeType)));
      if (media.length === 0) throw domException('setCodecPreferences needs a media codec this transceiver supports', 'InvalidModificationError');
      // Step 8: every codec must be one of ours.
      for (const c of unique) {
        if (!ours.some((o) => same(o, c))) throw domException(`${c.mimeType} is not a codec this transceiver supports`, 'InvalidModificationError');
      }
    }
    const list = unique.map((c) => {
      const [, name] = c.mimeType.split('/');
      return { name, clockRate: c.clockRate, channels: c.channels ?? 1, fmtp: c.sdpFmtpLine ?? '' };
    });
    // The engine gives them its payload types.
    this.#ctl.post('updateTransceiver', { handle: this.#handle, codecPreferences: list });
  }

  get [T.handle]() { return this.#handle; }
  set [T.transport](dtls) { this.#state.transport = dtls; }
  get kind() { return this.#kind; }
  get stopping() { return this.#state.stopping; }
  // addTrack's "never been used to send": [[CurrentDirection]] was never
  // sendrecv or sendonly.
  get hasEverSent() { return this.#state.everSent; }

  // The engine's view after a description was applied.
  [T.update](r) {
    if (r === undefined) return this.#state;
    this.#state.mid = r.mid ?? null;
    // A rollback that takes the mid back (4.4.1.5, rollback) takes
    // [[SenderTransport]]/[[ReceiverTransport]] back to null too, as in Chromium.
    if (this.#state.mid === null) this.#state.transport = null;
    this.#state.currentDirection = r.currentDirection ?? null;
    if (sends(this.#state.currentDirection)) this.#state.everSent = true;
    this.#state.ssrc = r.ssrc;
    this.#state.codecs = r.codecs ?? [];
    this.#state.headerExtensions = r.headerExtensions ?? [];
    if (r.stopping) this.#state.stopping = true;
    // [[Direction]] is the page's (the engine sets it only on transceivers a
    // remote offer creates, which are constructed with it): a reply to an
    // earlier request must not take back a direction set since (5.4).
    if (r.stopped && !this.#state.stopped) {
      this.#state.stopped = true;
      this.#state.stopping = true;
      this.#sender[T.attach](null);
      this.#receiver[T.end]();
    }
    // Stopped by a description: it leaves the connection's set of transceivers.
    if (r.stopped) this.#state.removed = true;
    return this.#state;
  }

  // "Stop the RTCRtpTransceiver" for a section a remote offer rejected:
  // stopped now, the receiver's track ends with an event.
  [T.stopByRemote]() {
    this.#state.stopped = true;
    this.#state.stopping = true;
    this.#sender[T.attach](null);
    this.#receiver[T.end]();
  }

  // 4.4.1.5 "close the connection": stop the RTCRtpTransceiver with
  // disappear true (the receiver's track ends without an event); it stays
  // in the set of transceivers.
  [T.close]() {
    this.#state.stopped = true;
    this.#state.stopping = true;
    // Chromium keeps sender.track (measured: getLocalStreams() still names
    // its stream after close()); nothing is sent any more.
    this.#sender[T.stopSending]();
    this.#receiver[T.end](true);
  }

  setDirectionSilently(direction) { this.#direction = direction; }
}

class RTCTrackEvent extends Event {
  #receiver;
  #track;
  #streams;
  #transceiver;

  constructor(type, init) {
    super(type, init);
    if (!init || !(init.receiver instanceof RTCRtpReceiver) || !platform.isTrack(init.track) ||
        !(init.transceiver instanceof RTCRtpTransceiver)) {
      throw new TypeError('RTCTrackEvent needs receiver, track and transceiver');
    }
    this.#receiver = init.receiver;
    this.#track = init.track;
    this.#streams = Object.freeze([...(init.streams || [])]);
    this.#transceiver = init.transceiver;
  }

  get receiver() { return this.#receiver; }
  get track() { return this.#track; }
  get streams() { return this.#streams; }
  get transceiver() { return this.#transceiver; }
}

// webrtc-pc 8.5 stats selection algorithm: the selected RTP streams and
// every stats object they reference, directly or indirectly (each *Id
// member), so that every reference resolves in the report.
function filterStats(report, keep) {
  const ids = new Set();
  const add = (s) => {
    if (!s || ids.has(s.id)) return;
    ids.add(s.id);
    for (const [k, v] of Object.entries(s)) if (k.endsWith('Id') && k !== 'id') add(report.get(v));
  };
  for (const s of report.values()) if (keep(s)) add(s);
  return statsReport([...report.values()].filter((s) => ids.has(s.id)));
}

function createTransceiver(ctl, init) {
  return new RTCRtpTransceiver(CREATE, ctl, init);
}

module.exports = {
  RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, RTCTrackEvent, createTransceiver, capabilities, addCapability, T, sends,
};
