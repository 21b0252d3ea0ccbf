'use strict';
// Node media I/O in the shape of @roamhq/wrtc's `nonstandard` export, so
// tests written for it run unchanged: RTCAudioSource feeds a track 10 ms of
// PCM per onData call; RTCAudioSink hands out each 10 ms a track plays.
const { TrackSource, createTrack } = require('./media-stream.cjs');
const { platform } = require('./media-platform.cjs');

function checkAudioData(data) {
  if (!data || typeof data !== 'object') throw new TypeError('onData expects { samples, sampleRate, ... }');
  const { samples } = data;
  if (!(samples instanceof Int16Array)) throw new TypeError('samples must be an Int16Array');
  const sampleRate = data.sampleRate ?? 48000;
  const channelCount = data.channelCount ?? 1;
  const bitsPerSample = data.bitsPerSample ?? 16;
  if (bitsPerSample !== 16) throw new TypeError('bitsPerSample must be 16');
  if (![8000, 12000, 16000, 24000, 48000].includes(sampleRate)) {
    throw new TypeError(`sampleRate ${sampleRate} is not one of 8000, 12000, 16000, 24000, 48000`);
  }
  if (channelCount !== 1 && channelCount !== 2) throw new TypeError('channelCount must be 1 or 2');
  const numberOfFrames = data.numberOfFrames ?? samples.length / channelCount;
  if (numberOfFrames !== sampleRate / 100 || samples.length < numberOfFrames * channelCount) {
    throw new TypeError(`expected 10 ms of audio: ${sampleRate / 100} frames of ${channelCount} channel(s)`);
  }
  return {
    samples: samples.length === numberOfFrames * channelCount ? samples : samples.subarray(0, numberOfFrames * channelCount),
    sampleRate, bitsPerSample, channelCount, numberOfFrames,
  };
}

class RTCAudioSource {
  #source = new TrackSource('audio', { sampleRate: 48000, channelCount: 1, sampleSize: 16 });

  createTrack() {
    return createTrack('audio', this.#source, { label: 'wasmrtc RTCAudioSource' });
  }

  onData(data) {
    const frame = checkAudioData(data);
    this.#source.settings = { sampleRate: frame.sampleRate, channelCount: frame.channelCount, sampleSize: 16 };
    this.#source.emit(frame);
  }
}

// What RTCAudioSink and RTCVideoSink share: a subscription to one track of
// their kind, delivered as an `on<type>` callback and a `<type>` event,
// until stop().
class TrackSink extends EventTarget {
  #unsubscribe;
  #stopped = false;

  constructor(track, kind, name, deliver) {
    super();
    if (!platform.isTrack(track) || track.kind !== kind) throw new TypeError(`${name} needs a ${kind} MediaStreamTrack`);
    this.#unsubscribe = platform.subscribe(track, (frame) => deliver(frame));
  }

  get stopped() { return this.#stopped; }

  stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe();
  }
}

class RTCAudioSink extends TrackSink {
  constructor(track) {
    super(track, 'audio', 'RTCAudioSink', (frame) => {
      if (typeof this.ondata === 'function') this.ondata({ type: 'data', ...frame });
      const e = new Event('data');
      Object.assign(e, frame);
      this.dispatchEvent(e);
    });
    this.ondata = null;
  }
}

// The DTMF tones a receiver gets (RFC 4733 telephone-events; webrtc-pc
// has no receiving API): `ontone({ tone, duration })` and a `tone` event
// per tone, duration in ms, until stop().
class RTCDtmfSink extends EventTarget {
  #unsubscribe;

  constructor(receiver) {
    super();
    const subscribe = receiver?.[Symbol.for('wasmrtc.receiverDtmfSubscribe')];
    if (typeof subscribe !== 'function' || receiver.track?.kind !== 'audio') {
      throw new TypeError('RTCDtmfSink needs the RTCRtpReceiver of an audio transceiver');
    }
    this.ontone = null;
    this.#unsubscribe = subscribe.call(receiver, ({ tone, duration }) => {
      if (typeof this.ontone === 'function') this.ontone({ type: 'tone', tone, duration });
      const e = new Event('tone');
      Object.assign(e, { tone, duration });
      this.dispatchEvent(e);
    });
  }

  stop() {
    this.#unsubscribe();
  }
}

// I420 (Y plane, then U and V at half resolution rounded up), as wrtc's
// RTCVideoSource takes it: { width, height, data: Uint8ClampedArray }.
function i420Size(width, height) {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  return width * height + 2 * cw * ch;
}

