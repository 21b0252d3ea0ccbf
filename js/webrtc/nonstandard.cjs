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

class RTCAudioSink extends EventTarget {
  #unsubscribe;
  #stopped = false;

  constructor(track) {
    super();
    if (!platform.isTrack(track) || track.kind !== 'audio') throw new TypeError('RTCAudioSink needs an audio MediaStreamTrack');
    this.ondata = null;
    this.#unsubscribe = platform.subscribe(track, (frame) => {
      const data = { type: 'data', ...frame };
      if (typeof this.ondata === 'function') this.ondata(data);
      const e = new Event('data');
      Object.assign(e, frame);
      this.dispatchEvent(e);
    });
  }

  get stopped() { return this.#stopped; }

  stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe();
  }
}

module.exports = { RTCAudioSource, RTCAudioSink, checkAudioData };
