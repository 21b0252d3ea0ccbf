'use strict';
// The engine worker in a browser: a dedicated Worker started by the page's
// polyfill (js/browser/), running the engine service with WebSocket streams
// to wasmrtc-gateway and the in-engine network between the page's own
// connections as its only transports (a page has no UDP). Bundled
// into dist/wasmrtc-worker.js; the Emscripten glue and the .wasm are loaded
// from next to it, so the page's CSP needs worker-src, script-src and
// connect-src for that origin and 'wasm-unsafe-eval'.
/* global self, importScripts */
const { createEngineService } = require('./engine-service.cjs');
const { openPeerTransports } = require('./transports.cjs');

const base = new URL('./', self.location.href);
const early = [];
let onMessage = (msg) => early.push(msg);

async function start() {
  importScripts(new URL('wasmrtc-core.js', base).href);
  const response = await fetch(new URL('wasmrtc-core.wasm', base).href);
  if (!response.ok) throw new Error(`fetching wasmrtc-core.wasm failed: HTTP ${response.status}`);
  // Passing the bytes makes the module instantiate synchronously
  // (WASM_ASYNC_COMPILATION=0, allowed off the main thread).
  const core = { wasmBinary: new Uint8Array(await response.arrayBuffer()) };
  self.createWasmrtcCore(core);
  onMessage = createEngineService(core, (msg, transfer) => self.postMessage(msg, transfer || []),
    (pc, configuration, loop, engine) => openPeerTransports(pc, configuration, loop, engine, { udp: false, memory: true }),
    // A registered codec's module: an absolute URL (the page resolves it).
    { importModule: (url) => import(url) });
  for (const msg of early.splice(0)) onMessage(msg);
}

self.onmessage = (e) => onMessage(e.data);
start().catch((e) => {
  // Every command waiting and every later one fails with the reason.
  const error = { name: 'OperationError', message: `wasmrtc engine failed to start: ${e.message || e}` };
  onMessage = (msg) => { if (msg.id !== undefined) self.postMessage({ id: msg.id, error }); };
  for (const msg of early.splice(0)) onMessage(msg);
});
