'use strict';
// Drives one sans-IO object from the core (DESIGN: "The sans-IO loop"):
// every input (a datagram, stream bytes, the timer) is passed in with the
// current time, then every output is drained; transmits go to transports,
// everything else to `onOutput`; finally the one timer is re-armed for the
// object's next deadline. The core never calls into JS, so nothing here is
// re-entrant: an input that arrives while draining waits its turn.
// Browsers and Node 16+ have a global performance clock.
const { performance } = globalThis.performance ? globalThis : require('perf_hooks');

class SansIoLoop {
  /**
   * @param target  handleDatagram/handleStreamData/handleStreamClosed/handleTimeout/pollOutput/pollTimeout
   * @param onOutput  called with every output that is not a transmit
   */
  constructor(target, onOutput, onFatal = (e) => { throw e; }) {
    this.target = target;
    this.onOutput = onOutput;
    // An exception out of the target (a WebAssembly trap: the engine is
    // unusable from then on) ends the loop and goes here.
    this.onFatal = onFatal;
    this.sockets = new Map(); // id -> { send(destination, bytes) }
    this.streams = new Map(); // id -> { send(bytes) }
    this.timer = null;
    this.timerAt = -1;
    this.closed = false;
    this.draining = false;
    this.dropped = 0; // transmits to a socket/stream that is gone
  }

  now() {
    return performance.now();
  }

  addSocket(id, socket) { this.sockets.set(id, socket); }
  addStream(id, stream) { this.streams.set(id, stream); }
  removeSocket(id) { this.sockets.delete(id); }
  removeStream(id) { this.streams.delete(id); }

  datagram(socket, from, bytes) {
    this.#guarded(() => this.target.handleDatagram(this.now(), socket, from, bytes));
  }

  streamData(stream, bytes) {
    this.#guarded(() => this.target.handleStreamData(this.now(), stream, bytes));
  }

  streamClosed(stream) {
    this.streams.delete(stream);
    this.#guarded(() => this.target.handleStreamClosed(this.now(), stream));
  }

  // Input from the network or a timer: a failure there is fatal (there is
  // no command to reject).
  #guarded(fn) {
    if (this.closed) return;
    try {
      fn();
      this.drain();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Ends the loop after a fatal error: the timer stops, onFatal(e) runs once. */
  fail(e) {
    if (this.closed) return;
    this.#halt();
    this.onFatal(e);
  }

  #halt() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs `fn(now)` against the target, then drains: for commands. */
  run(fn) {
    const result = fn(this.now());
    this.drain();
    return result;
  }

  drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let out = this.target.pollOutput(); out !== null; out = this.target.pollOutput()) {
        if (out.type === 'transmit') {
          const s = this.sockets.get(out.socket);
          if (s) s.send(out.destination, out.data);
          else this.dropped++;
        } else if (out.type === 'stream-transmit') {
          const s = this.streams.get(out.stream);
          if (s) s.send(out.data);
          else this.dropped++;
        } else {
          this.onOutput(out);
        }
      }
    } finally {
      this.draining = false;
    }
    this.arm();
  }

  arm() {
    if (this.closed) return;
    const at = this.target.pollTimeout();
    if (at === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at < 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = -1;
      this.#guarded(() => this.target.handleTimeout(this.now()));
    }, Math.max(0, at - this.now()));
  }

  /** Stops the timer; outputs still pending are drained once more first. */
  stop() {
    this.drain();
    this.#halt();
  }
}

module.exports = { SansIoLoop };
