'use strict';
// Starts the engine worker in Node (worker_threads). The browser build
// replaces this module with one that starts a dedicated Worker.
const path = require('path');
const { Worker } = require('worker_threads');

const ENTRY = path.join(__dirname, '..', '..', 'wasm', 'worker', 'engine-worker.cjs');

function spawnEngineWorker() {
  // This module's process.env (in a Jest sandbox, the test's own copy) is
  // what the engine reads its settings from (WASMRTC_ENGINE_HEAP_LIMIT_MB).
  const worker = new Worker(ENTRY, { env: { ...process.env } });
  return {
    post(msg, transfer) { worker.postMessage(msg, transfer || []); },
    onMessage(fn) { worker.on('message', fn); },
    onError(fn) { worker.on('error', fn); },
    ref() { worker.ref(); },
    unref() { worker.unref(); },
    terminate() { return worker.terminate(); },
  };
}

// A registered codec's module (js/webrtc/codecs.cjs) as the worker imports
// it: a path relative to the working directory, or a URL.
function resolveModule(specifier) {
  if (/^(file|data|https?):/.test(specifier)) return specifier;
  // eslint-disable-next-line global-require
  return require('url').pathToFileURL(path.resolve(specifier)).href;
}

module.exports = { spawnEngineWorker, resolveModule };
