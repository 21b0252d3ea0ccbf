'use strict';
// Where the polyfill script was loaded from, and its data- attributes:
// read once, while the script runs (document.currentScript is only set then).
/* global document */
const script = typeof document !== 'undefined' ? document.currentScript : null;
const base = new URL('./', script && script.src ? script.src : globalThis.location.href);

function workerUrl() {
  return new URL('wasmrtc-worker.js', base).href;
}

/** The script tag's page-wide options (issue: data-gateway, data-ice-servers, data-force). */
function scriptOptions() {
  const data = script ? script.dataset : {};
  let iceServers;
  if (data.iceServers) {
    try {
      iceServers = JSON.parse(data.iceServers);
    } catch (e) {
      console.error(`wasmrtc: data-ice-servers is not JSON: ${e.message}`); // eslint-disable-line no-console
    }
  }
  return { gateway: data.gateway || undefined, iceServers, force: data.force !== undefined };
}

module.exports = { workerUrl, scriptOptions };
