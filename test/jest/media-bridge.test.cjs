// js/browser/media-bridge.cjs, the part that needs no browser: cutting a
// page track's AudioData chunks (any size, any rate) into the engine's 10 ms
// frames, resampled to 48 kHz when Opus cannot take the rate.
const { Rechunker, available } = require('../../js/browser/media-bridge.cjs');
const { frequency } = require('../support/audio.cjs');

function sine(rate, hz, from, count) {
  const p = new Float32Array(count);
  for (let i = 0; i < count; i++) p[i] = 0.3 * Math.sin((2 * Math.PI * hz * (from + i)) / rate);
  return p;
}

test('128-frame chunks at 48 kHz become 10 ms frames, nothing lost', () => {
  const frames = [];
  const r = new Rechunker((f) => frames.push(f));
  for (let n = 0; n < 375; n++) r.push([sine(48000, 440, n * 128, 128)], 48000); // 1 s
  expect(frames).toHaveLength(100);
  for (const f of frames) {
    expect(f.sampleRate).toBe(48000);
    expect(f.numberOfFrames).toBe(480);
    expect(f.samples).toHaveLength(480);
  }
  expect(Math.abs(frequency(frames.map((f) => ({ mono: f.samples, sampleRate: 48000 }))) - 440)).toBeLessThan(0.5);
});

test('44.1 kHz is resampled to 48 kHz and keeps its pitch', () => {
  const frames = [];
  const r = new Rechunker((f) => frames.push(f));
  for (let n = 0; n < 441; n++) r.push([sine(44100, 440, n * 100, 100)], 44100); // 1 s
  expect(frames.length).toBeGreaterThanOrEqual(99);
  expect(frames.length).toBeLessThanOrEqual(100);
  expect(frames.every((f) => f.sampleRate === 48000 && f.samples.length === 480)).toBe(true);
  expect(Math.abs(frequency(frames.map((f) => ({ mono: f.samples, sampleRate: 48000 }))) - 440)).toBeLessThan(1);
});

test('stereo is interleaved and more than two channels are cut to two', () => {
  const frames = [];
  const r = new Rechunker((f) => frames.push(f));
  const left = new Float32Array(480).fill(0.5);
  const right = new Float32Array(480).fill(-0.5);
  r.push([left, right, new Float32Array(480)], 16000);
  expect(frames).toHaveLength(3); // 480 frames at 16 kHz = 30 ms
  expect(frames[0].channelCount).toBe(2);
  expect(frames[0].sampleRate).toBe(16000);
  expect(Array.from(frames[0].samples.slice(0, 4))).toEqual([16384, -16383, 16384, -16383]);
});

test('Node has no MediaStreamTrackProcessor: the bridge says so', () => {
  expect(available()).toBe(false);
});
