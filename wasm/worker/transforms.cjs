'use strict';
// W3C WebRTC Encoded Transform (webrtc-encoded-transform), the engine
// worker's side. A sender's or receiver's RTCRtpScriptTransform
// (js/webrtc/encoded-transform.cjs) hands this worker one end of a
// MessageChannel whose other end is in the page's own worker
// (js/transform-worker.cjs). The engine gives out the encoded frames
// ("encodedframe" events, direction "send" or "receive"); they go over
// the port, and what the page's worker writes back goes to the engine:
// a sender's on to packetization, a receiver's on to its decoder.
//
// Port messages, engine worker -> page worker:
//   { frame: { id, kind, direction, data (ArrayBuffer, transferred), type
//     ("key"/"delta", video), metadata } }
// page worker -> engine worker:
//   { frame: { id, data (ArrayBuffer) } }    a frame written to `writable`
//   { generateKeyFrame: true }                sender: the next frame is a keyframe
//   { sendKeyFrameRequest: true }             receiver: ask the sender (PLI)
// A frame written back is matched by id with the one that left (its
// timestamp and metadata are the engine's, as the spec keeps them); at most
// MAX_IN_FLIGHT frames wait in the page's worker, older ones are dropped
// (a transform that stops reading does not grow the heap).

const MAX_IN_FLIGHT = 64;

function onPortMessage(port, fn) {
  if (typeof port.on === 'function') port.on('message', fn); // Node worker_threads
  else port.onmessage = (e) => fn(e.data);
}

/**
 * @param engine  the Embind Engine
 * @param run  (fn(now)) => result: one engine turn through the sans-IO loop
 */
function createTransforms({ engine, run }) {
  const ports = new Map(); // "pc/handle/side" -> { port, inFlight: Map(id -> event), nextId }

  function set(pc, { handle, side, port }) {
    const key = `${pc}/${handle}/${side}`;
    const old = ports.get(key);
    if (old) old.port.close();
    ports.delete(key);
    engine.setTransform(pc, handle, side === 'send', !!port);
    if (!port) return {};
    const t = { port, inFlight: new Map(), nextId: 1 };
    ports.set(key, t);
    onPortMessage(port, (msg) => {
      if (!msg || typeof msg !== 'object') return;
      if (msg.generateKeyFrame) {
        run(() => engine.generateKeyFrame(pc, handle));
        return;
      }
      if (msg.sendKeyFrameRequest) {
        run((now) => engine.decodeFailed(pc, handle, now));
        return;
      }
      const back = msg.frame;
      if (!back) return;
      const e = t.inFlight.get(back.id);
      if (!e) return;
      t.inFlight.delete(back.id);
      const data = back.data instanceof ArrayBuffer ? new Uint8Array(back.data) : null;
      if (!data || data.byteLength === 0) return;
      if (e.direction === 'send') {
        if (e.kind === 'video') run((now) => engine.returnEncodedVideo(pc, handle, data, e.keyFrame, e.width, e.height, e.rtpTimestamp, now));
        else run((now) => engine.returnEncodedAudio(pc, handle, data, e.samples, e.rtpTimestamp, now));
      } else if (e.kind === 'video') {
        run((now) => engine.receiveEncodedVideo(pc, handle, data, e.keyFrame, e.rtpTimestamp, now));
      } else {
        run((now) => engine.receiveEncodedAudio(pc, handle, e.payloadType, e.sequenceNumber, e.rtpTimestamp, data, now));
      }
    });
    return {};
  }

  /** An engine event: true when it was a transform's frame (sent to its port). */
  function onEvent(pc, e) {
    if (e.type !== 'encodedframe' || (e.direction !== 'send' && e.direction !== 'receive')) return false;
    const t = ports.get(`${pc}/${e.transceiver}/${e.direction}`);
    if (!t) return true;
    const id = t.nextId++;
    t.inFlight.set(id, {
      direction: e.direction, kind: e.kind, keyFrame: e.keyFrame, width: e.width, height: e.height, rtpTimestamp: e.rtpTimestamp,
      samples: e.samples, payloadType: e.payloadType, sequenceNumber: e.sequenceNumber,
    });
    if (t.inFlight.size > MAX_IN_FLIGHT) t.inFlight.delete(t.inFlight.keys().next().value);
    const bytes = e.data instanceof Uint8Array ? e.data : new Uint8Array(e.data);
    const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    const metadata = {
      synchronizationSource: e.ssrc ?? 0,
      payloadType: e.payloadType,
      contributingSources: [],
      rtpTimestamp: e.rtpTimestamp,
      mimeType: e.mimeType,
    };
    if (e.kind === 'video') {
      Object.assign(metadata, {
        width: e.width, height: e.height, spatialIndex: 0, temporalIndex: 0, frameId: id, dependencies: [],
      });
    } else {
      metadata.sequenceNumber = e.sequenceNumber ?? null;
    }
    t.port.postMessage({
      frame: {
        id, kind: e.kind, direction: e.direction, data, type: e.kind === 'video' ? (e.keyFrame ? 'key' : 'delta') : undefined, metadata,
      },
    }, [data]);
    return true;
  }

  function closePc(pc) {
    for (const [key, t] of ports) {
      if (key.startsWith(`${pc}/`)) {
        t.port.close();
        ports.delete(key);
      }
    }
  }

  return { set, onEvent, closePc };
}

module.exports = { createTransforms };
