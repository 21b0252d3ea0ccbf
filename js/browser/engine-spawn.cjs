'use strict';
// Starts the engine worker in a browser: one dedicated Worker per page
// (dist/wasmrtc-worker.js, next to the polyfill script). Replaces
// js/webrtc/engine-spawn.cjs in the browser bundle.
/* global Worker */
const { workerUrl } = require('./script-base.cjs');

function spawnEngineWorker() {
  const worker = new Worker(workerUrl());
  return {
    post(msg, transfer) { worker.postMessage(msg, transfer || []); },
    onMessage(fn) { worker.addEventListener('message', (e) => fn(e.data)); },
    onError(fn) { worker.addEventListener('error', (e) => fn(new Error(e.message || 'worker error'))); },
    terminate() { worker.terminate(); },
  };
}

// A registered codec's module (js/webrtc/codecs.cjs): a URL relative to the page.
/* global document */
function resolveModule(specifier) {
  return new URL(specifier, typeof document !== 'undefined' ? document.baseURI : undefined).href;
}

module.exports = { spawnEngineWorker, resolveModule };
