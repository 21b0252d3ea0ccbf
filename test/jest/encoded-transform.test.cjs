// W3C WebRTC Encoded Transform (issue 13) in Node, between two wasmrtc
// peers: RTCRtpScriptTransform with a worker_threads Worker
// (fixtures/transform/xor-worker.cjs, which requires
// wasmrtc/transform-worker) on a sender and on the receiver. With the same
// XOR on both sides, VP8 video shows the right frame numbers and Opus
// audio keeps its 440 Hz tone; with it on the sender only, the receiver
// cannot decode the video. The worker sees the rtctransform event, the
// options, RTCEncodedVideoFrame/RTCEncodedAudioFrame with type and
// getMetadata() (RTP timestamp, synchronizationSource, payloadType, width
// and height), and generateKeyFrame() resolves with a keyframe's timestamp.
const path = require('path');
const { Worker } = require('worker_threads');
const wasmrtc = require('../..');
const { signal, connectionState } = require('../support/peers.cjs');
const { playFrames, watch } = require('../support/video.cjs');
const {
  playTone, listen, audibleFrames, frequency,
} = require('../support/audio.cjs');

jest.setTimeout(90000);

const WORKER = path.join(__dirname, 'fixtures', 'transform', 'xor-worker.cjs');
const {
  RTCVideoSource, RTCVideoSink, RTCAudioSource, RTCAudioSink,
} = wasmrtc.nonstandard;

const cleanup = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()();
});

function make() {
  const pc = new wasmrtc.RTCPeerConnection({ wasmrtc: { loopback: true } });
  cleanup.push(() => pc.close());
  return pc;
}

function transform(options) {
  const worker = new Worker(WORKER);
  const messages = [];
  worker.on('message', (m) => messages.push(m));
  cleanup.push(() => worker.terminate());
  return { t: new wasmrtc.RTCRtpScriptTransform(worker, options), messages, worker };
}

function track(source) {
  const t = source.createTrack();
  cleanup.push(() => t.stop());
  return t;
}

function inOrder(seen) {
  let n = 0;
  for (let i = 0; i < seen.length; i++) if (i === 0 || seen[i].n === seen[i - 1].n + 1) n++;
  return n;
}

async function call({ receiverTransform, options = {}, h264 = false }) {
  const a = make();
  const b = make();
  const video = new RTCVideoSource();
  const audio = new RTCAudioSource();
  const stream = new wasmrtc.MediaStream();
  const vs = a.addTrack(track(video), stream);
  const as = a.addTrack(track(audio), stream);
  if (h264) {
    const { codecs } = wasmrtc.RTCRtpSender.getCapabilities('video');
    a.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === 'video/H264' && /42e01f/.test(c.sdpFmtpLine)));
  }
  const send = { video: transform({ side: 'send', ...options }), audio: transform({ side: 'send' }) };
  vs.transform = send.video.t;
  as.transform = send.audio.t;
  expect(vs.transform).toBe(send.video.t);
  const receive = {};
  const remote = {};
  b.ontrack = (e) => {
    remote[e.track.kind] = e.track;
    if (receiverTransform) {
      receive[e.track.kind] = transform({ side: 'receive' });
      e.receiver.transform = receive[e.track.kind].t;
    }
  };
  await signal(a, b);
  await Promise.all([connectionState(a, 'connected'), connectionState(b, 'connected')]);
  return {
    a, b, video, audio, remote, send, receive,
  };
}

