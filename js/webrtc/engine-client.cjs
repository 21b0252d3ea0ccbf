'use strict';
// The page side of the page/worker boundary (DESIGN: "The page/worker
// boundary"). One engine worker per process (Node: worker_threads) or page
// (a dedicated Worker) serves every RTCPeerConnection. Commands are
// {id, pc, op, args} answered by {id, ok, value} or {id, error: {name, message}},
// the error of an RTCError with errorDetail and sdpLineNumber too;
// events are {pc, event}. Bytes cross as transferred ArrayBuffers.
//
// The worker exists only while some RTCPeerConnection is open: the last
// release() shuts it down, so a Node process (or a Jest run) can exit.

const { RTCError } = require('./events.cjs');

let shared = null;

// As Chromium (its kMaxPeerConnections): past this many open connections per
// engine the constructor throws UnknownError "Cannot create so many
// PeerConnections". Each costs the engine's shared heap.
const MAX_PEER_CONNECTIONS = 500;

/**
 * The exception a command's {name, message, errorDetail?, sdpLineNumber?}
 * rejects with: an RTCError (webrtc-pc 11.1, an OperationError) where the
 * engine gives an errorDetail (an SDP syntax error: "sdp-syntax-error" and
 * the line), else the DOMException or TypeError of that name.
 */
function errorFrom(e) {
  if (e.errorDetail !== undefined) {
    return new RTCError({ errorDetail: e.errorDetail, sdpLineNumber: e.sdpLineNumber ?? null }, e.message);
  }
  if (e.name === 'TypeError') return new TypeError(e.message);
  if (typeof DOMException === 'function') return new DOMException(e.message, e.name);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

class EngineClient {
  constructor(spawn) {
    this.spawn = spawn; // () => { post(msg, transfer), onMessage(fn), onError(fn), terminate() }
    this.worker = null;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map(); // pc handle -> fn(event)
    this.refs = 0;
    this.nextHandle = 1;
    this.stopping = null;
    // Codecs registered so far (js/webrtc/codecs.cjs): every new worker
    // loads them before its first connection.
    this.codecs = [];
    this.onCodecError = null;
  }

  static shared() {
    if (!shared) {
      // eslint-disable-next-line global-require
      const { spawnEngineWorker } = require('./engine-spawn.cjs');
      shared = new EngineClient(spawnEngineWorker);
    }
    return shared;
  }

  /** A client with a worker of its own (for one long job), stopped by its last release(). */
  static dedicated() {
    return new EngineClient(EngineClient.shared().spawn);
  }

  newHandle() {
    return this.nextHandle++;
  }

  ensureWorker() {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.onMessage((msg) => this.onMessage(msg));
    worker.onError((err) => { if (this.worker === worker) this.onWorkerError(err); });
    this.worker = worker;
    for (const desc of this.codecs) worker.post({ pc: 0, op: 'registerCodec', args: desc });
    return worker;
  }

  /** wasmrtc.codecs.register: loads the codec in the worker; { payloadType }. */
  async registerCodec(desc) {
    const r = await this.request(0, 'registerCodec', desc);
    this.codecs.push(desc);
    return r;
  }

  onMessage(msg) {
    if (msg.fatal) {
      // The engine is unusable (a trap, or its heap past the limit:
      // wasm/worker/engine-service.cjs): its connections fail, and the
      // next RTCPeerConnection gets a fresh worker.
      const worker = this.worker;
      this.onWorkerError(new Error(msg.fatal.message));
      if (worker) worker.terminate();
      return;
    }
    if (msg.codecError) {
      if (this.onCodecError) this.onCodecError(msg.codecError);
      return;
    }
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(errorFrom(msg.error));
      else p.resolve(msg.value);
      this.updateRef();
      return;
    }
    // An event for a handle that is gone is dropped (DESIGN: handles, not pointers).
    const listener = this.listeners.get(msg.pc);
    if (listener) listener(msg.event);
  }

  onWorkerError(err) {
    const e = errorFrom({ name: 'OperationError', message: `wasmrtc engine worker failed: ${err && err.message}` });
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    // The connections of this engine are gone with it: they no longer count.
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    this.refs = 0;
    this.worker = null;
    for (const l of listeners) l({ type: 'engine-failed', message: e.message });
  }

  /** Whether another connection may use this engine (MAX_PEER_CONNECTIONS). */
  canAcquire() {
    return this.refs < MAX_PEER_CONNECTIONS;
  }

  /** Keeps a Node process alive only while something is pending or open. */
  updateRef() {
    if (!this.worker || !this.worker.ref) return;
    if (this.refs > 0 || this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  acquire(pc, listener) {
    this.refs++;
    this.listeners.set(pc, listener);
    this.ensureWorker();
    this.updateRef();
  }

  release(pc) {
    // A connection of a failed engine was let go already (onWorkerError).
    if (!this.listeners.delete(pc)) return;
    this.refs = Math.max(0, this.refs - 1);
    if (this.refs === 0) this.scheduleStop();
    this.updateRef();
  }

  /** After the last connection: once every command has been answered, stop the worker. */
  // A connection created meanwhile gets a fresh worker: this one is done.
  scheduleStop() {
    if (!this.worker) return;
    const worker = this.worker;
    this.worker = null;
    const id = this.nextId++;
    const stopped = new Promise((resolve) => {
      this.pending.set(id, { resolve, reject: resolve });
      worker.post({ id, pc: 0, op: 'shutdown', args: {} });
    });
    stopped.then(() => {
      worker.terminate();
      this.updateRef();
    });
  }

  request(pc, op, args, transfer) {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      worker.post({ id, pc, op, args }, transfer);
    });
  }

  post(pc, op, args, transfer) {
    const worker = this.ensureWorker();
    worker.post({ pc, op, args }, transfer);
  }
}

module.exports = { EngineClient, MAX_PEER_CONNECTIONS };
