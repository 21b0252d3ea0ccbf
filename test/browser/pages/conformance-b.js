// Page-side checks of test/browser/conformance-b.test.cjs, loaded into
// peer.html (page.addScriptTag) once window.ready has settled: each runs the
// same way on Chromium's own RTCPeerConnection and on the polyfill, and
// returns plain data that the test compares between the two.
(function () {
  /** Two connections in this page, offer/answer with every candidate in the SDP (no trickle). */
  async function connectedPair(setup = () => {}) {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    await setup(a, b);
    await a.setLocalDescription();
    await b.setRemoteDescription(await window.gathered(a));
    await b.setLocalDescription();
    await a.setRemoteDescription(await window.gathered(b));
    return [a, b];
  }

  const once = (target, type, test = () => true) => new Promise((resolve) => {
    target.addEventListener(type, function on(e) {
      if (!test(e)) return;
      target.removeEventListener(type, on);
      resolve(e);
    });
  });

  /** What an RTCError shows a page (message aside: its wording is the stack's own). */
  function describeError(error) {
    return {
      isRTCError: error instanceof RTCError,
      isDOMException: error instanceof DOMException,
      name: error.name,
      errorDetail: error.errorDetail,
      sctpCauseCode: error.sctpCauseCode,
      hasMessage: typeof error.message === 'string' && error.message.length > 0,
    };
  }

  /**
   * Watches `channels` (and the connection's RTCSctpTransport) from now on:
   * each channel's events with its readyState in the same task, and the
   * transport's states. Resolves once every channel closed and the
   * transport is closed.
   */
  function watchClose(pc, channels) {
    const log = [];
    for (const dc of channels) {
      for (const type of ['error', 'closing', 'close']) {
        dc.addEventListener(type, (e) => {
          const entry = { channel: dc.label, type, readyState: dc.readyState };
          if (type === 'error') {
            entry.isRTCErrorEvent = e instanceof RTCErrorEvent;
            entry.error = describeError(e.error);
          }
          log.push(entry);
        });
      }
    }
    const { sctp } = pc;
    sctp.addEventListener('statechange', () => log.push({ sctp: sctp.state }));
    const closed = Promise.all(channels.map((dc) => once(dc, 'close')))
      .then(() => (sctp.state === 'closed' ? null : once(sctp, 'statechange', () => sctp.state === 'closed')));
    return closed.then(() => log);
  }

  /** Defect 4: the peer connection on the other side closes under two open channels. */
  async function remoteClose() {
    let channels;
    const [a, b] = await connectedPair((x) => { channels = [x.createDataChannel('one'), x.createDataChannel('two')]; });
    await new Promise((resolve) => {
      let n = 0;
      b.ondatachannel = () => { if (++n === 2) resolve(); };
    });
    await Promise.all(channels.map((dc) => window.opened(dc)));
    const watched = watchClose(a, channels);
    b.close();
    const log = await watched;
    a.close();
    return log;
  }

  /** Defect 5: RTCCertificate.getFingerprints() of both algorithms. */
  async function fingerprints() {
    const out = [];
    for (const keygen of [
      { name: 'ECDSA', namedCurve: 'P-256' },
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    ]) {
      // eslint-disable-next-line no-await-in-loop
      const cert = await RTCPeerConnection.generateCertificate(keygen);
      out.push(cert.getFingerprints().map((f) => ({
        algorithm: f.algorithm,
        lowercaseHex: /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/.test(f.value),
      })));
    }
    return out;
  }

  /** Defect 6: event and RTCError constructors, as WebIDL converts their arguments. */
  function eventConstructors() {
    const candidate = new RTCIceCandidate({ candidate: '', sdpMid: '0' });
    const rtcError = new RTCError({ errorDetail: 'data-channel-failure' });
    const channelPc = new RTCPeerConnection();
    const channel = channelPc.createDataChannel('x');
    const cases = {
      'IceEvent()': () => new RTCPeerConnectionIceEvent(),
      'IceEvent(type)': () => new RTCPeerConnectionIceEvent('icecandidate').candidate,
      'IceEvent(type, undefined)': () => new RTCPeerConnectionIceEvent('icecandidate', undefined).candidate,
      'IceEvent(type, "string")': () => new RTCPeerConnectionIceEvent('icecandidate', 'string'),
      'IceEvent candidate null': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }).candidate,
      'IceEvent candidate undefined': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: undefined }).candidate,
      'IceEvent candidate RTCIceCandidate': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate }).candidate === candidate,
      'IceEvent candidate ""': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: '' }),
      'IceEvent candidate string': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host' }),
      'IceEvent candidate {}': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: {} }),
      'IceEvent candidate init dictionary': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: { candidate: '', sdpMid: '0' } }),
      'IceEvent candidate 0': () => new RTCPeerConnectionIceEvent('icecandidate', { candidate: 0 }),
      'IceEvent bubbles, cancelable': () => {
        const e = new RTCPeerConnectionIceEvent('x', { bubbles: true, cancelable: true });
        return [e.type, e.bubbles, e.cancelable];
      },
      'IceErrorEvent()': () => new RTCPeerConnectionIceErrorEvent(),
      'IceErrorEvent(type)': () => new RTCPeerConnectionIceErrorEvent('icecandidateerror'),
      'IceErrorEvent without errorCode': () => new RTCPeerConnectionIceErrorEvent('icecandidateerror', {}),
      'IceErrorEvent conversions': () => {
        const e = new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
          errorCode: 65536 + 701, port: '5000', address: 1, url: 2, errorText: 3,
        });
        return [e.errorCode, e.port, e.address, e.url, e.errorText];
      },
      'IceErrorEvent defaults': () => {
        const e = new RTCPeerConnectionIceErrorEvent('icecandidateerror', { errorCode: 701 });
        return [e.address, e.port, e.url, e.errorText];
      },
      'DataChannelEvent()': () => new RTCDataChannelEvent(),
      'DataChannelEvent(type)': () => new RTCDataChannelEvent('datachannel'),
      'DataChannelEvent channel {}': () => new RTCDataChannelEvent('datachannel', { channel: {} }),
      'DataChannelEvent channel': () => new RTCDataChannelEvent('datachannel', { channel }).channel === channel,
      'RTCError()': () => new RTCError(),
      'RTCError({})': () => new RTCError({}),
      'RTCError bad detail': () => new RTCError({ errorDetail: 'no-such-detail' }),
      'RTCError conversions': () => {
        const e = new RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: '12', receivedAlert: -1 }, 'lost');
        return [e.name, e.message, e.errorDetail, e.sctpCauseCode, e.receivedAlert, e.sdpLineNumber, e.sentAlert];
      },
      'ErrorEvent()': () => new RTCErrorEvent(),
      'ErrorEvent(type)': () => new RTCErrorEvent('error'),
      'ErrorEvent(type, {})': () => new RTCErrorEvent('error', {}),
      'ErrorEvent error Error': () => new RTCErrorEvent('error', { error: new Error('x') }),
      'ErrorEvent error RTCError': () => new RTCErrorEvent('error', { error: rtcError }).error === rtcError,
    };
    const out = {};
    for (const [name, run] of Object.entries(cases)) {
      try {
        const value = run();
        out[name] = value instanceof Event ? 'an event' : value;
      } catch (e) {
        out[name] = `throws ${e.name}`;
      }
    }
    channelPc.close();
    return out;
  }

  /** A WebAudio oscillator track and a canvas track that keeps changing. */
  function liveTracks() {
    const ctx = new AudioContext({ sampleRate: 48000 });
    const osc = ctx.createOscillator();
    const dest = ctx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext('2d');
    let n = 0;
    let drawing = true;
    const draw = () => {
      if (!drawing) return;
      g.fillStyle = `hsl(${(n += 7) % 360}, 80%, 50%)`;
      g.fillRect(0, 0, 160, 120);
      requestAnimationFrame(draw);
    };
    draw();
    const video = canvas.captureStream(30);
    return {
      audio: () => dest.stream.getAudioTracks()[0].clone(),
      video: () => video.getVideoTracks()[0].clone(),
      stop: () => {
        drawing = false;
        ctx.close();
      },
    };
  }

  /** Records unhandled rejections from now on; `take()` returns their reasons. */
  function unhandled() {
    const reasons = [];
    const on = (e) => reasons.push(String(e.reason && (e.reason.stack || e.reason.message || e.reason)));
    window.addEventListener('unhandledrejection', on);
    return () => {
      window.removeEventListener('unhandledrejection', on);
      return reasons;
    };
  }

  const settle = (promise) => promise.then(() => 'resolved', (e) => `rejected ${e.name}`);

  /**
   * Defect 9: replaceTrack and addTrack with ended tracks, before and after
   * the connection is up, and a sent track that ends while it is read.
   */
  async function endedTracks() {
    const take = unhandled();
    const tracks = liveTracks();
    const out = {};
    const ended = (kind) => {
      const t = tracks[kind]();
      t.stop();
      return t;
    };
    let senders;
    const [a, b] = await connectedPair((x) => {
      senders = { audio: x.addTrack(tracks.audio()), video: x.addTrack(tracks.video()) };
    });
    for (const kind of ['audio', 'video']) {
      const gone = ended(kind);
      out[`${kind} replaceTrack(ended)`] = await settle(senders[kind].replaceTrack(gone));
      out[`${kind} sender.track is it`] = senders[kind].track === gone;
      try {
        out[`${kind} addTrack(ended)`] = a.addTrack(ended(kind)).track.readyState;
      } catch (e) {
        out[`${kind} addTrack(ended)`] = `throws ${e.name}`;
      }
      // A live track again, which then ends while it is being sent.
      const live = tracks[kind]();
      out[`${kind} replaceTrack(live)`] = await settle(senders[kind].replaceTrack(live));
      live.stop();
    }
    // Whatever the stack does with the ended tracks happens within a few
    // frames; there is no event for nothing going wrong.
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    out.connectionState = a.connectionState;
    a.close();
    b.close();
    tracks.stop();
    out.unhandledRejections = take();
    return out;
  }

  /** Resolves once `count` frames of the track went by (MediaStreamTrackProcessor, on both stacks' tracks). */
  async function framesOf(track, count) {
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    for (let i = 0; i < count; i++) {
      // eslint-disable-next-line no-await-in-loop
      const { value, done } = await reader.read();
      if (done) break;
      value.close();
    }
    reader.cancel();
  }

  /** Defect 13: RTCRtpSynchronizationSource of received audio and video, twice. */
  async function synchronizationSources() {
    const tracks = liveTracks();
    const [a, b] = await connectedPair((x, y) => {
      x.addTrack(tracks.audio());
      x.addTrack(tracks.video());
      // Chromium plays remote audio only while something consumes it.
      y.ontrack = (e) => {
        if (e.track.kind !== 'audio') return;
        const el = new Audio();
        el.muted = true;
        el.srcObject = new MediaStream([e.track]);
        el.play();
      };
    });
    const out = {};
    for (const receiver of b.getReceivers()) {
      const { kind } = receiver.track;
      // The first received frames make a source appear. Chromium's remote
      // audio track plays silence before any packet has come (under load
      // for longer), so wait frame by frame for the source (at most 10 s of
      // audio frames, 300 video frames).
      let first = [];
      for (let i = 0; i < 1000 && first.length === 0; i++) {
        // eslint-disable-next-line no-await-in-loop
        await framesOf(receiver.track, 1);
        first = receiver.getSynchronizationSources();
      }
      // eslint-disable-next-line no-await-in-loop
      await framesOf(receiver.track, kind === 'audio' ? 30 : 10);
      const second = receiver.getSynchronizationSources();
      const [s1] = first;
      const [s2] = second;
      const now = performance.timeOrigin + performance.now();
      out[kind] = {
        sources: [first.length, second.length],
        contributing: receiver.getContributingSources().length,
        members: Object.keys(s2).sort(),
        sameSource: s1.source === s2.source,
        rtpTimestampInRange: [s1, s2].every((s) => Number.isInteger(s.rtpTimestamp) && s.rtpTimestamp >= 0 && s.rtpTimestamp < 2 ** 32),
        rtpTimestampAdvanced: s2.rtpTimestamp !== s1.rtpTimestamp,
        timestampRecent: Math.abs(now - s2.timestamp) < 2000,
        audioLevel: typeof s2.audioLevel,
      };
    }
    a.close();
    b.close();
    tracks.stop();
    return out;
  }

  // Chromium's legacy members: addStream, removeStream, getLocalStreams,
  // getRemoteStreams, createDTMFSender, the addstream/removestream events
  // and RTCDataChannel.reliable.
  async function legacyStreams() {
    const out = { order: [] };
    const ctx = new AudioContext();
    const newTrack = () => ctx.createMediaStreamDestination().stream.getAudioTracks()[0];
    const [t1, t2, t3, t4] = [newTrack(), newTrack(), newTrack(), newTrack()];
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    const s1 = new MediaStream([t1]);
    a.addTrack(t1, s1);
    out.afterAddTrack = a.getLocalStreams().map((s) => s === s1);
    const s2 = new MediaStream([t2, t3]);
    a.addStream(s2);
    out.afterAddStream = a.getLocalStreams().map((s) => s === s2);
    a.addStream(s2);
    a.addStream(new MediaStream([t2]));
    out.sendersAfterRepeats = a.getSenders().length;
    for (const bad of [null, {}, t1]) {
      try { a.addStream(bad); out[`addStream(${bad === null ? 'null' : typeof bad})`] = 'ok'; } catch (e) { out[`addStream(${bad === null ? 'null' : typeof bad})`] = e.name; }
    }
    out.dtmfIsTheSenders = a.createDTMFSender(t2) === a.getSenders().find((x) => x.track === t2).dtmf;
    try { a.createDTMFSender(t4); out.dtmfUnsent = 'ok'; } catch (e) { out.dtmfUnsent = e.name; }
    b.ontrack = (e) => out.order.push(`track ${e.streams.length}`);
    b.onaddstream = (e) => out.order.push(`addstream ${e.constructor.name} tracks ${e.stream.getTracks().length}`);
    b.onremovestream = (e) => out.order.push(`removestream ${e.constructor.name}`);
    const o1 = await a.createOffer();
    await a.setLocalDescription(o1);
    await b.setRemoteDescription(o1);
    out.order.push('resolved');
    out.remote = b.getRemoteStreams().map((s) => [s.id === s1.id || s.id === s2.id, s.getTracks().length]);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    try { a.removeStream(new MediaStream()); out.removeUnknown = 'ok'; } catch (e) { out.removeUnknown = e.name; }
    a.removeStream(s2);
    out.afterRemove = a.getLocalStreams().map((s) => s === s1);
    out.sendersAfterRemove = a.getSenders().map((x) => !!x.track);
    const o2 = await a.createOffer();
    await a.setLocalDescription(o2);
    await b.setRemoteDescription(o2);
    out.order.push('resolved');
    out.remoteAfterRemove = b.getRemoteStreams().length;
    out.reliable = [
      a.createDataChannel('r').reliable,
      a.createDataChannel('m', { maxRetransmits: 0 }).reliable,
      a.createDataChannel('l', { maxPacketLifeTime: 100 }).reliable,
    ];
    a.close();
    b.close();
    try { a.addStream(s2); out.closed = 'ok'; } catch (e) { out.closed = e.name; }
    out.localWhenClosed = a.getLocalStreams().length;
    out.senderTracksWhenClosed = a.getSenders().map((x) => x.track === null);
    out.hasOnaddstream = 'onaddstream' in a && 'onremovestream' in a;
    for (const t of [t1, t2, t3, t4]) t.stop();
    await ctx.close();
    return out;
  }

  // A renegotiation that stops the only transceiver leaves no transport
  // (WPT RTCPeerConnection-iceGatheringState): the states go back to "new"
  // (the offerer's after its setLocalDescription(offer), the answerer's
  // before its setLocalDescription(answer) resolves), and ICE does not
  // start again.
  async function closeAllTransports() {
    const log = [];
    const pc1 = new RTCPeerConnection();
    const pc2 = new RTCPeerConnection();
    pc1.addTransceiver('audio', { direction: 'recvonly' });
    pc1.onicecandidate = (e) => e.candidate && pc2.addIceCandidate(e.candidate).catch(() => {});
    pc2.onicecandidate = (e) => e.candidate && pc1.addIceCandidate(e.candidate).catch(() => {});
    await pc1.setLocalDescription();
    await pc2.setRemoteDescription(pc1.localDescription);
    await pc2.setLocalDescription();
    await pc1.setRemoteDescription(pc2.localDescription);
    const settled = (pc) => new Promise((resolve) => {
      const check = () => {
        if (pc.iceGatheringState === 'complete' && pc.connectionState === 'connected' && pc.iceConnectionState === 'connected') resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    await Promise.all([settled(pc1), settled(pc2)]);
    for (const [name, pc] of [['pc1', pc1], ['pc2', pc2]]) {
      pc.onicegatheringstatechange = () => log.push(`${name} icegatheringstatechange ${pc.iceGatheringState}`);
      pc.oniceconnectionstatechange = () => log.push(`${name} iceconnectionstatechange ${pc.iceConnectionState}`);
      pc.onconnectionstatechange = () => log.push(`${name} connectionstatechange ${pc.connectionState}`);
    }
    pc1.getTransceivers()[0].stop();
    await pc1.setLocalDescription(await pc1.createOffer());
    log.push('pc1 setLocalDescription resolved');
    await new Promise((r) => { setTimeout(r, 100); });
    await pc2.setRemoteDescription(pc1.localDescription);
    log.push('pc2 setRemoteDescription resolved');
    await pc2.setLocalDescription(await pc2.createAnswer());
    log.push(`pc2 setLocalDescription resolved ${pc2.iceGatheringState} ${pc2.iceConnectionState} ${pc2.connectionState}`);
    await pc1.setRemoteDescription(pc2.localDescription);
    log.push(`pc1 setRemoteDescription resolved ${pc1.iceGatheringState} ${pc1.iceConnectionState} ${pc1.connectionState}`);
    await new Promise((r) => { setTimeout(r, 500); });
    log.push(`end ${pc1.iceGatheringState} ${pc1.iceConnectionState} ${pc1.connectionState} ${pc2.iceGatheringState} ${pc2.iceConnectionState} ${pc2.connectionState}`);
    pc1.close();
    pc2.close();
    return log;
  }

  window.conformanceB = {
    remoteClose, fingerprints, eventConstructors, endedTracks, synchronizationSources, watchClose, legacyStreams, closeAllTransports,
  };
}());