test('the same XOR transform on the sender and the receiver: video numbers and the tone arrive; the worker sees the standard API', async () => {
  const c = await call({ receiverTransform: true, options: { keyFrameAfterMs: 2000 } });
  const seen = watch(RTCVideoSink, c.remote.video);
  const heard = listen(RTCAudioSink, c.remote.audio);
  const [sent] = await Promise.all([playFrames(c.video, { count: 120 }), playTone(c.audio, { hz: 440, ms: 4000 })]);
  await new Promise((r) => { setTimeout(r, 500); });
  const frames = seen.stop();
  const pcm = heard.stop();
  expect(inOrder(frames)).toBeGreaterThanOrEqual(0.9 * sent);
  expect(Math.abs(frequency(pcm) - 440)).toBeLessThan(2);
  expect(audibleFrames(pcm)).toBeGreaterThan(300);

  // What the sender's worker saw (webrtc-encoded-transform 6.1, 6.2).
  const first = c.send.video.messages.find((m) => m.kind === 'video');
  expect(first.options).toEqual({ side: 'send', keyFrameAfterMs: 2000 });
  expect(first.type).toBe('key');
  expect(first.metadata).toEqual(expect.objectContaining({
    width: 640, height: 480, payloadType: 96, mimeType: 'video/VP8', rtpTimestamp: first.timestamp,
  }));
  const [out] = [...(await c.a.getStats()).values()].filter((s) => s.type === 'outbound-rtp' && s.kind === 'video');
  expect(first.metadata.synchronizationSource).toBe(out.ssrc);
  const audioFirst = c.send.audio.messages.find((m) => m.kind === 'audio');
  expect(audioFirst.metadata).toEqual(expect.objectContaining({ payloadType: 111, mimeType: 'audio/opus' }));
  // The receiver's worker sees what arrived, before decoding.
  const received = c.receive.video.messages.find((m) => m.kind === 'video');
  expect(received.options).toEqual({ side: 'receive' });
  expect(received.metadata).toEqual(expect.objectContaining({ payloadType: 96, synchronizationSource: out.ssrc, width: 640, height: 480 }));
  expect(c.receive.audio.messages.find((m) => m.kind === 'audio').metadata.sequenceNumber).toEqual(expect.any(Number));
  // generateKeyFrame() resolved with a keyframe's RTP timestamp.
  expect(c.send.video.messages.find((m) => 'generatedKeyFrame' in m)).toEqual({ generatedKeyFrame: expect.any(Number) });
});

test('the XOR transform on the sender only: the receiver cannot decode the video', async () => {
  const c = await call({ receiverTransform: false });
  const seen = watch(RTCVideoSink, c.remote.video);
  const sent = await playFrames(c.video, { count: 60 });
  await new Promise((r) => { setTimeout(r, 500); });
  const frames = seen.stop();
  expect(c.send.video.messages.length).toBeGreaterThan(0);
  expect(inOrder(frames)).toBeLessThan(0.1 * sent);
});

test('a transform serves one sender: giving it to a second throws InvalidStateError; a non-transform is a TypeError', async () => {
  const a = make();
  const s1 = a.addTrack(track(new RTCVideoSource()), new wasmrtc.MediaStream());
  const s2 = a.addTrack(track(new RTCVideoSource()), new wasmrtc.MediaStream());
  const { t } = transform({});
  s1.transform = t;
  expect(() => { s2.transform = t; }).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
  expect(() => { s2.transform = {}; }).toThrow(TypeError);
  expect(s2.transform).toBe(null);
  s1.transform = null;
  expect(s1.transform).toBe(null);
  expect(() => new wasmrtc.RTCRtpScriptTransform({})).toThrow(TypeError);
});

test('H.264 through transforms on both sides (unchanged: the worker does not XOR H.264): the numbers arrive; sender and receiver metadata carry the SPS size', async () => {
  const c = await call({ receiverTransform: true, h264: true });
  const seen = watch(RTCVideoSink, c.remote.video);
  const sent = await playFrames(c.video, { count: 90 });
  await new Promise((r) => { setTimeout(r, 500); });
  expect(inOrder(seen.stop())).toBeGreaterThanOrEqual(0.9 * sent);
  const first = c.send.video.messages.find((m) => m.kind === 'video');
  expect(first.type).toBe('key');
  expect(first.metadata).toEqual(expect.objectContaining({
    width: 640, height: 480, payloadType: 106, mimeType: 'video/H264',
  }));
  // The receiver reads the size from the keyframe's SPS (as Chromium gives it).
  const received = c.receive.video.messages.find((m) => m.kind === 'video' && m.type === 'key');
  expect(received.metadata).toEqual(expect.objectContaining({
    payloadType: 106, mimeType: 'video/H264', width: 640, height: 480,
  }));
});
