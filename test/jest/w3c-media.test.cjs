'use strict';
// The RTP media API (webrtc-pc 4.4.1.5 "set the RTCSessionDescription" for
// transceivers and remote tracks, 4.4.3 addTrack/removeTrack/addTransceiver,
// 5.2 RTCRtpSender, 5.3 RTCRtpReceiver, 5.4 RTCRtpTransceiver, 5.7
// RTCTrackEvent) and mediacapture-main's MediaStream and MediaStreamTrack,
// with wasmrtc's nonstandard RTCAudioSource/RTCAudioSink; in the manner of
// web-platform-tests' RTCPeerConnection-addTrack, -addTransceiver,
// -removeTrack, -ontrack, RTCRtpTransceiver(-direction, -stop),
// RTCRtpSender-getParameters/setParameters/replaceTrack, getCapabilities,
// setCodecPreferences and RTCRtpReceiver-getSynchronizationSources.
// Mostly ours against ours on loopback; @roamhq/wrtc where what crosses the
// wire between stacks matters.
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { signal, waitFor, connectionState } = require('../support/peers.cjs');
const { peerFactory, throwsDom } = require('../support/w3c.cjs');

const {
  RTCPeerConnection, RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, RTCTrackEvent, MediaStream, MediaStreamTrack,
  MediaStreamTrackEvent,
} = wasmrtc;
const {
  RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink,
} = wasmrtc.nonstandard;
const { playFrames } = require('../support/video.cjs');

jest.setTimeout(30000);

const make = peerFactory(RTCPeerConnection, { wasmrtc: { loopback: true } });

// Source tracks (ours and wrtc's) and audio pumps end after each test.
const cleanups = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()();
});

function audioTrack(Source = RTCAudioSource) {
  const source = new Source();
  const track = source.createTrack();
  cleanups.push(() => track.stop());
  return { source, track };
}

function makeWrtc() {
  const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  cleanups.push(() => pc.close());
  return pc;
}

/** Feeds `source` a 440 Hz tone, 10 ms every 10 ms, until the test ends. */
function pump(source) {
  let n = 0;
  const timer = setInterval(() => {
    const samples = new Int16Array(480);
    for (let i = 0; i < 480; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (n * 480 + i)) / 48000));
    n++;
    source.onData({
      samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480,
    });
  }, 10);
  cleanups.push(() => clearInterval(timer));
}

async function rejectsWith(promise, name) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error).toBeDefined();
  expect(error.name).toBe(name);
  if (name === 'TypeError') expect(error).toBeInstanceOf(TypeError);
  else if (name === 'RangeError') expect(error).toBeInstanceOf(RangeError);
  else expect(error).toBeInstanceOf(DOMException);
  return error;
}

function throwsType(fn, Type = TypeError) {
  expect(fn).toThrow(Type);
}

/** The m= sections of an SDP: { kind, port, formats, direction, mid, lines }. */
function sections(sdp) {
  return sdp.split(/\r\n(?=m=)/).slice(1).map((text) => {
    const lines = text.split('\r\n');
    const [, kind, port, , ...formats] = /^m=(\S+) (\d+) (\S+) ?(.*)$/.exec(lines[0]);
    const direction = lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l));
    const mid = lines.find((l) => l.startsWith('a=mid:'));
    return {
      kind, port: Number(port), formats: formats.join(' ').split(' ').filter(Boolean),
      direction: direction ? direction.slice(2) : null, mid: mid ? mid.slice(6) : null, lines,
    };
  });
}

/** Resolves with the next macrotask: events queued with a task have fired. */
function nextTask() {
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/** Resolves when `count` track events fired at `pc`. */
function trackEvents(pc, count = 1) {
  return new Promise((resolve) => {
    const events = [];
    pc.addEventListener('track', function onTrack(e) {
      events.push(e);
      if (events.length === count) {
        pc.removeEventListener('track', onTrack);
        resolve(events);
      }
    });
  });
}

describe('interfaces', () => {
  test('the media classes are exported and installed by the polyfill', () => {
    const polyfill = require('../../js/polyfill.cjs'); // eslint-disable-line global-require
    for (const name of ['RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCTrackEvent', 'MediaStream',
      'MediaStreamTrack', 'MediaStreamTrackEvent']) {
      expect(typeof wasmrtc[name]).toBe('function');
      expect(polyfill[name]).toBe(wasmrtc[name]);
    }
    expect(typeof RTCAudioSource).toBe('function');
    expect(typeof RTCAudioSink).toBe('function');
  });

  test('RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver and MediaStreamTrack have no public constructor', () => {
    for (const C of [RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, MediaStreamTrack]) throwsType(() => new C());
  });

  test('each on<event> attribute exists and starts null', () => {
    const { track } = audioTrack();
    for (const type of ['mute', 'unmute', 'ended']) expect(track[`on${type}`]).toBeNull();
    const stream = new MediaStream();
    for (const type of ['addtrack', 'removetrack']) expect(stream[`on${type}`]).toBeNull();
    expect(make().ontrack).toBeNull();
  });
});

describe('getCapabilities (5.2, 5.3)', () => {
  test.each([['RTCRtpSender', RTCRtpSender], ['RTCRtpReceiver', RTCRtpReceiver]])('%s.getCapabilities', (name, C) => {
    const audio = C.getCapabilities('audio');
    expect(audio.codecs.length).toBeGreaterThan(0);
    expect(audio.codecs).toContainEqual(expect.objectContaining({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 }));
    for (const c of audio.codecs) {
      expect(c.mimeType).toMatch(/^audio\//);
      expect(typeof c.clockRate).toBe('number');
    }
    expect(Array.isArray(audio.headerExtensions)).toBe(true);
    for (const h of audio.headerExtensions) expect(typeof h.uri).toBe('string');
    const video = C.getCapabilities('video');
    expect(video.codecs.some((c) => c.mimeType === 'video/VP8' && c.clockRate === 90000)).toBe(true);
    for (const c of video.codecs) expect(c.mimeType).toMatch(/^video\//);
    // An unknown kind gives null, not an exception.
    expect(C.getCapabilities('foo')).toBeNull();
    expect(C.getCapabilities('')).toBeNull();
    // A new dictionary each time: changing one does not change the next.
    audio.codecs.length = 0;
    expect(C.getCapabilities('audio').codecs.length).toBeGreaterThan(0);
  });
});

describe('addTransceiver (4.4.3)', () => {
  test('an invalid kind, direction or stream is a TypeError', () => {
    const pc = make();
    throwsType(() => pc.addTransceiver('foo'));
    throwsType(() => pc.addTransceiver(''));
    throwsType(() => pc.addTransceiver('audio', { direction: 'foo' }));
    throwsType(() => pc.addTransceiver('audio', { streams: [{}] }));
    throwsType(() => pc.addTransceiver('audio', 5));
    expect(pc.getTransceivers()).toHaveLength(0);
  });

  test('a closed connection throws InvalidStateError, after the kind is checked and before sendEncodings', () => {
    const pc = make();
    pc.close();
    throwsDom(() => pc.addTransceiver('audio'), 'InvalidStateError');
    throwsType(() => pc.addTransceiver('foo'));
    throwsDom(() => pc.addTransceiver('video', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] }), 'InvalidStateError');
  });

  test('sendEncodings validation: bad rid is a TypeError, scaleResolutionDownBy < 1 a RangeError (video only)', () => {
    const pc = make();
    throwsType(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'no spaces allowed' }] }));
    // RFC 8851 rid-id (alphanumerics, "-", "_"), at most 16 characters (as
    // Chromium and web-platform-tests' RTCPeerConnection-addTransceiver).
    throwsType(() => pc.addTransceiver('video', { sendEncodings: [{ rid: '@Invalid!' }] }));
    throwsType(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'a'.repeat(17) }] }));
    throwsType(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'é' }] }));
    expect(pc.getTransceivers()).toEqual([]);
    pc.addTransceiver('video', { sendEncodings: [{ rid: 'a'.repeat(16) }] }).stop();
    pc.addTransceiver('video', { sendEncodings: [{ rid: 'lo-w_1' }, { rid: 'hi' }] }).stop();
    throwsType(() => pc.addTransceiver('video', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] }), RangeError);
    // For audio, scaleResolutionDownBy and maxFramerate are removed, not checked.
    const t = pc.addTransceiver('audio', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] });
    expect(t.sender.getParameters().encodings[0].scaleResolutionDownBy).toBeUndefined();
    expect(pc.getTransceivers().filter((x) => !x.stopping)).toEqual([t]);
  });

  test('a new transceiver: defaults, sender and receiver', () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    expect(t).toBeInstanceOf(RTCRtpTransceiver);
    expect(t.mid).toBeNull();
    expect(t.direction).toBe('sendrecv');
    expect(t.currentDirection).toBeNull();
    expect(t.sender).toBeInstanceOf(RTCRtpSender);
    expect(t.sender.track).toBeNull();
    expect(t.receiver).toBeInstanceOf(RTCRtpReceiver);
    // The receiver's track exists from the start: live, muted, of the kind.
    const rt = t.receiver.track;
    expect(rt).toBeInstanceOf(MediaStreamTrack);
    expect(rt.kind).toBe('audio');
    expect(rt.readyState).toBe('live');
    expect(rt.muted).toBe(true);
    // [SameObject]
    expect(t.sender).toBe(t.sender);
    expect(t.receiver.track).toBe(rt);
    // Not associated yet: no transport.
    expect(t.sender.transport).toBeNull();
    expect(t.receiver.transport).toBeNull();
    expect(pc.getTransceivers()).toEqual([t]);
    expect(pc.getSenders()).toEqual([t.sender]);
    expect(pc.getReceivers()).toEqual([t.receiver]);
    const v = pc.addTransceiver('video', { direction: 'recvonly' });
    expect(v.direction).toBe('recvonly');
    expect(v.receiver.track.kind).toBe('video');
    expect(pc.getTransceivers()).toEqual([t, v]);
  });

  test('with a track and streams: the sender sends that track; negotiationneeded fires', async () => {
    const pc = make();
    const { track } = audioTrack();
    const stream = new MediaStream([track]);
    const needed = waitFor(pc, 'negotiationneeded');
    const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    expect(t.sender.track).toBe(track);
    expect(t.direction).toBe('sendonly');
    await needed;
    // The msid names the stream in the offer.
    const offer = await pc.createOffer();
    const [audio] = sections(offer.sdp);
    expect(audio.direction).toBe('sendonly');
    expect(audio.lines.some((l) => l.startsWith(`a=msid:${stream.id} `))).toBe(true);
  });
});

