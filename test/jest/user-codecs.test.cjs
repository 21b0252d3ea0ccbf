// Codecs written by the user (issue 13), in Node: wasmrtc.codecs.register
// loads an ES module into the engine's worker; two wasmrtc peers negotiate
// the codec (its rtpmap in the SDP), and its frames travel over RTP in the
// generic payload format with NACK/RTX and PLI.
// - A toy video codec (test/jest/fixtures/codecs/toy-video.mjs) carries
//   640x480 frames that show their number: >= 95 % arrive in order, also
//   through a proxy that drops 5 % of the datagrams (RTX repairs them);
//   a frame its decoder cannot decode (frame 150, "drop=150") leads to a
//   keyframe request that reaches the encoder as keyFrame: true (the
//   decoded keyframe is marked).
// - A toy audio codec: a 440 Hz tone arrives at 440 Hz within 2 Hz.
// - Errors name the codec, and the connection and its data channel carry
//   on: a module that does not exist or is not a codec, an encoder that
//   throws, a decoder that returns garbage.
const path = require('path');
const wasmrtc = require('../..');
const {
  signal, connectionState, channelOpen, nextChannel,
} = require('../support/peers.cjs');
const { playFrames, frameNumber } = require('../support/video.cjs');
const {
  playTone, listen, audibleFrames, frequency,
} = require('../support/audio.cjs');
const { startLossProxy } = require('../support/loss-proxy.cjs');

jest.setTimeout(90000);

const FIXTURES = path.join(__dirname, 'fixtures', 'codecs');
const { RTCVideoSource, RTCVideoSink, RTCAudioSource, RTCAudioSink } = wasmrtc.nonstandard;

const pcs = [];
const tracks = [];
afterEach(() => {
  while (tracks.length) tracks.pop().stop();
  while (pcs.length) pcs.pop().close();
});

function make() {
  const pc = new wasmrtc.RTCPeerConnection({ wasmrtc: { loopback: true } });
  pcs.push(pc);
  return pc;
}

const registered = {};
beforeAll(async () => {
  registered.toy = await wasmrtc.codecs.register({
    kind: 'video', mimeType: 'video/x-toy', clockRate: 90000, sdpFmtpLine: 'drop=150', module: path.join(FIXTURES, 'toy-video.mjs'),
  });
  registered.pcm8 = await wasmrtc.codecs.register({
    kind: 'audio', mimeType: 'audio/x-pcm8', clockRate: 48000, channels: 1, module: path.join(FIXTURES, 'toy-audio.mjs'),
  });
});

/** Only `mimeType` (and its RTX) on the transceiver. */
function prefer(transceiver, mimeType) {
  const { codecs } = wasmrtc.RTCRtpSender.getCapabilities(transceiver.receiver.track.kind);
  const mine = codecs.find((c) => c.mimeType === mimeType);
  const rtx = codecs.filter((c) => c.mimeType.endsWith('/rtx') && c.sdpFmtpLine === `apt=${registered.toy.payloadType}`);
  transceiver.setCodecPreferences([mine, ...(mimeType.startsWith('video/') ? rtx : [])]);
}

/** Video from `a` to `b` with the toy codec; `mangle` does the signaling when given. */
async function videoCall({ mangle } = {}) {
  const a = make();
  const b = make();
  const source = new RTCVideoSource();
  const track = source.createTrack();
  tracks.push(track);
  const sender = a.addTrack(track, new wasmrtc.MediaStream());
  prefer(a.getTransceivers().find((t) => t.sender === sender), 'video/x-toy');
  const gotTrack = new Promise((resolve) => { b.ontrack = (e) => resolve(e.track); });
  if (mangle) await mangle(a, b);
  else await signal(a, b);
  const remote = await gotTrack;
  await Promise.all([connectionState(a, 'connected'), connectionState(b, 'connected')]);
  return {
    a, b, source, remote,
  };
}

/** The frames a sink gets: their numbers, and whether each is a requested keyframe (the toy codec's mark). */
function watchToy(track) {
  const sink = new RTCVideoSink(track);
  const seen = [];
  sink.onframe = ({ frame }) => {
    const { width, height, data } = frame;
    seen.push({ n: frameNumber(frame), requestedKey: data[(height - 8) * width + (width - 8)] > 128, width, height });
  };
  return { seen, stop: () => { sink.stop(); return seen; } };
}

function inOrder(seen) {
  let n = 0;
  for (let i = 0; i < seen.length; i++) if (i === 0 || seen[i].n === seen[i - 1].n + 1) n++;
  return n;
}

