// Drop-in conformance (issue 12): page code must not tell the polyfill from
// Chromium's own RTCPeerConnection. Each case below is a small page-side
// check, run once in a page with Chromium's own API and once in a page with
// the polyfill forced (no gateway: two connections of one page meet in the
// engine's own network), and the two results must be equal.
//
// Where webrtc-pc asks for more than Chromium gives (an RTCError with its
// errorDetail where Chromium rejects with a plain DOMException), the case
// names those members of its result in `spec`: they are left out of the
// comparison, and the polyfill must give exactly them.
//
// Adding a case: append { name, check, spec? } to CASES. `check` is an async
// function run in the page (Playwright sends its source: no closures); it
// may use window.conformance (pages/conformance.js) and window.gathered /
// window.opened (pages/peer.js), closes what it opens, and returns plain data.
const path = require('path');
const { startStaticServer } = require('../support/static-server.cjs');
const { launchChromium } = require('../support/chromium.cjs');

jest.setTimeout(60000);

const CASES = [
  {
    // webrtc-pc 6.2 send() step 4: what would overflow the send buffer
    // throws OperationError, and the channel stays open. Chromium's buffer
    // is 16 MiB: 256 sends of 64 KiB in one task fit, the next does not.
    name: '6.2 send() past the 16 MiB send buffer throws OperationError; the channel stays open and delivers',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      const channel = a.createDataChannel('x');
      const received = new Promise((resolve) => {
        b.ondatachannel = ({ channel: remote }) => {
          let n = 0;
          remote.onmessage = () => { n += 1; if (n === 256) resolve(n); };
        };
      });
      await window.conformance.connectPair(a, b);
      await window.opened(channel);
      const chunk = new Uint8Array(64 * 1024);
      let sent = 0;
      let error = null;
      try {
        for (let i = 0; i < 1000; i++) {
          channel.send(chunk);
          sent += 1;
        }
      } catch (e) {
        error = window.conformance.errorInfo(e);
      }
      const out = { sent, error, readyState: channel.readyState, bufferedAmount: channel.bufferedAmount };
      out.delivered = await received;
      a.close();
      b.close();
      return out;
    },
  },
  {
    // WebIDL 3.7: the interface objects. Members are the prototype's own
    // (a subclass put them one level down), lengths and @@toStringTag as
    // the IDL says, interfaces without a constructor throw TypeError, and an
    // RTCStatsReport is a readonly maplike, not a Map.
    name: 'WebIDL interface objects: own members, lengths, toStringTag, constructors; RTCStatsReport is no Map',
    spec: { RTCSessionDescription: '1 TypeError [object RTCSessionDescription]' }, // Chromium: 0 ok (argument optional)
    check: async () => {
      const out = {};
      for (const n of ['RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate', 'RTCPeerConnectionIceEvent',
        'RTCPeerConnectionIceErrorEvent', 'RTCDataChannelEvent', 'RTCTrackEvent', 'RTCErrorEvent', 'RTCError',
        'RTCDTMFToneChangeEvent', 'RTCDataChannel', 'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCCertificate',
        'RTCStatsReport', 'RTCSctpTransport', 'RTCDtlsTransport', 'RTCIceTransport', 'RTCDTMFSender']) {
        const c = window[n];
        let made;
        try { new c(); made = 'ok'; } catch (e) { made = e.name; } // eslint-disable-line no-new
        out[n] = `${c.length} ${made} ${Object.prototype.toString.call(c.prototype)}`;
      }
      const proto = RTCPeerConnection.prototype;
      out.chain = Object.getPrototypeOf(proto) === EventTarget.prototype;
      out.members = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate',
        'getStats', 'addTransceiver', 'addTrack', 'removeTrack', 'createDataChannel', 'restartIce', 'getConfiguration',
        'setConfiguration', 'close', 'getSenders', 'getReceivers', 'getTransceivers', 'localDescription', 'signalingState',
        'connectionState', 'sctp', 'onicecandidate', 'ontrack', 'ondatachannel']
        .filter((m) => !Object.prototype.hasOwnProperty.call(proto, m));
      out.generateCertificate = typeof RTCPeerConnection.generateCertificate;
      const pc = new RTCPeerConnection();
      const report = await pc.getStats();
      out.report = {
        isMap: report instanceof Map, set: typeof report.set, size: typeof report.size, iterable: typeof report[Symbol.iterator],
      };
      pc.close();
      return out;
    },
  },
  {
    // webrtc-pc 6.2 "announce the data channel": the datachannel event, then
    // open in a later task, as Chromium does, so a listener's awaits are
    // done before open and an onopen set after them still fires.
    name: '6.2 a remote channel opens in a task after datachannel: the listener\'s microtasks run first',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.createDataChannel('x');
      const log = [];
      const opened = new Promise((resolve) => {
        b.ondatachannel = async ({ channel }) => {
          log.push(`datachannel ${channel.readyState}`);
          channel.addEventListener('open', () => {
            log.push('open');
            setTimeout(resolve, 0);
          });
          await null;
          await null;
          await null;
          log.push('awaits done');
          channel.onopen = () => log.push('onopen set after the awaits');
        };
      });
      await window.conformance.connectPair(a, b);
      await opened;
      a.close();
      b.close();
      return log;
    },
  },
  {
    // webrtc-pc 4.4.2 createOffer/createAnswer: an RTCSessionDescriptionInit.
    name: '12.2 createOffer/createAnswer resolve with a plain, writable dictionary',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.createDataChannel('x');
      const shape = (d) => ({
        plain: Object.getPrototypeOf(d) === Object.prototype,
        isDescription: d instanceof RTCSessionDescription,
        keys: Object.keys(d),
        type: d.type,
      });
      const offer = await a.createOffer();
      const out = { offer: shape(offer) };
      // What simple-peer does to the offer before using it.
      offer.sdp = offer.sdp.replace(/\r\na=ice-options:trickle/g, '');
      out.assigned = !offer.sdp.includes('a=ice-options:trickle');
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      out.answer = shape(answer);
      out.localDescription = a.localDescription instanceof RTCSessionDescription;
      a.close();
      b.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.3 legacy createOffer: "Return a promise resolved with undefined".
    name: '12.3 legacy createOffer(success, failure): the promise resolves at once, success gets the offer',
    check: async () => {
      const pc = new RTCPeerConnection();
      pc.createDataChannel('x');
      const log = [];
      let done;
      const called = new Promise((resolve) => { done = resolve; });
      const returned = pc.createOffer((d) => {
        log.push(['success', Object.keys(d), d.type, Object.getPrototypeOf(d) === Object.prototype]);
        done();
      }, (e) => {
        log.push(['failure', e.name]);
        done();
      });
      returned.then((v) => log.push(['resolved', v === undefined]));
      await called;
      const failed = await new Promise((resolve) => {
        pc.createAnswer(() => resolve('success'), (e) => resolve(`failure ${e.name}`));
      });
      pc.close();
      return { isPromise: returned instanceof Promise, log, createAnswerInStable: failed };
    },
  },
  {
    name: '12.3 legacy setLocal/RemoteDescription, createAnswer and addIceCandidate with callbacks',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.createDataChannel('x');
      const call = (fn) => new Promise((resolve) => {
        fn(function success() { resolve(['success', arguments.length]); }, (e) => resolve(['failure', e.name]));
      });
      const offer = await new Promise((resolve, reject) => { a.createOffer(resolve, reject); });
      const out = {};
      out.setLocalOffer = await call((ok, fail) => a.setLocalDescription(offer, ok, fail));
      out.setRemoteOffer = await call((ok, fail) => b.setRemoteDescription(offer, ok, fail));
      const answer = await new Promise((resolve, reject) => { b.createAnswer(resolve, reject); });
      // Without failureCallback (Chromium takes two arguments here).
      out.setLocalAnswer = await call((ok) => b.setLocalDescription(answer, ok));
      out.setRemoteAnswer = await call((ok, fail) => a.setRemoteDescription(answer, ok, fail));
      out.states = [a.signalingState, b.signalingState];
      const mid = /a=mid:(\S+)/.exec(offer.sdp)[1];
      const line = 'candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host';
      out.candidate = await call((ok, fail) => b.addIceCandidate({ candidate: line, sdpMid: mid }, ok, fail));
      const fresh = new RTCPeerConnection();
      out.candidateWithoutRemote = await call((ok, fail) => fresh.addIceCandidate({ candidate: line, sdpMid: '0' }, ok, fail));
      // Two arguments: the promise form.
      out.twoArguments = await fresh.addIceCandidate({ candidate: line, sdpMid: '0' }, () => {})
        .then(() => 'resolved', (e) => `rejected ${e.name}`);
      for (const pc of [a, b, fresh]) pc.close();
      return out;
    },
  },
  {
    name: '12.3 legacy methods: WebIDL lengths, and arguments that are not callbacks reject with TypeError',
    check: async () => {
      const pc = new RTCPeerConnection();
      const noop = () => {};
      const reason = (p) => p.then(() => 'resolved', (e) => `rejected ${e.name}`);
      const out = {
        lengths: ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']
          .map((m) => RTCPeerConnection.prototype[m].length),
        errors: [
          await reason(pc.createOffer(undefined, undefined)),
          await reason(pc.createOffer(noop, 5)),
          await reason(pc.createOffer(noop, noop, 5)),
          await reason(pc.createAnswer(noop, 5)),
          await reason(pc.setRemoteDescription({ type: 'offer', sdp: '' }, 5, 6)),
        ],
      };
      pc.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.3 legacy RTCOfferOptions (and web-platform-tests'
    // legacy/RTCPeerConnection-createOffer-offerToReceive.html).
    name: '12.3 offerToReceiveAudio/offerToReceiveVideo',
    check: async () => {
      const { directions } = window.conformance;
      const pc = new RTCPeerConnection();
      let needed = 0;
      pc.onnegotiationneeded = () => { needed++; };
      const pending = pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
      const out = { atOnce: directions(pc) };
      const offer = await pending;
      out.offer = offer.sdp.match(/^m=\w+|^a=(sendrecv|sendonly|recvonly|inactive)$/gm);
      await pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
      out.again = directions(pc).length;
      await pc.createOffer();
      out.negotiationneeded = needed;
      const sendonly = new RTCPeerConnection();
      sendonly.addTransceiver('audio', { direction: 'sendonly' });
      await sendonly.createOffer({ offerToReceiveAudio: true });
      out.besideSendonly = directions(sendonly);
      const off = new RTCPeerConnection();
      off.addTransceiver('audio');
      off.addTransceiver('video', { direction: 'recvonly' });
      await off.createOffer({ offerToReceiveAudio: false, offerToReceiveVideo: false });
      out.false = directions(off);
      const none = new RTCPeerConnection();
      none.createDataChannel('x');
      await none.createOffer({ offerToReceiveVideo: false });
      out.falseAddsNothing = directions(none);
      const legacy = new RTCPeerConnection();
      await new Promise((resolve, reject) => { legacy.createOffer(resolve, reject, { offerToReceiveVideo: true }); });
      out.legacyThirdArgument = directions(legacy);
      for (const x of [pc, sendonly, off, none, legacy]) x.close();
      return out;
    },
  },
  {
    // webrtc-pc 5.3 "create an RTCRtpReceiver"; 5.1 addTransceiver sendEncodings.
    name: "12.7 addTransceiver('audio'/'video'): the receiver's track; rids",
    check: async () => {
      const pc = new RTCPeerConnection();
      const track = (kind) => {
        const t = pc.addTransceiver(kind).receiver.track;
        return {
          isTrack: t instanceof MediaStreamTrack,
          class: Object.prototype.toString.call(t),
          kind: t.kind,
          label: t.label,
          muted: t.muted,
          readyState: t.readyState,
        };
      };
      const out = { audio: track('audio'), video: track('video') };
      out.rids = {};
      for (const rid of ['a'.repeat(16), 'a'.repeat(17), '@Invalid!', 'a b', 'é', 'Low1']) {
        try {
          pc.addTransceiver('video', { sendEncodings: [{ rid }] });
          out.rids[rid] = 'ok';
        } catch (e) {
          out.rids[rid] = e.name;
        }
      }
      pc.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.5 rollback: [[SctpTransport]] and the transceivers'
    // transports as they were when the state was last stable.
    name: '12.8 rollback leaves no SCTP or DTLS transport behind',
    check: async () => {
      const state = (pc) => ({
        signalingState: pc.signalingState,
        sctp: pc.sctp ? pc.sctp.state : null,
        transports: pc.getTransceivers().map((t) => [t.mid !== null, !!t.sender.transport, !!t.receiver.transport]),
      });
      const out = {};
      const a = new RTCPeerConnection();
      a.createDataChannel('x');
      a.addTransceiver('audio');
      await a.setLocalDescription();
      out.localOffer = state(a);
      await a.setLocalDescription({ type: 'rollback' });
      out.localRolledBack = state(a);
      // (A fresh offerer: Chromium leaves the data section out of offers
      // after rolling back the first one.)
      const offerer = new RTCPeerConnection();
      offerer.createDataChannel('y');
      const b = new RTCPeerConnection();
      await b.setRemoteDescription(await offerer.createOffer());
      out.remoteOfferSctp = !!b.sctp;
      await b.setRemoteDescription({ type: 'rollback' });
      out.remoteRolledBack = { signalingState: b.signalingState, sctp: b.sctp };
      // After an offer/answer, rolling back a re-offer keeps what was there.
      const c = new RTCPeerConnection();
      const d = new RTCPeerConnection();
      c.createDataChannel('x');
      c.addTransceiver('audio');
      await c.setLocalDescription();
      await d.setRemoteDescription(c.localDescription);
      await d.setLocalDescription();
      await c.setRemoteDescription(d.localDescription);
      const { sctp } = c;
      c.addTransceiver('video');
      await c.setLocalDescription();
      await c.setLocalDescription({ type: 'rollback' });
      out.reofferRolledBack = state(c);
      out.sameSctp = c.sctp === sctp;
      out.sameDtls = c.getTransceivers()[0].sender.transport === sctp.transport;
      for (const pc of [a, offerer, b, c, d]) pc.close();
      return out;
    },
  },
  {
    // webrtc-pc 6.1.1 "update the data max message size": 0 is no limit.
    // Chromium's own send limit is 256 KiB, so it reports that; ours has
    // none, so +Infinity (the spec's value when neither side limits).
    name: '12.12 a peer\'s a=max-message-size:0: no limit, big messages are sent',
    spec: { maxMessageSize: [Infinity, Infinity] },
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      const dc = a.createDataChannel('big');
      const remote = new Promise((resolve) => { b.ondatachannel = (e) => resolve(e.channel); });
      await window.conformance.connectPair(a, b, { mangle: (sdp) => sdp.replace(/a=max-message-size:\d+/g, 'a=max-message-size:0') });
      await window.opened(dc);
      const channel = await remote;
      channel.binaryType = 'arraybuffer';
      const received = new Promise((resolve) => { channel.onmessage = (e) => resolve(e.data.byteLength); });
      const out = {
        maxMessageSize: [a.sctp.maxMessageSize, b.sctp.maxMessageSize],
        positive: a.sctp.maxMessageSize > 0 && b.sctp.maxMessageSize > 0,
      };
      try {
        dc.send(new Uint8Array(200000));
        out.sent = 'ok';
        out.received = await received;
      } catch (e) {
        out.sent = e.name;
      }
      a.close();
      b.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.5: SDP that does not parse rejects with an RTCError
    // (an OperationError) with errorDetail "sdp-syntax-error" and
    // sdpLineNumber. Chromium rejects with a DOMException named
    // OperationError and no RTCError members.
    name: '12.14 SDP syntax errors reject with OperationError (an RTCError: sdp-syntax-error, sdpLineNumber)',
    spec: {
      rtcError: [
        { isRTCError: true, errorDetail: 'sdp-syntax-error', sdpLineNumber: 1 },
        { isRTCError: true, errorDetail: 'sdp-syntax-error', sdpLineNumber: 3 },
        { isRTCError: true, errorDetail: 'sdp-syntax-error', sdpLineNumber: 1 },
      ],
    },
    check: async () => {
      const { errorInfo } = window.conformance;
      const pc = new RTCPeerConnection();
      // (After createOffer: setLocalDescription of text unlike the last
      // created offer is first an InvalidModificationError in webrtc-pc.)
      await pc.createOffer();
      const third = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nbogus\r\n';
      const errors = [
        await pc.setRemoteDescription({ type: 'offer', sdp: 'bogus' }).catch((e) => e),
        await pc.setLocalDescription({ type: 'offer', sdp: third }).catch((e) => e),
        await new Promise((resolve) => { pc.setRemoteDescription({ type: 'offer', sdp: 'bogus' }, resolve, resolve); }),
      ];
      pc.close();
      return {
        errors: errors.map(errorInfo),
        rtcError: errors.map((e) => ({
          isRTCError: typeof RTCError === 'function' && e instanceof RTCError,
          errorDetail: e.errorDetail,
          sdpLineNumber: e.sdpLineNumber,
        })),
      };
    },
  },
  {
    // webrtc-pc 4.4.2 createOffer, chained operation: outside "stable" and
    // "have-local-offer" it rejects with InvalidStateError (WPT
    // RTCPeerConnection-createOffer.html).
    name: '4.4.2 createOffer() in have-remote-offer rejects with InvalidStateError',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('video', { direction: 'recvonly' });
      await b.setRemoteDescription(await a.createOffer());
      const error = await b.createOffer().then(() => null, (e) => window.conformance.errorInfo(e));
      const out = { error, signalingState: b.signalingState };
      a.close();
      b.close();
      return out;
    },
  },
  {
    // 4.2.5 RTCRtcpMuxPolicy: "negotiate" is kept (Chromium accepts it);
    // changing the policy is InvalidModificationError (4.4.1.2); under
    // "require" a remote offer or answer whose audio section lacks
    // a=rtcp-mux rejects with InvalidAccessError (WPT
    // RTCConfiguration-rtcpMuxPolicy.html).
    name: '4.2.5 rtcpMuxPolicy "negotiate" is kept, cannot be changed; "require" refuses a remote description without rtcp-mux',
    check: async () => {
      const { errorInfo } = window.conformance;
      const fp = Array(32).fill('00').join(':');
      const audio = (setup, mux) => ['v=0', 'o=- 166855176514521964 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
        'a=ice-ufrag:someufrag', 'a=ice-pwd:somelongpwdwithenoughrandomness', `a=fingerprint:sha-256 ${fp}`,
        `a=setup:${setup}`, ...(setup === 'actpass' ? ['a=mid:audio1'] : []), 'a=sendonly',
        ...(mux ? ['a=rtcp-mux'] : []), 'a=rtcp-rsize', 'a=rtpmap:111 opus/48000/2', ''].join('\r\n');
      const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return errorInfo(e); } };
      const settle = (p) => p.then(() => 'ok', errorInfo);
      const out = {};
      const n = new RTCPeerConnection({ rtcpMuxPolicy: 'negotiate' });
      out.negotiate = n.getConfiguration().rtcpMuxPolicy;
      out.same = attempt(() => n.setConfiguration({ rtcpMuxPolicy: 'negotiate' }));
      out.toDefault = attempt(() => n.setConfiguration({}));
      out.toRequire = attempt(() => n.setConfiguration({ rtcpMuxPolicy: 'require' }));
      out.negotiateOffer = await settle(n.setRemoteDescription({ type: 'offer', sdp: audio('actpass', false) }));
      const r = new RTCPeerConnection();
      out.toNegotiate = attempt(() => r.setConfiguration({ rtcpMuxPolicy: 'negotiate' }));
      out.offer = await settle(r.setRemoteDescription({ type: 'offer', sdp: audio('actpass', false) }));
      out.afterOffer = r.signalingState;
      const r2 = new RTCPeerConnection();
      r2.addTransceiver('audio', { direction: 'recvonly' });
      await r2.setLocalDescription();
      out.answer = await settle(r2.setRemoteDescription({ type: 'answer', sdp: audio('active', false) }));
      out.afterAnswer = r2.signalingState;
      const m = new RTCPeerConnection();
      out.muxOffer = await settle(m.setRemoteDescription({ type: 'offer', sdp: audio('actpass', true) }));
      for (const pc of [n, r, r2, m]) pc.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.6: setRemoteDescription(offer) in have-local-offer
    // rolls back first, in the same chained operation: "stable" is visited
    // with its own event, an operation chained then runs after the offer,
    // and negotiationneeded waits until stable again (WPT
    // setRemoteDescription-offer.html "glare-proof", -rollback.html
    // "implicit rollback").
    name: '4.4.1.6 implicit rollback visits stable; chained operations and negotiationneeded wait',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('audio');
      b.addTransceiver('audio');
      await a.setLocalDescription(await a.createOffer());
      const log = [];
      let chained = null;
      a.onsignalingstatechange = () => {
        log.push(a.signalingState);
        // With no remote description yet, only chaining lets it resolve.
        if (a.signalingState === 'stable' && !chained) chained = a.addIceCandidate().then(() => 'resolved', (e) => e.name);
      };
      a.onnegotiationneeded = () => log.push(`negotiationneeded:${a.signalingState}`);
      await a.setRemoteDescription(await b.createOffer());
      const chainedResult = await chained;
      await a.setLocalDescription(await a.createAnswer());
      await new Promise((resolve) => { a.addEventListener('negotiationneeded', resolve, { once: true }); });
      a.close();
      b.close();
      return { log, chainedResult };
    },
  },
  {
    // webrtc-pc 4.4.1.5, rollback of a remote offer: the receivers' remote
    // streams go back to the last stable state; the tracks the offer added
    // leave their stream with removetrack (WPT
    // setRemoteDescription-rollback.html "onremovetrack fires during remote rollback").
    name: '4.4.1.5 rollback of a remote offer removes its tracks from their streams (removetrack)',
    check: async () => {
      const ctx = new AudioContext();
      const stream = new MediaStream([0, 1].map(() => ctx.createMediaStreamDestination().stream.getAudioTracks()[0]));
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      for (const track of stream.getTracks()) a.addTrack(track, stream);
      let remote = null;
      b.ontrack = (e) => { [remote] = e.streams; };
      await b.setRemoteDescription(await a.createOffer());
      const before = remote.getTracks().length;
      let removed = 0;
      remote.onremovetrack = () => { removed += 1; };
      await b.setRemoteDescription({ type: 'rollback' });
      const out = { before, removed, after: remote.getTracks().length, transceivers: b.getTransceivers().length };
      a.close();
      b.close();
      await ctx.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.5: gathering runs after the description is set. The
    // resolved setLocalDescription has no candidate yet; "gathering" and
    // "complete" reach a listener added after it; an offer without
    // m= sections gathers nothing; rolling back the first offer takes the
    // state back to "new" (WPT iceGatheringState.html,
    // explicit-rollback-iceGatheringState.html, candidate-in-sdp.https.html).
    name: '4.4.1.5 ICE gathering follows setLocalDescription; no transports, no gathering; rollback of the first offer: "new"',
    check: async () => {
      const next = (pc, n) => new Promise((resolve) => {
        const states = [];
        const on = () => {
          states.push(pc.iceGatheringState);
          if (states.length === n) { pc.removeEventListener('icegatheringstatechange', on); resolve(states); }
        };
        pc.addEventListener('icegatheringstatechange', on);
      });
      const out = {};
      const empty = new RTCPeerConnection();
      const emptyLog = [];
      empty.onicegatheringstatechange = () => emptyLog.push(empty.iceGatheringState);
      await empty.setLocalDescription(await empty.createOffer());
      await empty.getStats();
      const pc = new RTCPeerConnection();
      pc.addTransceiver('audio', { direction: 'recvonly' });
      let sdpAtCandidate = null;
      pc.onicecandidate = () => { if (sdpAtCandidate === null) sdpAtCandidate = pc.localDescription.sdp; };
      await pc.setLocalDescription(await pc.createOffer());
      out.candidateInSdpAtResolve = pc.localDescription.sdp.includes('a=candidate:');
      out.stateAtResolve = pc.iceGatheringState;
      out.states = await next(pc, 2);
      out.candidateInSdpAtEvent = sdpAtCandidate.includes('a=candidate:');
      await pc.setLocalDescription({ type: 'rollback' });
      out.afterRollback = await next(pc, 1);
      await empty.getStats();
      out.emptyLog = emptyLog;
      empty.close();
      pc.close();
      return out;
    },
  },
  {
    // An ICE restart re-offer gathers again at setLocalDescription
    // ("gathering", "complete"); rolling it back changes nothing (WPT
    // iceGatheringState.html "reoffer with a new transport",
    // explicit-rollback-iceGatheringState.html). A late candidate of the
    // remote's previous ufrag resolves and is ignored (WPT
    // RTCDataChannel-iceRestart.html). (Chromium resolves for a ufrag never
    // seen too; the polyfill keeps that an OperationError, see the Jest test.)
    name: '4.4.1.6 restart re-offer gathers at once; old-generation ufrags are ignored',
    check: async () => {
      const next = (pc, n) => new Promise((resolve) => {
        const states = [];
        const on = () => {
          states.push(pc.iceGatheringState);
          if (states.length === n) { pc.removeEventListener('icegatheringstatechange', on); resolve(states); }
        };
        pc.addEventListener('icegatheringstatechange', on);
      });
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('audio');
      const states = { a: [a.iceConnectionState], b: [b.iceConnectionState] };
      a.oniceconnectionstatechange = () => states.a.push(a.iceConnectionState);
      b.oniceconnectionstatechange = () => states.b.push(b.iceConnectionState);
      const connected = (pc) => new Promise((resolve) => {
        const on = () => {
          if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') resolve();
        };
        pc.addEventListener('iceconnectionstatechange', on);
      });
      const both = Promise.all([connected(a), connected(b)]);
      a.onicecandidate = (e) => b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => a.addIceCandidate(e.candidate);
      const aGathered = next(a, 2);
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription);
      await both;
      await aGathered;
      const out = {};
      const oldUfrag = /a=ice-ufrag:(\S+)/.exec(a.localDescription.sdp)[1];
      const line = 'candidate:1 1 udp 2113929471 203.0.113.100 10100 typ host';
      a.onicecandidate = null;
      b.onicecandidate = null;
      await a.setLocalDescription(await a.createOffer({ iceRestart: true }));
      out.restartStates = await next(a, 2);
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription);
      const settle = (p) => p.then(() => 'resolved', (e) => e.name);
      out.oldUfrag = await settle(b.addIceCandidate({ candidate: line, sdpMid: '0', usernameFragment: oldUfrag }));
      await a.setLocalDescription(await a.createOffer({ iceRestart: true }));
      await next(a, 2);
      const log = [];
      a.onicegatheringstatechange = () => log.push(a.iceGatheringState);
      await a.setLocalDescription({ type: 'rollback' });
      await a.getStats();
      out.afterRestartRollback = log;
      a.close();
      b.close();
      return out;
    },
  },
  {
    // webrtc-pc 5.4 stop(): "stop sending media with sender" leaves
    // [[SenderTrack]]; 4.4.3 removeTrack on a [[Stopping]] transceiver
    // returns without a change (WPT RTCPeerConnection-removeTrack).
    name: '5.4 stop() keeps sender.track; removeTrack on the stopped transceiver is a no-op',
    check: async () => {
      const ctx = new AudioContext();
      const track = ctx.createMediaStreamDestination().stream.getAudioTracks()[0];
      const pc = new RTCPeerConnection();
      const sender = pc.addTrack(track, new MediaStream([track]));
      const t = pc.getTransceivers()[0];
      t.stop();
      const afterStop = sender.track === track;
      pc.removeTrack(sender);
      const out = { afterStop, afterRemove: sender.track === track, direction: t.direction };
      pc.close();
      track.stop();
      await ctx.close();
      return out;
    },
  },
  {
    // webrtc-pc 5.4: [[Direction]] is the page's; a description applied
    // after the page set it does not take it back (crbug.com/950280, WPT
    // RTCPeerConnection-transceivers).
    name: '5.4 a direction set while another operation is chained is not reverted by it',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      const answered = b.createOffer().then((offer) => a.setRemoteDescription(offer)).then(() => a.createAnswer());
      a.addTransceiver('audio', { direction: 'recvonly' });
      const offered = a.createOffer().then(() => { a.getTransceivers()[0].direction = 'inactive'; });
      await Promise.all([offered, answered]);
      const out = { direction: a.getTransceivers()[0].direction };
      a.close();
      b.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.5, rollback: the transceiver a remote offer created
    // leaves the set, its mid back to null (WPT
    // RTCPeerConnection-setDescription-transceiver).
    name: '4.4.1.5 rolling back a remote offer: the transceiver it made goes, mid null',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('audio');
      await b.setRemoteDescription(await a.createOffer());
      const [made] = b.getTransceivers();
      const before = typeof made.mid;
      const ended = new Promise((resolve) => { made.receiver.track.onended = () => resolve('ended event'); });
      await b.setRemoteDescription({ type: 'rollback' });
      const out = { before, mid: made.mid, count: b.getTransceivers().length, transport: made.receiver.transport };
      out.ended = await Promise.race([ended, new Promise((resolve) => { setTimeout(resolve, 2000, 'no ended event'); })]);
      out.readyState = made.receiver.track.readyState;
      out.currentDirection = made.currentDirection;
      a.close();
      b.close();
      return out;
    },
  },
  {
    // webrtc-pc 4.4.1.5: [[SenderTransport]]/[[ReceiverTransport]] are set
    // by a local description or a remote answer, never by a remote offer;
    // 4.2.5 RTCBundlePolicy: an offerer not max-bundle has one transport per
    // m= section (and for SCTP) until the answer bundles them (WPT
    // RTCRtpSender-transport).
    name: '4.4.1.5 sender/receiver/SCTP transports: when they are set, and which are shared, for each bundlePolicy',
    check: async () => {
      const out = {};
      for (const bundlePolicy of ['balanced', 'max-bundle', 'max-compat']) {
        const a = new RTCPeerConnection({ bundlePolicy });
        const b = new RTCPeerConnection();
        a.addTransceiver('audio');
        a.addTransceiver('video');
        a.createDataChannel('x');
        const snap = (pc) => {
          const [t1, t2] = pc.getTransceivers();
          const sctp = pc.sctp ? pc.sctp.transport : 'no sctp';
          return {
            t1: t1.sender.transport === null ? null : 'set',
            t1SameAsReceiver: t1.sender.transport === t1.receiver.transport,
            t1t2: t1.receiver.transport === t2.receiver.transport,
            t1Sctp: t1.receiver.transport === sctp,
            t2: t2.receiver.transport === null ? null : 'set',
          };
        };
        const offer = await a.createOffer();
        const r = { created: snap(a) };
        await a.setLocalDescription(offer);
        r.localOffer = snap(a);
        await b.setRemoteDescription(offer);
        r.remoteOffer = snap(b);
        await b.setLocalDescription(await b.createAnswer());
        r.localAnswer = snap(b);
        await a.setRemoteDescription(b.localDescription);
        r.remoteAnswer = snap(a);
        // A re-offer's new m= section joins the established group at once.
        const t3 = a.addTransceiver('audio');
        await a.setLocalDescription(await a.createOffer());
        r.reofferJoinsBundle = t3.sender.transport === a.getTransceivers()[0].sender.transport;
        out[bundlePolicy] = r;
        a.close();
        b.close();
      }
      return out;
    },
  },
  {
    // webrtc-pc 5.4 stop() after createOffer: the offer applied still has
    // the m= section, so the transceiver stays (stopping, not stopped)
    // until the next offer rejects it; an answerer that stops after the
    // offer answers "inactive" (WPT RTCRtpTransceiver checkStopAfter*).
    name: '5.4 stop() between createOffer and the answer: stopping until the next offer',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('audio');
      b.addTransceiver('audio');
      const offer = await a.createOffer();
      const [t] = a.getTransceivers();
      t.stop();
      await b.setRemoteDescription(offer);
      await a.setLocalDescription(offer);
      const u = b.getTransceivers().find((x) => x.mid !== null);
      u.stop();
      const answer = await b.createAnswer();
      const out = { answerPort: /^m=audio 0 /m.test(answer.sdp) ? 0 : 'not 0', answerInactive: /^a=inactive/m.test(answer.sdp) };
      await a.setRemoteDescription(answer);
      await b.setLocalDescription(answer);
      // (Not .stopped: Chromium makes it true at stop(), not when stopped.)
      out.offerer = { count: a.getTransceivers().length, direction: t.direction, currentDirection: t.currentDirection };
      out.answerer = { direction: u.direction, currentDirection: u.currentDirection };
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription);
      out.after = { offerer: a.getTransceivers().length, stopped: t.stopped, answererStopped: u.stopped };
      a.close();
      b.close();
      return out;
    },
  },
  {
    // What close() fires on the local transports (WPT RTCSctpTransport-events
    // "SctpTransport reaches connected and closed state"): Chromium's
    // RTCSctpTransport fires statechange "closed", after close() returns;
    // webrtc-pc 4.4.1.5 "close the connection" sets the states without
    // events, and Chromium's DTLS and ICE transports fire none.
    name: '4.4.1.5 close(): the local RTCSctpTransport fires statechange closed inside close(), the ICE transport never completed; DTLS and ICE transports fire nothing',
    check: async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.createDataChannel('x');
      await window.conformance.connectPair(a, b);
      const connected = (t) => new Promise((resolve) => {
        if (t.state === 'connected') resolve();
        else t.addEventListener('statechange', () => { if (t.state === 'connected') resolve(); });
      });
      await connected(a.sctp);
      await connected(b.sctp);
      const log = [];
      const { sctp } = a;
      const dtls = sctp.transport;
      const ice = dtls.iceTransport;
      sctp.onstatechange = () => log.push(`sctp ${sctp.state} ${dtls.state} ${ice.state} ${a.connectionState} ${a.iceConnectionState} ${a.signalingState} ${a.getTransceivers().length}`);
      dtls.onstatechange = () => log.push(`dtls ${dtls.state}`);
      ice.onstatechange = () => log.push(`ice ${ice.state}`);
      ice.ongatheringstatechange = () => log.push(`gathering ${ice.gatheringState}`);
      const remoteClosed = new Promise((resolve) => {
        b.sctp.addEventListener('statechange', () => { if (b.sctp.state === 'closed') resolve(); });
      });
      a.close();
      log.push(`returned ${sctp.state} ${dtls.state} ${ice.state}`);
      await Promise.resolve();
      log.push('microtask');
      await remoteClosed;
      log.push('remote closed');
      b.close();
      return log;
    },
  },
];