describe('addTrack (4.4.3)', () => {
  test('argument errors are TypeErrors, checked before the closed connection', () => {
    const pc = make();
    const { track } = audioTrack();
    throwsType(() => pc.addTrack());
    throwsType(() => pc.addTrack({ kind: 'audio', id: 'x' }));
    throwsType(() => pc.addTrack(track, {}));
    pc.close();
    throwsType(() => pc.addTrack(null));
    throwsDom(() => pc.addTrack(track), 'InvalidStateError');
  });

  test('adding the same track twice is an InvalidAccessError', () => {
    const pc = make();
    const { track } = audioTrack();
    pc.addTrack(track);
    throwsDom(() => pc.addTrack(track), 'InvalidAccessError');
    throwsDom(() => pc.addTrack(track, new MediaStream()), 'InvalidAccessError');
    expect(pc.getSenders()).toHaveLength(1);
  });

  test('creates a sendrecv transceiver whose sender has the track', async () => {
    const pc = make();
    const { track } = audioTrack();
    const needed = waitFor(pc, 'negotiationneeded');
    const sender = pc.addTrack(track, new MediaStream());
    expect(sender).toBeInstanceOf(RTCRtpSender);
    expect(sender.track).toBe(track);
    const [t] = pc.getTransceivers();
    expect(t.sender).toBe(sender);
    expect(t.direction).toBe('sendrecv');
    expect(t.mid).toBeNull();
    await needed;
  });

  test('reuses a transceiver of the same kind that has no track and never sent', () => {
    const pc = make();
    const t = pc.addTransceiver('audio', { direction: 'recvonly' });
    const video = pc.addTransceiver('video');
    const { track } = audioTrack();
    const sender = pc.addTrack(track);
    expect(sender).toBe(t.sender);
    expect(sender.track).toBe(track);
    // recvonly becomes sendrecv; inactive would become sendonly.
    expect(t.direction).toBe('sendrecv');
    expect(pc.getTransceivers()).toEqual([t, video]);
    const u = pc.addTransceiver('audio', { direction: 'inactive' });
    expect(pc.addTrack(audioTrack().track)).toBe(u.sender);
    expect(u.direction).toBe('sendonly');
  });

  test('does not reuse a stopped transceiver', () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    t.stop();
    const sender = pc.addTrack(audioTrack().track);
    expect(sender).not.toBe(t.sender);
    expect(t.sender.track).toBeNull();
  });

  test('reuses the recvonly transceiver a remote offer created; both ends negotiate sendrecv', async () => {
    const a = make();
    const b = make();
    const { track: ta } = audioTrack();
    a.addTrack(ta, new MediaStream());
    await b.setRemoteDescription(await a.createOffer().then(async (o) => { await a.setLocalDescription(o); return o; }));
    const [created] = b.getTransceivers();
    expect(created.direction).toBe('recvonly');
    expect(created.mid).toBe(a.getTransceivers()[0].mid);
    expect(created.currentDirection).toBeNull();
    const { track: tb } = audioTrack();
    const sender = b.addTrack(tb, new MediaStream());
    expect(sender).toBe(created.sender);
    expect(created.direction).toBe('sendrecv');
    expect(b.getTransceivers()).toHaveLength(1);
    const answer = await b.createAnswer();
    expect(sections(answer.sdp)[0].direction).toBe('sendrecv');
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    expect(created.currentDirection).toBe('sendrecv');
    expect(a.getTransceivers()[0].currentDirection).toBe('sendrecv');
  });

  test('does not reuse a transceiver that has sent, even after removeTrack', async () => {
    const a = make();
    const b = make();
    const sender = a.addTrack(audioTrack().track);
    await signal(a, b);
    const [t] = a.getTransceivers();
    expect(t.currentDirection).toBe('sendonly');
    a.removeTrack(sender);
    const again = a.addTrack(audioTrack().track);
    expect(again).not.toBe(sender);
    expect(a.getTransceivers()).toHaveLength(2);
  });
});