function statsOf(report, type) {
  return [...report.values()].filter((s) => s.type === type);
}

test('register() lists the codecs in getCapabilities, with payload types the engine gave', () => {
  expect(registered.toy).toEqual({
    mimeType: 'video/x-toy', clockRate: 90000, sdpFmtpLine: 'drop=150', payloadType: expect.any(Number),
  });
  expect(registered.pcm8).toEqual({
    mimeType: 'audio/x-pcm8', clockRate: 48000, channels: 1, payloadType: expect.any(Number),
  });
  expect(registered.pcm8.payloadType).not.toBe(registered.toy.payloadType);
  const video = wasmrtc.RTCRtpSender.getCapabilities('video').codecs;
  expect(video).toContainEqual({ mimeType: 'video/x-toy', clockRate: 90000, sdpFmtpLine: 'drop=150' });
  expect(video).toContainEqual({ mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: `apt=${registered.toy.payloadType}` });
  expect(wasmrtc.RTCRtpReceiver.getCapabilities('audio').codecs).toContainEqual({ mimeType: 'audio/x-pcm8', clockRate: 48000, channels: 1 });
});

test('a toy video codec carries 640x480 numbered frames in order; a lost reference brings a keyframe the encoder was asked for', async () => {
  const c = await videoCall();
  const pt = registered.toy.payloadType;
  expect(c.a.localDescription.sdp).toContain(`a=rtpmap:${pt} x-toy/90000\r\n`);
  expect(c.b.localDescription.sdp).toMatch(new RegExp(`^m=video \\S+ \\S+ ${pt}[ \\r]`, 'm'));
  const seen = watchToy(c.remote);
  const sent = await playFrames(c.source, { count: 240 });
  await new Promise((r) => { setTimeout(r, 500); });
  const got = seen.stop();
  expect(sent).toBe(240);
  expect(got.every((f) => f.width === 640 && f.height === 480)).toBe(true);
  expect(inOrder(got)).toBeGreaterThanOrEqual(0.95 * sent);
  // Frame 150 could not be decoded: the next one shown is a keyframe the
  // encoder made because it was asked (keyFrame: true), and none before.
  expect(got.filter((f) => f.n < 150).some((f) => f.requestedKey)).toBe(false);
  const after = got.filter((f) => f.n > 150);
  expect(after.length).toBeGreaterThan(60);
  expect(after[0].requestedKey).toBe(true);
  const report = await c.a.getStats();
  const [out] = statsOf(report, 'outbound-rtp');
  expect(report.get(out.codecId).mimeType).toBe('video/x-toy');
  // What the user's encoder gave (the first keyframe and the one asked for).
  expect(out.framesEncoded).toBeGreaterThanOrEqual(0.95 * sent);
  expect(out.keyFramesEncoded).toBeGreaterThanOrEqual(2);
  expect(out.frameWidth).toBe(640);
  const [inb] = statsOf(await c.b.getStats(), 'inbound-rtp');
  expect(inb.pliCount).toBeGreaterThanOrEqual(1);
});

test('with 5 % of the datagrams lost both ways, NACK/RTX repair the toy codec\'s frames', async () => {
  const proxy = await startLossProxy({ lossRate: 0.05, seed: 7 });
  try {
    const strip = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
    const c = await videoCall({
      mangle: async (a, b) => {
        b.addEventListener('icecandidate', (e) => {
          if (e.candidate && e.candidate.candidate) proxy.offerReceiverCandidate(e.candidate.candidate);
        });
        await a.setLocalDescription(await a.createOffer());
        await b.setRemoteDescription({ type: 'offer', sdp: strip(a.localDescription.sdp) });
        await b.setLocalDescription(await b.createAnswer());
        await a.setRemoteDescription({ type: 'answer', sdp: strip(b.localDescription.sdp) });
        await a.addIceCandidate({ candidate: proxy.senderCandidate, sdpMid: '0', sdpMLineIndex: 0 });
      },
    });
    const seen = watchToy(c.remote);
    const sent = await playFrames(c.source, { count: 120 });
    await new Promise((r) => { setTimeout(r, 800); });
    const got = seen.stop();
    expect(proxy.counts.dropped).toBeGreaterThan(5);
    expect(inOrder(got)).toBeGreaterThanOrEqual(0.95 * sent);
    const [inb] = statsOf(await c.b.getStats(), 'inbound-rtp');
    expect(inb.nackCount).toBeGreaterThan(0);
    expect(inb.retransmittedPacketsReceived).toBeGreaterThan(0);
  } finally {
    proxy.close();
  }
});

