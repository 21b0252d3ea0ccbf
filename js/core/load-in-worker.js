// Loads the WASM module inside a browser worker (classic or module worker).
//   importScripts(base + 'js/core/load-in-worker.js');
//   const core = await wasmrtcLoadCore(base + 'dist/');
// The glue is fetched with importScripts (a classic worker) or import() (a
// module worker); the .wasm bytes are fetched here and passed as wasmBinary, so
// the module instantiates synchronously from them (WASM_ASYNC_COMPILATION=0 is
// allowed off the main thread) and the same build serves Node and browsers.
/* global self, importScripts */
(function (scope) {
  'use strict';
  let pending = null;
  scope.wasmrtcLoadCore = function wasmrtcLoadCore(distUrl) {
    if (pending) return pending;
    const base = new URL(distUrl, scope.location.href);
    pending = (async () => {
      if (typeof scope.createWasmrtcCore !== 'function') {
        importScripts(new URL('wasmrtc-core.js', base).href);
      }
      const response = await fetch(new URL('wasmrtc-core.wasm', base).href);
      if (!response.ok) throw new Error(`wasmrtc: fetching the module failed: HTTP ${response.status}`);
      const mod = { wasmBinary: new Uint8Array(await response.arrayBuffer()) };
      scope.createWasmrtcCore(mod);
      return mod;
    })();
    return pending;
  };
})(self);