describe('removeTrack (4.4.3)', () => {
  test('errors: TypeError, InvalidStateError when closed, InvalidAccessError for a foreign sender', () => {
    const a = make();
    const b = make();
    throwsType(() => a.removeTrack(null));
    throwsType(() => a.removeTrack({}));
    const foreign = b.addTrack(audioTrack().track);
    throwsDom(() => a.removeTrack(foreign), 'InvalidAccessError');
    const own = a.addTrack(audioTrack().track);
    a.close();
    throwsDom(() => a.removeTrack(own), 'InvalidStateError');
  });

  test('clears the track and takes away the send direction; the sender stays', async () => {
    const pc = make();
    const sender = pc.addTrack(audioTrack().track);
    const [t] = pc.getTransceivers();
    const so = pc.addTransceiver(audioTrack().track, { direction: 'sendonly' });
    await waitFor(pc, 'negotiationneeded');
    pc.removeTrack(sender);
    expect(sender.track).toBeNull();
    expect(t.direction).toBe('recvonly');
    pc.removeTrack(so.sender);
    expect(so.direction).toBe('inactive');
    expect(pc.getSenders()).toEqual([sender, so.sender]);
    // Again: nothing left to remove, no error.
    pc.removeTrack(sender);
    expect(t.direction).toBe('recvonly');
  });

  test('after negotiation: negotiationneeded, and the remote track leaves its stream and is muted', async () => {
    const a = make();
    const b = make();
    const stream = new MediaStream();
    const { source, track } = audioTrack();
    const sender = a.addTrack(track, stream);
    const gotTrack = trackEvents(b);
    await signal(a, b);
    const [e] = await gotTrack;
    const [remoteStream] = e.streams;
    expect(remoteStream.getTracks()).toEqual([e.track]);
    // Media first, so that the track is unmuted when the removal mutes it.
    const unmuted = waitFor(e.track, 'unmute');
    pump(source);
    await unmuted;

    const needed = waitFor(a, 'negotiationneeded');
    a.removeTrack(sender);
    await needed;
    // The order of 4.4.1.5 steps 10-12: signalingstatechange, mute, removetrack.
    const log = [];
    b.addEventListener('signalingstatechange', () => log.push(`signalingstatechange:${b.signalingState}`));
    e.track.addEventListener('mute', () => log.push(`mute:${e.track.muted}`));
    remoteStream.addEventListener('removetrack', (ev) => {
      expect(ev).toBeInstanceOf(MediaStreamTrackEvent);
      expect(ev.track).toBe(e.track);
      log.push(`removetrack:${remoteStream.getTracks().length}`);
    });
    const offer = await a.createOffer();
    expect(sections(offer.sdp)[0].direction).toBe('recvonly');
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    expect(log).toEqual(['signalingstatechange:have-remote-offer', 'mute:true', 'removetrack:0']);
    expect(remoteStream.getTracks()).toEqual([]);
    expect(e.track.readyState).toBe('live');
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    expect(a.getTransceivers()[0].currentDirection).toBe('inactive');
    expect(b.getTransceivers()[0].currentDirection).toBe('inactive');
  });
});

describe('RTCRtpTransceiver.direction (5.4)', () => {
  test('the setter: invalid values and "stopped" are TypeErrors; a stopped transceiver throws InvalidStateError first', () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    throwsType(() => { t.direction = 'foo'; });
    throwsType(() => { t.direction = 'stopped'; });
    expect(t.direction).toBe('sendrecv');
    t.direction = 'recvonly';
    expect(t.direction).toBe('recvonly');
    expect(t.currentDirection).toBeNull();
    t.stop();
    throwsDom(() => { t.direction = 'sendrecv'; }, 'InvalidStateError');
    // 5.4 direction setter step 3 (stopping) comes before step 6 ("stopped").
    throwsDom(() => { t.direction = 'stopped'; }, 'InvalidStateError');
    // An enum conversion error comes before all of them.
    throwsType(() => { t.direction = 'foo'; });
  });

  test('a direction set while a description is being applied is not taken back by it (crbug.com/950280)', async () => {
    const a = make();
    const b = make();
    // b's offer reaches a while a's own createOffer is under way: a's
    // setRemoteDescription is chained after it, and the page changes the
    // direction when createOffer resolves, before that description applies.
    const answered = b.createOffer().then((offer) => a.setRemoteDescription(offer)).then(() => a.createAnswer());
    a.addTransceiver('audio', { direction: 'recvonly' });
    const offered = a.createOffer().then(() => { a.getTransceivers()[0].direction = 'inactive'; });
    await Promise.all([offered, answered]);
    expect(a.getTransceivers()[0].direction).toBe('inactive');
  });

  test('changing the direction after negotiation makes negotiation needed; setting the same one does not', async () => {
    const a = make();
    const b = make();
    const t = a.addTransceiver('audio');
    await signal(a, b);
    let fired = 0;
    a.addEventListener('negotiationneeded', () => fired++);
    t.direction = 'sendrecv';
    await nextTask();
    await nextTask();
    expect(fired).toBe(0);
    t.direction = 'inactive';
    await waitFor(a, 'negotiationneeded');
    expect(fired).toBe(1);
    // Back to what was negotiated: no longer needed, nothing fires.
    await signal(a, b);
    expect(t.currentDirection).toBe('inactive');
    expect(b.getTransceivers()[0].currentDirection).toBe('inactive');
  });

  test.each([
    ['sendrecv', 'sendrecv', 'sendrecv', 'sendrecv'],
    ['sendrecv', 'recvonly', 'sendonly', 'recvonly'],
    ['sendonly', 'sendrecv', 'sendonly', 'recvonly'],
    ['recvonly', 'sendrecv', 'recvonly', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive', 'inactive'],
  ])('offerer %s, answerer %s: currentDirection %s / %s', async (offered, answering, offererCurrent, answererCurrent) => {
    const a = make();
    const b = make();
    const ta = a.addTransceiver('audio', { direction: offered });
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const [tb] = b.getTransceivers();
    // A transceiver made by a remote offer starts recvonly (4.4.1.5).
    expect(tb.direction).toBe('recvonly');
    tb.direction = answering;
    expect(ta.currentDirection).toBeNull();
    expect(tb.currentDirection).toBeNull();
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    expect(tb.currentDirection).toBe(answererCurrent);
    expect(ta.currentDirection).toBeNull();
    await a.setRemoteDescription(answer);
    expect(ta.currentDirection).toBe(offererCurrent);
    // direction is what the page asked for, not what was negotiated.
    expect(ta.direction).toBe(offered);
    expect(tb.direction).toBe(answering);
  });
});

describe('mid (5.4)', () => {
  test('null until setLocalDescription(offer), then the a=mid of its m= section; the answerer gets it from the offer', async () => {
    const a = make();
    const b = make();
    const t1 = a.addTransceiver('audio');
    const t2 = a.addTransceiver('video');
    const offer = await a.createOffer();
    expect(t1.mid).toBeNull();
    expect(t2.mid).toBeNull();
    await a.setLocalDescription(offer);
    const [s1, s2] = sections(offer.sdp);
    expect(t1.mid).toBe(s1.mid);
    expect(t2.mid).toBe(s2.mid);
    expect(t1.mid).not.toBe(t2.mid);
    await b.setRemoteDescription(offer);
    expect(b.getTransceivers().map((t) => [t.mid, t.receiver.track.kind])).toEqual([[t1.mid, 'audio'], [t2.mid, 'video']]);
  });

  test('a rolled-back offer takes the mids back, and the transceivers a remote offer made go away', async () => {
    const a = make();
    const b = make();
    const t = a.addTransceiver('audio');
    await a.setLocalDescription(await a.createOffer());
    expect(t.mid).not.toBeNull();
    await b.setRemoteDescription(a.localDescription);
    expect(b.getTransceivers()).toHaveLength(1);
    const made = b.getTransceivers()[0];
    expect(typeof made.mid).toBe('string');
    const ended = waitFor(made.receiver.track, 'ended');
    await a.setLocalDescription({ type: 'rollback' });
    expect(t.mid).toBeNull();
    await b.setRemoteDescription({ type: 'rollback' });
    // Stopped, as in Chromium: its remote track ended, with an event.
    await ended;
    expect(made.stopped).toBe(true);
    expect(made.currentDirection).toBe('stopped');
    expect(b.getTransceivers()).toHaveLength(0);
    // The removed transceiver's mid and transports went back too (as in Chromium).
    expect(made.mid).toBeNull();
    expect(made.receiver.transport).toBeNull();
  });
});

