'use strict';
// Where the polyfill was loaded from, and its page-wide options. Read once,
// while the bundle first runs:
//   classic script: <script src=".../wasmrtc-polyfill.js" data-gateway=...
//                    data-ice-servers='[...]' data-force>
//   ES module:      import wasmrtc from '.../wasmrtc-polyfill.mjs?gateway=...&iceServers=[...]&force'
// __wasmrtcScriptUrl is defined by the bundle (scripts/bundle.cjs).
/* global document, __wasmrtcScriptUrl */
const scriptUrl = typeof __wasmrtcScriptUrl === 'string' ? __wasmrtcScriptUrl : undefined;
const script = typeof document !== 'undefined' && document.currentScript
  && document.currentScript.src === scriptUrl ? document.currentScript : null;
const base = new URL('./', scriptUrl || globalThis.location.href);

function workerUrl() {
  return new URL('wasmrtc-worker.js', base).href;
}

function parseIceServers(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    console.error(`wasmrtc: the ICE servers option is not JSON: ${e.message}`); // eslint-disable-line no-console
    return undefined;
  }
}

/** The page-wide options: data-gateway, data-ice-servers, data-force (or the module URL's query). */
function scriptOptions() {
  if (script) {
    const data = script.dataset;
    return { gateway: data.gateway || undefined, iceServers: parseIceServers(data.iceServers), force: data.force !== undefined };
  }
  const query = scriptUrl ? new URL(scriptUrl).searchParams : new URLSearchParams();
  return {
    gateway: query.get('gateway') || undefined,
    iceServers: parseIceServers(query.get('iceServers')),
    force: query.has('force'),
  };
}

module.exports = { workerUrl, scriptOptions };
