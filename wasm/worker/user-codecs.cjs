'use strict';
// Codecs written by the page or the process (wasmrtc.codecs.register,
// js/webrtc/codecs.cjs): their ES modules are loaded here, in the engine's
// worker. The engine negotiates them and carries their frames over RTP in
// the generic payload format, with NACK/RTX, PLI and congestion control
// (src/pc/codec_registry.h); this file runs their encoders and decoders:
//
//   module.createEncoder(codec) -> { encode(frame) -> {data, keyFrame} | null | Promise of it, close?() }
//   module.createDecoder(codec) -> { decode({data, keyFrame, timestamp}) -> frame | null | Promise of it, close?() }
//
// decode() gives null when it cannot decode the frame without a keyframe
// (a reference is missing): the sender is asked for one (RFC 4585 PLI),
// and its encoder's next frame has keyFrame: true.
// codec: { kind, mimeType, clockRate, channels, sdpFmtpLine, payloadType }.
// A video frame is { width, height, data (I420), timestamp (µs), keyFrame
// (requested) }; an audio frame { samples (Int16Array), sampleRate,
// channelCount, timestamp (µs) }, 10 ms.
//
// What a codec gets wrong (an encoder that throws, a decoder that returns
// garbage) is reported as a codec error naming it, never thrown at the
// connection: the frame is dropped, a failed decode asks the sender for a
// keyframe (RFC 4585 PLI), and everything else carries on.

// How many frames of one stream may wait while its encoder is busy; older
// ones are dropped (a real-time encoder that falls behind skips frames).
const MAX_WAITING_FRAMES = 1;

function i420Size(width, height) {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  return width * height + 2 * cw * ch;
}