// 4.4.1.5, rollback of a remote offer: the receivers' associated remote
// streams go back to the last stable state (WPT
// RTCPeerConnection-setRemoteDescription-rollback.html "onremovetrack fires
// during remote rollback", "rollback of a remote offer with stream changes").
describe('rollback of a remote offer restores the remote streams', () => {
  test('the tracks an offer added leave their stream (removetrack)', async () => {
    const a = make();
    const b = make();
    const stream = new MediaStream();
    a.addTrack(audioTrack().track, stream);
    a.addTrack(audioTrack().track, stream);
    let remote = null;
    b.ontrack = (e) => { [remote] = e.streams; };
    await b.setRemoteDescription(await a.createOffer());
    expect(remote.getTracks()).toHaveLength(2);
    const ids = remote.getTracks().map((t) => t.id);
    const removed = [];
    remote.onremovetrack = (e) => removed.push(e.track.id);
    await b.setRemoteDescription({ type: 'rollback' });
    expect(removed.sort()).toEqual(ids.sort());
    expect(remote.getTracks()).toHaveLength(0);
  });

  test('a re-offer that moved the track to a new stream, rolled back: the track is back in its stream, with a track event', async () => {
    const a = make();
    const b = make();
    const sender = a.addTrack(audioTrack().track, new MediaStream());
    const streams = [];
    b.ontrack = (e) => streams.push(e.streams[0]);
    await signal(a, b);
    expect(streams).toHaveLength(1);
    const [track] = streams[0].getTracks();
    sender.setStreams(new MediaStream());
    await b.setRemoteDescription(await a.createOffer());
    expect(streams).toHaveLength(2);
    expect(streams[0].getTracks()).toHaveLength(0);
    expect(streams[1].getTracks()).toEqual([track]);
    await b.setRemoteDescription({ type: 'rollback' });
    expect(streams).toHaveLength(3);
    expect(streams[2]).toBe(streams[0]);
    expect(streams[1].getTracks()).toHaveLength(0);
    expect(streams[0].getTracks()).toEqual([track]);
  });
});

describe('sender/receiver transport (4.4.1.5, 4.2.5 RTCBundlePolicy)', () => {
  test.each(['balanced', 'max-compat', 'max-bundle'])('%s: null until a local description or a remote answer; one per m= section until bundled', async (bundlePolicy) => {
    const a = make({ bundlePolicy, wasmrtc: { loopback: true } });
    const b = make();
    const [t1, t2] = [a.addTransceiver('audio'), a.addTransceiver('video')];
    a.createDataChannel('x');
    const offer = await a.createOffer();
    expect(t1.sender.transport).toBeNull();
    await a.setLocalDescription(offer);
    expect(t1.sender.transport).not.toBeNull();
    expect(t1.sender.transport).toBe(t1.receiver.transport);
    // Until the answer, only max-bundle shares the BUNDLE tag's transport.
    const shared = bundlePolicy === 'max-bundle';
    expect(t1.sender.transport === t2.sender.transport).toBe(shared);
    expect(t1.sender.transport === a.sctp.transport).toBe(shared);
    await b.setRemoteDescription(offer);
    const [u1, u2] = b.getTransceivers();
    // A remote offer sets no transport.
    expect(u1.receiver.transport).toBeNull();
    expect(u2.receiver.transport).toBeNull();
    await b.setLocalDescription(await b.createAnswer());
    expect(u1.receiver.transport).not.toBeNull();
    expect(u1.receiver.transport).toBe(u2.receiver.transport);
    expect(u1.receiver.transport).toBe(b.sctp.transport);
    await a.setRemoteDescription(b.localDescription);
    expect(t1.receiver.transport).toBe(t2.receiver.transport);
    expect(t1.receiver.transport).toBe(a.sctp.transport);
    expect(t1.receiver.transport.iceTransport).not.toBeNull();
  });
});

describe('RTCRtpTransceiver.stop (5.4)', () => {
  test('stop(): direction "stopped", the sender keeps its track, the receiver track ends; a second stop() is a no-op', async () => {
    const pc = make();
    const { track } = audioTrack();
    const t = pc.addTransceiver(track);
    const ended = waitFor(t.receiver.track, 'ended');
    t.stop();
    expect(t.direction).toBe('stopped');
    // "Stop sending media with sender" leaves [[SenderTrack]] (as in Chromium).
    expect(t.sender.track).toBe(track);
    expect(t.receiver.track.readyState).toBe('ended');
    await ended;
    t.stop();
    expect(t.direction).toBe('stopped');
    // The sending track itself is not stopped.
    expect(track.readyState).toBe('live');
  });

  test('stop() after createOffer: that offer still negotiates it (stopping, not stopped), the next one rejects it', async () => {
    const a = make();
    const b = make();
    a.addTrack(audioTrack().track, new MediaStream());
    b.addTrack(audioTrack().track, new MediaStream());
    const offer = await a.createOffer();
    const [t] = a.getTransceivers();
    t.stop();
    await b.setRemoteDescription(offer);
    await a.setLocalDescription(offer);
    // The answerer stops its own one after the offer came: answered "inactive".
    const [u] = b.getTransceivers();
    u.stop();
    const answer = await b.createAnswer();
    expect(answer.sdp).toMatch(/^m=audio [1-9]/m);
    expect(answer.sdp).toMatch(/^a=inactive/m);
    await a.setRemoteDescription(answer);
    await b.setLocalDescription(answer);
    expect(a.getTransceivers()).toEqual([t]);
    expect([t.direction, t.currentDirection]).toEqual(['stopped', 'inactive']);
    expect([u.direction, u.currentDirection]).toEqual(['stopped', 'inactive']);
    await signal(a, b);
    expect(a.getTransceivers()).toHaveLength(0);
    expect(b.getTransceivers()).toHaveLength(0);
  });

  test('removeTrack on a stopping transceiver is a no-op: sender.track stays (4.4.3 removeTrack, [[Stopping]])', () => {
    const pc = make();
    const { track } = audioTrack();
    const sender = pc.addTrack(track, new MediaStream([track]));
    pc.getTransceivers()[0].stop();
    pc.removeTrack(sender);
    expect(sender.track).toBe(track);
  });

  test('a closed connection throws InvalidStateError', () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    pc.close();
    throwsDom(() => t.stop(), 'InvalidStateError');
  });

  test('a transceiver stopped before the first offer has no m= section in it', async () => {
    const pc = make();
    pc.addTransceiver('audio', { direction: 'sendonly' }).stop();
    pc.addTransceiver('video');
    const offer = await pc.createOffer();
    expect(sections(offer.sdp).map((s) => s.kind)).toEqual(['video']);
  });

  test('after negotiation: negotiationneeded, port 0 in the next offer, gone from both sides after the answer', async () => {
    const a = make();
    const b = make();
    const ta = a.addTransceiver('audio');
    await signal(a, b);
    const [tb] = b.getTransceivers();
    // b has nothing to send: it answered recvonly.
    expect(ta.currentDirection).toBe('sendonly');
    const needed = waitFor(a, 'negotiationneeded');
    ta.stop();
    await needed;
    expect(ta.direction).toBe('stopped');
    expect(ta.currentDirection).toBe('sendonly');
    expect(a.getTransceivers()).toEqual([ta]);
    const offer = await a.createOffer();
    const [m] = sections(offer.sdp);
    expect(m.kind).toBe('audio');
    expect(m.port).toBe(0);
    const bEnded = waitFor(tb.receiver.track, 'ended');
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    // The remote offer rejected it: stopped on b already (4.4.1.5).
    await bEnded;
    expect(tb.direction).toBe('stopped');
    expect(tb.currentDirection).toBe('stopped');
    await b.setLocalDescription();
    expect(sections(b.localDescription.sdp)[0].port).toBe(0);
    await a.setRemoteDescription(b.localDescription);
    for (const [pc, t] of [[a, ta], [b, tb]]) {
      expect(t.direction).toBe('stopped');
      expect(t.currentDirection).toBe('stopped');
      expect(pc.getTransceivers()).toEqual([]);
      expect(pc.getSenders()).toEqual([]);
      expect(pc.getReceivers()).toEqual([]);
    }
    // Nothing more to negotiate.
    let needed2 = 0;
    a.addEventListener('negotiationneeded', () => needed2++);
    await nextTask();
    await nextTask();
    expect(needed2).toBe(0);
  });

  test('setParameters and replaceTrack on a stopped transceiver reject with InvalidStateError', async () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    const params = t.sender.getParameters();
    t.stop();
    await rejectsWith(t.sender.setParameters(params), 'InvalidStateError');
    await rejectsWith(t.sender.replaceTrack(audioTrack().track), 'InvalidStateError');
  });

  test('close() stops every transceiver without ending remote tracks with an event', async () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    let ended = 0;
    t.receiver.track.onended = () => ended++;
    pc.close();
    expect(t.direction).toBe('stopped');
    expect(t.currentDirection).toBe('stopped');
    await nextTask();
    expect(ended).toBe(0);
  });
});

