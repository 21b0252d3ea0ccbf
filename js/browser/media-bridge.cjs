'use strict';
// Between a page's own MediaStreamTracks and the engine's 10 ms PCM frames
// (mediacapture-transform: MediaStreamTrackProcessor reads AudioData from a
// track, MediaStreamTrackGenerator makes a track from AudioData). Chromium
// has both on a page's main thread; elsewhere `available()` is false and
// the polyfill takes only its own tracks.

const OPUS_RATES = [8000, 12000, 16000, 24000, 48000];

function available() {
  return typeof globalThis.MediaStreamTrackProcessor === 'function' &&
    typeof globalThis.MediaStreamTrackGenerator === 'function' &&
    typeof globalThis.AudioData === 'function';
}

function isNativeTrack(track) {
  return typeof globalThis.MediaStreamTrack === 'function' && track instanceof globalThis.MediaStreamTrack;
}

// Cuts audio into 10 ms frames of interleaved int16 at a rate Opus takes
// (48 kHz by linear interpolation when the track's rate is not one).
class Rechunker {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.rate = 0;
    this.channels = 0;
    this.pending = [];
    this.pos = 0; // resampling phase, in input samples
    this.last = null; // last input sample per channel (interpolation)
  }

  push(planes, rate) {
    const channels = Math.min(2, planes.length);
    if (rate !== this.rate || channels !== this.channels) {
      this.rate = rate;
      this.channels = channels;
      this.pending = [];
      this.pos = 0;
      this.last = null;
    }
    const out = OPUS_RATES.includes(rate) ? rate : 48000;
    const frames = planes[0].length;
    if (out === rate) {
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++) this.pending.push(toInt16(planes[c][i]));
      }
    } else {
      // Linear interpolation from `rate` to 48 kHz across calls.
      const step = rate / out;
      const prev = this.last || planes.slice(0, channels).map((p) => p[0]);
      for (; this.pos < frames; this.pos += step) {
        const i = Math.floor(this.pos);
        const f = this.pos - i;
        for (let c = 0; c < channels; c++) {
          const a = i === 0 ? prev[c] : planes[c][i - 1];
          const b = planes[c][i];
          this.pending.push(toInt16(a + (b - a) * f));
        }
      }
      this.pos -= frames;
      this.last = planes.slice(0, channels).map((p) => p[frames - 1]);
    }
    const per = (out / 100) * channels;
    while (this.pending.length >= per) {
      const samples = Int16Array.from(this.pending.splice(0, per));
      this.onFrame({
        samples, sampleRate: out, bitsPerSample: 16, channelCount: channels, numberOfFrames: out / 100,
      });
    }
  }
}

function toInt16(x) {
  const v = Math.round(x * 32767);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Reads a page track; calls onFrame with 10 ms frames until stop(). */
function readTrack(track, onFrame) {
  const processor = new globalThis.MediaStreamTrackProcessor({ track });
  const reader = processor.readable.getReader();
  const chunker = new Rechunker(onFrame);
  let stopped = false;
  (async () => {
    while (!stopped) {
      // eslint-disable-next-line no-await-in-loop
      const { value, done } = await reader.read();
      if (done || stopped) {
        if (value) value.close();
        break;
      }
      const planes = [];
      for (let c = 0; c < value.numberOfChannels; c++) {
        const plane = new Float32Array(value.numberOfFrames);
        value.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
        planes.push(plane);
      }
      chunker.push(planes, value.sampleRate);
      value.close();
    }
  })().catch(() => {});
  return () => {
    stopped = true;
    reader.cancel().catch(() => {});
  };
}

/** A page track fed with 10 ms frames: { track, write(frame), close() }. */
function writeTrack() {
  const generator = new globalThis.MediaStreamTrackGenerator({ kind: 'audio' });
  const writer = generator.writable.getWriter();
  let timestamp = 0;
  return {
    track: generator,
    write(frame) {
      const data = new globalThis.AudioData({
        format: 's16',
        sampleRate: frame.sampleRate,
        numberOfFrames: frame.numberOfFrames,
        numberOfChannels: frame.channelCount,
        timestamp,
        data: frame.samples,
      });
      timestamp += Math.round((frame.numberOfFrames * 1e6) / frame.sampleRate);
      writer.write(data).catch(() => {});
    },
    close() {
      writer.close().catch(() => {});
    },
  };
}

// The media platform (js/webrtc/media-platform.cjs) for a page: its own
// MediaStreamTrack and MediaStream classes next to ours.
function pagePlatform(ours) {
  const isNativeStream = (s) => typeof globalThis.MediaStream === 'function' && s instanceof globalThis.MediaStream;
  return {
    isTrack: (t) => ours.isTrack(t) || isNativeTrack(t),
    isStream: (s) => ours.isStream(s) || isNativeStream(s),
    subscribe: (track, sink) => (ours.isTrack(track) ? ours.subscribe(track, sink) : readTrack(track, sink)),
    remoteTrack(kind, id) {
      if (kind !== 'audio') return ours.remoteTrack(kind, id);
      // A track the page can play: frames go into a MediaStreamTrackGenerator.
      const w = writeTrack();
      let ended = false;
      return {
        track: w.track,
        emit: (frame) => { if (!ended) w.write(frame); },
        setMuted: () => {},
        end: () => {
          if (ended) return;
          ended = true;
          w.close();
          w.track.stop();
        },
      };
    },
    remoteStream(id) {
      // A page MediaStream whose id is the msid's (the page reads stream.id).
      const stream = new globalThis.MediaStream();
      Object.defineProperty(stream, 'id', { value: id, enumerable: true });
      return stream;
    },
    streamHas: (stream, track) => stream.getTracks().includes(track),
    addToStream(stream, track) {
      if (!isNativeStream(stream)) return ours.addToStream(stream, track);
      if (stream.getTracks().includes(track)) return undefined;
      stream.addTrack(track);
      return stream.dispatchEvent(new globalThis.MediaStreamTrackEvent('addtrack', { track }));
    },
    removeFromStream(stream, track) {
      if (!isNativeStream(stream)) return ours.removeFromStream(stream, track);
      if (!stream.getTracks().includes(track)) return undefined;
      stream.removeTrack(track);
      return stream.dispatchEvent(new globalThis.MediaStreamTrackEvent('removetrack', { track }));
    },
  };
}

module.exports = {
  available, isNativeTrack, readTrack, writeTrack, Rechunker, pagePlatform,
};
