/* global importScripts, wasmrtcLoadCore */
importScripts('/js/core/load-in-worker.js');
wasmrtcLoadCore('/dist/').then((core) => {
  const txid = new Uint8Array(12).fill(9);
  const bytes = core.stunBuild({ class: 'request', method: 1, transactionId: txid, fingerprint: true });
  const parsed = core.stunParse(bytes);
  postMessage({
    versions: core.versions(),
    isWorker: typeof WorkerGlobalScope !== 'undefined',
    stunLength: bytes.length,
    stunClass: parsed.class,
    stunTxid: Array.from(parsed.transactionId),
  });
}, (err) => postMessage({ error: String(err) }));