describe('track event (5.7, 4.4.1.5)', () => {
  test('RTCTrackEvent constructor: receiver, track and transceiver are required', () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    const init = { receiver: t.receiver, track: t.receiver.track, transceiver: t };
    const e = new RTCTrackEvent('track', init);
    expect(e).toBeInstanceOf(Event);
    expect(e.type).toBe('track');
    expect(e.receiver).toBe(t.receiver);
    expect(e.track).toBe(t.receiver.track);
    expect(e.transceiver).toBe(t);
    expect(e.streams).toEqual([]);
    expect(Object.isFrozen(e.streams)).toBe(true);
    const stream = new MediaStream();
    expect(new RTCTrackEvent('track', { ...init, streams: [stream] }).streams).toEqual([stream]);
    throwsType(() => new RTCTrackEvent('track'));
    throwsType(() => new RTCTrackEvent('track', { ...init, receiver: undefined }));
    throwsType(() => new RTCTrackEvent('track', { ...init, track: undefined }));
    throwsType(() => new RTCTrackEvent('track', { ...init, transceiver: undefined }));
  });

  test('fields: receiver, track, transceiver and the streams the msid named, one MediaStream per id', async () => {
    const a = make();
    const b = make();
    const shared = new MediaStream();
    const other = new MediaStream();
    const s1 = a.addTrack(audioTrack().track, shared);
    const s2 = a.addTrack(audioTrack().track, shared, other);
    const s3 = a.addTrack(audioTrack().track);
    const got = trackEvents(b, 3);
    const log = [];
    b.addEventListener('signalingstatechange', () => log.push('signalingstatechange'));
    b.addEventListener('track', () => log.push('track'));
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    // Fired during setRemoteDescription, after signalingstatechange.
    expect(log).toEqual(['signalingstatechange', 'track', 'track', 'track']);
    const events = await got;
    const transceivers = b.getTransceivers();
    events.forEach((e, i) => {
      expect(e).toBeInstanceOf(RTCTrackEvent);
      expect(e.transceiver).toBe(transceivers[i]);
      expect(e.receiver).toBe(transceivers[i].receiver);
      expect(e.track).toBe(transceivers[i].receiver.track);
      expect(e.track.kind).toBe('audio');
      expect(e.transceiver.mid).toBe(a.getTransceivers()[i].mid);
    });
    const [e1, e2, e3] = events;
    expect(e1.streams.map((s) => s.id)).toEqual([shared.id]);
    expect(e2.streams.map((s) => s.id)).toEqual([shared.id, other.id]);
    expect(e3.streams).toEqual([]);
    // The same remote stream object for the same id, holding both tracks.
    expect(e2.streams[0]).toBe(e1.streams[0]);
    expect(e1.streams[0]).toBeInstanceOf(MediaStream);
    expect(e1.streams[0].getTracks()).toEqual([e1.track, e2.track]);
    expect(e2.streams[1].getTracks()).toEqual([e2.track]);
    // The receiver's track id is not the sender's (webrtc-pc: a new track).
    expect([s1, s2, s3].map((s) => s.track.id)).not.toContain(e1.track.id);
  });

  test('setStreams on the sender: the remote track moves between streams (addtrack/removetrack)', async () => {
    const a = make();
    const b = make();
    const first = new MediaStream();
    const second = new MediaStream();
    const sender = a.addTrack(audioTrack().track, first);
    const got = trackEvents(b);
    await signal(a, b);
    const [e] = await got;
    const [remoteFirst] = e.streams;
    expect(remoteFirst.id).toBe(first.id);
    sender.setStreams(second);
    await waitFor(a, 'negotiationneeded');
    const moved = trackEvents(b);
    const removed = waitFor(remoteFirst, 'removetrack');
    await signal(a, b);
    const [e2] = await moved;
    await removed;
    expect(e2.track).toBe(e.track);
    expect(e2.streams.map((s) => s.id)).toEqual([second.id]);
    expect(e2.streams[0].getTracks()).toEqual([e.track]);
    expect(remoteFirst.getTracks()).toEqual([]);
  });

  test('the remote track is muted until media arrives, then unmutes; getSynchronizationSources names the SSRC', async () => {
    const a = make();
    const b = make();
    const { source, track } = audioTrack();
    const sender = a.addTrack(track, new MediaStream());
    const got = trackEvents(b);
    await signal(a, b);
    const [e] = await got;
    expect(e.track.muted).toBe(true);
    expect(e.receiver.getSynchronizationSources()).toEqual([]);
    expect(e.receiver.getContributingSources()).toEqual([]);
    await Promise.all([connectionState(a, 'connected'), connectionState(b, 'connected')]);
    const unmuted = waitFor(e.track, 'unmute');
    pump(source);
    await unmuted;
    expect(e.track.muted).toBe(false);
    const sources = e.receiver.getSynchronizationSources();
    expect(sources).toHaveLength(1);
    const [s] = sources;
    const ssrcs = sections(a.localDescription.sdp)[0].lines.filter((l) => l.startsWith('a=ssrc:')).map((l) => Number(/^a=ssrc:(\d+)/.exec(l)[1]));
    expect(ssrcs).toContain(s.source);
    expect(typeof s.rtpTimestamp).toBe('number');
    expect(s.audioLevel).toBeGreaterThanOrEqual(0);
    expect(s.audioLevel).toBeLessThanOrEqual(1);
    // DOMHighResTimeStamp on the Performance timeline origin's clock (5.3.2).
    expect(Math.abs(s.timestamp - (performance.timeOrigin + performance.now()))).toBeLessThan(5000);
    // One BUNDLE transport: each side's sender and receiver share it.
    expect(sender.transport === a.getTransceivers()[0].receiver.transport).toBe(true);
    expect(e.receiver.transport === b.getTransceivers()[0].sender.transport).toBe(true);
    expect(sender.transport.state).toBe('connected');
  });
});

