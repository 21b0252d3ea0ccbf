'use strict';
// Between a page's own MediaStreamTracks and the engine's media: 10 ms PCM
// frames for audio, I420 frames for video (mediacapture-transform:
// MediaStreamTrackProcessor reads AudioData / VideoFrame from a track,
// MediaStreamTrackGenerator makes a track from them). Chromium has both on
// a page's main thread; elsewhere `available()` is false and the polyfill
// takes only its own tracks.

const OPUS_RATES = [8000, 12000, 16000, 24000, 48000];

function available() {
  return typeof globalThis.MediaStreamTrackProcessor === 'function' &&
    typeof globalThis.MediaStreamTrackGenerator === 'function' &&
    typeof globalThis.AudioData === 'function' &&
    typeof globalThis.VideoFrame === 'function';
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

/** Reads a page audio track; calls onFrame with 10 ms frames until stop(). */
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

// ---- video

// I420 as the engine takes it: Y, then U and V at half size rounded up,
// each plane tightly packed.
function i420Size(width, height) {
  return width * height + 2 * ((width + 1) >> 1) * ((height + 1) >> 1);
}

// Where R, G and B sit in a 4-byte pixel of each packed RGB format.
const RGB_ORDER = {
  RGBA: [0, 1, 2], RGBX: [0, 1, 2], BGRA: [2, 1, 0], BGRX: [2, 1, 0],
};

/**
 * Packed 4-byte RGB (`order` = offsets of R, G, B) to I420, BT.601 limited
 * range in libyuv's fixed point (what ABGRToI420 gives, so frames match
 * nonstandard.rgbaToI420 to within rounding); chroma from each 2x2 block's
 * average.
 */
function rgbToI420(src, stride, width, height, order, out) {
  const [ro, go, bo] = order;
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const uOff = width * height;
  const vOff = uOff + cw * ch;
  for (let y = 0; y < height; y++) {
    let o = y * stride;
    const row = y * width;
    for (let x = 0; x < width; x++, o += 4) {
      out[row + x] = ((66 * src[o + ro] + 129 * src[o + go] + 25 * src[o + bo] + 128) >> 8) + 16;
    }
  }
  for (let cy = 0; cy < ch; cy++) {
    const y0 = 2 * cy;
    const y1 = Math.min(y0 + 1, height - 1);
    for (let cx = 0; cx < cw; cx++) {
      const x0 = 2 * cx;
      const x1 = Math.min(x0 + 1, width - 1);
      const a = y0 * stride + x0 * 4;
      const b = y0 * stride + x1 * 4;
      const c = y1 * stride + x0 * 4;
      const d = y1 * stride + x1 * 4;
      const r = (src[a + ro] + src[b + ro] + src[c + ro] + src[d + ro] + 2) >> 2;
      const g = (src[a + go] + src[b + go] + src[c + go] + src[d + go] + 2) >> 2;
      const bl = (src[a + bo] + src[b + bo] + src[c + bo] + src[d + bo] + 2) >> 2;
      out[uOff + cy * cw + cx] = ((-38 * r - 74 * g + 112 * bl + 128) >> 8) + 128;
      out[vOff + cy * cw + cx] = ((112 * r - 94 * g - 18 * bl + 128) >> 8) + 128;
    }
  }
  return out;
}

/** NV12 (Y, then interleaved UV) to I420, in place of a fresh buffer. */
function nv12ToI420(src, width, height) {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const out = new Uint8Array(i420Size(width, height));
  const ySize = width * height;
  out.set(src.subarray(0, ySize));
  for (let i = 0; i < cw * ch; i++) {
    out[ySize + i] = src[ySize + 2 * i];
    out[ySize + cw * ch + i] = src[ySize + 2 * i + 1];
  }
  return out;
}

/**
 * A VideoFrame's visible picture as I420 { width, height, data }. Chromium's
 * VideoFrame.copyTo converts only to RGB formats (an explicit
 * `format: 'I420'` is NotSupportedError, seen in Chromium 156), so: I420,
 * I420A and NV12 frames (cameras, decoded video) are copied in their own
 * format and repacked; RGB frames (canvas.captureStream gives BGRA) are
 * copied as they are and converted here; anything else is copied with
 * `format: 'RGBA'` (Chromium converts), or, where even that fails, drawn
 * onto an OffscreenCanvas and read back.
 */
async function frameToI420(frame) {
  const rect = frame.visibleRect || {
    x: 0, y: 0, width: frame.displayWidth, height: frame.displayHeight,
  };
  const width = rect.width;
  const height = rect.height;
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const ySize = width * height;
  const format = frame.format;
  try {
    if (format === 'I420' || format === 'I420A') {
      const layout = [
        { offset: 0, stride: width },
        { offset: ySize, stride: cw },
        { offset: ySize + cw * ch, stride: cw },
      ];
      if (format === 'I420A') layout.push({ offset: i420Size(width, height), stride: width });
      const buf = new Uint8Array(i420Size(width, height) + (format === 'I420A' ? ySize : 0));
      await frame.copyTo(buf, { rect, layout });
      return { width, height, data: format === 'I420A' ? buf.subarray(0, i420Size(width, height)) : buf };
    }
    if (format === 'NV12') {
      const buf = new Uint8Array(ySize + 2 * cw * ch);
      await frame.copyTo(buf, { rect, layout: [{ offset: 0, stride: width }, { offset: ySize, stride: 2 * cw }] });
      return { width, height, data: nv12ToI420(buf, width, height) };
    }
    if (RGB_ORDER[format]) {
      const buf = new Uint8Array(ySize * 4);
      await frame.copyTo(buf, { rect, layout: [{ offset: 0, stride: width * 4 }] });
      return { width, height, data: rgbToI420(buf, width * 4, width, height, RGB_ORDER[format], new Uint8Array(i420Size(width, height))) };
    }
  } catch (e) {
    // An odd-aligned rect in a subsampled format, or a copy that failed:
    // the conversions below still work.
  }
  try {
    const buf = new Uint8Array(ySize * 4);
    await frame.copyTo(buf, { rect, layout: [{ offset: 0, stride: width * 4 }], format: 'RGBA' });
    return { width, height, data: rgbToI420(buf, width * 4, width, height, RGB_ORDER.RGBA, new Uint8Array(i420Size(width, height))) };
  } catch (e) {
    const canvas = new globalThis.OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(frame, rect.x, rect.y, width, height, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    return { width, height, data: rgbToI420(data, width * 4, width, height, RGB_ORDER.RGBA, new Uint8Array(i420Size(width, height))) };
  }
}

// At most this many frames a second go to the engine (its VP8 encoder is
// set up for 30 fps; a 60 fps camera sends every other frame).
const MAX_VIDEO_FPS = 30;

/**
 * Reads a page video track; calls onFrame with I420 frames
 * ({ width, height, data, rotation, video: true }) at the frames' own size
 * until stop(). One frame is in hand at a time: the processor keeps only
 * the newest frame while we convert (maxBufferSize 1 drops the oldest), so
 * a page slower than the camera skips frames instead of falling behind;
 * and no more than maxFps frames a second go on average.
 */
function readVideoTrack(track, onFrame, { maxFps = MAX_VIDEO_FPS } = {}) {
  const processor = new globalThis.MediaStreamTrackProcessor({ track, maxBufferSize: 1 });
  const reader = processor.readable.getReader();
  const interval = 1e6 / maxFps;
  let stopped = false;
  // When the next frame is due (us, frame timestamps): one interval after
  // the last one sent, so the average stays within maxFps, while a frame a
  // quarter interval early still goes (capture timestamps jitter: a 30 fps
  // canvas or camera keeps every frame, a 60 fps one sends every other).
  let due = -Infinity;
  (async () => {
    while (!stopped) {
      // eslint-disable-next-line no-await-in-loop
      const { value, done } = await reader.read();
      if (done || stopped) {
        if (value) value.close();
        break;
      }
      const ts = value.timestamp;
      // A timestamp far behind (a new source) or far ahead (a pause) starts over.
      if (ts < due - 2 * interval || ts > due + interval) due = ts;
      if (ts < due - interval / 4) {
        value.close();
        continue;
      }
      let frame = null;
      try {
        // eslint-disable-next-line no-await-in-loop
        frame = await frameToI420(value);
      } catch (e) {
        frame = null;
      } finally {
        value.close();
      }
      if (!frame || stopped) continue;
      due += interval;
      onFrame({
        width: frame.width, height: frame.height, data: frame.data, rotation: 0, video: true,
      });
    }
  })().catch(() => {});
  return () => {
    stopped = true;
    reader.cancel().catch(() => {});
  };
}

/**
 * A page video track fed with the engine's I420 frames: { track, write(frame),
 * close() }. Frames become VideoFrames (BT.601 limited range, as VP8 decodes)
 * timestamped by the clock; while the generator still has a frame pending
 * (nothing consumes the track fast enough) newer ones replace it rather
 * than queue.
 */
function writeVideoTrack() {
  const generator = new globalThis.MediaStreamTrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  let writing = false;
  let next = null; // the newest frame waiting for the writer
  let closed = false;
  let lastTs = -1;
  const colorSpace = {
    primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m', fullRange: false,
  };
  const pump = () => {
    if (writing || !next || closed) return;
    const frame = next;
    next = null;
    // Microseconds, strictly increasing.
    const timestamp = Math.max(lastTs + 1, Math.round(performance.now() * 1000));
    lastTs = timestamp;
    let vf;
    try {
      vf = new globalThis.VideoFrame(frame.data, {
        format: 'I420', codedWidth: frame.width, codedHeight: frame.height, timestamp, colorSpace,
      });
    } catch (e) {
      return;
    }
    writing = true;
    writer.write(vf).catch(() => {}).finally(() => {
      vf.close();
      writing = false;
      pump();
    });
  };
  return {
    track: generator,
    write(frame) {
      if (closed || frame.data.length !== i420Size(frame.width, frame.height)) return;
      next = frame;
      pump();
    },
    close() {
      closed = true;
      next = null;
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
    subscribe(track, sink) {
      if (ours.isTrack(track)) return ours.subscribe(track, sink);
      // An ended track gives no more frames (mediacapture-main 4.3.1), and
      // MediaStreamTrackProcessor throws for one: a sender may still hold
      // it (webrtc-pc 5.2 replaceTrack and 4.4.3 addTrack take ended tracks).
      if (track.readyState === 'ended') return () => {};
      return track.kind === 'video' ? readVideoTrack(track, sink) : readTrack(track, sink);
    },
    remoteTrack(kind, id) {
      if (kind !== 'audio' && kind !== 'video') return ours.remoteTrack(kind, id);
      // A track the page can play (<audio>, <video>, WebAudio): frames go
      // into a MediaStreamTrackGenerator, and the page gets a clone of it,
      // whose class is the page's MediaStreamTrack itself, as a native
      // receiver's track (the generator's is MediaStreamTrackGenerator).
      // webrtc-pc 5.3 "create an RTCRtpReceiver": label "remote <kind>",
      // muted until media arrives; the platform's own muted and label
      // cannot be set, so the clone carries its own (as remoteStream's id).
      const w = kind === 'video' ? writeVideoTrack() : writeTrack();
      const track = w.track.clone();
      let muted = true;
      let ended = false;
      Object.defineProperty(track, 'muted', { get: () => muted, configurable: true });
      Object.defineProperty(track, 'label', { value: `remote ${kind}`, configurable: true });
      return {
        track,
        emit: (frame) => { if (!ended) w.write(frame); },
        setMuted: (value) => {
          if (ended || value === muted) return;
          muted = value;
          track.dispatchEvent(new Event(muted ? 'mute' : 'unmute'));
        },
        // Ended at once (readyState "ended"), with an ended event unless
        // silent (the connection closed); then the generator goes.
        end: (silent) => {
          if (ended) return;
          ended = true;
          track.stop();
          if (!silent) track.dispatchEvent(new Event('ended'));
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
  available, isNativeTrack, readTrack, writeTrack, Rechunker, readVideoTrack, writeVideoTrack, frameToI420, rgbToI420, pagePlatform,
};
