'use strict';
// The engine service: one WASM Engine serving every RTCPeerConnection of a
// process (Node) or page (browser), driven by the sans-IO loop. It owns the
// transports (UDP sockets, streams to wasmrtc-gateway or TURN over TCP), so
// packets never cross to the page's thread; only commands, events and data
// channel messages do. Protocol: see js/webrtc/engine-client.cjs.
//
// Independent of how it is reached: the Node worker (engine-worker.cjs) and
// the browser worker (browser-worker.cjs) give it the loaded module, a
// postMessage(msg, transfer) towards the page and the transports opener,
// and feed it the page's messages.
const { SansIoLoop } = require('../loop/sans-io-loop.cjs');
const { createUserCodecs } = require('./user-codecs.cjs');
const { createTransforms } = require('./transforms.cjs');

// The WASM heap ceiling (issue 14): past it the engine counts as out of
// memory (below). WebAssembly memory never shrinks, so an engine that grew
// past it is replaced rather than trusted. Node: WASMRTC_ENGINE_HEAP_LIMIT_MB.
const DEFAULT_HEAP_LIMIT = 1024 * 1024 * 1024;

class OutOfMemory extends Error {}

const clockMs = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function bytesOf(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * @param core  the loaded Embind module
 * @param postMessage  (msg, transfer) => void, towards the page
 * @param openPeerTransports  (pc, configuration, loop, engine) => Promise<{ close(): Promise }>
 * @param options  { heapLimit } in bytes; { importModule(specifier) } loads a
 *   registered codec's ES module (user-codecs.cjs)
 * @returns onMessage(msg) for every message from the page
 */
function createEngineService(core, postMessage, openPeerTransports, {
  heapLimit = DEFAULT_HEAP_LIMIT,
  importModule = () => Promise.reject(new Error('this worker cannot load modules')),
} = {}) {
  const engine = new core.Engine();
  const heapBytes = () => core.HEAPU8.buffer.byteLength;
  function checkHeap() {
    if (heapBytes() > heapLimit) {
      throw new OutOfMemory(`out of memory: the engine's heap grew to ${heapBytes()} bytes, over its limit of ${heapLimit}`);
    }
  }
  // Fatal: a WebAssembly trap (abort, an allocation that failed) or the heap
  // past its limit. The engine is unusable from then on: the page is told
  // once ({fatal}), every connection's transports close, and every later
  // command fails. The page replaces the worker (engine-client.cjs).
  let dead = null;
  function fatal(e) {
    if (dead) return;
    dead = String((e && e.message) || e);
    loop.fail(e);
    for (const [pc, t] of transports) {
      transports.delete(pc);
      t.close().catch(() => {});
    }
    postMessage({ fatal: { message: dead } });
  }
  const isFatal = (e) => e instanceof OutOfMemory || (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError);

  // Events that a command causes go to the page after the command's answer
  // (webrtc-pc 4.4.1.5: setLocalDescription resolves, then the gathering
  // state changes and icecandidate events are queued as tasks; the same holds
  // for every state change a description causes). While a command that is
  // answered runs, its events wait here; they follow the answer in order.
  // Except what the operation itself sets before it resolves, in the "set
  // the description" steps: an in-band channel's id, given when the answer
  // fixes the DTLS role (webrtc-pc 6.1, "RTCDataChannel id"), and the
  // RTCSctpTransport with its maxMessageSize and maxChannels (4.4.1.5,
  // "update the data max message size").
  let held = null;
  const DESCRIPTION_STATE = new Set(['channelid', 'sctpstatechange']);

  function postNow(msg) {
    const transfer = [];
    const data = msg.event && msg.event.data;
    if (data instanceof Uint8Array) {
      // Bytes were copied out of the WASM heap by the binding: hand that copy over.
      msg.event.data = data.buffer;
      transfer.push(data.buffer);
    }
    // And what the engine marks as the operation's own (duringOperation:
    // the states a description that leaves no transport resets).
    if (held && !(msg.event && (DESCRIPTION_STATE.has(msg.event.type) || msg.event.duringOperation))) held.push([msg, transfer]);
    else postMessage(msg, transfer);
  }

  function release() {
    const events = held;
    held = null;
    if (events) for (const [msg, transfer] of events) postMessage(msg, transfer);
  }

  // "sent" (bytes that left a channel's send buffer) comes with nearly
  // every SCTP SACK: tens of thousands a second in a bulk transfer, each a
  // postMessage. They are summed per channel until the worker's current
  // turn ends, and go out before any other event, so the page sees the
  // same order and the same bufferedAmount at every other event.
  const pendingSent = new Map(); // "pc/channel" -> the summed message
  let flushScheduled = false;
  const later = typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);
  function flushSent() {
    flushScheduled = false;
    const messages = [...pendingSent.values()];
    pendingSent.clear();
    for (const m of messages) postNow(m);
  }
  function post(msg) {
    const e = msg.event;
    if (e && e.type === 'sent') {
      const key = `${msg.pc}/${e.channel}`;
      const pending = pendingSent.get(key);
      if (pending) pending.event.bytes += e.bytes;
      else pendingSent.set(key, { pc: msg.pc, event: { ...e } });
      if (!flushScheduled) {
        flushScheduled = true;
        later(flushSent);
      }
      return;
    }
    if (pendingSent.size > 0) flushSent();
    postNow(msg);
  }

  // The loop drives the engine through this: every turn ends with the heap checked.
  const target = {
    handleDatagram(...a) { engine.handleDatagram(...a); checkHeap(); },
    handleStreamData(...a) { engine.handleStreamData(...a); checkHeap(); },
    handleStreamClosed(...a) { engine.handleStreamClosed(...a); checkHeap(); },
    handleTimeout(...a) { engine.handleTimeout(...a); checkHeap(); },
    pollOutput: () => engine.pollOutput(),
    pollTimeout: () => engine.pollTimeout(),
  };
  // Registered codecs' encoders and decoders run here (user-codecs.cjs):
  // their encoded frames and keyframe requests are not the page's.
  // Encoded transforms' frames go to their ports (transforms.cjs).
  let userCodecs = null;
  let transforms = null;
  const loop = new SansIoLoop(target, (out) => {
    if (out.type !== 'event') return;
    if (transforms && transforms.onEvent(out.pc, out.event)) return;
    if (userCodecs && userCodecs.onEvent(out.pc, out.event, (event) => post({ pc: out.pc, event }))) return;
    post({ pc: out.pc, event: out.event });
  }, (e) => fatal(e));
  // An engine turn started by a codec or a transform (not a command).
  const runTurn = (fn) => {
    if (dead) return undefined;
    try {
      return loop.run(fn);
    } catch (e) {
      if (isFatal(e)) fatal(e);
      return undefined;
    }
  };
  userCodecs = createUserCodecs({
    engine, importModule, onError: (error) => postMessage({ codecError: error }), run: runTurn,
  });
  transforms = createTransforms({ engine, run: runTurn });

  // Commands for one connection run in order, after its transports are open.
  const queues = new Map(); // pc -> Promise
  const transports = new Map(); // pc -> { close() }
  const closing = new Set(); // Promises of transports being closed

  function reply(id, result) {
    if (id === undefined) return;
    if (result && result.error) postMessage({ id, error: result.error });
    else postMessage({ id, ok: true, value: result });
  }

  function failure(id, e) {
    if (id === undefined) return;
    postMessage({ id, error: { name: e.name || 'OperationError', message: String(e.message || e) } });
  }

  const commands = {
    async createPeerConnection(pc, { configuration }) {
      // Codecs registered before the connection are offered by it.
      await userCodecs.ready();
      const err = loop.run((now) => engine.createPeerConnection(pc, configuration, now));
      if (err && err.error) return err;
      const t = await openPeerTransports(pc, configuration, loop, engine);
      transports.set(pc, t);
      return {};
    },
    async setConfiguration(pc, { configuration }) {
      const r = loop.run((now) => engine.setConfiguration(pc, configuration, now));
      // New STUN/TURN servers: opened now, gathered from at the next ICE restart.
      const t = transports.get(pc);
      if (t && t.addServers) await t.addServers(configuration);
      return r;
    },
    createOffer: (pc, args) => loop.run((now) => engine.createOffer(pc, args, now)),
    createAnswer: (pc, args) => loop.run((now) => engine.createAnswer(pc, args, now)),
    setLocalDescription: (pc, args) => loop.run((now) => engine.setLocalDescription(pc, args, now)),
    setRemoteDescription: (pc, args) => loop.run((now) => engine.setRemoteDescription(pc, args, now)),
    addIceCandidate: (pc, args) => loop.run((now) => engine.addIceCandidate(pc, args, now)),
    createDataChannel: (pc, args) => loop.run((now) => engine.createDataChannel(pc, args, now)),
    send(pc, { channel, binary, data }) {
      const bytes = binary ? new Uint8Array(data) : data;
      return loop.run((now) => engine.send(pc, channel, binary, bytes, now));
    },
    addTransceiver: (pc, args) => loop.run((now) => engine.addTransceiver(pc, args, now)),
    updateTransceiver: (pc, args) => loop.run((now) => engine.updateTransceiver(pc, args, now)),
    sendAudio(pc, {
      handle, samples, sampleRate, channelCount,
    }) {
      // A registered codec's encoder (user-codecs.cjs) runs outside the
      // command queue: a slow one must not hold the connection's commands.
      const frame = () => ({
        samples: Int16Array.from(samples), sampleRate, channelCount, timestamp: Math.round(clockMs() * 1000),
      });
      if (userCodecs.send(pc, handle, frame)) return {};
      return loop.run((t) => engine.sendAudio(pc, handle, samples, sampleRate, channelCount, t));
    },
    sendVideo(pc, {
      handle, width, height, data,
    }) {
      const frame = () => ({
        width, height, data: bytesOf(data), timestamp: Math.round(clockMs() * 1000),
      });
      if (userCodecs.send(pc, handle, frame)) return {};
      return loop.run((t) => engine.sendVideo(pc, handle, width, height, data, t));
    },

    insertDtmf: (pc, { handle, tone, duration }) => loop.run((now) => engine.insertDtmf(pc, handle, tone, duration, now)),
    // RTCRtpSender/RTCRtpReceiver.transform: { handle, side: 'send' | 'receive', port (or null) }.
    setTransform: (pc, args) => loop.run(() => transforms.set(pc, args)),
    closeDataChannel: (pc, { channel }) => loop.run((now) => engine.closeDataChannel(pc, channel, now)),
    restartIce: (pc) => loop.run(() => engine.restartIce(pc)),
    getStats: (pc) => loop.run((now) => engine.getStats(pc, now)),
    close(pc) {
      userCodecs.closePc(pc);
      transforms.closePc(pc);
      loop.run((t) => engine.closePeerConnection(pc, t));
      // Let the last packets (close_notify, SCTP ABORT, TURN deallocation) leave first.
      const t = transports.get(pc);
      transports.delete(pc);
      if (t) {
        const done = new Promise((resolve) => { setTimeout(resolve, 100); }).then(() => t.close());
        closing.add(done);
        done.finally(() => closing.delete(done));
      }
      return {};
    },
    generateCertificate: (pc, args) => loop.run((now) => engine.generateCertificate(args, now)),
    // The WASM heap's size and ceiling, and what the loop holds (test/bench/soak.cjs, test/jest/hardening).
    memory: () => {
      if (typeof globalThis.gc === 'function') globalThis.gc();
      const js = typeof process !== 'undefined' && process.memoryUsage ? process.memoryUsage().heapUsed : null;
      return {
        heapBytes: heapBytes(), heapLimit, jsHeapBytes: js, sockets: loop.sockets.size, streams: loop.streams.size, connections: transports.size,
      };
    },
    // The last connection is gone: close every socket and stream and stop the
    // timer, so that nothing can arrive while the thread is terminated (Node
    // aborts when a UDP datagram lands in a terminating worker).
    async shutdown() {
      // Commands still queued for other connections are answered first.
      for (let others = [...queues].filter(([pc]) => pc !== 0); others.length > 0;
        others = [...queues].filter(([pc]) => pc !== 0)) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.all(others.map(([, q]) => q));
      }
      for (const [pc, t] of transports) {
        transports.delete(pc);
        closing.add(t.close());
      }
      await Promise.all([...closing]);
      loop.stop();
      return {};
    },
  };

  return function onMessage(msg) {
    if (msg.op === 'registerCodec') {
      // wasmrtc.codecs.register (js/webrtc/codecs.cjs): { kind, mimeType,
      // clockRate, channels, sdpFmtpLine, module } -> { payloadType }.
      // Taken at once, outside the command queues, so that a connection
      // created after it waits for it (createPeerConnection: ready()).
      userCodecs.register(msg.args || {}).then((r) => reply(msg.id, r), (e) => failure(msg.id, e));
      return;
    }
    const command = commands[msg.op];
    if (!command) {
      failure(msg.id, { name: 'NotSupportedError', message: `unknown engine command ${msg.op}` });
      return;
    }
    const previous = queues.get(msg.pc) || Promise.resolve();
    const next = previous.then(() => {
      if (dead && msg.op !== 'shutdown') {
        failure(msg.id, { name: 'OperationError', message: `the engine failed: ${dead}` });
        return undefined;
      }
      if (msg.id !== undefined) {
        // 'sent' counts from earlier turns go first: they describe bufferedAmount before the command.
        if (pendingSent.size > 0) flushSent();
        held = [];
      }
      let result;
      try {
        result = command(msg.pc, msg.args || {});
        if (!dead) checkHeap();
      } catch (e) {
        failure(msg.id, isFatal(e) ? { name: 'OperationError', message: `the engine failed: ${e.message}` } : e);
        release();
        if (isFatal(e)) fatal(e);
        return undefined;
      }
      if (result && typeof result.then === 'function') {
        // A command that waits (opening transports) spans turns: what it
        // caused so far goes now, its answer when it is done.
        release();
        return result.then((r) => reply(msg.id, r), (e) => {
          failure(msg.id, e);
          if (isFatal(e)) fatal(e);
        });
      }
      reply(msg.id, result);
      release();
      return undefined;
    });
    queues.set(msg.pc, next);
    next.then(() => {
      if (queues.get(msg.pc) === next) queues.delete(msg.pc);
    });
  };
}

module.exports = { createEngineService, DEFAULT_HEAP_LIMIT };