// RTCRtpContributingSource (5.3.1): rtpTimestamp is "the last RTP timestamp
// ... of the media played out at timestamp", an unsigned long that moves
// with the media; audioLevel is there for audio only.
describe('RTCRtpReceiver.getSynchronizationSources with media flowing (5.3.1)', () => {
  /** Resolves once `count` frames reached a sink of `track`. */
  function frames(track, count) {
    const sink = track.kind === 'audio' ? new RTCAudioSink(track) : new RTCVideoSink(track);
    return new Promise((resolve) => {
      let n = 0;
      const on = () => {
        if (++n !== count) return;
        sink.stop();
        resolve();
      };
      if (track.kind === 'audio') sink.ondata = on;
      else sink.onframe = on;
    });
  }

  test.each([
    ['audio', 'wasmrtc', 48000],
    ['audio', 'wrtc', 48000],
    ['video', 'wasmrtc', 90000],
  ])('%s from %s: rtpTimestamp is the RTP clock of the stream and advances with it', async (kind, sender, clockRate) => {
    const a = sender === 'wrtc' ? makeWrtc() : make();
    const b = make();
    let feed;
    if (kind === 'audio') {
      const { source, track } = audioTrack(sender === 'wrtc' ? wrtc.nonstandard.RTCAudioSource : RTCAudioSource);
      a.addTrack(track, sender === 'wrtc' ? new wrtc.MediaStream() : new MediaStream());
      feed = () => pump(source);
    } else {
      const source = new RTCVideoSource();
      const track = source.createTrack();
      cleanups.push(() => track.stop());
      a.addTrack(track, new MediaStream());
      feed = () => {
        let stopped = false;
        cleanups.push(() => { stopped = true; });
        const loop = () => playFrames(source, { width: 160, height: 120, count: 15 }).then(() => !stopped && loop());
        loop();
      };
    }
    const got = trackEvents(b);
    await signal(a, b);
    const [e] = await got;
    await connectionState(b, 'connected');
    const unmuted = waitFor(e.track, 'unmute');
    feed();
    await unmuted;
    const [first] = e.receiver.getSynchronizationSources();
    const started = performance.now();
    await frames(e.track, kind === 'audio' ? 30 : 10);
    const elapsed = performance.now() - started;
    const [second] = e.receiver.getSynchronizationSources();
    expect(second.source).toBe(first.source);
    for (const s of [first, second]) {
      expect(Number.isInteger(s.rtpTimestamp)).toBe(true);
      expect(s.rtpTimestamp).toBeGreaterThanOrEqual(0);
      expect(s.rtpTimestamp).toBeLessThan(2 ** 32);
      if (kind === 'audio') expect(typeof s.audioLevel).toBe('number');
      else expect('audioLevel' in s).toBe(false);
    }
    // Modulo 2^32: the stream's clock moved on by about the time that passed.
    const advanced = (second.rtpTimestamp - first.rtpTimestamp + 2 ** 32) % 2 ** 32;
    expect(advanced).toBeGreaterThan(0);
    expect(advanced).toBeLessThan(((elapsed + 1000) / 1000) * clockRate);
  });
});

describe('RTCRtpSender.getParameters / setParameters (5.2)', () => {
  test('getParameters: transactionId, encodings, rtcp, codecs and headerExtensions', async () => {
    const pc = make();
    const t = pc.addTransceiver('audio', { sendEncodings: [{ active: false, maxBitrate: 32000 }] });
    const p = t.sender.getParameters();
    expect(typeof p.transactionId).toBe('string');
    expect(p.transactionId.length).toBeGreaterThan(0);
    expect(p.encodings).toEqual([expect.objectContaining({ active: false, maxBitrate: 32000 })]);
    expect(Array.isArray(p.codecs)).toBe(true);
    expect(Array.isArray(p.headerExtensions)).toBe(true);
    expect(typeof p.rtcp).toBe('object');
    // In the same task, the same parameters; after the task, new ones.
    expect(t.sender.getParameters().transactionId).toBe(p.transactionId);
    await Promise.resolve();
    expect(t.sender.getParameters().transactionId).toBe(p.transactionId);
    await nextTask();
    expect(t.sender.getParameters().transactionId).not.toBe(p.transactionId);
  });

  test('setParameters applies active and maxBitrate', async () => {
    const pc = make();
    const { sender } = pc.addTransceiver('audio');
    const p = sender.getParameters();
    p.encodings[0].active = false;
    p.encodings[0].maxBitrate = 24000;
    await expect(sender.setParameters(p)).resolves.toBeUndefined();
    await nextTask();
    expect(sender.getParameters().encodings[0]).toEqual(expect.objectContaining({ active: false, maxBitrate: 24000 }));
  });

  test('without a getParameters in this task, or with the same parameters twice: InvalidStateError', async () => {
    const pc = make();
    const { sender } = pc.addTransceiver('audio');
    const p = sender.getParameters();
    await nextTask();
    await rejectsWith(sender.setParameters(p), 'InvalidStateError');
    const q = sender.getParameters();
    await sender.setParameters(q);
    await rejectsWith(sender.setParameters(q), 'InvalidStateError');
  });

  test('a stale or changed transactionId, or a different number of encodings: InvalidModificationError', async () => {
    const pc = make();
    const { sender } = pc.addTransceiver('audio');
    const stale = sender.getParameters();
    await nextTask();
    const fresh = sender.getParameters();
    expect(fresh.transactionId).not.toBe(stale.transactionId);
    await rejectsWith(sender.setParameters(stale), 'InvalidModificationError');
    await rejectsWith(sender.setParameters({ ...fresh, transactionId: `${fresh.transactionId}-x` }), 'InvalidModificationError');
    await rejectsWith(sender.setParameters({ ...fresh, encodings: [...fresh.encodings, {}] }), 'InvalidModificationError');
    await rejectsWith(sender.setParameters({ ...fresh, encodings: [] }), 'InvalidModificationError');
  });

  test('missing required members are TypeErrors, before the transceiver state is looked at', async () => {
    const pc = make();
    const t = pc.addTransceiver('audio');
    const p = t.sender.getParameters();
    await rejectsWith(t.sender.setParameters(), 'TypeError');
    await rejectsWith(t.sender.setParameters({ encodings: p.encodings }), 'TypeError');
    await rejectsWith(t.sender.setParameters({ transactionId: p.transactionId }), 'TypeError');
    t.stop();
    await rejectsWith(t.sender.setParameters({ encodings: p.encodings }), 'TypeError');
  });
});

describe('RTCRtpSender.replaceTrack (5.2)', () => {
  test('a track of the other kind is a TypeError; a non-track is a TypeError', async () => {
    const pc = make();
    const { sender } = pc.addTransceiver('video');
    await rejectsWith(sender.replaceTrack(audioTrack().track), 'TypeError');
    await rejectsWith(sender.replaceTrack({}), 'TypeError');
    expect(sender.track).toBeNull();
  });

  test('replaces the track, and null takes it away, without negotiation', async () => {
    const a = make();
    const b = make();
    const { track: t1 } = audioTrack();
    const { track: t2 } = audioTrack();
    const sender = a.addTrack(t1);
    await signal(a, b);
    let needed = 0;
    a.addEventListener('negotiationneeded', () => needed++);
    await sender.replaceTrack(t2);
    expect(sender.track).toBe(t2);
    await sender.replaceTrack(null);
    expect(sender.track).toBeNull();
    await nextTask();
    expect(needed).toBe(0);
    expect(a.getTransceivers()[0].direction).toBe('sendrecv');
  });

  // 5.2 replaceTrack checks the kind, the closed connection and a stopping
  // transceiver, never the track's readyState: an ended track is taken
  // (as Chromium takes it), and nothing is read from it.
  test('an ended track is taken: replaceTrack resolves, addTrack adds it; a live track afterwards is sent', async () => {
    const a = make();
    const b = make();
    const { source, track: live } = audioTrack();
    const sender = a.addTrack(live, new MediaStream());
    const { source: endedSource, track: ended } = audioTrack();
    ended.stop();
    const got = trackEvents(b);
    await signal(a, b);
    const [e] = await got;
    await expect(sender.replaceTrack(ended)).resolves.toBeUndefined();
    expect(sender.track).toBe(ended);
    expect(ended.readyState).toBe('ended');
    pump(endedSource);
    // addTrack takes an ended track too (4.4.3 addTrack has no readyState step).
    const other = audioTrack().track;
    other.stop();
    expect(a.addTrack(other, new MediaStream()).track).toBe(other);
    // Back to a live track: its media reaches the peer.
    const heard = waitFor(e.track, 'unmute');
    await sender.replaceTrack(live);
    pump(source);
    await heard;
  });

  test('on a closed connection: InvalidStateError', async () => {
    const pc = make();
    const sender = pc.addTrack(audioTrack().track);
    pc.close();
    await rejectsWith(sender.replaceTrack(audioTrack().track), 'InvalidStateError');
  });

  test('the kind check comes before the closed connection', async () => {
    const pc = make();
    const { sender } = pc.addTransceiver('video');
    pc.close();
    await rejectsWith(sender.replaceTrack(audioTrack().track), 'TypeError');
  });
});

