'use strict';
// Starts the engine worker in Node (worker_threads). The browser build
// replaces this module with one that starts a dedicated Worker.
const path = require('path');
const { Worker } = require('worker_threads');

const ENTRY = path.join(__dirname, '..', '..', 'wasm', 'worker', 'engine-worker.cjs');

function spawnEngineWorker() {
  const worker = new Worker(ENTRY);
  return {
    post(msg, transfer) { worker.postMessage(msg, transfer || []); },
    onMessage(fn) { worker.on('message', fn); },
    onError(fn) { worker.on('error', fn); },
    ref() { worker.ref(); },
    unref() { worker.unref(); },
    terminate() { return worker.terminate(); },
  };
}

module.exports = { spawnEngineWorker };