const ROOT = path.join(__dirname, '..', '..');
const pages = {};
let server;
let browser;

beforeAll(async () => {
  server = await startStaticServer(ROOT);
  // Host candidates with their addresses (the test namespace has no mDNS).
  browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns']);
  for (const [mode, query, ready] of [['native', '', 'native'], ['polyfilled', '?polyfill=1', 'wasmrtc']]) {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}test/browser/pages/peer.html${query}`);
    expect(await page.evaluate(() => window.ready)).toBe(ready);
    await page.addScriptTag({ url: `${server.url}test/browser/pages/conformance.js` });
    pages[mode] = { page, errors };
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  expect(pages.native.errors).toEqual([]);
  expect(pages.polyfilled.errors).toEqual([]);
});

function split(result, keys) {
  const rest = { ...result };
  const picked = {};
  for (const k of keys) {
    picked[k] = rest[k];
    delete rest[k];
  }
  return [rest, picked];
}

test.each(CASES)('$name', async ({ check, spec = {} }) => {
  const native = await pages.native.page.evaluate(check);
  const polyfilled = await pages.polyfilled.page.evaluate(check);
  const [nativeCommon] = split(native, Object.keys(spec));
  const [common, specific] = split(polyfilled, Object.keys(spec));
  expect(common).toEqual(nativeCommon);
  expect(specific).toEqual(spec);
});