describe('RTCRtpTransceiver.setCodecPreferences (5.4)', () => {
  test('codecs from getCapabilities are accepted, and the offer lists only them', async () => {
    const pc = make();
    const t = pc.addTransceiver('video');
    const before = sections((await pc.createOffer()).sdp)[0].formats;
    expect(before.length).toBeGreaterThan(1);
    const vp8 = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/VP8');
    t.setCodecPreferences(vp8);
    const after = sections((await pc.createOffer()).sdp)[0];
    expect(after.formats).toHaveLength(1);
    expect(after.lines).toContain(`a=rtpmap:${after.formats[0]} VP8/90000`);
    // The empty list goes back to the defaults.
    t.setCodecPreferences([]);
    expect(sections((await pc.createOffer()).sdp)[0].formats).toEqual(before);
  });

  test('an unsupported codec, or only RTX, is an InvalidModificationError', () => {
    const pc = make();
    const audio = pc.addTransceiver('audio');
    const video = pc.addTransceiver('video');
    throwsDom(() => audio.setCodecPreferences([{ mimeType: 'audio/foo', clockRate: 8000 }]), 'InvalidModificationError');
    // A codec of the other kind is not one of this transceiver's.
    throwsDom(() => audio.setCodecPreferences(RTCRtpReceiver.getCapabilities('video').codecs), 'InvalidModificationError');
    const rtx = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/rtx');
    expect(rtx.map((c) => c.sdpFmtpLine)).toEqual(['apt=96', 'apt=102', 'apt=106']); // VP8's, then each H.264's
    throwsDom(() => video.setCodecPreferences(rtx), 'InvalidModificationError');
    // A supported codec with a different clock rate is not the same codec.
    throwsDom(() => audio.setCodecPreferences([{ ...RTCRtpReceiver.getCapabilities('audio').codecs[0], clockRate: 8000 }]),
      'InvalidModificationError');
    throwsType(() => audio.setCodecPreferences(5));
  });
});