function checkFrame(frame, size, what) {
  if (!frame || typeof frame !== 'object') throw new TypeError(`${what} expects { width, height, data }`);
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width > 16384 || height > 16384) {
    throw new TypeError(`${what}: width and height must be positive integers`);
  }
  if (!(data instanceof Uint8ClampedArray || data instanceof Uint8Array)) throw new TypeError(`${what}: data must be a Uint8ClampedArray`);
  if (data.length !== size(width, height)) throw new TypeError(`${what}: data must be ${size(width, height)} bytes for ${width}x${height}`);
  return frame;
}

class RTCVideoSource {
  #source = new TrackSource('video', {});
  #isScreencast;

  constructor(init = {}) {
    this.#isScreencast = !!(init && init.isScreencast);
  }

  get isScreencast() { return this.#isScreencast; }
  get needsDenoising() { return null; }

  createTrack() {
    return createTrack('video', this.#source, { label: 'wasmrtc RTCVideoSource' });
  }

  onFrame(frame) {
    checkFrame(frame, i420Size, 'onFrame');
    this.#source.settings = { width: frame.width, height: frame.height };
    this.#source.emit({
      width: frame.width, height: frame.height, data: frame.data, rotation: frame.rotation ?? 0, video: true,
    });
  }
}

class RTCVideoSink extends TrackSink {
  constructor(track) {
    super(track, 'video', 'RTCVideoSink', (f) => {
      const frame = {
        width: f.width, height: f.height, data: f.data, rotation: f.rotation ?? 0,
      };
      if (typeof this.onframe === 'function') this.onframe({ type: 'frame', frame });
      const e = new Event('frame');
      e.frame = frame;
      this.dispatchEvent(e);
    });
    this.onframe = null;
  }
}

const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : v);

// BT.601 limited range, as libyuv's I420ToABGR (wrtc's i420ToRgba).
function i420ToRgba(i420, rgba) {
  checkFrame(i420, i420Size, 'i420ToRgba');
  checkFrame(rgba, (w, h) => w * h * 4, 'i420ToRgba');
  const { width, height } = i420;
  if (rgba.width !== width || rgba.height !== height) throw new TypeError('i420ToRgba: frames differ in size');
  const cw = (width + 1) >> 1;
  const y0 = i420.data;
  const uOff = width * height;
  const vOff = uOff + cw * ((height + 1) >> 1);
  const out = rgba.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = 1.164 * (y0[y * width + x] - 16);
      const ci = (y >> 1) * cw + (x >> 1);
      const d = y0[uOff + ci] - 128;
      const e = y0[vOff + ci] - 128;
      const o = (y * width + x) * 4;
      out[o] = clamp(Math.round(c + 1.596 * e));
      out[o + 1] = clamp(Math.round(c - 0.391 * d - 0.813 * e));
      out[o + 2] = clamp(Math.round(c + 2.018 * d));
      out[o + 3] = 255;
    }
  }
}

// BT.601 limited range, as libyuv's ABGRToI420 (wrtc's rgbaToI420); chroma
// is the average of each 2x2 block.
function rgbaToI420(rgba, i420) {
  checkFrame(rgba, (w, h) => w * h * 4, 'rgbaToI420');
  checkFrame(i420, i420Size, 'rgbaToI420');
  const { width, height } = rgba;
  if (i420.width !== width || i420.height !== height) throw new TypeError('rgbaToI420: frames differ in size');
  const src = rgba.data;
  const out = i420.data;
  const cw = (width + 1) >> 1;
  const chh = (height + 1) >> 1;
  const uOff = width * height;
  const vOff = uOff + cw * chh;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[y * width + x] = clamp(Math.round(0.257 * src[o] + 0.504 * src[o + 1] + 0.098 * src[o + 2] + 16));
    }
  }
  for (let cy = 0; cy < chh; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0; let g = 0; let b = 0; let n = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const x = 2 * cx + dx;
          const y = 2 * cy + dy;
          if (x >= width || y >= height) continue;
          const o = (y * width + x) * 4;
          r += src[o]; g += src[o + 1]; b += src[o + 2]; n++;
        }
      }
      r /= n; g /= n; b /= n;
      out[uOff + cy * cw + cx] = clamp(Math.round(-0.148 * r - 0.291 * g + 0.439 * b + 128));
      out[vOff + cy * cw + cx] = clamp(Math.round(0.439 * r - 0.368 * g - 0.071 * b + 128));
    }
  }
}

module.exports = {
  RTCAudioSource, RTCAudioSink, RTCVideoSource, RTCVideoSink, RTCDtmfSink, i420ToRgba, rgbaToI420, checkAudioData, i420Size,
};