function bytesOf(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/**
 * @param engine  the Embind Engine
 * @param importModule  (specifier) => Promise<module namespace>
 * @param onError  ({ mimeType, message, pc?, transceiver? }) => void: a codec error, for the page
 * @param run  (fn(now)) => result: one engine turn through the sans-IO loop
 */
function createUserCodecs({
  engine, importModule, onError, run,
}) {
  const codecs = new Map(); // lowercase encoding name -> { info, module }
  const encoders = new Map(); // "pc/handle" -> stream state
  const decoders = new Map(); // "pc/handle" -> { decoder, name, chain }
  let loading = Promise.resolve();

  function fail(codec, message, pc, transceiver) {
    onError({
      mimeType: codec.info.mimeType, message: `${codec.info.mimeType}: ${message}`, pc, transceiver,
    });
  }

  async function load(desc) {
    let mod;
    try {
      mod = await importModule(desc.module);
    } catch (e) {
      throw Object.assign(new Error(`${desc.mimeType}: the module ${desc.module} could not be loaded: ${e.message || e}`), { name: 'OperationError' });
    }
    for (const f of ['createEncoder', 'createDecoder']) {
      if (typeof mod[f] !== 'function') {
        throw Object.assign(new Error(`${desc.mimeType}: the module ${desc.module} does not export ${f}()`), { name: 'TypeError' });
      }
    }
    const name = desc.mimeType.slice(desc.mimeType.indexOf('/') + 1);
    const r = engine.registerCodec({
      kind: desc.kind, name, clockRate: desc.clockRate, channels: desc.channels, sdpFmtpLine: desc.sdpFmtpLine,
    });
    if (r.error) throw Object.assign(new Error(`${desc.mimeType}: ${r.error.message}`), { name: r.error.name });
    const info = {
      kind: desc.kind, mimeType: desc.mimeType, clockRate: desc.clockRate, channels: desc.channels, sdpFmtpLine: desc.sdpFmtpLine, payloadType: r.payloadType,
    };
    codecs.set(name.toLowerCase(), { info, module: mod });
    return { payloadType: r.payloadType };
  }

  /** Loads and registers one codec; connections made afterwards negotiate it. */
  function register(desc) {
    const done = loading.then(() => load(desc));
    loading = done.catch(() => {});
    return done;
  }

  /** Resolves once every registration asked for so far has settled. */
  function ready() { return loading; }

  // The registered codec a sender sends with now, if any.
  function sending(pc, handle) {
    const c = engine.sendCodec(pc, handle);
    if (!c || !c.registered) return null;
    return codecs.get(String(c.name).toLowerCase()) || null;
  }

  function streamOf(pc, handle, codec) {
    const key = `${pc}/${handle}`;
    let s = encoders.get(key);
    if (s && s.codec !== codec) {
      closeQuietly(s.encoder);
      s = null;
    }
    if (!s) {
      s = {
        codec, encoder: null, busy: false, waiting: [], keyFrame: true, broken: false,
      };
      try {
        s.encoder = codec.module.createEncoder({ ...codec.info });
        if (!s.encoder || typeof s.encoder.encode !== 'function') throw new Error('createEncoder() returned no encoder');
      } catch (e) {
        s.broken = true;
        fail(codec, `createEncoder failed: ${e.message || e}`, pc, handle);
      }
      encoders.set(key, s);
    }
    return s;
  }

  async function encodeOne(pc, handle, s, frame) {
    const keyFrame = s.keyFrame;
    s.keyFrame = false;
    let out;
    try {
      out = await s.encoder.encode({ ...frame, keyFrame });
    } catch (e) {
      s.keyFrame = s.keyFrame || keyFrame;
      fail(s.codec, `encode() threw: ${e && e.message ? e.message : e}`, pc, handle);
      return;
    }
    if (out === null || out === undefined) {
      s.keyFrame = s.keyFrame || keyFrame;
      return; // skipped
    }
    const data = bytesOf(out.data);
    if (!data || data.byteLength === 0) {
      s.keyFrame = s.keyFrame || keyFrame;
      fail(s.codec, 'encode() gave no data (expected { data: Uint8Array, keyFrame })', pc, handle);
      return;
    }
    if (s.codec.info.kind === 'video') {
      run((now) => engine.sendEncodedVideo(pc, handle, data, !!out.keyFrame, frame.width, frame.height, now));
    } else {
      run((now) => engine.sendEncodedAudio(pc, handle, data, Math.round(s.codec.info.clockRate / 100), now));
    }
  }

  async function drain(pc, handle, s) {
    s.busy = true;
    while (s.waiting.length > 0) {
      const frame = s.waiting.shift();
      // eslint-disable-next-line no-await-in-loop
      await encodeOne(pc, handle, s, frame);
    }
    s.busy = false;
  }

  /**
   * A frame from a sender's track (`makeFrame()` gives it). Returns false
   * when the sender's codec is not a registered one (the engine encodes
   * it); else encodes it here.
   */
  function send(pc, handle, makeFrame) {
    const codec = sending(pc, handle);
    if (!codec) return false;
    const s = streamOf(pc, handle, codec);
    if (s.broken) return true;
    s.waiting.push(makeFrame());
    while (s.waiting.length > MAX_WAITING_FRAMES) s.waiting.shift();
    if (!s.busy) drain(pc, handle, s);
    return true;
  }

  function decoderOf(pc, handle, codec) {
    const key = `${pc}/${handle}`;
    let d = decoders.get(key);
    if (d && d.codec !== codec) {
      closeQuietly(d.decoder);
      d = null;
    }
    if (!d) {
      d = { codec, decoder: null, chain: Promise.resolve() };
      try {
        d.decoder = codec.module.createDecoder({ ...codec.info });
        if (!d.decoder || typeof d.decoder.decode !== 'function') throw new Error('createDecoder() returned no decoder');
      } catch (e) {
        fail(codec, `createDecoder failed: ${e.message || e}`, pc, handle);
        d.decoder = null;
      }
      decoders.set(key, d);
    }
    return d;
  }

  // A decoded frame as the engine's own videoframe/audioframe event, or a
  // reason it is not one.
  function frameEvent(codec, handle, e, f) {
    if (typeof f !== 'object') return 'decode() returned no frame';
    if (codec.info.kind === 'video') {
      const data = bytesOf(f.data);
      const { width, height } = f;
      if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width > 16384 || height > 16384) {
        return `decode() returned a frame of ${width}x${height}`;
      }
      if (!data || data.byteLength !== i420Size(width, height)) {
        return `decode() returned ${data ? data.byteLength : 'no'} bytes for a ${width}x${height} I420 frame (${i420Size(width, height)})`;
      }
      return {
        type: 'videoframe', transceiver: handle, width, height, rtpTimestamp: e.rtpTimestamp, ssrc: e.ssrc, data: new Uint8Array(data),
      };
    }
    const samples = f.samples instanceof Int16Array ? f.samples : null;
    const { sampleRate, channelCount } = f;
    if (!samples || ![8000, 12000, 16000, 24000, 32000, 44100, 48000].includes(sampleRate) || ![1, 2].includes(channelCount) ||
        samples.length === 0 || samples.length % channelCount !== 0) {
      return 'decode() returned no audio frame (expected { samples: Int16Array, sampleRate, channelCount })';
    }
    let energy = 0;
    for (let i = 0; i < samples.length; i++) energy += (samples[i] / 32768) ** 2;
    return {
      type: 'audioframe',
      transceiver: handle,
      kind: 'Normal',
      audioLevel: Math.sqrt(energy / samples.length),
      sampleRate,
      channelCount,
      samples: new Uint8Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength)),
      ssrc: e.ssrc,
      rtpTimestamp: e.rtpTimestamp,
    };
  }

  /**
   * An engine event for `pc`. Returns true when it was this file's (an
   * encoded frame or a keyframe request of a registered codec), which is
   * then not the page's; decoded frames go to `deliver(event)` in order.
   */
  function onEvent(pc, e, deliver) {
    if (e.type === 'keyframerequest') {
      const s = encoders.get(`${pc}/${e.transceiver}`);
      if (s) s.keyFrame = true;
      return true;
    }
    if (e.type !== 'encodedframe' || e.direction !== 'decode') return false;
    // The format the event names: registered payload types are the engine's own.
    const codec = [...codecs.values()].find((c) => c.info.payloadType === e.payloadType && c.info.kind === e.kind);
    if (!codec) return true;
    const d = decoderOf(pc, e.transceiver, codec);
    if (!d.decoder) return true;
    const input = { data: bytesOf(e.data), keyFrame: !!e.keyFrame, timestamp: e.rtpTimestamp };
    d.chain = d.chain.then(async () => {
      let f;
      try {
        f = await d.decoder.decode(input);
      } catch (err) {
        fail(codec, `decode() threw: ${err && err.message ? err.message : err}`, pc, e.transceiver);
        run((now) => engine.decodeFailed(pc, e.transceiver, now));
        return;
      }
      if (f === null || f === undefined) {
        // It cannot decode this frame without a keyframe: ask for one.
        run((now) => engine.decodeFailed(pc, e.transceiver, now));
        return;
      }
      const out = frameEvent(codec, e.transceiver, e, f);
      if (typeof out === 'string') {
        fail(codec, out, pc, e.transceiver);
        run((now) => engine.decodeFailed(pc, e.transceiver, now));
        return;
      }
      deliver(out);
    });
    return true;
  }

  function closeQuietly(x) {
    try {
      if (x && typeof x.close === 'function') x.close();
    } catch { /* a codec's close() failing changes nothing */ }
  }

  /** The connection is gone: its encoders and decoders are closed. */
  function closePc(pc) {
    for (const map of [encoders, decoders]) {
      for (const [key, v] of map) {
        if (key.startsWith(`${pc}/`)) {
          closeQuietly(v.encoder || v.decoder);
          map.delete(key);
        }
      }
    }
  }

  return {
    register, ready, send, onEvent, closePc,
  };
}

module.exports = { createUserCodecs };