describe('MediaStream (mediacapture-main 4.2)', () => {
  test('constructor forms: empty, from a stream, from tracks; ids are new UUIDs', () => {
    const { track: t1 } = audioTrack();
    const { track: t2 } = audioTrack();
    const empty = new MediaStream();
    expect(empty.getTracks()).toEqual([]);
    expect(empty.active).toBe(false);
    expect(empty.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const fromTracks = new MediaStream([t1, t2, t1]);
    expect(fromTracks.getTracks()).toEqual([t1, t2]);
    expect(fromTracks.active).toBe(true);
    const fromStream = new MediaStream(fromTracks);
    expect(fromStream.getTracks()).toEqual([t1, t2]);
    expect(fromStream.id).not.toBe(fromTracks.id);
    expect(new Set([empty.id, fromTracks.id, fromStream.id]).size).toBe(3);
    throwsType(() => new MediaStream(5));
    throwsType(() => new MediaStream([{}]));
    throwsType(() => new MediaStream({}));
    throwsType(() => new MediaStream({ wasmrtcId: 'chosen' }));
  });

  test('getTrackById, getAudioTracks/getVideoTracks, addTrack/removeTrack (no events), clone', () => {
    const { track } = audioTrack();
    const s = new MediaStream();
    let events = 0;
    s.onaddtrack = () => events++;
    s.onremovetrack = () => events++;
    s.addTrack(track);
    s.addTrack(track);
    expect(s.getTracks()).toEqual([track]);
    expect(s.getTrackById(track.id)).toBe(track);
    expect(s.getTrackById('nope')).toBeNull();
    expect(s.getAudioTracks()).toEqual([track]);
    expect(s.getVideoTracks()).toEqual([]);
    const c = s.clone();
    expect(c.id).not.toBe(s.id);
    expect(c.getTracks()).toHaveLength(1);
    expect(c.getTracks()[0]).not.toBe(track);
    expect(c.getTracks()[0].kind).toBe('audio');
    cleanups.push(() => c.getTracks()[0].stop());
    s.removeTrack(track);
    expect(s.getTracks()).toEqual([]);
    expect(events).toBe(0);
    throwsType(() => s.addTrack({}));
    throwsType(() => s.removeTrack(null));
  });

  test('active follows the tracks\' readyState', () => {
    const { track } = audioTrack();
    const s = new MediaStream([track]);
    expect(s.active).toBe(true);
    track.stop();
    expect(s.active).toBe(false);
  });
});

describe('MediaStreamTrack (mediacapture-main 4.3)', () => {
  test('attributes of an RTCAudioSource track', () => {
    const { track } = audioTrack();
    expect(track).toBeInstanceOf(MediaStreamTrack);
    expect(track).toBeInstanceOf(EventTarget);
    expect(track.kind).toBe('audio');
    expect(typeof track.id).toBe('string');
    expect(typeof track.label).toBe('string');
    expect(track.enabled).toBe(true);
    expect(track.muted).toBe(false);
    expect(track.readyState).toBe('live');
    expect(track.contentHint).toBe('');
    track.contentHint = 'speech';
    expect(track.contentHint).toBe('speech');
    track.contentHint = 'motion'; // a video hint: ignored for audio
    expect(track.contentHint).toBe('speech');
    const settings = track.getSettings();
    expect(typeof settings).toBe('object');
    expect(track.getSettings()).not.toBe(settings);
    expect(track.getSettings()).toEqual(settings);
    expect(typeof track.getCapabilities()).toBe('object');
    expect(typeof track.getConstraints()).toBe('object');
  });

  test('clone(): a new id, the same kind, label and enabled; the clones are independent', () => {
    const { source, track } = audioTrack();
    track.enabled = false;
    const copy = track.clone();
    cleanups.push(() => copy.stop());
    expect(copy).not.toBe(track);
    expect(copy.id).not.toBe(track.id);
    expect([copy.kind, copy.label, copy.enabled, copy.readyState]).toEqual([track.kind, track.label, false, 'live']);
    copy.enabled = true;
    expect(track.enabled).toBe(false);
    // Both still get the source's audio: the original as silence (disabled).
    const heard = { track: [], copy: [] };
    const s1 = new RTCAudioSink(track);
    const s2 = new RTCAudioSink(copy);
    s1.ondata = (d) => heard.track.push(d);
    s2.ondata = (d) => heard.copy.push(d);
    source.onData({ samples: new Int16Array(480).fill(1000), sampleRate: 48000, numberOfFrames: 480, channelCount: 1 });
    copy.stop();
    expect(track.readyState).toBe('live');
    source.onData({ samples: new Int16Array(480).fill(1000), sampleRate: 48000, numberOfFrames: 480, channelCount: 1 });
    s1.stop();
    s2.stop();
    expect(heard.copy).toHaveLength(1);
    expect(heard.copy[0].samples[0]).toBe(1000);
    expect(heard.track).toHaveLength(2);
    expect(heard.track.every((d) => d.samples.every((x) => x === 0))).toBe(true);
  });

  test('stop(): readyState "ended" without an ended event; no more audio; stopping again is harmless', async () => {
    const { source, track } = audioTrack();
    let ended = 0;
    track.onended = () => ended++;
    const sink = new RTCAudioSink(track);
    let frames = 0;
    sink.ondata = () => frames++;
    track.stop();
    track.stop();
    expect(track.readyState).toBe('ended');
    source.onData({ samples: new Int16Array(480), sampleRate: 48000 });
    await nextTask();
    expect(ended).toBe(0);
    expect(frames).toBe(0);
    // A clone of an ended track is ended too.
    expect(track.clone().readyState).toBe('ended');
    sink.stop();
  });
});

describe('nonstandard RTCAudioSource / RTCAudioSink', () => {
  test('onData validation: not 10 ms of frames, an unsupported sampleRate, bad samples are TypeErrors', () => {
    const source = new RTCAudioSource();
    const ok = { samples: new Int16Array(480), sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 };
    source.onData(ok);
    throwsType(() => source.onData({ ...ok, numberOfFrames: 441 }));
    throwsType(() => source.onData({ ...ok, samples: new Int16Array(100), numberOfFrames: undefined }));
    throwsType(() => source.onData({ ...ok, sampleRate: 44100, numberOfFrames: 441, samples: new Int16Array(441) }));
    throwsType(() => source.onData({ ...ok, samples: new Float32Array(480) }));
    throwsType(() => source.onData({ ...ok, bitsPerSample: 8 }));
    throwsType(() => source.onData({ ...ok, channelCount: 3 }));
    throwsType(() => source.onData());
    // Stereo at 16 kHz: 160 frames of 2 samples.
    source.onData({ samples: new Int16Array(320), sampleRate: 16000, channelCount: 2, numberOfFrames: 160 });
  });

  test('RTCAudioSink gets each frame with its format until stop()', () => {
    const { source, track } = audioTrack();
    throwsType(() => new RTCAudioSink({}));
    const sink = new RTCAudioSink(track);
    const got = [];
    sink.ondata = (d) => got.push(d);
    let events = 0;
    sink.addEventListener('data', () => events++);
    const samples = new Int16Array(320).map((_, i) => i);
    source.onData({ samples, sampleRate: 16000, channelCount: 2, numberOfFrames: 160 });
    expect(got).toHaveLength(1);
    expect(events).toBe(1);
    expect([got[0].sampleRate, got[0].channelCount, got[0].numberOfFrames, got[0].bitsPerSample]).toEqual([16000, 2, 160, 16]);
    expect(Array.from(got[0].samples.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(sink.stopped).toBe(false);
    sink.stop();
    expect(sink.stopped).toBe(true);
    source.onData({ samples, sampleRate: 16000, channelCount: 2, numberOfFrames: 160 });
    expect(got).toHaveLength(1);
    expect(events).toBe(1);
    sink.stop();
  });
});

describe('against libwebrtc (@roamhq/wrtc)', () => {
  test('wrtc offers a track: our track event has its stream id; media unmutes it; removeTrack removes and mutes it', async () => {
    const a = makeWrtc();
    const b = make();
    const { source, track } = audioTrack(wrtc.nonstandard.RTCAudioSource);
    const stream = new wrtc.MediaStream();
    const sender = a.addTrack(track, stream);
    const got = trackEvents(b);
    await signal(a, b);
    const [e] = await got;
    expect(e.streams.map((s) => s.id)).toEqual([stream.id]);
    expect(e.transceiver.mid).toBe(a.getTransceivers()[0].mid);
    expect(e.transceiver.currentDirection).toBe('recvonly');
    expect(a.getTransceivers()[0].currentDirection).toBe('sendonly');
    const unmuted = waitFor(e.track, 'unmute');
    pump(source);
    await unmuted;
    const ssrcs = a.localDescription.sdp.split('\r\n').filter((l) => l.startsWith('a=ssrc:')).map((l) => Number(/^a=ssrc:(\d+)/.exec(l)[1]));
    expect(ssrcs).toContain(e.receiver.getSynchronizationSources()[0].source);

    const [remote] = e.streams;
    const removed = waitFor(remote, 'removetrack');
    const muted = waitFor(e.track, 'mute');
    a.removeTrack(sender);
    await signal(a, b);
    await Promise.all([removed, muted]);
    expect(remote.getTracks()).toEqual([]);
    expect(e.track.muted).toBe(true);
    expect(e.transceiver.currentDirection).toBe('inactive');
  });

  test('we offer a track to wrtc: its track event has our stream id, and directions agree', async () => {
    const a = make();
    const b = makeWrtc();
    const stream = new MediaStream();
    a.addTrack(audioTrack().track, stream);
    a.addTransceiver('audio', { direction: 'recvonly' });
    const got = new Promise((resolve) => { b.ontrack = resolve; });
    await signal(a, b);
    const e = await got;
    expect(e.streams.map((s) => s.id)).toEqual([stream.id]);
    const ours = a.getTransceivers();
    const theirs = b.getTransceivers();
    expect(theirs.map((t) => t.mid)).toEqual(ours.map((t) => t.mid));
    expect(ours.map((t) => t.currentDirection)).toEqual(['sendonly', 'inactive']);
    expect(theirs.map((t) => t.currentDirection)).toEqual(['recvonly', 'inactive']);
  });
});

describe('getStats(selector) (webrtc-pc 8.2)', () => {
  test('a sent or received track selects its sender or receiver; others are errors', async () => {
    const { RTCPeerConnection, MediaStream, nonstandard: { RTCAudioSource } } = require('../..');
    const { signal } = require('../support/peers.cjs');
    const a = new RTCPeerConnection({ wasmrtc: { loopback: true } });
    const b = new RTCPeerConnection({ wasmrtc: { loopback: true } });
    try {
      const source = new RTCAudioSource();
      const track = source.createTrack();
      a.addTrack(track, new MediaStream());
      const remote = new Promise((resolve) => { b.ontrack = (e) => resolve(e.track); });
      await signal(a, b);
      const theirs = await remote;
      const unmuted = new Promise((resolve) => { theirs.onunmute = resolve; });
      const feed = setInterval(() => source.onData({ samples: new Int16Array(480).fill(1000), sampleRate: 48000 }), 10);
      await unmuted;
      clearInterval(feed);
      const sent = [...(await a.getStats(track)).values()];
      expect(sent.some((s) => s.type === 'outbound-rtp')).toBe(true);
      expect(sent.some((s) => s.type === 'inbound-rtp')).toBe(false);
      const received = [...(await b.getStats(theirs)).values()];
      expect(received.some((s) => s.type === 'inbound-rtp')).toBe(true);
      expect(received.some((s) => s.type === 'outbound-rtp')).toBe(false);
      // Not a track: TypeError. A track this connection does not carry: InvalidAccessError.
      await expect(a.getStats({})).rejects.toThrow(TypeError);
      await expect(a.getStats(new RTCAudioSource().createTrack())).rejects.toMatchObject({ name: 'InvalidAccessError' });
      track.stop();
    } finally {
      a.close();
      b.close();
    }
  });
});