test('a toy audio codec: a 440 Hz tone arrives at 440 Hz', async () => {
  const a = make();
  const b = make();
  const source = new RTCAudioSource();
  const track = source.createTrack();
  tracks.push(track);
  a.addTrack(track, new wasmrtc.MediaStream());
  const { codecs } = wasmrtc.RTCRtpSender.getCapabilities('audio');
  a.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === 'audio/x-pcm8'));
  const gotTrack = new Promise((resolve) => { b.ontrack = (e) => resolve(e.track); });
  await signal(a, b);
  expect(a.localDescription.sdp).toContain(`a=rtpmap:${registered.pcm8.payloadType} x-pcm8/48000\r\n`);
  const remote = await gotTrack;
  await Promise.all([connectionState(a, 'connected'), connectionState(b, 'connected')]);
  const heard = listen(RTCAudioSink, remote);
  const sent = await playTone(source, { hz: 440, ms: 3000 });
  await new Promise((r) => { setTimeout(r, 300); });
  const frames = heard.stop();
  expect(audibleFrames(frames)).toBeGreaterThanOrEqual(0.9 * sent);
  expect(Math.abs(frequency(frames) - 440)).toBeLessThan(2);
});

describe('errors name the codec; the connection and its data channel carry on', () => {
  test('a module that does not exist, or that is not a codec, rejects register()', async () => {
    await expect(wasmrtc.codecs.register({
      kind: 'video', mimeType: 'video/x-missing', clockRate: 90000, module: path.join(FIXTURES, 'no-such-codec.mjs'),
    })).rejects.toMatchObject({ name: 'OperationError', message: expect.stringContaining('video/x-missing') });
    await expect(wasmrtc.codecs.register({
      kind: 'video', mimeType: 'video/x-halfway', clockRate: 90000, module: path.join(FIXTURES, 'no-decoder.mjs'),
    })).rejects.toMatchObject({ name: 'TypeError', message: expect.stringContaining('createDecoder') });
    await expect(wasmrtc.codecs.register({
      kind: 'video', mimeType: 'video/x-toy', clockRate: 90000, module: path.join(FIXTURES, 'toy-video.mjs'),
    })).rejects.toMatchObject({ name: 'InvalidModificationError' });
    await expect(wasmrtc.codecs.register({
      kind: 'video', mimeType: 'audio/x-wrong', clockRate: 90000, module: path.join(FIXTURES, 'toy-video.mjs'),
    })).rejects.toThrow(TypeError);
    expect(wasmrtc.RTCRtpSender.getCapabilities('video').codecs.map((c) => c.mimeType)).not.toContain('video/x-missing');
  });

  test.each([
    ['video/x-throws', 'throwing-encoder.mjs', /encode\(\) threw: the toy encoder gave up/],
    ['video/x-garbage', 'garbage-decoder.mjs', /decode\(\) returned 1 bytes for a 3x3 I420 frame/],
  ])('%s: an error event, and the data channel still works', async (mimeType, file, message) => {
    await wasmrtc.codecs.register({
      kind: 'video', mimeType, clockRate: 90000, module: path.join(FIXTURES, file),
    });
    const errors = [];
    const onError = (e) => errors.push(e);
    wasmrtc.codecs.addEventListener('error', onError);
    try {
      const a = make();
      const b = make();
      const source = new RTCVideoSource();
      const track = source.createTrack();
      tracks.push(track);
      a.addTrack(track, new wasmrtc.MediaStream());
      const { codecs } = wasmrtc.RTCRtpSender.getCapabilities('video');
      a.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === mimeType));
      const dc = a.createDataChannel('still');
      const remoteChannel = nextChannel(b);
      await signal(a, b);
      await Promise.all([connectionState(a, 'connected'), channelOpen(dc)]);
      const firstError = new Promise((resolve) => {
        wasmrtc.codecs.addEventListener('error', resolve, { once: true });
      });
      await playFrames(source, { count: 10, width: 64, height: 48 });
      const e = await firstError;
      expect(e.mimeType).toBe(mimeType);
      expect(e.error.name).toBe('OperationError');
      expect(e.error.message).toMatch(new RegExp(`^${mimeType.replace('/', '\\/')}: `));
      expect(e.error.message).toMatch(message);
      // The connection carries on.
      const echo = await remoteChannel;
      const got = new Promise((resolve) => { echo.onmessage = (m) => resolve(m.data); });
      dc.send('after the codec failed');
      expect(await got).toBe('after the codec failed');
      expect(a.connectionState).toBe('connected');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      wasmrtc.codecs.removeEventListener('error', onError);
    }
  });
});
